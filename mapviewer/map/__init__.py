"""The map layer: turns an Atlas into one offline HTML page (folium + Leaflet)."""
