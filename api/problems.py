"""Every error under /api and /ogc answers RFC 9457 problem+json.

DRF views and the OGC views shape their own errors. What is left is what
Django or a decorator answers before or around them: the 400s Django gives
for suspicious requests (handled by config.errors.bad_request), the bare
405 of `require_safe`, a CSRF 403 page, and anything else a library answers
in HTML. `ProblemDetailsMiddleware` rewrites those last ones, keeping the
status and the headers a client acts on (Allow, Retry-After, …).

It also refuses request bodies sent with `Transfer-Encoding: chunked`:
WSGI gives Django no length for them, so Django reads them as empty, and a
write that silently lost its body is worse than a clear 411.
"""

from django.http import HttpResponse, JsonResponse

from api.exceptions import PROBLEM_MEDIA_TYPE, problem

API_PREFIXES = ("/api/", "/ogc")
# Headers of the original error that tell a client what to do next.
KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate", "Vary", "Access-Control-Allow-Origin")
DETAILS = {
    403: "Forbidden.",
    405: "This method is not allowed here; the Allow header lists the ones that are.",
    411: "Send the body with a Content-Length: chunked request bodies are not accepted.",
}


def is_api(request) -> bool:
    return request.path.startswith(API_PREFIXES)


def problem_response(status: int, detail: str, *, slug: str | None = None, errors=None) -> JsonResponse:
    return JsonResponse(
        problem(status, detail, slug=slug, errors=errors),
        status=status,
        content_type=PROBLEM_MEDIA_TYPE,
        json_dumps_params={"ensure_ascii": False},
    )


def _is_json(response) -> bool:
    media_type = response.get("Content-Type", "").split(";")[0].strip().lower()
    return media_type.endswith(("/json", "+json"))


class ProblemDetailsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.META.get("HTTP_TRANSFER_ENCODING", "").strip().lower() not in {"", "identity"}:
            return self.length_required(request)
        response = self.get_response(request)
        if response.status_code >= 400 and is_api(request) and not _is_json(response):
            return self.as_problem(response)
        return response

    @staticmethod
    def length_required(request) -> HttpResponse:
        if is_api(request):
            return problem_response(411, DETAILS[411], slug="length-required")
        return HttpResponse(DETAILS[411], status=411, content_type="text/plain; charset=utf-8")

    @staticmethod
    def as_problem(original) -> JsonResponse:
        status = original.status_code
        response = problem_response(status, DETAILS.get(status, original.reason_phrase + "."))
        for name in KEPT_HEADERS:
            if name in original:
                response[name] = original[name]
        return response
