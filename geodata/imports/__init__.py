"""Imports: safe readers per format (readers.py, xmlsafe.py, archives.py)
turning files into records, and the upsert/report logic (load.py)."""
