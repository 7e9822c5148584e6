"""The staff site endpoints: create, read, edit, archive, status moves."""

import json

import pytest
from django.contrib.gis.geos import Point

from api.concurrency import etag_for
from editorial.vocabularies import Status
from sites.models import Site
from sites.services import period_vocabulary_sync
from tests.api.v1.staff_client import client_for, send, site_body, written
from tests.factories import SiteFactory

LIST = "/api/v1/staff/sites"


def detail(slug: str) -> str:
    return f"{LIST}/{slug}"


@pytest.fixture
def editor(db):
    period_vocabulary_sync()  # a transactional test elsewhere may have flushed them
    return client_for("editor")


@pytest.fixture
def reviewer(db):
    return client_for("reviewer")


def test_an_editor_creates_a_draft_site_from_a_geojson_feature(editor):
    body = site_body(
        description={"en": "A han."}, periods=["ottoman"], start_year=1744, end_year=1745, district="Konak"
    )

    response = send(editor, "post", LIST, body)

    assert response.status_code == 201
    assert response["Content-Type"] == "application/geo+json"
    assert response["Location"] == detail("kemeralti-han")
    assert response["ETag"].startswith('"')
    feature = response.json()
    assert feature["type"] == "Feature"
    assert feature["geometry"] == {"type": "Point", "coordinates": [27.1287, 38.4189]}
    assert feature["properties"]["status"] == "draft"
    assert feature["properties"]["periods"] == ["ottoman"]
    assert feature["properties"]["created_by"] == editor.user.username
    site = Site.objects.get(slug="kemeralti-han")
    assert (site.status, site.created_by, site.updated_by) == (Status.DRAFT, editor.user, editor.user)


def test_the_history_records_the_token_user_as_the_author_of_each_change(editor):
    created = send(editor, "post", LIST, site_body())

    send(
        editor,
        "patch",
        detail("kemeralti-han"),
        {"type": "Feature", "properties": {"district": "Konak"}},
        HTTP_IF_MATCH=created["ETag"],
    )

    history = Site.objects.get(slug="kemeralti-han").history.order_by("history_id")
    assert [(h.history_type, h.history_user) for h in history] == [("+", editor.user), ("~", editor.user)]
    assert history.last().diff_against(history.first()).changed_fields == ["district"]


def test_a_site_reads_back_with_the_etag_it_was_written_with(editor):
    created = send(editor, "post", LIST, site_body())

    read = editor.get(detail("kemeralti-han"))

    assert read.status_code == 200
    assert read["ETag"] == created["ETag"]
    assert read.json() == created.json()


def test_the_staff_list_includes_drafts_in_three_queries(editor, django_assert_num_queries):
    SiteFactory.create_batch(3, status=Status.DRAFT)
    SiteFactory(status=Status.PUBLISHED)

    with django_assert_num_queries(5):  # token+user, groups, sites page, periods, count
        response = editor.get(LIST, {"status": "draft"})

    assert response.status_code == 200
    collection = response.json()
    assert collection["numberMatched"] == 3
    assert {f["properties"]["status"] for f in collection["features"]} == {"draft"}


def test_the_staff_detail_takes_four_queries(editor, django_assert_num_queries):
    site = SiteFactory(status=Status.DRAFT)

    with django_assert_num_queries(4):  # token+user, groups, site with authors, periods
        response = editor.get(detail(site.slug))

    assert response.status_code == 200


def test_an_unknown_status_filter_is_a_400_naming_the_parameter(editor):
    response = editor.get(LIST, {"status": "secret"})

    assert response.status_code == 400
    assert response.json()["errors"][0]["parameter"] == "status"


def test_a_patch_changes_only_the_given_properties_and_the_geometry(editor):
    site = SiteFactory(status=Status.DRAFT, district="Konak", created_by=editor.user)
    body = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [27.14, 38.42]},
        "properties": {"name": {"tr": "Yeni ad"}},
    }

    response = send(editor, "patch", detail(site.slug), body, HTTP_IF_MATCH=etag_for(site))

    assert response.status_code == 200
    site.refresh_from_db()
    assert site.name == {"tr": "Yeni ad"}
    assert site.district == "Konak"
    assert site.location.coords == (27.14, 38.42)


def test_a_patch_with_a_stale_if_match_is_412_and_changes_nothing(editor):
    site = SiteFactory(status=Status.DRAFT)
    stale = etag_for(site)
    Site.objects.filter(pk=site.pk).update(district="changed by someone else")
    before = written()

    response = send(
        editor,
        "patch",
        detail(site.slug),
        {"type": "Feature", "properties": {"district": "mine"}},
        HTTP_IF_MATCH=stale,
    )

    assert response.status_code == 412
    assert response["Content-Type"] == "application/problem+json"
    assert Site.objects.get(pk=site.pk).district == "changed by someone else"
    assert written() == before


def test_a_patch_without_if_match_is_428_and_changes_nothing(editor):
    site = SiteFactory(status=Status.DRAFT, district="Konak")
    before = written()

    response = send(editor, "patch", detail(site.slug), {"type": "Feature", "properties": {"district": "x"}})

    assert response.status_code == 428
    assert Site.objects.get(pk=site.pk).district == "Konak"
    assert written() == before


def test_a_weak_etag_from_a_gzipped_response_still_matches(editor):
    site = SiteFactory(status=Status.DRAFT)

    response = send(
        editor,
        "patch",
        detail(site.slug),
        {"type": "Feature", "properties": {"district": "x"}},
        HTTP_IF_MATCH=f"W/{etag_for(site)}",
    )

    assert response.status_code == 200


def test_a_status_move_sends_a_draft_to_review_with_if_match(editor):
    site = SiteFactory(status=Status.DRAFT)

    response = send(
        editor, "post", f"{detail(site.slug)}/status", {"status": "review"}, HTTP_IF_MATCH=etag_for(site)
    )

    assert response.status_code == 200
    assert response.json()["properties"]["status"] == "review"
    assert Site.objects.get(pk=site.pk).history.first().history_user == editor.user


def test_a_status_move_to_an_unknown_status_is_a_400_naming_status(reviewer):
    site = SiteFactory(status=Status.DRAFT)

    response = send(
        reviewer, "post", f"{detail(site.slug)}/status", {"status": "gone"}, HTTP_IF_MATCH=etag_for(site)
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "status"


def test_delete_archives_the_site_and_keeps_the_row(reviewer):
    site = SiteFactory(status=Status.PUBLISHED)

    response = reviewer.delete(detail(site.slug), HTTP_IF_MATCH=etag_for(site))

    assert response.status_code == 200
    assert response.json()["properties"]["status"] == "archived"
    assert Site.objects.get(pk=site.pk).status == Status.ARCHIVED


def test_html_in_a_name_is_stored_verbatim_and_returned_byte_identical_as_json(editor):
    html = '<script>alert("x")</script><img src=x onerror=alert(1)> & "quotes"'

    created = send(editor, "post", LIST, site_body(name={"tr": html}))
    read = editor.get(detail("kemeralti-han"))

    assert created.status_code == 201
    assert Site.objects.get(slug="kemeralti-han").name == {"tr": html}
    assert read["Content-Type"] == "application/geo+json"
    assert read.json()["properties"]["name"]["tr"] == html
    assert json.dumps(html).encode() in read.content  # JSON string escaping, nothing else


def test_a_site_location_can_be_moved_by_a_reviewer_on_a_published_site(reviewer):
    site = SiteFactory(status=Status.PUBLISHED, location=Point(27.13, 38.42, srid=4326))

    response = send(
        reviewer,
        "patch",
        detail(site.slug),
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [27.131, 38.421]}},
        HTTP_IF_MATCH=etag_for(site),
    )

    assert response.status_code == 200
    assert response.json()["geometry"]["coordinates"] == [27.131, 38.421]


def test_an_unknown_slug_is_404_as_problem_json(editor):
    response = editor.get(detail("nowhere"))

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_a_body_sent_as_application_geo_json_is_accepted(editor):
    response = editor.post(LIST, data=json.dumps(site_body()), content_type="application/geo+json")

    assert response.status_code == 201


def test_a_patch_that_changes_nothing_keeps_the_etag_and_the_history(editor):
    site = SiteFactory(status=Status.DRAFT, district="Konak")
    etag, rows = etag_for(site), site.history.count()

    response = send(
        editor,
        "patch",
        detail(site.slug),
        {"type": "Feature", "properties": {"district": "Konak"}},
        HTTP_IF_MATCH=etag,
    )

    assert response.status_code == 200
    assert response["ETag"] == etag
    assert site.history.count() == rows


def test_a_session_write_without_a_csrf_token_is_refused(db):
    from rest_framework.test import APIClient

    from tests.factories import UserFactory

    browser = APIClient(enforce_csrf_checks=True)
    browser.force_login(UserFactory(role="editor"))
    before = written()

    response = send(browser, "post", LIST, site_body())

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert written() == before


@pytest.mark.parametrize(
    ("if_match", "expected"),
    [
        ('"0000", {etag}', 200),  # any listed tag may match (RFC 9110 §13.1.1)
        ("*", 428),  # "whatever is there now" is the lost update If-Match prevents
        ('"0000", "1111"', 412),
        ("{etag_unquoted}", 412),  # entity tags are quoted strings
    ],
)
def test_if_match_lists_and_the_wildcard(editor, if_match, expected):
    site = SiteFactory(status=Status.DRAFT)
    etag = etag_for(site)
    header = if_match.format(etag=etag, etag_unquoted=etag.strip('"'))

    response = send(
        editor,
        "patch",
        detail(site.slug),
        {"type": "Feature", "properties": {"district": "x"}},
        HTTP_IF_MATCH=header,
    )

    assert response.status_code == expected
