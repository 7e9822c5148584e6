"""Hostile input to the staff write API: each is a 4xx and writes nothing.

Row counts and history counts are compared before and after every request,
so a half-written site, route or stop (or a stray history row) fails.
"""

import json

import pytest

from api.concurrency import etag_for
from editorial.vocabularies import Status
from tests.api.v1.staff_client import client_for, route_body, send, written
from tests.factories import RouteFactory, RouteStopFactory, SiteFactory

SITES, ROUTES = "/api/v1/staff/sites", "/api/v1/staff/routes"
BOWTIE = [[[27.10, 38.40], [27.12, 38.42], [27.12, 38.40], [27.10, 38.42], [27.10, 38.40]]]
VALID_POINT = '{"type": "Point", "coordinates": [27.1287, 38.4189]}'
PROPS = '{"slug": "s", "name": {"tr": "Han"}, "kind": "han"}'


def raw_site(geometry: str = VALID_POINT, properties: str = PROPS, extra: str = "") -> str:
    return f'{{"type": "Feature", {extra}"geometry": {geometry}, "properties": {properties}}}'


def props(**extra) -> str:
    return json.dumps({**json.loads(PROPS), **extra})


def nested(depth: int) -> str:
    return raw_site(properties=f'{{"slug": "s", "name": {"[" * depth}{"]" * depth}}}')


@pytest.fixture
def editor(db):
    return client_for("editor")


def post_raw(client, url, raw):
    return send(client, "post", url, raw=raw)


# (case, request body text, status, member the error names, words in the message).
# Parse errors (member None) name no member: the body is not JSON we accept.
SITE_CASES = [
    ("bare NaN", raw_site('{"type": "Point", "coordinates": [NaN, 38.4]}'), 400, None, "NaN"),
    ("Infinity", raw_site('{"type": "Point", "coordinates": [Infinity, 38.4]}'), 400, None, "Infinity"),
    ("1e309", raw_site('{"type": "Point", "coordinates": [1e309, 38.4]}'), 400, None, "not finite"),
    ("3D point", raw_site('{"type": "Point", "coordinates": [27.1, 38.4, 12.0]}'), 400, "geometry", "2D"),
    (
        "line as a location",
        raw_site('{"type": "LineString", "coordinates": [[27.1, 38.4], [27.2, 38.4]]}'),
        400,
        "geometry",
        "Expected Point",
    ),
    (
        "bow-tie shape",
        raw_site(properties=props(shape={"type": "Polygon", "coordinates": BOWTIE})),
        400,
        "properties.shape",
        "Self-intersection",
    ),
    (
        "unclosed ring",
        raw_site(
            properties=json.dumps(
                {
                    **json.loads(PROPS),
                    "shape": {"type": "Polygon", "coordinates": [[*BOWTIE[0][:-1], [27.1, 38.41]]]},
                }
            )
        ),
        400,
        "properties.shape",
        "closed",
    ),
    (
        "crs EPSG:3857",
        raw_site(extra='"crs": {"type": "name", "properties": {"name": "EPSG:3857"}}, '),
        400,
        "crs",
        "WGS84",
    ),
    (
        "crs inside the geometry",
        raw_site(
            '{"type": "Point", "coordinates": [3020000, 4640000],'
            ' "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}}}'
        ),
        400,
        "geometry",
        "WGS84",
    ),
    (
        "lon out of range",
        raw_site('{"type": "Point", "coordinates": [200, 38.4]}'),
        400,
        "geometry",
        "out of range",
    ),
    (
        "lat and lon swapped",
        raw_site('{"type": "Point", "coordinates": [38.4189, 27.1287]}'),
        400,
        "geometry",
        "look swapped",
    ),
    (
        "outside İzmir",
        raw_site('{"type": "Point", "coordinates": [28.97, 41.01]}'),
        400,
        "geometry",
        "service area",
    ),
    ("no geometry", raw_site("null"), 400, "geometry", "required"),
    ("not a Feature", '{"type": "FeatureCollection", "features": []}', 400, "type", "Feature"),
    ("a list body", "[1, 2]", 400, "body", "Feature"),
    ("nested 10,000 deep", nested(10_000), 400, None, "nested deeper"),
    ("nested 50 deep", nested(50), 400, None, "nested deeper"),
    (
        "10 MB string",
        raw_site(properties=json.dumps({"name": {"tr": "x" * 10_000_000}})),
        413,
        None,
        "larger",
    ),
    (
        "1 MB name",
        raw_site(properties=props(name={"tr": "x" * 1_000_000})),
        400,
        "properties.name",
        "longer than 200",
    ),
    (
        "unknown kind",
        raw_site(properties='{"slug": "s", "name": {"tr": "x"}, "kind": "ufo"}'),
        400,
        "properties.kind",
        "ufo",
    ),
    (
        "unknown period",
        raw_site(properties=props(periods=["jurassic"])),
        400,
        "properties.periods",
        "jurassic",
    ),
    (
        "start after end",
        raw_site(properties=props(start_year=1900, end_year=1800)),
        400,
        "properties.end_year",
        "after the end year",
    ),
    (
        "a year of 10^400",
        raw_site(properties=PROPS[:-1] + ', "start_year": 1' + "0" * 400 + "}"),
        400,
        "properties.start_year",
        "",
    ),
    (
        "unknown language",
        raw_site(properties='{"slug": "s", "name": {"fr": "Han"}, "kind": "han"}'),
        400,
        "properties.name",
        "fr",
    ),
    (
        "bad accessibility value",
        raw_site(properties=props(accessibility={"step_free_access": "yes"})),
        400,
        "properties.accessibility",
        "true, false or null",
    ),
    (
        "bad accessibility key",
        raw_site(properties=props(accessibility={"lift": True})),
        400,
        "properties.accessibility",
        "lift",
    ),
    ("bad wikidata id", raw_site(properties=props(wikidata="Douglas")), 400, "properties.wikidata", "Q123"),
    (
        "status set through properties",
        raw_site(properties=props(status="published")),
        400,
        "properties.status",
        "Read-only",
    ),
    (
        "authorship set through properties",
        raw_site(properties=props(created_by=1)),
        400,
        "properties.created_by",
        "Read-only",
    ),
    (
        "timestamps set through properties",
        raw_site(properties=props(updated_at="2000-01-01T00:00:00Z")),
        400,
        "properties.updated_at",
        "Read-only",
    ),
    (
        "an unknown property",
        raw_site(properties=props(colour="red")),
        400,
        "properties.colour",
        "Unknown property",
    ),
]


@pytest.mark.parametrize(
    ("raw", "status", "member", "words"),
    [case[1:] for case in SITE_CASES],
    ids=[case[0] for case in SITE_CASES],
)
def test_hostile_site_bodies_get_a_4xx_naming_the_member_and_write_nothing(
    editor, raw, status, member, words
):
    before = written()

    response = post_raw(editor, SITES, raw)

    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    if member:
        assert problem["errors"][0]["field"] == member
    assert words in (problem["errors"][0]["message"] if member else problem["detail"])
    assert written() == before


def test_a_duplicate_slug_is_a_400_naming_the_slug_and_writes_nothing(editor):
    SiteFactory(slug="s")
    before = written()

    response = post_raw(editor, SITES, raw_site())

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "properties.slug"
    assert written() == before


def test_a_body_that_is_not_json_is_a_415(editor):
    response = editor.post(SITES, data="name=x", content_type="application/x-www-form-urlencoded")

    assert response.status_code == 415


def test_a_declared_content_length_over_the_limit_is_a_413_before_reading(editor):
    response = editor.post(SITES, data="{}", content_type="application/json", CONTENT_LENGTH="99999999")

    assert response.status_code == 413


def test_a_hostile_patch_to_an_existing_site_changes_nothing(editor):
    site = SiteFactory(status=Status.DRAFT, district="Konak")
    before = written()

    response = send(
        editor,
        "patch",
        f"{SITES}/{site.slug}",
        raw=raw_site('{"type": "Point", "coordinates": [27.1, 38.4, 5]}', '{"district": "Alsancak"}'),
        HTTP_IF_MATCH=etag_for(site),
    )

    assert response.status_code == 400
    site.refresh_from_db()
    assert site.district == "Konak"
    assert written() == before


def test_the_slug_cannot_change_after_creation(editor):
    site = SiteFactory(status=Status.DRAFT)

    response = send(
        editor,
        "patch",
        f"{SITES}/{site.slug}",
        {"type": "Feature", "properties": {"slug": "other"}},
        HTTP_IF_MATCH=etag_for(site),
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "properties.slug"


ROUTE_CASES = [
    (
        "a point as a path",
        {"type": "Point", "coordinates": [27.1, 38.4]},
        {},
        "geometry",
        "Expected LineString",
    ),
    ("one position", {"type": "LineString", "coordinates": [[27.1, 38.4]]}, {}, "geometry", "at least 2"),
    (
        "3D line",
        {"type": "LineString", "coordinates": [[27.1, 38.4, 1], [27.2, 38.4, 1]]},
        {},
        "geometry",
        "2D",
    ),
    ("length_m set", None, {"length_m": 1}, "properties.length_m", "Read-only"),
    ("unknown mode", None, {"modes": ["rocket"]}, "properties.modes", "rocket"),
    ("unknown theme", None, {"theme": "ufo"}, "properties.theme", "ufo"),
]


@pytest.mark.parametrize(
    ("geometry", "properties", "member", "words"),
    [case[1:] for case in ROUTE_CASES],
    ids=[case[0] for case in ROUTE_CASES],
)
def test_hostile_route_bodies_get_a_400_naming_the_member_and_write_nothing(
    editor, geometry, properties, member, words
):
    before = written()

    response = send(editor, "post", ROUTES, route_body(geometry=geometry, **properties))

    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["field"].startswith(member)  # properties.modes.0 names the item
    assert words in error["message"]
    assert written() == before


STOP_CASES = [
    ("radius too small", {"trigger_radius_m": 4}, "properties.trigger_radius_m"),
    ("radius too large", {"trigger_radius_m": 1001}, "properties.trigger_radius_m"),
    ("unknown site", {"site": "nowhere"}, "properties.site"),
    ("duplicate stop site", {"site": "already-there"}, "properties.site"),
    ("order past the end", {"order": 9}, "properties.order"),
]


@pytest.mark.parametrize(
    ("properties", "member"), [c[1:] for c in STOP_CASES], ids=[c[0] for c in STOP_CASES]
)
def test_hostile_stop_bodies_get_a_400_naming_the_member_and_write_nothing(editor, properties, member):
    route = RouteFactory(status=Status.DRAFT)
    RouteStopFactory(route=route, site=SiteFactory(slug="already-there"), order=1)
    SiteFactory(slug="new-stop")
    before = written()

    response = send(
        editor,
        "post",
        f"{ROUTES}/{route.slug}/stops",
        {"type": "Feature", "geometry": None, "properties": {"site": "new-stop", **properties}},
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == member
    assert written() == before


def test_a_stop_with_a_geometry_of_its_own_is_refused(editor):
    route = RouteFactory(status=Status.DRAFT)
    SiteFactory(slug="new-stop")
    before = written()

    response = send(
        editor,
        "post",
        f"{ROUTES}/{route.slug}/stops",
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [27.1, 38.4]},
            "properties": {"site": "new-stop"},
        },
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "geometry"
    assert written() == before
