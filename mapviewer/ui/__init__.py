"""The Qt layer: shows the map page, carries clicks, shows the pledges."""
