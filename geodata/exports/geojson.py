"""GeoJSON (RFC 7946) exports: a FeatureCollection streamed as text chunks.

Features arrive as text built by PostgreSQL; this module only writes the
envelope and commas, batching rows so a million features are a few hundred
socket writes, not a million.
"""

import json
from collections.abc import Iterable, Iterator

from geodata.exports.metadata import ExportMetadata
from geodata.exports.streaming import text_batches

MEDIA_TYPE = "application/geo+json"
EXTENSION = "geojson"
BATCH_ROWS = 1000


def feature_collection_chunks(
    feature_texts: Iterable[str], *, metadata: ExportMetadata, extra: dict | None = None
) -> Iterator[str]:
    """`{"type": "FeatureCollection", <metadata>, "features": [...]}` in
    pieces. Metadata are foreign members (RFC 7946 §6.1) so every reader
    keeps working and the licence travels with the file."""
    envelope = {"type": "FeatureCollection", **metadata.as_dict(), **(extra or {})}
    yield json.dumps(envelope, ensure_ascii=False)[:-1] + ', "features": [\n'
    yield from text_batches(feature_texts, size=BATCH_ROWS, separator=",\n")
    yield "\n]}\n"
