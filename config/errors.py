"""Error pages: problem+json (RFC 9457) under /api and /ogc, HTML elsewhere.

DRF shapes errors raised inside its views; these cover what never reaches a
view (no URL matched, e.g. a trailing slash) and unexpected failures.
"""

import sys

from django.conf import settings
from django.core.exceptions import DisallowedHost, RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import JsonResponse
from django.views import defaults

from api.exceptions import PROBLEM_MEDIA_TYPE, problem
from config.database_faults import fault_response, is_database_fault

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
    # A database fault raised outside a view (middleware): a 503, not a 500.
    fault = sys.exc_info()[1]
    if is_database_fault(fault):
        return fault_response(request, fault)
    if _is_api(request):
        body = problem(500, "The server failed to answer; the error has been logged.")
        return JsonResponse(body, status=500, content_type=PROBLEM_MEDIA_TYPE)
    return defaults.server_error(request)


# What Django refuses before a view runs (SuspiciousOperation and friends),
# said in words a client can act on. The limits are Django settings.
BAD_REQUEST_DETAILS = {
    TooManyFieldsSent: (
        400,
        "too-many-fields",
        "Too many query or form fields (at most {DATA_UPLOAD_MAX_NUMBER_FIELDS}).",
    ),
    TooManyFilesSent: (
        400,
        "too-many-files",
        "Too many files in one upload (at most {DATA_UPLOAD_MAX_NUMBER_FILES}).",
    ),
    RequestDataTooBig: (413, "payload_too_large", "The request body is too large."),
    DisallowedHost: (400, "disallowed-host", "The Host header names a host this service does not serve."),
}


def bad_request(request, exception=None):
    if not _is_api(request):
        return defaults.bad_request(request, exception)
    status, slug, detail = 400, "bad-request", "The request could not be read."
    for kind, answer in BAD_REQUEST_DETAILS.items():
        if isinstance(exception, kind):
            status, slug, detail = answer
            detail = detail.format(
                DATA_UPLOAD_MAX_NUMBER_FIELDS=settings.DATA_UPLOAD_MAX_NUMBER_FIELDS,
                DATA_UPLOAD_MAX_NUMBER_FILES=settings.DATA_UPLOAD_MAX_NUMBER_FILES,
            )
            break
    body = problem(status, detail, slug=slug)
    return JsonResponse(body, status=status, content_type=PROBLEM_MEDIA_TYPE)


def permission_denied(request, exception=None):
    if _is_api(request):
        body = problem(403, str(exception or "") or "Forbidden.")
        return JsonResponse(body, status=403, content_type=PROBLEM_MEDIA_TYPE)
    return defaults.permission_denied(request, exception)
