"""The sites admin history: who changed what, reverts that never move the status."""

import json

import pytest

from editorial import workflow
from editorial.vocabularies import Status
from sites.models import Site
from tests.admin_helpers import (
    as_user,
    site_change_form,
    site_form,
)
from tests.factories import (
    SiteFactory,
)


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
