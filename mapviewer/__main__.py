"""``python -m mapviewer``: the same as the ``mapviewer`` command."""
import sys

from .cli import main

sys.exit(main())
