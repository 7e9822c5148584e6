"""Imports: a file in, raw records out. readers.py picks the format and
dispatches to text_readers.py (GeoJSON, CSV), xml_readers.py (GPX, KML) or
ogr_reader.py (GeoPackage, Shapefile); xmlsafe.py and archives.py keep
hostile XML and zips out. What the records mean is interchange's business."""
