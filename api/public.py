"""The base of every public read view: no authentication, GeoJSON or JSON
(PostgreSQL's text verbatim), negotiated language, ETag and Cache-Control."""

import re

from django.http import Http404
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from api.etags import VersionedResponseMixin
from api.exceptions import ParameterError
from api.i18n import LanguageMixin
from api.rawjson import RawGeoJSONRenderer, RawJSONRenderer

SLUG = re.compile(r"[-a-zA-Z0-9_]+")


PUBLIC_RENDERERS = [RawGeoJSONRenderer, RawJSONRenderer]


class FormatParameterMixin:
    """For APIViews: an unknown ?format= is a 400 naming it (DRF answers a bare 404)."""

    def perform_content_negotiation(self, request, force=False):
        # DRF answers an unknown ?format= with a bare 404; it is a bad parameter.
        try:
            return super().perform_content_negotiation(request, force)
        except Http404 as error:
            if force:
                raise
            formats = ", ".join(renderer.format for renderer in self.get_renderers())
            raise ParameterError({"format": [f"Unknown format; use one of: {formats}."]}) from error


# (renderer classes, format suffix, ?format=, Accept) -> (renderer index, media type)
_NEGOTIATED: dict[tuple, tuple[int, str]] = {}  # per process; a miss just negotiates
NEGOTIATED_MAX = 512


class PublicReadApi(FormatParameterMixin, VersionedResponseMixin, LanguageMixin, APIView):
    """Base of the public GeoJSON views: no authentication (so no session,
    no CSRF, no Vary: Cookie), GeoJSON or JSON, negotiated language, and an
    ETag naming the content version (api.etags.VersionedResponseMixin)."""

    authentication_classes = []
    permission_classes = [AllowAny]
    renderer_classes = PUBLIC_RENDERERS

    def perform_content_negotiation(self, request, force=False):
        # DRF's negotiation depends only on these four and parses the Accept
        # header anew per request (~0.2 ms); remember each successful outcome
        # (which renderer, what media type). Failures are never remembered:
        # they take DRF's path (a 406, or FormatParameterMixin's 400).
        key = (
            tuple(self.renderer_classes),
            self.format_kwarg,
            request.query_params.get(self.settings.URL_FORMAT_OVERRIDE),
            request.META.get("HTTP_ACCEPT"),
        )
        remembered = _NEGOTIATED.get(key)
        if remembered is None or force:
            renderer, media_type = super().perform_content_negotiation(request, force)
            if force:  # an error's fallback renderer, not an outcome to remember
                return renderer, media_type
            index = next(i for i, cls in enumerate(self.renderer_classes) if type(renderer) is cls)
            if len(_NEGOTIATED) >= NEGOTIATED_MAX:
                _NEGOTIATED.clear()  # arbitrary Accept headers must not grow it for ever
            _NEGOTIATED[key] = (index, media_type)
            return renderer, media_type
        index, media_type = remembered
        return self.renderer_classes[index](), media_type

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # URLs take any path segment as a slug (so a malformed one is a
        # problem+json 404, not Django's HTML page); one that cannot be a
        # slug, e.g. with a NUL byte PostgreSQL would refuse, never reaches SQL.
        slug = kwargs.get("slug")
        if slug is not None and not SLUG.fullmatch(slug):
            raise NotFound("No published resource has this slug.")
