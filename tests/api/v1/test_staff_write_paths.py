"""One write path: the admin, the staff API and an import make the same
change through the same service, so they leave the same history row."""

import pytest
from django.contrib.gis.geos import Point
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from api.concurrency import etag_for
from editorial.vocabularies import Kind, Status
from sites.models import Site
from sites.services import site_upsert
from tests.admin_helpers import site_change_form
from tests.api.v1.staff_client import send
from tests.factories import SiteFactory, UserFactory

NEW_NAME = {"tr": "Yeni Çeşme", "en": "New Fountain"}


def identical_site(slug: str, user) -> Site:
    # The values the admin form of tests.admin_helpers posts back unchanged.
    return SiteFactory(
        slug=slug,
        status=Status.DRAFT,
        name={"tr": "Eski Çeşme", "en": "Old Fountain"},
        kind=Kind.FOUNTAIN,
        location=Point(27.13, 38.42, srid=4326),
        geometry_quality="traced",
        confidence="medium",
        district="Konak",
        license="CC-BY-4.0",
        attribution="",
        created_by=user,
        updated_by=user,
    )


def last_change(site: Site) -> tuple:
    """(changed fields with their new values, history_user, history_type) of
    the site's newest history row, against the row before it."""
    old, new = site.history.order_by("history_id")
    delta = new.diff_against(old, excluded_fields=["updated_at"])
    changes = sorted((change.field, change.new) for change in delta.changes)
    return changes, new.history_user, new.history_type


@pytest.fixture
def editor(db):
    user = UserFactory(role="editor", is_staff=True)
    user.token = Token.objects.create(user=user).key
    return user


def test_the_admin_the_api_and_an_import_leave_identical_history_rows(client, editor):
    by_admin, by_api, by_import = (identical_site(slug, editor) for slug in ("admin", "api", "import"))

    client.force_login(editor)
    form = site_change_form(by_admin, name_tr=NEW_NAME["tr"], name_en=NEW_NAME["en"], district="Alsancak")
    assert client.post(f"/admin/sites/site/{by_admin.pk}/change/", form).status_code == 302

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {editor.token}")
    body = {"type": "Feature", "properties": {"name": NEW_NAME, "district": "Alsancak"}}
    response = send(api, "patch", f"/api/v1/staff/sites/{by_api.slug}", body, HTTP_IF_MATCH=etag_for(by_api))
    assert response.status_code == 200, response.json()

    site_upsert(slug=by_import.slug, user=editor, name=NEW_NAME, district="Alsancak")

    expected = ([("district", "Alsancak"), ("name", NEW_NAME)], editor, "~")
    assert [last_change(site) for site in (by_admin, by_api, by_import)] == [expected] * 3
