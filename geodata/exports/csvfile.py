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


# OWASP "CSV injection": a spreadsheet runs a cell starting with one of
# these as a formula (=cmd|' /C calc'!A0, @SUM(…), +1+1). Such text cells get
# a leading apostrophe, which spreadsheets show as text and
# geodata/imports/readers.py strips on re-import. Numbers are left alone:
# a start_year of -600 is a number, not a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TEXT_GUARD = "'"


def neutralised(value):
    """A text cell that a spreadsheet would not run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return TEXT_GUARD + value
    return value


def csv_chunks(
    rows: Iterable[Sequence], *, columns: Sequence[str], metadata: ExportMetadata
) -> Iterator[str]:
    """Header then rows, in batches; None becomes an empty cell and text
    that could run as a formula is neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    # With "\n" as the line end, csv does not quote a lone "\r", which
    # readers take as a line break: rows holding one quote every text cell.
    carriage_return_writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_NONNUMERIC)
    writer.writerow([*columns, *METADATA_COLUMNS])
    tail = (metadata.citation, metadata.data_version, metadata.generated_at)
    for count, row in enumerate(rows, start=1):
        cells = [*map(neutralised, row), *tail]
        if any(isinstance(cell, str) and "\r" in cell for cell in cells):
            carriage_return_writer.writerow(cells)
        else:
            writer.writerow(cells)
        if count % BATCH_ROWS == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
