"""The editorial workflow in the admin, for sites, routes and photos.

Permissions come from editorial.workflow (Django groups `editor` and
`reviewer`, and superusers), not from per-model Django permissions, so the
admin, the API and commands agree on one rule set:

- view: any staff member (editor, reviewer, admin);
- add: editors and up;
- change: `workflow.can_edit` (editors: draft and review only);
- status moves: admin actions calling `workflow.transition`, which refuses
  an editor's publish; the status field itself is read-only;
- delete: archives (`transition(..., ARCHIVED)`). Only a superuser deleting
  an already archived object removes it for good;
- revert (django-simple-history): allowed to whoever may change the object
  as it is now, and it reverts the content only: the status stays the live
  one, so a revert can neither publish nor unpublish;
- saves: the concrete admins' save_model/save_formset call their app's
  services (sites.services, routes.services, sites.photos), so the admin
  writes with the same locks, checks and history rows as the API.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.urls import reverse

from editorial import workflow
from editorial.vocabularies import Status


def request_roles(request) -> set[str]:
    """workflow.roles() of the request's user, asked once per request: an
    admin page checks permissions for every model in its sidebar."""
    cached = getattr(request, "_heritage_roles", None)
    if cached is None:
        cached = request._heritage_roles = workflow.roles(request.user)
    return cached


def adopt(form_instance, saved) -> None:
    """Make the admin's form instance the row a service created (the
    services build their own), so the inlines, the log entry and the
    redirect use it."""
    form_instance.pk = saved.pk
    form_instance._state.adding = False
    form_instance.refresh_from_db()


def _message(error) -> str:
    if isinstance(error, ValidationError):
        return "; ".join(error.messages)
    return str(error)


def _move(modeladmin, request, queryset, to_status: str, verb: str) -> None:
    moved, refused = [], []
    for obj in queryset:
        obj._history_user = request.user
        try:
            with transaction.atomic():
                workflow.transition(obj, to_status=to_status, user=request.user)
        except (PermissionDenied, ValidationError) as error:
            refused.append(f"{obj}: {_message(error)}")
        else:
            moved.append(str(obj))
    if moved:
        modeladmin.message_user(request, f"{verb}: {', '.join(moved)}.", messages.SUCCESS)
    if refused:
        modeladmin.message_user(request, f"Not {verb.lower()}: {' | '.join(refused)}", messages.WARNING)


@admin.action(description="Submit selected for review")
def submit_for_review(modeladmin, request, queryset):
    _move(modeladmin, request, queryset, Status.REVIEW, "Submitted for review")


@admin.action(description="Publish selected (reviewers)")
def publish(modeladmin, request, queryset):
    _move(modeladmin, request, queryset, Status.PUBLISHED, "Published")


@admin.action(description="Send selected back to draft")
def back_to_draft(modeladmin, request, queryset):
    _move(modeladmin, request, queryset, Status.DRAFT, "Sent back to draft")


@admin.action(description="Archive selected")
def archive(modeladmin, request, queryset):
    _move(modeladmin, request, queryset, Status.ARCHIVED, "Archived")


# Actions a role never may take are not offered at all.
REVIEWER_ONLY_ACTIONS = {"publish"}

# Buttons on the change form: save, then move (offered only when allowed).
TRANSITION_BUTTONS = (
    (Status.REVIEW, "Save and submit for review"),
    (Status.PUBLISHED, "Save and publish"),
    (Status.DRAFT, "Save and send back to draft"),
    (Status.ARCHIVED, "Save and archive"),
)


class WorkflowAdminMixin:
    actions = [submit_for_review, publish, back_to_draft, archive]

    def has_module_permission(self, request):
        return bool(request_roles(request))

    def has_view_permission(self, request, obj=None):
        return bool(request_roles(request))

    def has_add_permission(self, request, *args):
        return workflow.EDITOR in request_roles(request)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return workflow.EDITOR in request_roles(request)
        self._keep_live_status(request, obj)
        return workflow.can_edit(request.user, obj)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """A past version, offered for revert. simple_history checks only the
        view permission (also on POST) and judges a version by its own, past
        status: an editor could then publish by reverting to a published
        version. Here the live object decides who may revert, and the
        reverted object keeps the live status."""
        live = self.get_object(request, unquote(object_id))
        if live is None:
            # Restoring something deleted for good is a superuser's call:
            # the version may carry any status, "published" included.
            if not request.user.is_superuser:
                raise PermissionDenied
        elif not self.has_change_permission(request, live):
            raise PermissionDenied
        else:
            request._heritage_revert = (live.pk, getattr(live, "status", None))
        return super().history_form_view(request, object_id, version_id, extra_context)

    @staticmethod
    def _keep_live_status(request, obj) -> None:
        revert = getattr(request, "_heritage_revert", None)
        if revert is not None and revert[1] is not None and obj.pk == revert[0]:
            obj.status = revert[1]

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return workflow.EDITOR in request_roles(request)
        if obj.status == Status.ARCHIVED:
            return request.user.is_superuser
        return workflow.can_transition(request.user, obj, Status.ARCHIVED)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # deletion archives: see `archive`
        if workflow.REVIEWER not in request_roles(request):
            for name in REVIEWER_ONLY_ACTIONS:
                actions.pop(name, None)
        return actions

    def get_readonly_fields(self, request, obj=None):
        return (*super().get_readonly_fields(request, obj), "status")

    def _hard_delete(self, request, obj) -> bool:
        return request.user.is_superuser and obj.status == Status.ARCHIVED

    def get_deleted_objects(self, objs, request):
        objs = list(objs)
        if all(self._hard_delete(request, obj) for obj in objs):
            return super().get_deleted_objects(objs, request)
        # Archiving touches only the object itself: nothing cascades.
        model_count = {self.model._meta.verbose_name_plural: len(objs)}
        return [str(obj) for obj in objs], model_count, set(), []

    def delete_model(self, request, obj):
        if self._hard_delete(request, obj):
            request._heritage_hard_deleted = True
            super().delete_model(request, obj)
            return
        obj._history_user = request.user
        workflow.transition(obj, to_status=Status.ARCHIVED, user=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)

    def delete_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, object_id)
        archives = obj is not None and not self._hard_delete(request, obj)
        extra_context = {**(extra_context or {}), "heritage_archives": archives}
        return super().delete_view(request, object_id, extra_context)

    def response_delete(self, request, obj_display, obj_id):
        # Django would say "deleted successfully"; say what really happened.
        verb = "deleted for good" if getattr(request, "_heritage_hard_deleted", False) else "archived"
        self.message_user(request, f"“{obj_display}” was {verb}.", messages.SUCCESS)
        opts = self.model._meta
        return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk and self.has_change_permission(request, obj):
            context["heritage_transitions"] = [
                (status, label)
                for status, label in TRANSITION_BUTTONS
                if workflow.can_transition(request.user, obj, status)
            ]
        return super().render_change_form(request, context, add, change, form_url, obj)

    def response_change(self, request, obj):
        to_status = request.POST.get("_transition")
        if not to_status:
            return super().response_change(request, obj)
        obj._history_user = request.user
        try:
            with transaction.atomic():
                workflow.transition(obj, to_status=to_status, user=request.user)
        except (PermissionDenied, ValidationError) as error:
            self.message_user(request, f"Saved, but not moved: {_message(error)}", messages.WARNING)
        else:
            self.message_user(request, f"Saved; “{obj}” is now {obj.get_status_display().lower()}.")
        opts = self.model._meta
        if workflow.can_edit(request.user, obj):
            return HttpResponseRedirect(request.path)
        return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
