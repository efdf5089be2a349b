"""The core: text, gazetteer, place finding, geometry and pledges.

Plain Python only: nothing here imports Qt or folium, so it can be used
from a script or a test without a display.
"""
