"""Issue 9's remaining hostile writes: text PostgreSQL cannot store, a slug
that is an API word, geometries with too many vertices, If-Match: *, and a
Content-Length in non-ASCII digits. Each is a 4xx naming what is wrong, and
nothing is written."""

import json

import pytest

from api.concurrency import etag_for
from editorial.vocabularies import Status
from tests.api.v1.staff_client import client_for, route_body, send, site_body, written
from tests.factories import KONAK, RouteFactory, RouteStopFactory, SiteFactory

SITES, ROUTES = "/api/v1/staff/sites", "/api/v1/staff/routes"
# Raw JSON escapes: json.dumps would not write a lone surrogate or NUL this way.
NUL, SURROGATE = "\\u0000", "\\ud800"


@pytest.fixture
def editor(db):
    return client_for("editor")


def raw_site(properties: str) -> str:
    point = f'{{"type": "Point", "coordinates": [{KONAK[0]}, {KONAK[1]}]}}'
    return f'{{"type": "Feature", "geometry": {point}, "properties": {properties}}}'


@pytest.mark.parametrize("bad", [NUL, SURROGATE])
@pytest.mark.parametrize(
    ("properties", "member"),
    [
        ('{{"slug": "s", "name": {{"tr": "Han{bad}"}}, "kind": "han"}}', "properties.name.tr"),
        ('{{"slug": "s", "name": {{"tr": "Han"}}, "kind": "han", "description": {{"en": "{bad}"}}}}',
         "properties.description.en"),
        ('{{"slug": "s", "name": {{"tr": "Han"}}, "kind": "han", "accessibility": {{"notes": "a{bad}"}}}}',
         "properties.accessibility.notes"),
        (
            '{{"slug": "s", "name": {{"tr": "Han"}}, "kind": "han", "district": "K{bad}"}}',
            "properties.district",
        ),
    ],
)
def test_nul_and_lone_surrogates_in_any_text_are_a_400_naming_it(editor, bad, properties, member):
    before = written()

    response = send(editor, "post", SITES, raw=raw_site(properties.format(bad=bad)))

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"] == member
    assert written() == before


@pytest.mark.parametrize("bad", [NUL, SURROGATE])
def test_route_summary_and_stop_narrative_refuse_unsafe_text_too(editor, bad):
    route = RouteFactory(status=Status.DRAFT)
    stop = RouteStopFactory(route=route, order=1)
    before = written()
    body = route_body()
    raw_route = (
        '{"type": "Feature", "geometry": ' + json.dumps(body["geometry"])
        + ', "properties": {"slug": "r2", "name": {"tr": "R"}, "summary": {"en": "x' + bad + '"}}}'
    )
    stop_url = f"{ROUTES}/{route.slug}/stops/{stop.site.slug}"
    raw_stop = '{"type": "Feature", "geometry": null, "properties": {"narrative": {"tr": "' + bad + '"}}}'

    created = send(editor, "post", ROUTES, raw=raw_route)
    patched = send(editor, "patch", stop_url, raw=raw_stop, headers={"If-Match": etag_for(stop)})

    assert (created.status_code, patched.status_code) == (400, 400)
    assert created.json()["errors"][0]["field"] == "properties.summary.en"
    assert patched.json()["errors"][0]["field"] == "properties.narrative.tr"
    assert written() == before


def test_the_model_validators_refuse_unsafe_text_for_the_admin_and_imports(db):
    from django.core.exceptions import ValidationError

    site = SiteFactory.build(name={"tr": "Han\x00"})

    with pytest.raises(ValidationError) as refused:
        site.full_clean()

    assert "name" in refused.value.message_dict


def test_a_site_slug_that_is_an_api_word_is_refused(editor):
    before = written()

    response = send(editor, "post", SITES, site_body(slug="nearby"))

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "properties.slug"
    assert written() == before


def test_a_route_path_over_the_vertex_cap_is_refused_and_says_the_cap(editor):
    line = [[KONAK[0] + i * 1e-6, KONAK[1] + (i % 2) * 1e-6] for i in range(10_001)]
    before = written()

    response = send(editor, "post", ROUTES, route_body(geometry={"type": "LineString", "coordinates": line}))

    assert response.status_code == 400
    assert "at most 10,000" in response.json()["detail"]
    assert written() == before


def test_if_match_star_is_a_428_and_writes_nothing(editor):
    site = SiteFactory(status=Status.DRAFT)
    before = written()

    body = {"type": "Feature", "properties": {"district": "X"}}

    response = send(editor, "patch", f"{SITES}/{site.slug}", body, headers={"If-Match": "*"})

    assert response.status_code == 428
    assert "If-Match: *" in response.json()["detail"]
    assert written() == before


def test_a_content_length_in_non_ascii_digits_is_not_a_500(editor):
    response = send(editor, "post", SITES, site_body(), CONTENT_LENGTH="²")

    assert response.status_code < 500
