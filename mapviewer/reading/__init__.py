"""The reading layer: what the reader sees and does, without Qt.

Between the map layer and the Qt window: the reading session (filter,
selection, tour, the panel's view), the panel's HTML and its links, the
search box's rule, the user's corrections (and the gazetteer searched by
name, a pixel of the map as a position), and the one export module the
shell and the window share.  ``core`` <- ``map`` <- ``reading`` <- ``ui``; tested in milliseconds.
"""
