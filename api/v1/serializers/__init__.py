"""The v1 contract of the public (tourist) resources.

Lists (sites, nearby, routes) are built in PostGIS by the selectors; the
drf-gis serializers here are their twins, and tests/api/v1 keeps the two
equal (parity tests). Details (a site, a route with its stops) and the
trigger zones are serialized here, with geometries already GeoJSON from SQL
(drf-gis passes dicts through), so no GEOS object is built per row.

Texts are multilingual dicts; `TranslatedField` picks one language per field
with the tr → en → any fallback. The language comes from the context.

The contract is split by resource: fields.py (shared fields), sites.py,
routes.py, progress.py; this package exports the names views and tests use.
"""

from api.v1.serializers.fields import GeoJSONField, TranslatedField, UTCDateTimeField, media_url
from api.v1.serializers.progress import NextStopSerializer, ProgressSerializer, StopOnPathSerializer
from api.v1.serializers.routes import (
    RouteFeatureSerializer,
    RouteListFeatureSerializer,
    RouteStopFeatureSerializer,
    RouteSummaryMixin,
    TriggerZoneFeatureSerializer,
)
from api.v1.serializers.sites import (
    AccessibilityField,
    PeriodSerializer,
    PhotoSerializer,
    SiteDetailSerializer,
    SiteListFeatureSerializer,
    SiteNearbyFeatureSerializer,
    SiteRouteSerializer,
)

__all__ = [
    "AccessibilityField",
    "GeoJSONField",
    "NextStopSerializer",
    "PeriodSerializer",
    "PhotoSerializer",
    "ProgressSerializer",
    "RouteFeatureSerializer",
    "RouteListFeatureSerializer",
    "RouteStopFeatureSerializer",
    "RouteSummaryMixin",
    "SiteDetailSerializer",
    "SiteListFeatureSerializer",
    "SiteNearbyFeatureSerializer",
    "SiteRouteSerializer",
    "StopOnPathSerializer",
    "TranslatedField",
    "TriggerZoneFeatureSerializer",
    "UTCDateTimeField",
    "media_url",
]
