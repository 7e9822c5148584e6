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
import re
import uuid

from django.http import Http404, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from api.exceptions import ParameterError
from api.i18n import LanguageMixin
from api.renderers import GeoJSONRenderer

SLUG = re.compile(r"[-a-zA-Z0-9_]+")
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


class RawJSON:
    """JSON text PostgreSQL already wrote (ST_AsGeoJSON), put into the
    response as it is: a 2,000-vertex path is then neither parsed into Python
    lists nor encoded again (about a quarter of a route detail's time)."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text


class RawJSONMixin:
    """For JSON renderers: RawJSON values are written verbatim. The encoder
    leaves a unique placeholder string for each, replaced after encoding."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        fragments: list[bytes] = []
        token = uuid.uuid4().hex

        class Encoder(self.encoder_class):
            def default(self, obj):
                if isinstance(obj, RawJSON):
                    fragments.append(obj.text.encode())
                    return f"{token}:{len(fragments) - 1}"
                return super().default(obj)

        self.encoder_class = Encoder  # renderers are instantiated per request
        rendered = super().render(data, accepted_media_type, renderer_context)
        if not fragments:
            return rendered
        pattern = re.compile(rf'"{token}:(\d+)"'.encode())
        return pattern.sub(lambda match: fragments[int(match.group(1))], rendered)


class RawGeoJSONRenderer(RawJSONMixin, GeoJSONRenderer):
    pass


class RawJSONRenderer(RawJSONMixin, JSONRenderer):
    pass


PUBLIC_RENDERERS = [RawGeoJSONRenderer, RawJSONRenderer]


class PublicReadApi(CachedResponseMixin, LanguageMixin, APIView):
    """Base of the public GeoJSON views: no authentication (so no session,
    no CSRF, no Vary: Cookie), GeoJSON or JSON, negotiated language, ETag."""

    authentication_classes = []
    permission_classes = [AllowAny]
    renderer_classes = PUBLIC_RENDERERS

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # URLs take any path segment as a slug (so a malformed one is a
        # problem+json 404, not Django's HTML page); one that cannot be a
        # slug, e.g. with a NUL byte PostgreSQL would refuse, never reaches SQL.
        slug = kwargs.get("slug")
        if slug is not None and not SLUG.fullmatch(slug):
            raise NotFound("No published resource has this slug.")

    def perform_content_negotiation(self, request, force=False):
        # DRF answers an unknown ?format= with a bare 404; it is a bad parameter.
        try:
            return super().perform_content_negotiation(request, force)
        except Http404 as error:
            if force:
                raise
            formats = ", ".join(renderer.format for renderer in self.get_renderers())
            raise ParameterError({"format": [f"Unknown format; use one of: {formats}."]}) from error
