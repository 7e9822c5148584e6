"""Numbered, citable releases: `manage.py release 2026.12` freezes the
published data into var/releases/2026.12/ (every export format, a Frictionless
data package, CITATION.cff, README, changelog, SHA256SUMS).

versions.py checks a version string, build.py writes a release (streamed,
into a temporary folder renamed into place only when complete, the database
row last), manifest.py keeps each release's site hashes and counts what
changed, store.py finds a release's files for the API.
"""
