"""The editorial workflow: draft → review → published → archived.

One place decides who may move a site, route or photo between statuses, so
the admin, the API and commands agree. Roles are Django groups:

- editor: creates and edits drafts, submits them for review, archives the drafts
  they created (deletion archives: nothing is hard-deleted by editors);
- reviewer: everything an editor may, plus publish, send back, unpublish, archive, restore;
- admin: a superuser, everything.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from editorial.versions import check_version, lock, object_version
from editorial.vocabularies import Status

EDITOR_GROUP = "editor"
REVIEWER_GROUP = "reviewer"

EDITOR, REVIEWER, ADMIN = "editor", "reviewer", "admin"

# (from, to) -> roles allowed to make that move.
TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {
    (Status.DRAFT, Status.REVIEW): frozenset({EDITOR, REVIEWER, ADMIN}),
    (Status.DRAFT, Status.ARCHIVED): frozenset({EDITOR, REVIEWER, ADMIN}),
    (Status.REVIEW, Status.DRAFT): frozenset({EDITOR, REVIEWER, ADMIN}),
    (Status.REVIEW, Status.PUBLISHED): frozenset({REVIEWER, ADMIN}),
    (Status.DRAFT, Status.PUBLISHED): frozenset({REVIEWER, ADMIN}),
    (Status.PUBLISHED, Status.DRAFT): frozenset({REVIEWER, ADMIN}),
    (Status.PUBLISHED, Status.ARCHIVED): frozenset({REVIEWER, ADMIN}),
    (Status.REVIEW, Status.ARCHIVED): frozenset({REVIEWER, ADMIN}),
    (Status.ARCHIVED, Status.DRAFT): frozenset({REVIEWER, ADMIN}),
}

# Which statuses each role may edit the content of.
EDITABLE_STATUSES = {
    EDITOR: frozenset({Status.DRAFT, Status.REVIEW}),
    REVIEWER: frozenset({Status.DRAFT, Status.REVIEW, Status.PUBLISHED}),
    ADMIN: frozenset({Status.DRAFT, Status.REVIEW, Status.PUBLISHED, Status.ARCHIVED}),
}


def roles(user) -> set[str]:
    """The workflow roles of a user (empty for anonymous users)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return set()
    if user.is_superuser:
        return {ADMIN, REVIEWER, EDITOR}
    groups = set(user.groups.values_list("name", flat=True))
    found = set()
    if REVIEWER_GROUP in groups:
        found |= {REVIEWER, EDITOR}
    if EDITOR_GROUP in groups:
        found.add(EDITOR)
    return found


def is_staff_member(user) -> bool:
    """May see drafts (read) at all."""
    return bool(roles(user))


def can_edit(user, obj) -> bool:
    return any(obj.status in EDITABLE_STATUSES[role] for role in roles(user))


def require_can_edit(user, obj) -> None:
    """PermissionDenied unless `user`'s role may edit `obj` as it is now.

    `user=None` is the system (the seed loader, imports, migrations): trusted
    callers that run outside any request and carry no role."""
    if user is not None and not can_edit(user, obj):
        msg = f"Your role may not edit content that is {obj.status}."
        raise PermissionDenied(msg)


def require_can_remove_stops(user, route) -> None:
    if user is not None and not can_remove_stops(user, route):
        msg = "Removing a stop is for reviewers: editors never hard-delete."
        raise PermissionDenied(msg)


def can_remove_stops(user, route) -> bool:
    """Removing a stop deletes its row (its history keeps a record), so it
    is a reviewer's move: nothing is hard-deleted by editors."""
    return REVIEWER in roles(user) and can_edit(user, route)


def can_transition(user, obj, to_status: str) -> bool:
    allowed = TRANSITIONS.get((obj.status, to_status), frozenset())
    user_roles = roles(user)
    if (obj.status, to_status) == (Status.DRAFT, Status.ARCHIVED) and user_roles == {EDITOR}:
        # An editor archives (deletes) only the drafts they created.
        return getattr(obj, "created_by_id", None) == user.pk
    return bool(allowed & user_roles)


@transaction.atomic
def transition(obj, *, to_status: str, user, expected_versions=None) -> None:
    """Move `obj` (a Site, Route or Photo) to `to_status`, or raise.

    `obj` is re-read under a row lock; `expected_versions` as in
    editorial.versions. Raises ValidationError for a move the workflow does
    not have, and PermissionDenied when the user's role may not make it."""
    if obj.pk is not None:
        lock(obj)
        check_version(object_version(obj), expected_versions)
    if to_status not in Status.values:
        raise ValidationError({"status": [f"Unknown status {to_status!r}."]})
    if obj.status == to_status:
        return
    if (obj.status, to_status) not in TRANSITIONS:
        raise ValidationError({"status": [f"Cannot go from {obj.status} to {to_status}."]})
    if not can_transition(user, obj, to_status):
        msg = f"Your role may not move this from {obj.status} to {to_status}."
        raise PermissionDenied(msg)
    obj.status = to_status
    if to_status == Status.PUBLISHED:
        obj.full_clean()  # e.g. a photo needs credits before it is published
    if hasattr(obj, "updated_by"):
        obj.updated_by = user
    obj._history_user = user  # simple_history: the mover, also outside requests
    obj.save()
