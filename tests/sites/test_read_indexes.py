"""The public read paths use their indexes (EXPLAIN on 20,000 rows, not timings)."""

import pytest
from django.contrib.gis.geos import Polygon
from django.db import connection

from editorial.translations import fold
from sites.selectors import site_list_queryset
from tests.factories import SiteFactory


@pytest.fixture
def many_sites(db):
    SiteFactory(slug="han", name={"tr": "Kızlarağası Hanı"})
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO sites_site (slug, name, description, kind, location, geometry_quality, confidence,
                district, address, opening_hours, accessibility, wikidata, pleiades, osm, sources,
                license, attribution, status, search_text, created_at, updated_at)
            SELECT 'bulk-' || n, jsonb_build_object('tr', 'Yer ' || n), '{}', 'monument',
                ST_SetSRID(ST_MakePoint(26.5 + (n % 100) * 0.015, 38.0 + (n / 100) * 0.005), 4326)::geography,
                'traced', 'medium', '', '', '', '{}', '', '', '', '[]', 'CC-BY-4.0', '',
                CASE WHEN n % 10 = 0 THEN 'draft' ELSE 'published' END, 'yer ' || n, now(), now()
            FROM generate_series(1, 20000) AS n
            """
        )
        # A bulk insert leaves the trigram index's new entries in GIN's pending
        # list, which the planner prices as a scan: flush it, as autovacuum
        # would, so the plan does not depend on autovacuum's timing.
        cursor.execute("SELECT gin_clean_pending_list('site_search_text_trgm')")
        cursor.execute("ANALYZE sites_site")


def plan_of(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        # Rule out the sequential scan, whose cost on a small table the planner
        # may judge close: the question is which index serves the filter.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_name_search_uses_the_trigram_index(many_sites):
    plan = plan_of(site_list_queryset(q=fold("Kızlarağası")))

    assert "site_search_text_trgm" in plan


def test_a_small_bbox_uses_the_published_geometry_index(many_sites):
    plan = plan_of(site_list_queryset(bbox=Polygon.from_bbox((27.0, 38.3, 27.05, 38.35))))

    assert "site_published_location_geom" in plan


def test_the_tile_routes_layer_uses_the_published_path_geometry_index(db):
    from routes.selectors_tiles import route_tile_layer
    from tests.factories import RouteFactory

    RouteFactory.create_batch(3)

    plan = plan_of(route_tile_layer(z=14, x=9426, y=6295, language="tr"))

    assert "route_published_path_geom" in plan


def test_a_low_zoom_tile_reads_the_cluster_cells_by_their_key(many_sites):
    from sites.selectors_tiles import site_tile_layer

    plan = plan_of(site_tile_layer(z=10, x=589, y=393, language="tr"))

    assert "sites_site_tile_cell_pkey" in plan
