"""A reproducible synthetic data set for benchmarks, generated in SQL.

100,000 sites scattered around İzmir (denser towards Konak) and 1,000 routes
of 200–2,000 vertices (seeded random walks of 10–40 m steps), each with up to
12 stops at the published site nearest to evenly spaced vertices. Everything
is INSERT … SELECT over generate_series after setseed(), so the same seed
gives the same rows and 100k sites take seconds, not minutes.

Rows are marked by the `syn-` slug prefix; a rerun replaces them. Only for a
benchmark database (PGDATABASE=heritage_bench): it bypasses services, history
and validation on purpose.
"""

from dataclasses import dataclass

from django.db import connection, transaction

from editorial.vocabularies import PERIODS, Kind
from sites.kept_features import keep_site_features

PREFIX = "syn-"
CENTRE = (27.14, 38.42)
KINDS = [kind.value for kind in Kind]
PERIOD_CODES = [code for code, *_rest in PERIODS]


@dataclass(frozen=True)
class SyntheticReport:
    sites: int
    routes: int
    stops: int
    max_vertices: int


def _array(values: list[str]) -> str:
    return "ARRAY[" + ",".join(f"'{v}'" for v in values) + "]::text[]"


SYN_ROUTES = f"SELECT id FROM routes_route WHERE slug LIKE '{PREFIX}%'"
SYN_SITES = f"SELECT id FROM sites_site WHERE slug LIKE '{PREFIX}%'"
CLEAR = [
    f"DELETE FROM routes_routestop WHERE route_id IN ({SYN_ROUTES}) OR site_id IN ({SYN_SITES})",
    f"DELETE FROM routes_route WHERE id IN ({SYN_ROUTES})",
    f"DELETE FROM sites_site_periods WHERE site_id IN ({SYN_SITES})",
    f"DELETE FROM sites_site WHERE id IN ({SYN_SITES})",
]

# Points: a centre plus a radius that squares a uniform draw (denser in the
# middle, like a city), up to ~0.45° (≈ 40–50 km) away.
SITES = f"""
INSERT INTO sites_site (slug, name, description, kind, start_year, end_year, location, geometry_quality,
    confidence, district, address, opening_hours, accessibility, wikidata, pleiades, osm, sources, license,
    attribution, status, search_text, created_at, updated_at)
SELECT '{PREFIX}site-' || i,
       jsonb_build_object('tr', 'Yer ' || i, 'en', 'Site ' || i),
       jsonb_build_object('en', 'Synthetic site ' || i),
       ({_array(KINDS)})[1 + floor(random() * {len(KINDS)})::int],
       -3000 + floor(random() * 4900)::int, NULL,
       ST_SetSRID(ST_MakePoint({CENTRE[0]} + r * cos(a) * 1.27, {CENTRE[1]} + r * sin(a)), 4326)::geography,
       'traced', 'medium', '', '', '', '{{}}'::jsonb, '', '', '', '[]'::jsonb, 'CC-BY-4.0', 'synthetic',
       CASE WHEN random() < 0.9 THEN 'published' ELSE 'draft' END,
       'yer ' || i || ' | site ' || i, now(), now()
FROM (SELECT i, 0.45 * random() * random() AS r, 2 * pi() * random() AS a
      FROM generate_series(1, %(sites)s) AS i) AS draw
"""

SITE_PERIODS = f"""
INSERT INTO sites_site_periods (site_id, period_id)
SELECT DISTINCT id, ({_array(PERIOD_CODES)})[1 + floor(random() * {len(PERIOD_CODES)})::int]
FROM sites_site, generate_series(1, 2)
WHERE slug LIKE '{PREFIX}%'
"""

# Random walks: per route a start, a vertex count and a heading that drifts;
# coordinates are cumulative sums of the steps (window functions).
ROUTES = f"""
INSERT INTO routes_route (slug, name, summary, description, theme, modes, status, path, path_quality,
    duration_min, license, attribution, created_at, updated_at)
SELECT '{PREFIX}route-' || r,
       jsonb_build_object('tr', 'Rota ' || r, 'en', 'Route ' || r), '{{}}'::jsonb, '{{}}'::jsonb,
       'history', ARRAY['walk']::varchar[],
       CASE WHEN mod(r, 20) = 0 THEN 'draft' ELSE 'published' END,
       ST_MakeLine(array_agg(ST_MakePoint(x, y) ORDER BY k))::geography, 'schematic', NULL, 'CC-BY-4.0',
       'synthetic', now(), now()
FROM (
    SELECT r, k,
           x0 + sum(step * cos(heading) / 87000.0) OVER w AS x,
           y0 + sum(step * sin(heading) / 111000.0) OVER w AS y
    FROM (
        SELECT r, k, x0, y0, 10 + 30 * random() AS step,
               h0 + sum(random() - 0.5) OVER (PARTITION BY r ORDER BY k) * 0.6 AS heading
        FROM (SELECT r, {CENTRE[0]} + (random() - 0.5) * 0.4 AS x0,
                     {CENTRE[1]} + (random() - 0.5) * 0.3 AS y0,
                     2 * pi() * random() AS h0, 200 + floor(random() * 1801)::int AS n
              FROM generate_series(1, %(routes)s) AS r) AS routes,
             LATERAL generate_series(1, n) AS k
    ) AS steps
    WINDOW w AS (PARTITION BY r ORDER BY k)
) AS vertices
GROUP BY r
"""

# Up to 12 stops per route: the published site nearest (KNN) to evenly spaced
# vertices, each site once per route, numbered along the route.
STOPS = f"""
INSERT INTO routes_routestop (route_id, site_id, "order", designation, dwell_min, trigger_radius_m, narrative)
SELECT route_id, site_id, row_number() OVER (PARTITION BY route_id ORDER BY min(n)), 'proposed', 15, 30,
       '{{}}'::jsonb
FROM (
    SELECT route.id AS route_id, nearest.id AS site_id, n
    FROM routes_route AS route,
         LATERAL generate_series(
             1, ST_NPoints(route.path::geometry), ST_NPoints(route.path::geometry) / 12
         ) AS n,
         LATERAL (SELECT site.id FROM sites_site AS site WHERE site.status = 'published'
                  ORDER BY site.location <-> ST_PointN(route.path::geometry, n)::geography LIMIT 1) AS nearest
    WHERE route.slug LIKE '{PREFIX}%'
) AS candidates
GROUP BY route_id, site_id
"""


ANALYZE = "ANALYZE sites_site; ANALYZE sites_site_periods; ANALYZE routes_route; ANALYZE routes_routestop"


@transaction.atomic
def generate(*, sites: int = 100_000, routes: int = 1_000, seed: int = 42) -> SyntheticReport:
    """Replace the synthetic rows with a fresh, seeded set; return counts."""
    with connection.cursor() as cursor:
        for statement in CLEAR:
            cursor.execute(statement)
        # setseed takes -1..1; the same seed draws the same rows.
        cursor.execute("SELECT setseed(%s)", [(seed % 2000) / 1000.0 - 1])
        cursor.execute(SITES, {"sites": sites})
        cursor.execute(SITE_PERIODS)
        cursor.execute(ROUTES, {"routes": routes})
        # Fresh statistics before the KNN joins below, or the planner, still
        # believing the tables empty, sorts all sites for every stop.
        cursor.execute(ANALYZE)
        cursor.execute(STOPS)
        cursor.execute(
            f"SELECT (SELECT count(*) FROM sites_site WHERE slug LIKE '{PREFIX}%'),"
            f" (SELECT count(*) FROM routes_route WHERE slug LIKE '{PREFIX}%'),"
            f" (SELECT count(*) FROM routes_routestop s JOIN routes_route r ON r.id = s.route_id"
            f"  WHERE r.slug LIKE '{PREFIX}%'),"
            f" (SELECT max(ST_NPoints(path::geometry)) FROM routes_route WHERE slug LIKE '{PREFIX}%')"
        )
        counts = cursor.fetchone()
    # Written in SQL, so no ORM signal builds their OGC feature texts.
    keep_site_features()
    with connection.cursor() as cursor:
        cursor.execute(f"{ANALYZE}; ANALYZE sites_site_kept_feature")
    return SyntheticReport(*counts)
