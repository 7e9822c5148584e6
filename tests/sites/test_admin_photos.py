"""Photos in the admin: uploads on the site page, credits, GPS, workflow, files."""

import pytest
from django.contrib.gis.geos import Point

from editorial.vocabularies import Status
from sites.models import Photo, Site
from tests.admin_helpers import (
    KONAK,
    as_user,
    files_in,
    messages_of,
    photo_row,
    png_claiming,
    site_change_form,
    site_form,
)
from tests.factories import (
    PhotoFactory,
    SiteFactory,
    image_bytes,
    uploaded,
)


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
