"""GET /media/<path>: the gate in front of uploaded media.

Not part of a versioned API: the URLs it serves are handed out by v1 (photo
renditions in site details and bundles) and by the staff API (drafts'
renditions), and stay the same across API versions. Renditions of published
photos of published sites are public; originals (with their EXIF, GPS
included) and drafts' renditions are for staff only (a session, or a staff
app's API token); anyone else gets a 404, so a draft never leaks by URL. The
app serves the files itself so `make run` needs no web server in front.
"""

from django.conf import settings
from django.http import Http404
from django.views.static import serve
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from editorial import workflow
from sites.photos import media_path_is_public


def media_file(request, path: str, document_root=None):
    """GET /media/<path>: a rendition of a published photo for anyone; every
    other media file (drafts' renditions, originals) for staff only, a 404
    for the rest. `document_root` defaults to MEDIA_ROOT read per request."""
    if not _is_staff(request) and not media_path_is_public(path):
        raise Http404("No such file.")
    return serve(request, path, document_root=document_root or settings.MEDIA_ROOT)


def _is_staff(request) -> bool:
    """A staff session, or a staff app's API token (the staff API hands its
    clients the URLs of draft renditions)."""
    if workflow.is_staff_member(request.user):
        return True
    try:
        found = TokenAuthentication().authenticate(request)
    except AuthenticationFailed:
        return False
    return found is not None and workflow.is_staff_member(found[0])
