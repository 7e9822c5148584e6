"""GET /media/<path>: the gate in front of uploaded media.

Not part of a versioned API: the URLs it serves are handed out by v1 (photo
renditions in site details and bundles, stop audio in route details and
bundles) and by the staff API (drafts), and stay the same across API
versions. Renditions of published photos of published sites, and audio
published for a public stop, are public; originals (with their EXIF, GPS
included), drafts and archived files are for staff only (a session, or a
staff app's API token); anyone else gets a 404, so a draft never leaks by
URL. The app serves the files itself so `make run` needs no web server in
front, with byte ranges (api.ranges: 206, 416) so phone players can seek.
"""

from django.conf import settings
from django.http import Http404
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from api.ranges import ranged_file_response
from editorial import workflow
from routes.audio import AUDIO_DIR, audio_path_is_public
from routes.audio_checks import EXTENSIONS
from routes.models import AUDIO_MEDIA_TYPES
from sites.photos import media_path_is_public

# Audio by the extension routes.audio gives each format (mimetypes knows
# neither .opus nor, everywhere, .m4a).
AUDIO_CONTENT_TYPES = {f".{ext}": AUDIO_MEDIA_TYPES[fmt] for fmt, ext in EXTENSIONS.items()}


def media_file(request, path: str, document_root=None):
    """GET /media/<path>: a rendition of a published photo or a published
    stop's audio for anyone; every other media file for staff only, a 404
    for the rest. `document_root` defaults to MEDIA_ROOT read per request."""
    if not _is_staff(request) and not _is_public(path):
        raise Http404("No such file.")
    return ranged_file_response(
        request, path, document_root or settings.MEDIA_ROOT, content_type=_content_type(path)
    )


def _is_public(path: str) -> bool:
    if path.startswith(AUDIO_DIR):
        return audio_path_is_public(path)
    return media_path_is_public(path)


def _content_type(path: str) -> str | None:
    if not path.startswith(AUDIO_DIR):
        return None
    suffix = path[path.rfind(".") :] if "." in path else ""
    return AUDIO_CONTENT_TYPES.get(suffix, "application/octet-stream")


def _is_staff(request) -> bool:
    """A staff session, or a staff app's API token (the staff API hands its
    clients the URLs of drafts)."""
    if workflow.is_staff_member(request.user):
        return True
    try:
        found = TokenAuthentication().authenticate(request)
    except AuthenticationFailed:
        return False
    return found is not None and workflow.is_staff_member(found[0])
