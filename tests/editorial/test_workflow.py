import pytest
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied, ValidationError

from editorial.vocabularies import Status
from editorial.workflow import transition
from tests.factories import SiteFactory


@pytest.fixture
def editor(db):
    user = User.objects.create_user("ed")
    user.groups.add(Group.objects.get_or_create(name="editor")[0])
    return user


@pytest.fixture
def reviewer(db):
    user = User.objects.create_user("rev")
    user.groups.add(Group.objects.get_or_create(name="reviewer")[0])
    return user


def test_an_editor_submits_a_draft_but_cannot_publish_it(editor):
    site = SiteFactory(status=Status.DRAFT)

    transition(site, to_status=Status.REVIEW, user=editor)

    with pytest.raises(PermissionDenied):
        transition(site, to_status=Status.PUBLISHED, user=editor)
    site.refresh_from_db()
    assert site.status == Status.REVIEW


def test_a_reviewer_publishes_a_site_in_review(reviewer):
    site = SiteFactory(status=Status.REVIEW)

    transition(site, to_status=Status.PUBLISHED, user=reviewer)

    site.refresh_from_db()
    assert site.status == Status.PUBLISHED


def test_the_workflow_refuses_moves_it_does_not_have(reviewer):
    site = SiteFactory(status=Status.ARCHIVED)

    with pytest.raises(ValidationError):
        transition(site, to_status=Status.PUBLISHED, user=reviewer)


def test_an_editor_archives_only_the_drafts_they_created(editor):
    own = SiteFactory(status=Status.DRAFT, created_by=editor)
    other = SiteFactory(status=Status.DRAFT)

    transition(own, to_status=Status.ARCHIVED, user=editor)

    with pytest.raises(PermissionDenied):
        transition(other, to_status=Status.ARCHIVED, user=editor)
    assert own.status == Status.ARCHIVED


def test_a_reviewer_archives_anyones_draft(reviewer):
    site = SiteFactory(status=Status.DRAFT)

    transition(site, to_status=Status.ARCHIVED, user=reviewer)

    site.refresh_from_db()
    assert site.status == Status.ARCHIVED


def test_a_workflow_move_is_recorded_in_the_history_with_its_user(reviewer):
    site = SiteFactory(status=Status.REVIEW)

    transition(site, to_status=Status.PUBLISHED, user=reviewer)

    latest = site.history.first()
    assert (latest.status, latest.history_user) == (Status.PUBLISHED, reviewer)


def test_anonymous_and_inactive_users_have_no_role(db):
    from django.contrib.auth.models import AnonymousUser

    from editorial.workflow import roles

    inactive = User.objects.create_user("gone", is_active=False)
    inactive.groups.add(Group.objects.get_or_create(name="reviewer")[0])

    assert roles(AnonymousUser()) == set()
    assert roles(inactive) == set()


def test_only_reviewers_may_remove_stops_from_a_route(editor, reviewer):
    from editorial.workflow import can_remove_stops
    from tests.factories import RouteFactory

    route = RouteFactory(status=Status.DRAFT)

    assert not can_remove_stops(editor, route)
    assert can_remove_stops(reviewer, route)
