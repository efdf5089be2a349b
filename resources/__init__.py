"""The map page's own script and style, the icon and the desktop file."""
