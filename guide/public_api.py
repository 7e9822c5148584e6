"""The guide's server-rendered pages read the public API, in process.

A page is rendered from exactly the documents the browser fetches
(GET /api/v1/…), so the server-rendered HTML and the script that enhances it
can never disagree, and the guide depends on the public contract only, never
on selectors or models. No HTTP round trip: the URL is resolved and its view
called like Django's handler would, without the middleware.
"""

import json
from dataclasses import dataclass

from django.http import HttpRequest, QueryDict
from django.urls import resolve


class PublicApiError(Exception):
    """The API answered with an error (a problem+json body)."""

    def __init__(self, status: int, problem: dict):
        super().__init__(problem.get("detail") or problem.get("title") or str(status))
        self.status = status
        self.problem = problem


@dataclass(frozen=True)
class ApiAnswer:
    data: dict
    size_bytes: int


def api_get(request: HttpRequest, path: str, **params) -> ApiAnswer:
    """GET `path` (e.g. "/api/v1/routes") with query `params` as a client
    would, answered as JSON; raises PublicApiError for a 4xx/5xx."""
    if not path.startswith("/api/v1/"):
        msg = f"The guide reads the public API only, not {path}."
        raise ValueError(msg)
    inner = HttpRequest()
    inner.method = "GET"
    inner.path = inner.path_info = path
    query = QueryDict(mutable=True)
    query.update({key: str(value) for key, value in params.items() if value is not None})
    inner.GET = query
    inner.META = {
        "SERVER_NAME": request.META.get("SERVER_NAME", "127.0.0.1"),
        "SERVER_PORT": request.META.get("SERVER_PORT", "80"),
        "HTTP_HOST": request.get_host(),
        "HTTP_ACCEPT": "application/json",
        "QUERY_STRING": query.urlencode(),
        "REQUEST_METHOD": "GET",
        "wsgi.url_scheme": request.scheme,
    }
    match = resolve(path)
    response = match.func(inner, *match.args, **match.kwargs)
    if hasattr(response, "render"):
        response.render()
    body = json.loads(response.content) if response.content else {}
    if response.status_code >= 400:
        raise PublicApiError(response.status_code, body)
    return ApiAnswer(data=body, size_bytes=len(response.content))
