"""Who may use the staff API, on top of editorial.workflow's rules.

Roles come from Django groups (editorial.workflow.roles): anonymous users get 401
everywhere under /api/v1/staff/ (drafts never leak), signed-in users without
an editorial role get 403. What a role may do to one object (edit it, move
its status) is decided by editorial.workflow inside the services, so the
admin and the API agree.
"""

from rest_framework.permissions import BasePermission

from editorial import workflow


class IsStaffMember(BasePermission):
    """An editor, a reviewer or an admin (superuser)."""

    message = "Only editors, reviewers and admins may use the staff API."

    def has_permission(self, request, view):
        # DRF answers 401 instead of 403 when nobody is authenticated.
        return workflow.is_staff_member(request.user)
