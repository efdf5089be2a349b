"""One exception root, so callers catch the app's errors and nothing else.

Each subclass also inherits the built-in it refines (as geopy does), so code
that knows only ``ValueError`` or ``OSError`` still handles it right.
"""


class MapViewerError(Exception):
    """Base of every error the app reports to the user as one line."""


class InputError(MapViewerError, ValueError):
    """A document that cannot be read as a declaration."""


class ExportError(MapViewerError, OSError):
    """An export that could not be written."""


class DataError(MapViewerError, ValueError):
    """Bundled or cached data that is missing or malformed."""


class Cancelled(MapViewerError):
    """The user stopped the work (mapping documents) before it was done."""
