"""Researchers' exports: one module per format (geojson, csvfile, gpkg, kml,
gpx, lpf), shared metadata (metadata.py), filters (filters.py) and the use
cases that tie them to the selectors (build.py)."""
