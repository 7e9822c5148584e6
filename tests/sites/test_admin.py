"""The sites admin: plotting, the workflow (actions, buttons, read-only pages),
deletion that archives."""

import json
from pathlib import Path

import pytest

from editorial.vocabularies import Status
from sites.models import Site
from tests.admin_helpers import (
    as_user,
    messages_of,
    site_change_form,
    site_form,
    staff,
)
from tests.factories import (
    PhotoFactory,
    SiteFactory,
)


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


def test_a_view_only_page_reads_names_per_language_escaped(client, editor):
    site = SiteFactory(status=Status.PUBLISHED, name={"tr": "Saat <b>Kulesi</b>", "en": "Clock Tower"})
    PhotoFactory(site=site)

    page = as_user(client, editor).get(f"/admin/sites/site/{site.pk}/change/").content.decode()

    assert "<b>Türkçe</b>: Saat &lt;b&gt;Kulesi&lt;/b&gt;" in page
    assert "<b>English</b>: Clock Tower" in page


def test_the_sites_admin_and_writes_import_nothing_from_routes():
    """routes depends on sites, not the reverse: the map layers and the route
    filter go through editorial.admin_maps and the reverse relation.
    (sites/selectors.py still reads routes for the site detail.)"""
    import ast

    sources = [Path("sites", name) for name in ("admin.py", "services.py", "photos.py", "models.py")]
    offenders = []
    for path in sources:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path}: {name}" for name in names if name.split(".")[0] == "routes"]
    assert offenders == []
