"""A stop's order in an imported file is read with ASCII digits only:
str.isdigit() also accepts "²" and "٣", which int() refuses (a crash in the
middle of an import) or reads as another number."""

import pytest

from geodata.imports.rows import stop_order
from geodata.imports.text_readers import read_csv


@pytest.mark.parametrize(
    ("value", "order"), [("3", 3), (" 12 ", 12), ("²", None), ("٣", None), ("-1", None), ("", None)]
)
def test_stop_order_takes_ascii_digits_only(value, order):
    assert stop_order({"stop_order": value}) == order


def test_a_route_csv_with_a_superscript_stop_order_reads_without_crashing():
    data = (
        "feature_type,slug,name_tr,wkt,stop_order\n"
        'route,r,Yol,"LINESTRING(27.1 38.4,27.2 38.4)",\n'
        "site,a,A,POINT(27.1 38.4),²\n"
        "site,b,B,POINT(27.2 38.4),1\n"
    ).encode()

    records = read_csv(data, srid=None, language="tr")

    route = next(record for record in records if record.kind == "route")
    assert [stop["site"] for stop in route.props["stops"]] == ["b"]
