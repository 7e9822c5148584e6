"""Error pages: problem+json (RFC 9457) under /api and /ogc, HTML elsewhere.

DRF shapes errors raised inside its views; these cover what never reaches a
view (no URL matched, e.g. a trailing slash) and unexpected failures.
"""

from django.http import JsonResponse
from django.views import defaults

from api.exceptions import PROBLEM_MEDIA_TYPE, problem

API_PREFIXES = ("/api/", "/ogc")


def _is_api(request) -> bool:
    return request.path.startswith(API_PREFIXES)


def not_found(request, exception=None):
    if _is_api(request):
        body = problem(404, f"Nothing here: {request.path}. Paths have no trailing slash; see /api/v1/docs.")
        return JsonResponse(body, status=404, content_type=PROBLEM_MEDIA_TYPE)
    if not request.path.startswith(("/admin/", "/static/", "/media/")):
        from guide.views import not_found as guide_not_found

        return guide_not_found(request, exception)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if _is_api(request):
        body = problem(500, "The server failed to answer; the error has been logged.")
        return JsonResponse(body, status=500, content_type=PROBLEM_MEDIA_TYPE)
    return defaults.server_error(request)
