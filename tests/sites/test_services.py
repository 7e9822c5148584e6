"""sites.services: the staff writes validate everything before writing."""

import pytest
from django.contrib.auth.models import User
from django.contrib.gis.geos import Point
from django.core.exceptions import PermissionDenied, ValidationError

from editorial.vocabularies import Kind, Status
from sites.models import Site
from sites.services import period_vocabulary_sync, site_archive, site_create, site_update, site_upsert
from tests.factories import SiteFactory, UserFactory

KONAK = Point(27.1287, 38.4189, srid=4326)


@pytest.fixture
def editor(db):
    period_vocabulary_sync()  # a transactional test elsewhere may have flushed them
    return UserFactory(role="editor")


def test_site_create_makes_a_draft_with_authorship_in_its_history(editor):
    site = site_create(
        slug="han", user=editor, name={"tr": "Han"}, kind=Kind.HAN, location=KONAK, periods=["ottoman"]
    )

    assert (site.status, site.created_by, site.updated_by) == (Status.DRAFT, editor, editor)
    assert list(site.periods.values_list("code", flat=True)) == ["ottoman"]
    # One row for the site, one for its periods (simple_history's m2m tracking).
    assert [h.history_user for h in site.history.all()] == [editor, editor]


def test_site_create_with_an_unknown_period_writes_nothing(editor):
    with pytest.raises(ValidationError) as error:
        site_create(slug="han", user=editor, name={"tr": "Han"}, kind=Kind.HAN, location=KONAK, periods=["x"])

    assert "periods" in error.value.message_dict
    assert not Site.objects.exists()
    assert not Site.history.exists()


def test_site_create_refuses_fields_that_are_not_content(editor):
    with pytest.raises(TypeError):
        site_create(
            slug="han", user=editor, name={"tr": "Han"}, kind=Kind.HAN, location=KONAK, status="published"
        )


def test_site_update_with_only_new_periods_still_moves_updated_at(editor):
    site = SiteFactory(status=Status.DRAFT)
    before = site.updated_at

    site_update(site=site, user=editor, periods=["roman"])

    site.refresh_from_db()
    assert site.updated_at > before
    assert site.updated_by == editor
    assert list(site.periods.values_list("code", flat=True)) == ["roman"]


def test_site_update_runs_full_clean(editor):
    site = SiteFactory(status=Status.DRAFT)

    with pytest.raises(ValidationError) as error:
        site_update(site=site, user=editor, location=Point(29.0, 41.0, srid=4326))

    assert "location" in error.value.message_dict


def test_site_archive_by_an_editor_works_only_on_their_own_draft(editor):
    own = SiteFactory(status=Status.DRAFT, created_by=editor)
    other = SiteFactory(status=Status.DRAFT, created_by=User.objects.create_user("someone"))

    site_archive(site=own, user=editor)
    with pytest.raises(PermissionDenied):
        site_archive(site=other, user=editor)

    assert Site.objects.get(pk=own.pk).status == Status.ARCHIVED
    assert Site.objects.get(pk=other.pk).status == Status.DRAFT


def test_site_upsert_still_saves_only_what_differs(db):
    fields = {"name": {"tr": "Han"}, "kind": Kind.HAN, "location": KONAK}
    site_upsert(slug="han", status=Status.PUBLISHED, **fields)

    _site, changed = site_upsert(slug="han", **fields)

    assert not changed
    assert Site.history.count() == 1


def test_site_update_that_changes_nothing_writes_nothing(editor):
    site = SiteFactory(status=Status.DRAFT, district="Konak")
    before = (site.updated_at, site.history.count())

    site_update(site=site, user=editor, district="Konak", name=dict(site.name))

    site.refresh_from_db()
    assert (site.updated_at, site.history.count()) == before


def test_site_update_checks_the_version_under_the_lock_and_writes_nothing_when_stale(editor):
    from editorial.errors import VersionMismatch, VersionRequired
    from editorial.versions import object_version

    site = SiteFactory(status=Status.DRAFT, district="Konak")
    read = object_version(site)
    rows = site.history.count()

    with pytest.raises(VersionRequired):
        site_update(site=site, user=editor, expected_versions=[], district="Alsancak")
    with pytest.raises(VersionMismatch):
        site_update(site=site, user=editor, expected_versions=["0000"], district="Alsancak")
    assert (Site.objects.get(pk=site.pk).district, site.history.count()) == ("Konak", rows)

    site_update(site=site, user=editor, expected_versions=["0000", read], district="Alsancak")
    assert Site.objects.get(pk=site.pk).district == "Alsancak"
    assert object_version(site) != read


def test_site_update_refuses_an_editor_on_a_published_site_whoever_calls(editor):
    site = SiteFactory(status=Status.PUBLISHED, district="Konak")

    with pytest.raises(PermissionDenied):
        site_update(site=site, user=editor, district="Alsancak")
    with pytest.raises(PermissionDenied):
        site_upsert(slug=site.slug, user=editor, district="Alsancak")

    assert Site.objects.get(pk=site.pk).district == "Konak"


def test_site_update_takes_only_the_given_fields_not_unsaved_changes_on_the_object(editor):
    site = SiteFactory(status=Status.DRAFT, district="Konak", address="Old street")
    site.address = "set on the object, never passed"

    site_update(site=site, user=editor, district="Alsancak")

    stored = Site.objects.get(pk=site.pk)
    assert (stored.district, stored.address) == ("Alsancak", "Old street")
