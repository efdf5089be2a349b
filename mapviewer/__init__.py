"""A desktop map viewer for diplomatic declarations."""

__version__ = "0.1.0"
