"""The HTTP frame every /ogc view shares: GET/HEAD only, unknown parameters
refused (OGC /req/core/query-param-unknown), `f` and Accept negotiation,
absolute links, and errors as RFC 9457 problem details naming the parameter."""

from urllib.parse import urlencode

from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from api.exceptions import PROBLEM_MEDIA_TYPE, problem
from api.ogc import html
from api.ogc.collections import COLLECTIONS, Collection
from geodata.params import FilterError

JSON = "application/json"
HTML = "text/html"


class OgcError(Exception):
    def __init__(self, status: int, detail: str, parameter: str | None = None):
        super().__init__(detail)
        self.status, self.detail, self.parameter = status, detail, parameter


def problem_response(error: OgcError) -> JsonResponse:
    errors = [{"parameter": error.parameter, "message": error.detail}] if error.parameter else None
    body = problem(
        error.status, f"{error.parameter}: {error.detail}" if error.parameter else error.detail, errors=errors
    )
    # OGC's exception schema names `code` and `description`; both are given.
    body.update(code=str(error.status), description=body["detail"])
    return JsonResponse(
        body, status=error.status, content_type=PROBLEM_MEDIA_TYPE, json_dumps_params={"ensure_ascii": False}
    )


def ogc_view(allowed: set[str]):
    """Require GET/HEAD, reject unknown query parameters and turn OgcError
    and FilterError into problem+json."""

    def decorate(view):
        @require_safe
        def wrapper(request, *args, **kwargs):
            try:
                unknown = sorted(set(request.GET) - allowed - _collection_params(kwargs))
                if unknown:
                    raise OgcError(400, "Unknown query parameter.", unknown[0])
                for name, value in request.GET.items():
                    if "\x00" in value:  # PostgreSQL text cannot hold NUL: a 400, not a 500
                        raise OgcError(400, "NUL characters are not allowed.", name)
                representation(request)
                return view(request, *args, **kwargs)
            except OgcError as error:
                return problem_response(error)
            except FilterError as error:
                return problem_response(OgcError(400, error.message, error.parameter))

        wrapper.__name__ = view.__name__
        wrapper.__doc__ = view.__doc__
        # Read-only: other methods get 405 with Allow from require_safe, not
        # the CSRF middleware's 403 page (nothing here changes state).
        return csrf_exempt(wrapper)

    return decorate


def _collection_params(kwargs) -> set[str]:
    collection = COLLECTIONS.get(kwargs.get("collection_id", ""))
    return set(collection.filters) if collection else set()


def get_collection(collection_id: str) -> Collection:
    try:
        return COLLECTIONS[collection_id]
    except KeyError:
        raise OgcError(404, f"No collection {collection_id!r}; see /ogc/collections.") from None


def representation(request) -> str:
    """`f` wins; else the Accept header; else JSON."""
    f = request.GET.get("f")
    if f is not None:
        if f in ("json", "geojson"):
            return JSON
        if f == "html":
            return HTML
        raise OgcError(400, "Use f=json or f=html.", "f")
    accept = request.headers.get("Accept", "")
    first = accept.split(",")[0].strip()
    return HTML if first.startswith("text/html") else JSON


def absolute(request, name: str, params: dict | None = None, **kwargs) -> str:
    url = request.build_absolute_uri(reverse(f"ogc:{name}", kwargs=kwargs))
    return f"{url}?{urlencode(params)}" if params else url


def self_links(request, name: str, *, json_type: str = JSON, **kwargs) -> list[dict]:
    """self + alternate, in the representation asked for and the other one."""
    here = representation(request)
    json_link = {"href": absolute(request, name, {"f": "json"}, **kwargs), "type": json_type, "title": "JSON"}
    html_link = {"href": absolute(request, name, {"f": "html"}, **kwargs), "type": HTML, "title": "HTML"}
    if here == HTML:
        return [{**html_link, "rel": "self"}, {**json_link, "rel": "alternate"}]
    return [{**json_link, "rel": "self"}, {**html_link, "rel": "alternate"}]


def respond(request, data: dict, *, title: str, content_type: str = JSON) -> HttpResponse:
    if representation(request) == HTML:
        return HttpResponse(html.page(title, data), content_type="text/html; charset=utf-8")
    return JsonResponse(data, content_type=content_type, json_dumps_params={"ensure_ascii": False})
