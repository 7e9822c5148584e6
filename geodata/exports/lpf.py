"""Linked Places Format (LPF v1.2, GeoJSON-LD) exports, the World
Historical Gazetteer's contribution format.

The features (names with language tags, types, `when` timespans with BCE
years as negative ISO 8601 years, links to Wikidata/Pleiades, geometry
certainty, fclasses) are built by PostgreSQL (sites/selectors_export.py);
this module writes the JSON-LD envelope.
"""

from collections.abc import Iterable, Iterator

from geodata.exports.geojson import feature_collection_chunks
from geodata.exports.metadata import ExportMetadata

MEDIA_TYPE = "application/ld+json"
EXTENSION = "lpf.jsonld"
CONTEXT = (
    "https://raw.githubusercontent.com/LinkedPasts/linked-places/master/linkedplaces-context-v1.1.jsonld"
)


def lpf_chunks(feature_texts: Iterable[str], *, metadata: ExportMetadata) -> Iterator[str]:
    # `citation` is a CSL citation object (whg3's lpf_v2.0 schema refuses a
    # string); the one-line text every other format carries stays beside it.
    extra = {"@context": CONTEXT, "citation": metadata.csl_citation(), "citation_text": metadata.citation}
    return feature_collection_chunks(feature_texts, metadata=metadata, extra=extra)


def iso_year(year: int) -> str:
    """ISO 8601 year with at least 4 digits, BCE negative: -546 -> "-0546"
    (the same rule as the SQL in sites/selectors_export.py)."""
    return f"-{-year:04d}" if year < 0 else f"{year:04d}"
