"""CSV exports: UTF-8, RFC 4180 quoting, one row a site.

CSV has no place for file-level metadata that every reader respects, so the
citation, data version and generation time are columns of every row
(licence and attribution are per-site columns anyway). GDAL reads the
`wkt` column as the geometry; spreadsheets get `lon`/`lat`.
"""

import csv
import io
from collections.abc import Iterable, Iterator, Sequence

from geodata.exports.metadata import ExportMetadata

MEDIA_TYPE = "text/csv; charset=utf-8"
EXTENSION = "csv"
METADATA_COLUMNS = ("citation", "data_version", "generated_at")
BATCH_ROWS = 1000


def csv_chunks(
    rows: Iterable[Sequence], *, columns: Sequence[str], metadata: ExportMetadata
) -> Iterator[str]:
    """Header then rows, in batches; None becomes an empty cell."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([*columns, *METADATA_COLUMNS])
    tail = (metadata.citation, metadata.data_version, metadata.generated_at)
    for count, row in enumerate(rows, start=1):
        writer.writerow((*row, *tail))
        if count % BATCH_ROWS == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
