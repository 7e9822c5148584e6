"""HTTP caching for public GETs: strong ETag, If-None-Match → 304, Cache-Control.

The ETag is a hash of the representation: the rendered bytes plus the
headers that select it (Content-Type, Content-Language). It is exact by
construction: there is no version counter to forget to bump when a stop,
photo or period changes. The query still runs on a revalidation; what a 304
saves is the transfer to the phone, which is the cost that matters on a
mobile network. (A DB-side version, e.g. max(updated_at) over the rows
involved, would save the query too; see docs/adr/0002.)

Django's GZipMiddleware turns a strong ETag weak (W/"…") on the compressed
variant, as RFC 9110 requires for a different content-coding. If-None-Match
uses the weak comparison (RFC 9110 §13.1.2), so both forms revalidate.
"""

import hashlib

from django.http import HttpResponseNotModified
from django.utils.cache import patch_vary_headers

# Headers a 304 must repeat (RFC 9110 §15.4.5).
NOT_MODIFIED_HEADERS = ("ETag", "Cache-Control", "Vary", "Content-Language", "Content-Location")


def representation_etag(response) -> str:
    digest = hashlib.sha256()
    digest.update(response.get("Content-Type", "").encode())
    digest.update(b"\0")
    digest.update(response.get("Content-Language", "").encode())
    digest.update(b"\0")
    digest.update(response.content)
    return f'"{digest.hexdigest()[:32]}"'


def etag_matches(if_none_match: str, etag: str) -> bool:
    """Weak comparison of an If-None-Match list against our ETag."""
    if if_none_match.strip() == "*":
        return True
    wanted = etag.removeprefix("W/")
    return any(candidate.strip().removeprefix("W/") == wanted for candidate in if_none_match.split(","))


def conditional_response(request, response, *, cache_control: str):
    """Add ETag, Cache-Control and Vary to a 200; answer 304 when the
    client's If-None-Match already names this representation."""
    if request.method not in ("GET", "HEAD") or response.status_code != 200:
        return response
    if hasattr(response, "render") and not getattr(response, "is_rendered", True):
        response.render()
    response["ETag"] = representation_etag(response)
    response["Cache-Control"] = cache_control
    patch_vary_headers(response, ["Accept"])
    if etag_matches(request.headers.get("If-None-Match", ""), response["ETag"]):
        not_modified = HttpResponseNotModified()
        for header in NOT_MODIFIED_HEADERS:
            if header in response:
                not_modified[header] = response[header]
        return not_modified
    return response


class CachedResponseMixin:
    """For APIViews: every successful GET gets a strong ETag and
    `cache_control`; errors are left uncached by intermediaries' defaults."""

    cache_control = "public, max-age=300"

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        return conditional_response(request, response, cache_control=self.cache_control)
