"""The reading layer: what the reader sees and does, without Qt.

Between the map layer and the Qt window: the reading session (filter,
selection, tour, the panel's view), the panel's HTML and its links, the
user's corrections, and the one export module the shell and the window
share.  ``core`` <- ``map`` <- ``reading`` <- ``ui``; tested in milliseconds.
"""
