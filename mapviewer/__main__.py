"""``python -m mapviewer``: the same as the ``mapviewer`` command."""
from .cli import entry

entry()
