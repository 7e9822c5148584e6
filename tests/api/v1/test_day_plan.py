"""GET /api/v1/routes/{slug}/plan: arrival and departure per stop, moving time
by the route's mode plus dwell, opening hours (OSM syntax) evaluated at
arrival in Europe/Istanbul."""

import pytest
from django.contrib.gis.geos import Point

from editorial.vocabularies import Status
from routes.models import Mode
from tests.factories import KONAK, RouteFactory, RouteStopFactory, SiteFactory

MONDAY = "2026-12-07T09:00"
TUESDAY = "2026-12-08T09:00"


@pytest.fixture
def walk(db):
    """A 1.1 km walk east from Konak: an unknown-hours stop at the start, a
    museum closed on Mondays at the end."""
    route = RouteFactory(slug="museum-walk", modes=[Mode.WALK])
    start = SiteFactory(slug="square", location=Point(*KONAK, srid=4326), opening_hours="")
    museum = SiteFactory(
        slug="museum",
        location=Point(KONAK[0] + 0.0127, KONAK[1], srid=4326),
        opening_hours="Tu-Su 09:00-17:00",
        name={"en": "Museum", "de": "Museum", "tr": "Müze"},
    )
    RouteStopFactory(route=route, site=start, order=1, dwell_min=20)
    RouteStopFactory(route=route, site=museum, order=2, dwell_min=60)
    return route


def plan(client, start, **params):
    response = client.get("/api/v1/routes/museum-walk/plan", {"start": start, **params})
    assert response.status_code == 200, response.content
    return response.json()


def test_a_monday_plan_warns_that_the_museum_is_closed_at_arrival(walk, client):
    body = plan(client, MONDAY, lang="en")

    square, museum = body["stops"]
    assert body["timezone"] == "Europe/Istanbul"
    assert square["arrive"] == "2026-12-07T09:00+03:00"
    assert square["depart"] == "2026-12-07T09:20+03:00"
    assert square["warning"] == "hours_unknown"
    assert square["open_at_arrival"] is None
    # ~1.1 km on foot at 4.5 km/h: about 15 minutes after leaving the square.
    assert "2026-12-07T09:34+03:00" <= museum["arrive"] <= "2026-12-07T09:36+03:00"
    assert museum["warning"] == "closed_at_arrival"
    assert museum["open_at_arrival"] is False
    assert museum["name"] == "Museum"
    assert body["end"] == museum["depart"]
    assert body["attribution"]


def test_on_a_tuesday_the_museum_is_open(walk, client):
    museum = plan(client, TUESDAY)["stops"][1]
    assert museum["open_at_arrival"] is True
    assert museum["warning"] is None


def test_a_start_with_an_offset_is_converted_to_istanbul_time(walk, client):
    body = plan(client, "2026-12-08T06:00+00:00")
    assert body["start"] == "2026-12-08T09:00+03:00"


def test_public_holidays_count(walk, client):
    from sites.models import Site

    Site.objects.filter(slug="museum").update(opening_hours="Tu-Su 09:00-17:00; PH off")
    # 29 October is Republic Day (a Thursday in 2026).
    assert plan(client, "2026-10-29T09:00")["stops"][1]["warning"] == "closed_at_arrival"


def test_unparsable_hours_are_unknown_not_an_error(walk, client):
    from sites.models import Site

    Site.objects.filter(slug="museum").update(opening_hours="ask at the door!")
    assert plan(client, TUESDAY)["stops"][1]["warning"] == "hours_unknown"


@pytest.mark.parametrize("start", [None, "", "tomorrow", "2026-13-01T09:00", "1500-01-01T09:00", "\x00"])
def test_a_missing_or_bad_start_is_a_400_naming_it(walk, client, start):
    query = {} if start is None else {"start": start}
    response = client.get("/api/v1/routes/museum-walk/plan", query)

    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert [error["parameter"] for error in response.json()["errors"]] == ["start"]


def test_an_unpublished_or_unknown_route_is_a_404(walk, client):
    walk.status = Status.REVIEW
    walk.save()
    assert client.get("/api/v1/routes/museum-walk/plan", {"start": MONDAY}).status_code == 404
    assert client.get("/api/v1/routes/nope/plan", {"start": MONDAY}).status_code == 404


def test_the_plan_is_in_the_openapi_document(db, client):
    schema = client.get("/api/v1/schema", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/routes/{slug}/plan"]["get"]
    assert {"start", "lang"} <= {parameter["name"] for parameter in operation["parameters"]}
