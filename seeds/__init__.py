"""The declarations bundled with the app."""
