"""A route's CSV export holds its path (the README promises "the route, its
path and its stops"): a `feature_type` route row whose `wkt` is the path,
read by GDAL's CSV driver, then the stops; the file imports back whole."""

import csv
import io

from django.core.management import call_command

from interchange.exports import route_export
from routes.models import Route
from tests.interchange.export_helpers import export_bytes, ogrinfo

BASE = "https://example.test/ogc/collections/sites/items/"
SLUG = "8500-years-in-one-day"


def route_csv(tmp_path) -> tuple[list[dict], object]:
    body = export_bytes(route_export("csv", route=Route.objects.get(slug=SLUG), base_uri=BASE))
    path = tmp_path / "route.csv"
    path.write_bytes(body)
    return list(csv.DictReader(io.StringIO(body.decode("utf-8"), newline=""))), path


def test_route_csv_starts_with_the_path_then_the_stops_in_order(izmir, tmp_path):
    rows, _path = route_csv(tmp_path)
    route = Route.objects.get(slug=SLUG)

    first, *stops = rows
    assert first["feature_type"] == "route"
    assert first["slug"] == SLUG
    assert first["wkt"].startswith("LINESTRING(")
    assert first["wkt"].count(",") + 1 == route.path.num_points
    assert first["length_m"]
    assert first["modes"]
    assert {row["feature_type"] for row in stops} == {"stop"}
    assert [int(row["stop_order"]) for row in stops] == sorted(int(row["stop_order"]) for row in stops)
    assert all(row["wkt"].startswith("POINT(") for row in stops)


def test_gdal_reads_the_path_row_as_a_line(izmir, tmp_path):
    rows, path = route_csv(tmp_path)

    listing = ogrinfo("-al", "-oo", "GEOM_POSSIBLE_NAMES=wkt", "-where", "feature_type = 'route'", str(path))

    assert "Feature Count: 1" in ogrinfo(
        "-so", "-al", "-oo", "GEOM_POSSIBLE_NAMES=wkt", "-where", "feature_type = 'route'", str(path)
    )
    assert "LINESTRING (" in listing
    assert f"Feature Count: {len(rows)}" in ogrinfo("-so", "-al", "-oo", "GEOM_POSSIBLE_NAMES=wkt", str(path))


def test_a_route_csv_imports_back_with_its_path_and_stops(izmir, tmp_path):
    route = Route.objects.get(slug=SLUG)
    before = (route.path.wkt, list(route.stops.order_by("order").values_list("site__slug", flat=True)))
    _rows, path = route_csv(tmp_path)
    route.stops.all().delete()
    Route.objects.filter(pk=route.pk).delete()

    call_command("import_geodata", str(path), stdout=io.StringIO(), stderr=io.StringIO())

    again = Route.objects.get(slug=SLUG)
    after = (again.path.wkt, list(again.stops.order_by("order").values_list("site__slug", flat=True)))
    assert after[1] == before[1]
    assert again.path.num_points == route.path.num_points
