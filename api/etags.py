"""HTTP caching for public GETs: ETag, If-None-Match → 304, Cache-Control.

Two kinds of ETag (docs/adr/0010-hot-paths-and-caches.md):

- `VersionedResponseMixin` (every public read, api.public): the ETag names
  the public content version (editorial.content_version) and the request's
  variant (path and query, host, language, media type, code release). A
  revalidation is answered by one indexed read of the version, before any
  body is built; any write to what public responses show changes the
  version, so no ETag outlives the data it was issued for. The same key
  finds bodies this process rendered before (api.response_cache).
- `CachedResponseMixin` (the OpenAPI document): a hash of the rendered
  body, for responses that depend on code, not data.

Django's GZipMiddleware turns a strong ETag weak (W/"…") on the compressed
variant, as RFC 9110 requires for a different content-coding. If-None-Match
uses the weak comparison (RFC 9110 §13.1.2), so both forms revalidate.
"""

import hashlib
import os
from functools import cache
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotModified
from django.middleware.gzip import re_accepts_gzip
from django.utils.cache import patch_vary_headers

from api.response_cache import Entry, response_cache
from editorial.content_version import content_version

# Headers a 304 must repeat (RFC 9110 §15.4.5).
NOT_MODIFIED_HEADERS = ("ETag", "Cache-Control", "Vary", "Content-Language", "Content-Location")
# The packages whose code shapes a public response.
RESPONSE_CODE = ("api", "config", "editorial", "geodata", "interchange", "routes", "sites")


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


def not_modified(response) -> HttpResponseNotModified:
    answer = HttpResponseNotModified()
    for header in NOT_MODIFIED_HEADERS:
        if header in response:
            answer[header] = response[header]
    return answer


def conditional_response(request, response, *, cache_control: str):
    """Add a body-hash ETag, Cache-Control and Vary to a 200; answer 304
    when the client's If-None-Match already names this representation."""
    if request.method not in ("GET", "HEAD") or response.status_code != 200:
        return response
    if hasattr(response, "render") and not getattr(response, "is_rendered", True):
        response.render()
    response["ETag"] = representation_etag(response)
    response["Cache-Control"] = cache_control
    patch_vary_headers(response, ["Accept"])
    if etag_matches(request.headers.get("If-None-Match", ""), response["ETag"]):
        return not_modified(response)
    return response


class CachedResponseMixin:
    """For APIViews: every successful GET gets a body-hash ETag and
    `cache_control`; errors are left uncached by intermediaries' defaults."""

    cache_control = "public, max-age=300"

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        return conditional_response(request, response, cache_control=self.cache_control)


@cache
def code_release() -> str:
    """What distinguishes one deployment's responses from another's for the
    same data: HERITAGE_RELEASE if set, else a hash of the response code
    (read once per process, about 2 ms)."""
    if os.environ.get("HERITAGE_RELEASE"):
        return os.environ["HERITAGE_RELEASE"]
    digest = hashlib.sha256()
    for package in RESPONSE_CODE:
        for source in sorted((Path(settings.BASE_DIR) / package).rglob("*.py")):
            digest.update(source.read_bytes())
    return digest.hexdigest()[:12]


class NotModified(Exception):
    """Raised before the handler runs: the client's copy is current."""


class CachedBody(Exception):
    """Raised before the handler runs: this process already rendered it."""

    def __init__(self, key: str, entry: Entry):
        self.key = key
        self.entry = entry


class VersionedResponseMixin:
    """For public APIViews: ETag = content version + request variant, and
    rendered bodies kept per variant for one version (api.response_cache).

    The version must never be newer than the body it labels (else a client
    could revalidate an old body forever). A view whose main query also
    reads the version (`ContentVersion()`, one snapshot for both) sets
    `reads_content_version` and stores it in `self.content_version`; when it
    has none to store (no row came back) the 200 goes out without an ETag
    and is not kept. Any other view gets the version read in `initial`,
    before the body. It is read there too when the client sends
    If-None-Match (a match is a 304, no body built) or when this process
    holds a body for the variant (same version: that body, no query else);
    so a first request costs no extra query."""

    cache_control = "public, no-cache"
    reads_content_version = False
    keep_responses = True  # off for per-position answers nobody asks twice

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # negotiates media type and language
        self.content_version = None
        if request.method not in ("GET", "HEAD"):
            return
        if_none_match = request.headers.get("If-None-Match")
        kept = self.kept_responses()
        key = self.variant() if kept else None
        entry = kept.get(key) if kept else None
        if if_none_match or entry or not self.reads_content_version:
            self.content_version = content_version()
        if if_none_match and etag_matches(if_none_match, self.version_etag(self.content_version)):
            raise NotModified
        if entry and entry.version == self.content_version:
            raise CachedBody(key, entry)

    def kept_responses(self):
        return response_cache() if self.keep_responses else None

    def variant(self) -> str:
        """What, besides the data, selects this representation."""
        request = self.request
        parts = [
            code_release(),
            request.get_host(),
            request.get_full_path(),
            getattr(request, "accepted_media_type", "") or "",
            getattr(self, "language", ""),
        ]
        return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:16]

    def version_etag(self, version: int) -> str:
        return f'"v{version}-{self.variant()}"'

    def handle_exception(self, exc):
        if isinstance(exc, NotModified):
            return HttpResponseNotModified()
        if isinstance(exc, CachedBody):
            return self.kept_response(exc.key, exc.entry)
        return super().handle_exception(exc)

    def kept_response(self, key: str, entry: Entry) -> HttpResponse:
        """A kept body as a response: gzipped once and kept so for a client
        that accepts gzip, as GZipMiddleware would send it (it leaves a
        response with a Content-Encoding alone; finalize_response adds the
        weak ETag and the Vary it would have added)."""
        gzipped = None
        if re_accepts_gzip.search(self.request.META.get("HTTP_ACCEPT_ENCODING", "")):
            gzipped = self.kept_responses().gzipped(key, entry)
        response = HttpResponse(gzipped or entry.content, content_type=entry.content_type)
        if entry.content_type is None:
            del response["Content-Type"]  # as DRF leaves an empty body
        if gzipped:
            response["Content-Encoding"] = "gzip"
        response.content_language = entry.content_language  # read by LanguageMixin
        response.kept = True  # finalize_response must not keep it again
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or response.status_code not in (200, 304):
            return response
        if hasattr(response, "render") and not getattr(response, "is_rendered", True):
            response.render()
        if self.content_version is not None:
            response["ETag"] = self.version_etag(self.content_version)
            if not getattr(response, "kept", False):
                self.keep(response)
        response["Cache-Control"] = self.cache_control
        patch_vary_headers(response, ["Accept"])
        if getattr(response, "kept", False) and response.get("Content-Encoding") == "gzip":
            response["ETag"] = "W/" + response["ETag"]
            patch_vary_headers(response, ["Accept-Encoding"])
        return response

    def keep(self, response) -> None:
        kept = self.kept_responses()
        if kept is None or response.status_code != 200 or getattr(response, "streaming", False):
            return
        content_type, language = response.get("Content-Type"), response.get("Content-Language")
        kept.put(self.variant(), Entry(self.content_version, response.content, content_type, language))
