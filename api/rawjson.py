"""JSON renderers that write PostgreSQL's own JSON text into the response
verbatim (docs/adr/0002-tourist-api-geojson.md)."""

import re
import uuid

from rest_framework.renderers import JSONRenderer

from api.renderers import GeoJSONRenderer


class RawJSON:
    """JSON text PostgreSQL already wrote (ST_AsGeoJSON), put into the
    response as it is: a 2,000-vertex path is then neither parsed into Python
    lists nor encoded again (about a quarter of a route detail's time)."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text


# A placeholder the encoder leaves for each RawJSON value: "<token>:<index>".
# One pattern for every request (the token is checked per match): compiling
# a pattern per request was ~0.7 ms of a profiled nearby request.
PLACEHOLDER = re.compile(rb'"([0-9a-f]{32}):(\d+)"')


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
        ours = token.encode()

        def fragment(match: re.Match) -> bytes:
            if match.group(1) != ours:  # the same shape inside a real string: leave it
                return match.group(0)
            return fragments[int(match.group(2))]

        return PLACEHOLDER.sub(fragment, rendered)


class RawGeoJSONRenderer(RawJSONMixin, GeoJSONRenderer):
    pass


class RawJSONRenderer(RawJSONMixin, JSONRenderer):
    pass
