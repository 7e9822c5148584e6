"""OGC API – Features (Part 1: Core) at /ogc: sites, routes and stops.

Conformance: core, GeoJSON, HTML and OpenAPI 3.0. Readable by GDAL's OAPIF
driver and therefore QGIS. See docs/adr/0005-exports-and-ogc.md.
"""
