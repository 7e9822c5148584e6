"""Routes generalized once per low zoom (routes migration 0010): PostgreSQL
keeps them, within half a pixel of the path, through any write; the tiles
of those zooms read them, and still show every published route and no
draft (GDAL's MVT driver reads the tiles back)."""

import pytest
from django.db import connection

from api.v1.tiles import tile_statement
from editorial.vocabularies import Status
from geodata.tiles import generalized_line_sql, half_pixel_m
from routes.models import Route
from routes.selectors_tiles import GENERALIZED_ZOOMS, path_detail
from tests.api.v1.test_tiles import read_tile

KONAK = {10: (589, 393), 12: (2356, 1573), 13: (4713, 3147)}


def column_values(z: int) -> dict[str, tuple[bool, float, int, int]]:
    """Per route: equal to the expression now, distance to the path (m), vertices kept, of the path."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT slug, ST_Equals(path_z{z}, {generalized_line_sql('path', z)}),"
            f" ST_HausdorffDistance(ST_Transform(path::geometry, 3857), path_z{z}),"
            f" ST_NPoints(path_z{z}), ST_NPoints(path::geometry) FROM routes_route"
        )
        return {slug: rest for slug, *rest in cursor.fetchall()}


@pytest.mark.parametrize("z", GENERALIZED_ZOOMS)
def test_each_zoom_path_is_the_path_within_half_a_pixel(izmir, z):
    values = column_values(z)
    assert len(values) == 2
    for slug, (same, distance, kept, vertices) in values.items():
        assert same, slug  # the column is the expression the code names
        assert distance <= half_pixel_m(z) * 1.000001, slug
        assert kept <= vertices


def test_an_sql_write_of_a_path_rewrites_every_zoom_in_the_same_statement(izmir):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE routes_route SET path = ST_GeogFromText('LINESTRING(27.0 38.4, 27.1 38.5)')"
            " WHERE slug = '8500-years-in-one-day'"
        )
    for z in GENERALIZED_ZOOMS:
        same, distance, kept, _ = column_values(z)["8500-years-in-one-day"]
        assert (same, distance, kept) == (True, 0, 2)


@pytest.mark.parametrize("z", range(0, 23))
def test_a_tile_reads_the_path_of_its_zoom(db, z):
    statement = tile_statement("tr", z).fill(z, 0, 0)
    detail = path_detail(z)
    if detail is None:
        assert z >= 14
        assert "path_z" not in statement
    else:
        assert detail == max(z, 6)
        assert f'"routes_route"."path_z{detail}"' in statement


@pytest.mark.parametrize("z", sorted(KONAK))
def test_low_zoom_tiles_show_published_routes_and_no_draft(izmir, client, tmp_path, z):
    Route.objects.filter(slug="izmir-historical-waterways").update(status=Status.DRAFT)
    x, y = KONAK[z]

    listing = read_tile(tmp_path, client.get(f"/api/v1/tiles/{z}/{x}/{y}.mvt").content, z, x, y)

    assert "Layer name: routes" in listing
    assert "slug (String) = 8500-years-in-one-day" in listing
    assert "LINESTRING" in listing
    assert "izmir-historical-waterways" not in listing
