"""The staff admin: map editor, workflow actions, archiving delete, search,
filters, change-list map, history with revert, photo uploads, route stops."""

import html
import json
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.contrib.gis.geos import Point
from django.contrib.messages import get_messages

from editorial import workflow
from editorial.vocabularies import Kind, Status
from routes.models import Route, RouteStop
from sites.models import Photo, Site
from tests.factories import (
    PhotoFactory,
    RouteFactory,
    RouteStopFactory,
    SiteFactory,
    image_bytes,
    uploaded,
)

KONAK = (27.1287, 38.4189)


def staff(username: str, group: str | None = None, **extra) -> User:
    user = User.objects.create_user(username, password="pw", is_staff=True, **extra)
    if group:
        user.groups.add(Group.objects.get_or_create(name=group)[0])
    return user


@pytest.fixture
def editor(db):
    return staff("editor", workflow.EDITOR_GROUP)


@pytest.fixture
def reviewer(db):
    return staff("reviewer", workflow.REVIEWER_GROUP)


@pytest.fixture
def superuser(db):
    return staff("root", is_superuser=True)


def as_user(client, user):
    client.force_login(user)
    return client


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def site_form(**overrides) -> dict:
    data = {
        "name_tr": "Yeni Çeşme",
        "name_en": "New Fountain",
        "name_de": "",
        "slug": "yeni-cesme",
        "kind": Kind.FOUNTAIN,
        "location": json.dumps({"type": "Point", "coordinates": [27.13, 38.42]}),
        "shape": "",
        "geometry_quality": "traced",
        "confidence": "medium",
        "district": "Konak",
        "address": "",
        "description_tr": "",
        "description_en": "",
        "description_de": "",
        "opening_hours": "",
        "accessibility": "{}",
        "sources": "[]",
        "wikidata": "",
        "pleiades": "",
        "osm": "",
        "license": "CC-BY-4.0",
        "attribution": "",
        "start_year": "",
        "end_year": "",
        "photos-TOTAL_FORMS": "0",
        "photos-INITIAL_FORMS": "0",
        "photos-MIN_NUM_FORMS": "0",
        "photos-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def site_change_form(site: Site, **overrides) -> dict:
    photos = list(site.photos.all())
    data = site_form(
        name_tr=site.name.get("tr", ""),
        name_en=site.name.get("en", ""),
        name_de=site.name.get("de", ""),
        slug=site.slug,
        kind=site.kind,
        location=site.location.geojson,
        district=site.district,
    )
    data["photos-TOTAL_FORMS"] = str(len(photos))
    data["photos-INITIAL_FORMS"] = str(len(photos))
    for index, photo in enumerate(photos):
        data.update(
            {
                f"photos-{index}-id": str(photo.pk),
                f"photos-{index}-site": str(site.pk),
                f"photos-{index}-caption_tr": photo.caption.get("tr", ""),
                f"photos-{index}-caption_en": photo.caption.get("en", ""),
                f"photos-{index}-caption_de": photo.caption.get("de", ""),
                f"photos-{index}-author": photo.author,
                f"photos-{index}-license": photo.license,
                f"photos-{index}-sort_order": str(photo.sort_order),
            }
        )
    data.update(overrides)
    return data


def png_claiming(width: int, height: int) -> bytes:
    """A PNG header claiming width × height pixels and no pixel data."""
    import struct
    import zlib

    body = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    ihdr = struct.pack(">I", len(body)) + b"IHDR" + body + struct.pack(">I", zlib.crc32(b"IHDR" + body))
    return b"\x89PNG\r\n\x1a\n" + ihdr


def files_in(root) -> list[Path]:
    return [p for p in Path(root).rglob("*") if p.is_file()] if Path(root).exists() else []


# --- plotting and the workflow ---------------------------------------------


def test_an_editor_plots_a_new_site_which_starts_as_a_draft(client, editor):
    response = as_user(client, editor).post("/admin/sites/site/add/", site_form())

    assert response.status_code == 302, response.content.decode()[:3000]
    site = Site.objects.get(slug="yeni-cesme")
    assert site.status == Status.DRAFT
    assert site.name == {"tr": "Yeni Çeşme", "en": "New Fountain"}
    assert site.location.coords == pytest.approx((27.13, 38.42))
    assert site.created_by == editor
    assert site.history.get().history_user == editor


def test_the_status_cannot_be_set_through_the_form(client, editor):
    as_user(client, editor).post("/admin/sites/site/add/", site_form(status="published"))

    assert Site.objects.get(slug="yeni-cesme").status == Status.DRAFT


def test_a_site_outside_izmir_is_refused_with_a_swapped_coordinates_hint(client, editor):
    swapped = json.dumps({"type": "Point", "coordinates": [38.42, 27.13]})

    response = as_user(client, editor).post("/admin/sites/site/add/", site_form(location=swapped))

    assert response.status_code == 200
    assert "look swapped" in response.content.decode()
    assert not Site.objects.exists()


def test_html_in_a_name_is_stored_as_text_and_escaped_on_every_admin_page(client, editor):
    site = SiteFactory(name={"tr": "<script>alert(1)</script>"}, status=Status.DRAFT)
    as_user(client, editor)

    pages = [
        client.get("/admin/sites/site/").content.decode(),
        client.get(f"/admin/sites/site/{site.pk}/change/").content.decode(),
        client.get(f"/admin/sites/site/{site.pk}/history/").content.decode(),
    ]
    layers = client.get("/admin/sites/site/layers.geojson")

    for page in pages:
        assert "<script>alert(1)</script>" not in page
    # In JSON it stays the text it is; the map script shows it with textContent.
    assert layers["Content-Type"] == "application/geo+json"
    assert layers.json()["features"][0]["properties"]["name"] == {"tr": "<script>alert(1)</script>"}


def test_editors_are_not_offered_publish_and_cannot_force_it(client, editor):
    site = SiteFactory(status=Status.REVIEW)
    as_user(client, editor)

    changelist = client.get("/admin/sites/site/")
    client.post("/admin/sites/site/", {"action": "publish", "_selected_action": [site.pk]})

    assert "publish" not in [
        value for value, _label in changelist.context["action_form"].fields["action"].choices
    ]
    site.refresh_from_db()
    assert site.status == Status.REVIEW


def test_an_editor_submits_a_draft_for_review(client, editor):
    site = SiteFactory(status=Status.DRAFT)

    response = as_user(client, editor).post(
        "/admin/sites/site/", {"action": "submit_for_review", "_selected_action": [site.pk]}
    )

    site.refresh_from_db()
    assert site.status == Status.REVIEW
    assert any("Submitted for review" in m for m in messages_of(response))
    assert site.history.first().history_user == editor


def test_a_reviewer_publishes_with_the_admin_action(client, reviewer):
    site = SiteFactory(status=Status.REVIEW)

    as_user(client, reviewer).post("/admin/sites/site/", {"action": "publish", "_selected_action": [site.pk]})

    site.refresh_from_db()
    assert site.status == Status.PUBLISHED
    assert site.updated_by == reviewer


def test_an_editor_can_only_view_a_published_site(client, editor):
    site = SiteFactory(status=Status.PUBLISHED, district="Konak")
    as_user(client, editor)

    page = client.get(f"/admin/sites/site/{site.pk}/change/")
    client.post(f"/admin/sites/site/{site.pk}/change/", site_change_form(site, district="Bornova"))

    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    site.refresh_from_db()
    assert site.district == "Konak"


def test_users_without_a_staff_group_cannot_open_the_site_admin(client, db):
    nobody = staff("nobody")

    response = as_user(client, nobody).get("/admin/sites/site/")

    assert response.status_code == 403


# --- deletion archives --------------------------------------------------------


def test_deleting_a_draft_archives_it(client, editor):
    site = SiteFactory(status=Status.DRAFT, created_by=editor)

    response = as_user(client, editor).post(f"/admin/sites/site/{site.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    site.refresh_from_db()
    assert site.status == Status.ARCHIVED
    assert any("archived" in m for m in messages_of(response))


def test_the_delete_page_says_it_archives(client, editor):
    site = SiteFactory(status=Status.DRAFT, created_by=editor)

    page = as_user(client, editor).get(f"/admin/sites/site/{site.pk}/delete/")

    assert "This archives" in page.content.decode()


def test_editors_cannot_delete_published_sites(client, editor):
    site = SiteFactory(status=Status.PUBLISHED)

    response = as_user(client, editor).post(f"/admin/sites/site/{site.pk}/delete/", {"post": "yes"})

    assert response.status_code == 403
    site.refresh_from_db()
    assert site.status == Status.PUBLISHED


def test_the_bulk_delete_action_is_replaced_by_archive(client, editor):
    sites = [SiteFactory(status=Status.DRAFT, created_by=editor) for _ in range(2)]
    as_user(client, editor)

    changelist = client.get("/admin/sites/site/")
    client.post("/admin/sites/site/", {"action": "archive", "_selected_action": [s.pk for s in sites]})

    actions = [value for value, _label in changelist.context["action_form"].fields["action"].choices]
    assert "delete_selected" not in actions
    assert set(Site.objects.values_list("status", flat=True)) == {Status.ARCHIVED}


def test_only_a_superuser_removes_an_archived_site_for_good(client, superuser, editor):
    site = SiteFactory(status=Status.ARCHIVED)

    refused = as_user(client, editor).post(f"/admin/sites/site/{site.pk}/delete/", {"post": "yes"})
    as_user(client, superuser).post(f"/admin/sites/site/{site.pk}/delete/", {"post": "yes"})

    assert refused.status_code == 403
    assert not Site.objects.filter(pk=site.pk).exists()


# --- search, filters and the change-list map ----------------------------------


def test_search_finds_names_in_any_language_ignoring_accents_and_case(client, editor):
    SiteFactory(slug="han", name={"tr": "Kızlarağası Hanı", "de": "Karawanserei"})
    SiteFactory(slug="other", name={"tr": "Saat Kulesi"})
    as_user(client, editor)

    by_turkish = client.get("/admin/sites/site/", {"q": "KIZLARAGASI"})
    by_german = client.get("/admin/sites/site/", {"q": "karawanserei"})

    assert [s.slug for s in by_turkish.context["cl"].result_list] == ["han"]
    assert [s.slug for s in by_german.context["cl"].result_list] == ["han"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status__exact": "draft"}, ["a"]),
        ({"kind__exact": "museum"}, ["b"]),
        ({"district": "Bornova"}, ["b"]),
        ({"periods__code__exact": "roman"}, ["a"]),
        ({"route": "the-route"}, ["b"]),
    ],
)
def test_the_site_list_filters_by_status_kind_district_period_and_route(client, editor, params, expected):
    from sites.models import Period
    from sites.services import period_vocabulary_sync

    period_vocabulary_sync()  # seeded by a migration; a live test's flush may have removed it
    SiteFactory(
        slug="a",
        status=Status.DRAFT,
        kind=Kind.FOUNTAIN,
        district="Konak",
        periods=[Period.objects.get(pk="roman")],
    )
    b = SiteFactory(slug="b", status=Status.PUBLISHED, kind=Kind.MUSEUM, district="Bornova")
    RouteStopFactory(route=RouteFactory(slug="the-route"), site=b, order=1)

    response = as_user(client, editor).get("/admin/sites/site/", params)

    assert response.status_code == 200
    assert [s.slug for s in response.context["cl"].result_list] == expected


def test_the_change_list_map_shows_the_filtered_sites(client, editor):
    SiteFactory(slug="draft-one", status=Status.DRAFT)
    SiteFactory(slug="published-one", status=Status.PUBLISHED)

    response = as_user(client, editor).get("/admin/sites/site/", {"status__exact": "draft"})

    features = response.context["heritage_changelist_features"]["features"]
    assert [f["properties"]["slug"] for f in features] == ["draft-one"]
    assert features[0]["geometry"]["type"] == "Point"
    assert 'id="heritage-changelist-features"' in response.content.decode()
    assert "leaflet/leaflet.js" in response.content.decode()


def test_the_route_list_map_shows_route_lines(client, editor):
    RouteFactory(slug="r1")

    response = as_user(client, editor).get("/admin/routes/route/")

    features = response.context["heritage_changelist_features"]["features"]
    assert [f["geometry"]["type"] for f in features] == ["LineString"]


def test_the_map_layers_hold_every_site_and_route_but_the_one_being_edited(
    client, editor, django_assert_num_queries
):
    kept = SiteFactory(status=Status.DRAFT)
    edited = SiteFactory(status=Status.PUBLISHED)
    RouteFactory()
    as_user(client, editor)
    client.get("/admin/")  # warm the session

    with django_assert_num_queries(5):  # session, user, groups (workflow role), routes, sites
        response = client.get("/admin/sites/site/layers.geojson", {"exclude": f"site:{edited.pk}"})

    assert response["Content-Type"] == "application/geo+json"
    body = response.json()
    layers = sorted((f["properties"]["layer"], f["properties"]["slug"]) for f in body["features"])
    assert ("site", kept.slug) in layers
    assert ("site", edited.slug) not in layers
    assert any(layer == "route" for layer, _slug in layers)


def test_the_map_layers_are_for_staff_only(client, db):
    response = client.get("/admin/sites/site/layers.geojson")

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_the_site_editor_page_loads_leaflet_from_the_project_not_a_cdn(client, editor, settings):
    page = as_user(client, editor).get("/admin/sites/site/add/").content.decode()

    assert "/static/leaflet/leaflet.js" in page
    assert "/static/heritage/admin-map.js" in page
    assert "heritage-map-config" in page
    assert "unpkg" not in page
    assert "cdn" not in page.lower()
    assert "tile.openstreetmap.org" not in page  # no basemap unless HERITAGE_BASEMAP_URL is set


# --- history ------------------------------------------------------------------


def test_history_shows_who_changed_which_fields_including_geography_and_json(client, editor):
    as_user(client, editor).post("/admin/sites/site/add/", site_form())
    site = Site.objects.get(slug="yeni-cesme")
    moved = json.dumps({"type": "Point", "coordinates": [27.14, 38.43]})
    client.post(f"/admin/sites/site/{site.pk}/change/", site_change_form(site, location=moved, name_de="Neu"))

    page = client.get(f"/admin/sites/site/{site.pk}/history/")

    assert page.status_code == 200
    html = page.content.decode()
    assert "<strong>Location:</strong>" in html
    assert "POINT (27.13 38.42)" in html
    assert "POINT (27.14 38.43)" in html
    assert "<strong>Name:</strong>" in html
    assert "editor" in html


def test_a_site_is_reverted_to_an_earlier_version_from_its_history(client, editor):
    as_user(client, editor).post("/admin/sites/site/add/", site_form())
    site = Site.objects.get(slug="yeni-cesme")
    first = site.history.earliest()
    moved = json.dumps({"type": "Point", "coordinates": [27.14, 38.43]})
    client.post(
        f"/admin/sites/site/{site.pk}/change/", site_change_form(site, location=moved, name_tr="Eski")
    )

    revert_page = client.get(f"/admin/sites/site/{site.pk}/history/{first.history_id}/")
    form = revert_page.context["adminform"].form
    data = site_change_form(site)
    data.update(
        {
            "location": form.initial["location"].geojson,
            "name_tr": form.initial["name"]["tr"],
        }
    )
    response = client.post(f"/admin/sites/site/{site.pk}/history/{first.history_id}/", data)

    assert response.status_code == 302
    site.refresh_from_db()
    assert site.location.coords == pytest.approx((27.13, 38.42))
    assert site.name["tr"] == "Yeni Çeşme"
    assert site.history.count() == 3


def published_then_sent_back(reviewer) -> tuple[Site, int]:
    """A site with a published version in its history, now a draft again."""
    site = SiteFactory(status=Status.PUBLISHED, district="Konak")
    published_version = site.history.get().history_id
    workflow.transition(site, to_status=Status.DRAFT, user=reviewer)
    return site, published_version


def test_an_editor_cannot_publish_by_reverting_to_a_published_version(client, editor, reviewer):
    site, published_version = published_then_sent_back(reviewer)
    url = f"/admin/sites/site/{site.pk}/history/{published_version}/"

    response = as_user(client, editor).post(url, site_change_form(site, district="Reverted"))

    assert response.status_code == 302
    site.refresh_from_db()
    assert site.status == Status.DRAFT  # the content is reverted, the status is not
    assert site.district == "Reverted"


def test_a_revert_never_moves_the_status_of_a_published_site(client, editor, reviewer):
    site = SiteFactory(status=Status.DRAFT)
    draft_version = site.history.get().history_id
    workflow.transition(site, to_status=Status.PUBLISHED, user=reviewer)
    url = f"/admin/sites/site/{site.pk}/history/{draft_version}/"

    response = as_user(client, reviewer).post(url, site_change_form(site, district="Reverted"))

    assert response.status_code == 302
    site.refresh_from_db()
    assert site.status == Status.PUBLISHED
    assert site.district == "Reverted"


def test_an_editor_sees_the_history_but_may_not_revert_a_site_they_may_not_edit(client, editor, reviewer):
    site, published_version = published_then_sent_back(reviewer)
    workflow.transition(site, to_status=Status.PUBLISHED, user=reviewer)
    url = f"/admin/sites/site/{site.pk}/history/{published_version}/"
    as_user(client, editor)

    history = client.get(f"/admin/sites/site/{site.pk}/history/")
    page = client.get(url)
    response = client.post(url, site_change_form(site, district="Reverted"))

    assert history.status_code == 200
    assert page.status_code == 403  # was a 500 (FieldError) before
    assert response.status_code == 403
    site.refresh_from_db()
    assert site.district == "Konak"
    assert site.history.count() == 3


def test_only_a_superuser_may_restore_a_site_deleted_for_good_from_its_history(client, editor, superuser):
    site = SiteFactory(status=Status.PUBLISHED)
    published_version = site.history.get().history_id
    pk, form = site.pk, site_change_form(site)
    site.delete()
    url = f"/admin/sites/site/{pk}/history/{published_version}/"

    response = as_user(client, editor).post(url, form)

    assert response.status_code == 403
    assert not Site.objects.filter(pk=pk).exists()
    assert as_user(client, superuser).get(url).status_code == 200


def test_route_history_handles_the_path_and_stops_have_their_own(client, superuser):
    route = RouteFactory()
    stop = RouteStopFactory(route=route, order=1)
    as_user(client, superuser)

    assert client.get(f"/admin/routes/route/{route.pk}/history/").status_code == 200
    assert client.get(f"/admin/routes/routestop/{stop.pk}/history/").status_code == 200


# --- photos in the admin --------------------------------------------------------


def photo_row(index: int = 0, **overrides) -> dict:
    data = {
        f"photos-{index}-caption_tr": "Çeşme",
        f"photos-{index}-caption_en": "",
        f"photos-{index}-caption_de": "",
        f"photos-{index}-author": "A. Yılmaz",
        f"photos-{index}-license": "CC-BY-4.0",
        f"photos-{index}-sort_order": "0",
    }
    data.update(overrides)
    return data


def test_an_editor_uploads_a_photo_on_the_site_page(client, editor, settings):
    as_user(client, editor)
    upload = uploaded(image_bytes(1200, 800, gps=(27.14, 38.42)))

    response = client.post(
        "/admin/sites/site/add/",
        {**site_form(**{"photos-TOTAL_FORMS": "1"}), **photo_row(), "photos-0-upload": upload},
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    photo = Photo.objects.get()
    assert photo.site.slug == "yeni-cesme"
    assert photo.status == Status.DRAFT
    assert photo.caption == {"tr": "Çeşme"}
    assert set(photo.renditions) == {"320", "800", "1600"}
    assert photo.suggested_location is not None
    assert photo.site.location.coords == pytest.approx((27.13, 38.42))  # not moved silently


def test_an_editor_cannot_change_a_published_photo_from_the_site_page(client, editor):
    site = SiteFactory(status=Status.DRAFT)
    photo = PhotoFactory(site=site, status=Status.PUBLISHED, author="A. Yılmaz")
    form = site_change_form(site)
    form["photos-0-author"] = ""
    form["photos-0-caption_tr"] = "Changed by an editor"

    response = as_user(client, editor).post(f"/admin/sites/site/{site.pk}/change/", form)

    assert response.status_code == 302
    photo.refresh_from_db()
    assert photo.author == "A. Yılmaz"  # a published photo keeps its credits
    assert photo.caption["tr"] == "Kemeraltı"


def test_blanking_a_published_photos_licence_on_its_page_is_a_form_error(client, reviewer):
    photo = PhotoFactory(status=Status.PUBLISHED)
    form = {
        "caption_tr": "Kemeraltı",
        "caption_en": "",
        "caption_de": "",
        "author": "A. Yılmaz",
        "license": "",
        "sort_order": "0",
    }

    response = as_user(client, reviewer).post(f"/admin/sites/photo/{photo.pk}/change/", form)

    assert response.status_code == 200
    assert "A published photo needs license." in response.content.decode()
    photo.refresh_from_db()
    assert photo.license == "CC-BY-4.0"


def test_a_published_photo_without_credits_is_a_form_error_not_a_server_error(client, reviewer):
    site = SiteFactory(status=Status.DRAFT)
    photo = PhotoFactory(site=site, status=Status.PUBLISHED)
    form = site_change_form(site)
    form["photos-0-author"] = ""

    response = as_user(client, reviewer).post(f"/admin/sites/site/{site.pk}/change/", form)

    assert response.status_code == 200
    assert "A published photo needs author." in response.content.decode()
    photo.refresh_from_db()
    assert photo.author == "A. Yılmaz"


@pytest.mark.parametrize(
    "data",
    [
        b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 9 9\n",
        b'<svg xmlns="http://www.w3.org/2000/svg"/>',
        image_bytes(800, 600)[:1500],
        png_claiming(100_000, 100_000),
        image_bytes(50, 50) + b"\0" * (20 * 1024 * 1024),
    ],
    ids=["eps", "svg", "truncated", "png_100000_squared", "over_20_mb"],
)
def test_a_hostile_photo_in_the_admin_is_refused_and_nothing_is_written(client, editor, settings, data):
    as_user(client, editor)

    response = client.post(
        "/admin/sites/site/add/",
        {**site_form(**{"photos-TOTAL_FORMS": "1"}), **photo_row(), "photos-0-upload": uploaded(data)},
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert any(reason in page for reason in ("JPEG, PNG or WebP", "damaged", "40 megapixels", "20 MB"))
    assert not Site.objects.exists()
    assert not Photo.objects.exists()
    assert files_in(settings.MEDIA_ROOT) == []


def test_the_gps_of_a_photo_is_applied_only_when_the_editor_ticks_it(client, editor):
    from sites.photos import photo_create

    site = SiteFactory(status=Status.DRAFT, location=Point(*KONAK, srid=4326))
    photo_create(site=site, upload=uploaded(image_bytes(gps=(27.14, 38.42))))
    as_user(client, editor)

    client.post(f"/admin/sites/site/{site.pk}/change/", site_change_form(site))
    site.refresh_from_db()
    untouched = site.location.coords
    client.post(
        f"/admin/sites/site/{site.pk}/change/",
        site_change_form(site, **{"photos-0-use_as_site_location": "on"}),
    )
    site.refresh_from_db()

    assert untouched == pytest.approx(KONAK)
    assert site.location.coords == pytest.approx((27.14, 38.42), abs=1e-5)


def test_the_photo_list_action_moves_the_site_to_the_photo_gps(client, editor):
    from sites.photos import photo_create

    site = SiteFactory(status=Status.DRAFT)
    photo = photo_create(site=site, upload=uploaded(image_bytes(gps=(27.14, 38.42))))

    as_user(client, editor).post(
        "/admin/sites/photo/", {"action": "use_as_site_location", "_selected_action": [photo.pk]}
    )

    site.refresh_from_db()
    assert site.location.coords == pytest.approx((27.14, 38.42), abs=1e-5)


def test_publishing_a_photo_without_credits_is_refused_with_a_message(client, reviewer):
    from sites.photos import photo_create

    photo = photo_create(site=SiteFactory(), upload=uploaded(image_bytes()))

    response = as_user(client, reviewer).post(
        "/admin/sites/photo/", {"action": "publish", "_selected_action": [photo.pk]}
    )

    photo.refresh_from_db()
    assert photo.status == Status.DRAFT
    assert any("caption, an author and a licence" in m for m in messages_of(response))


def test_the_photo_list_shows_rendition_thumbnails(client, editor):
    from sites.photos import photo_create

    photo = photo_create(site=SiteFactory(), upload=uploaded(image_bytes()))

    page = as_user(client, editor).get("/admin/sites/photo/").content.decode()

    assert f'src="/media/{photo.renditions["320"]}"' in page


# --- routes and stops -----------------------------------------------------------


def route_form(route: Route, stops: list[dict], **overrides) -> dict:
    data = {
        "name_tr": route.name.get("tr", ""),
        "name_en": route.name.get("en", ""),
        "name_de": "",
        "theme": route.theme,
        "modes": ",".join(route.modes),
        "summary_tr": "",
        "summary_en": "",
        "summary_de": "",
        "description_tr": "",
        "description_en": "",
        "description_de": "",
        "path": route.path.geojson,
        "path_quality": route.path_quality,
        "duration_min": "",
        "license": route.license,
        "attribution": "",
        "stops-TOTAL_FORMS": str(len(stops)),
        "stops-INITIAL_FORMS": str(sum(1 for s in stops if s.get("id"))),
        "stops-MIN_NUM_FORMS": "0",
        "stops-MAX_NUM_FORMS": "1000",
    }
    for index, stop in enumerate(stops):
        data.update(
            {
                f"stops-{index}-id": str(stop.get("id", "")),
                f"stops-{index}-route": str(route.pk),
                f"stops-{index}-order": str(stop["order"]),
                f"stops-{index}-site": str(stop["site"]),
                f"stops-{index}-designation": "proposed",
                f"stops-{index}-dwell_min": "15",
                f"stops-{index}-trigger_radius_m": "30",
                f"stops-{index}-narrative_tr": "",
                f"stops-{index}-narrative_en": "",
                f"stops-{index}-narrative_de": "",
            }
        )
    data.update(overrides)
    return data


@pytest.fixture
def draft_route(db):
    route = RouteFactory(status=Status.DRAFT)
    first = RouteStopFactory(
        route=route, order=1, site=SiteFactory(location=Point(KONAK[0] + 0.001, KONAK[1]))
    )
    second = RouteStopFactory(
        route=route, order=2, site=SiteFactory(location=Point(KONAK[0] + 0.005, KONAK[1]))
    )
    return route, first, second


def test_stops_swap_orders_in_one_save(client, editor, draft_route):
    route, first, second = draft_route

    response = as_user(client, editor).post(
        f"/admin/routes/route/{route.pk}/change/",
        route_form(
            route,
            [
                {"id": first.pk, "order": 2, "site": first.site_id},
                {"id": second.pk, "order": 1, "site": second.site_id},
            ],
        ),
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    assert list(route.stops.order_by("order").values_list("pk", flat=True)) == [second.pk, first.pk]


def test_two_stops_with_one_order_are_refused(client, editor, draft_route):
    route, first, second = draft_route

    response = as_user(client, editor).post(
        f"/admin/routes/route/{route.pk}/change/",
        route_form(
            route,
            [
                {"id": first.pk, "order": 1, "site": first.site_id},
                {"id": second.pk, "order": 1, "site": second.site_id},
            ],
        ),
    )

    assert response.status_code == 200
    assert "have order 1" in response.content.decode()
    assert list(route.stops.order_by("order").values_list("pk", flat=True)) == [first.pk, second.pk]


def test_a_stop_far_from_the_path_saves_with_a_warning(client, editor, draft_route):
    route, first, second = draft_route
    far = SiteFactory(location=Point(KONAK[0] + 0.005, KONAK[1] + 0.003, srid=4326))  # ~330 m north

    response = as_user(client, editor).post(
        f"/admin/routes/route/{route.pk}/change/",
        route_form(
            route,
            [
                {"id": first.pk, "order": 1, "site": first.site_id},
                {"id": second.pk, "order": 2, "site": second.site_id},
                {"order": 3, "site": far.pk},
            ],
        ),
    )

    assert response.status_code == 302
    assert route.stops.count() == 3
    warnings = [m for m in messages_of(response) if "from the path" in m]
    assert len(warnings) == 1
    assert f"Stop 3 ({far.slug}) lies 33" in warnings[0]


def test_the_route_page_shows_the_generated_length_and_an_estimated_duration(client, editor, draft_route):
    route, _first, _second = draft_route

    page = as_user(client, editor).get(f"/admin/routes/route/{route.pk}/change/").content.decode()

    route.refresh_from_db()
    assert f"{route.length_m:,.0f} m" in page
    assert "Estimated duration" in page
    assert "0 m" in page  # the stops' distance to the path


def test_a_route_path_is_replaced_by_an_uploaded_gpx_file(client, editor, draft_route):
    route, first, second = draft_route
    gpx = (
        b'<?xml version="1.0"?><gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>'
        b'<trkpt lat="38.4189" lon="27.1287"><ele>5</ele></trkpt><trkpt lat="38.4189" lon="27.1487"/>'
        b"</trkseg></trk></gpx>"
    )
    stops = [
        {"id": first.pk, "order": 1, "site": first.site_id},
        {"id": second.pk, "order": 2, "site": second.site_id},
    ]

    response = as_user(client, editor).post(
        f"/admin/routes/route/{route.pk}/change/",
        route_form(route, stops, path_file=uploaded(gpx, "track.gpx", "application/gpx+xml")),
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    route.refresh_from_db()
    assert route.path.geom_type == "LineString"
    assert route.path.coords[0] == pytest.approx((27.1287, 38.4189))
    assert route.path.coords[1] == pytest.approx((27.1487, 38.4189))
    assert 1700 < route.length_m < 1800  # the generated column followed the new path


def test_a_hostile_path_file_is_refused_and_the_path_is_kept(client, editor, draft_route):
    route, first, second = draft_route
    before = route.path.ewkt
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>'
        b"<kml><Placemark><LineString><coordinates>&lol2;</coordinates></LineString></Placemark></kml>"
    )
    stops = [
        {"id": first.pk, "order": 1, "site": first.site_id},
        {"id": second.pk, "order": 2, "site": second.site_id},
    ]

    response = as_user(client, editor).post(
        f"/admin/routes/route/{route.pk}/change/", route_form(route, stops, path_file=uploaded(bomb, "x.kml"))
    )

    assert response.status_code == 200
    assert "DTD" in response.content.decode()
    route.refresh_from_db()
    assert route.path.ewkt == before


def test_a_drawn_single_line_is_stored_as_a_linestring(client, editor, draft_route):
    route, first, second = draft_route
    drawn = json.dumps({"type": "MultiLineString", "coordinates": [[[27.1287, 38.4189], [27.14, 38.4189]]]})
    stops = [
        {"id": first.pk, "order": 1, "site": first.site_id},
        {"id": second.pk, "order": 2, "site": second.site_id},
    ]

    as_user(client, editor).post(
        f"/admin/routes/route/{route.pk}/change/", route_form(route, stops, path=drawn)
    )

    route.refresh_from_db()
    assert route.path.geom_type == "LineString"


def test_editors_cannot_edit_the_stops_of_a_published_route(client, editor):
    route = RouteFactory(status=Status.PUBLISHED)
    stop = RouteStopFactory(route=route, order=1)

    as_user(client, editor).post(
        f"/admin/routes/route/{route.pk}/change/",
        route_form(route, [{"id": stop.pk, "order": 5, "site": stop.site_id}]),
    )

    assert RouteStop.objects.get(pk=stop.pk).order == 1


def test_an_editor_cannot_archive_a_draft_someone_else_created(client, editor):
    site = SiteFactory(status=Status.DRAFT)

    response = as_user(client, editor).post(f"/admin/sites/site/{site.pk}/delete/", {"post": "yes"})

    assert response.status_code == 403
    site.refresh_from_db()
    assert site.status == Status.DRAFT


def test_a_view_only_page_shows_the_geometry_on_a_read_only_map(client, editor):
    site = SiteFactory(status=Status.PUBLISHED)

    page = as_user(client, editor).get(f"/admin/sites/site/{site.pk}/change/").content.decode()

    assert 'class="heritage-readonly-map"' in page
    assert "&quot;Point&quot;" in page  # the GeoJSON, attribute-escaped
    assert "/static/leaflet/leaflet.js" in page
    assert 'name="location"' not in page


def test_a_new_route_can_take_its_path_from_a_geojson_file_only(client, editor):
    feature = {
        "type": "Feature",
        "properties": {},
        "geometry": {"type": "LineString", "coordinates": [[27.1287, 38.4189], [27.1387, 38.4189]]},
    }
    data = route_form(RouteFactory.build(slug="from-file", name={"tr": "Dosyadan"}), [], path="")
    data.update(slug="from-file", path_file=uploaded(json.dumps(feature).encode(), "x.geojson"))

    response = as_user(client, editor).post("/admin/routes/route/add/", data)

    assert response.status_code == 302, response.content.decode()[:3000]
    route = Route.objects.get(slug="from-file")
    assert route.status == Status.DRAFT
    assert route.created_by == editor
    assert 860 < route.length_m < 880


def test_a_route_without_a_path_or_file_is_refused(client, editor):
    data = route_form(RouteFactory.build(slug="nothing", name={"tr": "Boş"}), [], path="")
    data.update(slug="nothing")

    response = as_user(client, editor).post("/admin/routes/route/add/", data)

    assert response.status_code == 200
    assert "Draw the path on the map or upload" in response.content.decode()
    assert not Route.objects.filter(slug="nothing").exists()


def test_the_route_editor_hands_its_path_to_the_map_as_a_line_collection(client, superuser, draft_route):
    route, _first, _second = draft_route
    assert route.path.geom_type == "LineString"

    page = as_user(client, superuser).get(f"/admin/routes/route/{route.pk}/change/")

    widget = page.context["adminform"].form["path"].as_widget()
    textarea = re.search(r"<textarea[^>]*>(.*?)</textarea>", widget, re.S).group(1)
    value = json.loads(html.unescape(textarea))
    # As a LineString, django-leaflet's loader split it into one "line" per vertex.
    assert value["type"] == "MultiLineString"
    (line,) = value["coordinates"]
    assert len(line) == len(route.path.coords)
    assert line[-1] == pytest.approx(list(route.path.coords[-1]), abs=1e-6)


def test_a_route_path_is_reverted_from_its_history(client, superuser, draft_route):
    route, first, second = draft_route
    original = route.history.earliest()
    stops = [
        {"id": first.pk, "order": 1, "site": first.site_id},
        {"id": second.pk, "order": 2, "site": second.site_id},
    ]
    moved = json.dumps({"type": "LineString", "coordinates": [[27.1287, 38.4189], [27.1287, 38.43]]})
    as_user(client, superuser).post(
        f"/admin/routes/route/{route.pk}/change/", route_form(route, stops, path=moved)
    )
    route.refresh_from_db()
    assert route.path.coords[1] == pytest.approx((27.1287, 38.43))

    page = client.get(f"/admin/routes/route/{route.pk}/history/{original.history_id}/")
    old_path = page.context["adminform"].form.initial["path"]
    response = client.post(
        f"/admin/routes/route/{route.pk}/history/{original.history_id}/",
        route_form(route, stops, path=old_path.geojson),
    )

    assert response.status_code == 302
    route.refresh_from_db()
    assert route.path.coords[1] == pytest.approx((KONAK[0] + 0.0127, KONAK[1]))
    assert 1100 < route.length_m < 1120  # the generated length followed the revert


def test_photo_history_records_credit_changes(client, editor):
    from sites.photos import photo_create

    site = SiteFactory(status=Status.DRAFT)
    photo = photo_create(site=site, upload=uploaded(image_bytes()), user=editor)
    as_user(client, editor)
    client.post(
        f"/admin/sites/site/{site.pk}/change/",
        site_change_form(site, **{"photos-0-author": "B. Kaya", "photos-0-license": "CC0-1.0"}),
    )

    page = client.get(f"/admin/sites/photo/{photo.pk}/history/").content.decode()

    assert "<strong>Author:</strong>" in page
    assert "B. Kaya" in page
    assert photo.history.count() == 2
    assert photo.history.first().history_user == editor


def test_the_change_form_offers_only_the_moves_the_role_may_make(client, editor, reviewer):
    site = SiteFactory(status=Status.REVIEW)

    as_editor = (
        as_user(client, editor).get(f"/admin/sites/site/{site.pk}/change/").context["heritage_transitions"]
    )
    as_reviewer = (
        as_user(client, reviewer).get(f"/admin/sites/site/{site.pk}/change/").context["heritage_transitions"]
    )

    assert [status for status, _label in as_editor] == [Status.DRAFT]
    assert [status for status, _label in as_reviewer] == [Status.PUBLISHED, Status.DRAFT, Status.ARCHIVED]


def test_save_and_submit_for_review_saves_the_edit_then_moves_the_site(client, editor):
    site = SiteFactory(status=Status.DRAFT, district="Konak")

    response = as_user(client, editor).post(
        f"/admin/sites/site/{site.pk}/change/",
        site_change_form(site, district="Alsancak", _transition="review"),
    )

    site.refresh_from_db()
    assert response.status_code == 302
    assert (site.district, site.status) == ("Alsancak", Status.REVIEW)


def test_a_forged_publish_button_from_an_editor_saves_but_does_not_publish(client, editor):
    site = SiteFactory(status=Status.REVIEW)

    response = as_user(client, editor).post(
        f"/admin/sites/site/{site.pk}/change/", site_change_form(site, _transition="published")
    )

    site.refresh_from_db()
    assert site.status == Status.REVIEW
    assert any("not moved" in m for m in messages_of(response))


def test_a_reviewer_publishes_a_photo_with_credits_from_its_page(client, reviewer):
    from sites.photos import photo_create

    photo = photo_create(
        site=SiteFactory(),
        upload=uploaded(image_bytes()),
        caption={"tr": "Kule"},
        author="A",
        license="CC0-1.0",
    )
    data = {
        "caption_tr": "Kule",
        "caption_en": "",
        "caption_de": "",
        "author": "A",
        "license": "CC0-1.0",
        "sort_order": "0",
        "_transition": "published",
    }

    response = as_user(client, reviewer).post(f"/admin/sites/photo/{photo.pk}/change/", data)

    assert response.status_code == 302
    photo.refresh_from_db()
    assert photo.status == Status.PUBLISHED


def test_the_site_list_costs_the_same_queries_for_3_or_30_sites(client, editor, django_assert_num_queries):
    as_user(client, editor)
    for _ in range(3):
        SiteFactory()
    client.get("/admin/sites/site/")  # warm the session and content types

    # session, user, roles (once per request), period and route filter choices, counts ×2,
    # Django permissions ×2 (the sidebar's auth models), rows, map features, district choices
    with django_assert_num_queries(12) as few:
        client.get("/admin/sites/site/")
    for _ in range(27):
        SiteFactory()
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get("/admin/sites/site/")

    assert len(response.context["cl"].result_list) == 30
    assert len(response.context["heritage_changelist_features"]["features"]) == 30


def test_a_superuser_deleting_an_archived_photo_removes_its_files(
    client, superuser, settings, django_capture_on_commit_callbacks
):
    from sites.photos import photo_create

    photo = photo_create(site=SiteFactory(), upload=uploaded(image_bytes()))
    photo.status = Status.ARCHIVED
    photo.save()
    assert files_in(settings.MEDIA_ROOT)

    with django_capture_on_commit_callbacks(execute=True):
        as_user(client, superuser).post(f"/admin/sites/photo/{photo.pk}/delete/", {"post": "yes"})

    assert not Photo.objects.exists()
    assert files_in(settings.MEDIA_ROOT) == []


def test_deleting_a_photo_as_its_editor_archives_it_and_keeps_the_files(client, editor, settings):
    from sites.photos import photo_create

    photo = photo_create(site=SiteFactory(), upload=uploaded(image_bytes()), user=editor)

    as_user(client, editor).post(f"/admin/sites/photo/{photo.pk}/delete/", {"post": "yes"})

    photo.refresh_from_db()
    assert photo.status == Status.ARCHIVED
    assert len(files_in(settings.MEDIA_ROOT)) == 3  # the original; renditions 320 and 400 (= 800 = 1600)


def test_the_stop_site_picker_searches_names_in_any_language(client, editor):
    SiteFactory(slug="han", name={"tr": "Kızlarağası Hanı"})
    SiteFactory(slug="tower", name={"tr": "Saat Kulesi"})

    response = as_user(client, editor).get(
        "/admin/autocomplete/",
        {"term": "kizlar", "app_label": "routes", "model_name": "routestop", "field_name": "site"},
    )

    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["han"]


def test_a_view_only_page_reads_names_per_language_escaped(client, editor):
    site = SiteFactory(status=Status.PUBLISHED, name={"tr": "Saat <b>Kulesi</b>", "en": "Clock Tower"})
    PhotoFactory(site=site)

    page = as_user(client, editor).get(f"/admin/sites/site/{site.pk}/change/").content.decode()

    assert "<b>Türkçe</b>: Saat &lt;b&gt;Kulesi&lt;/b&gt;" in page
    assert "<b>English</b>: Clock Tower" in page


def test_a_published_route_opens_read_only_for_an_editor_with_its_stops(client, editor):
    route = RouteFactory(status=Status.PUBLISHED, name={"tr": "Rota", "en": "Route"})
    RouteStopFactory(route=route, order=1, narrative={"tr": "Burada"})

    response = as_user(client, editor).get(f"/admin/routes/route/{route.pk}/change/")

    page = response.content.decode()
    assert response.status_code == 200
    assert 'class="heritage-readonly-map"' in page
    assert "<b>English</b>: Route" in page
    assert "Burada" in page
