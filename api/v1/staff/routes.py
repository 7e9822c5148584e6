"""Staff views for routes: list/create, read/edit/archive, workflow moves.

    GET    /api/v1/staff/routes[?status=&limit=&offset=]   FeatureCollection
    POST   /api/v1/staff/routes                            Feature -> 201 draft
    GET    /api/v1/staff/routes/{slug}                     Feature + ETag
    PATCH  /api/v1/staff/routes/{slug}      If-Match       Feature (partial)
    DELETE /api/v1/staff/routes/{slug}      If-Match       archives (200, Feature)
    POST   /api/v1/staff/routes/{slug}/status  If-Match    {"status": "published"}

The views are api/v1/staff/base.py's, configured here; the route's stops
are a sub-resource: api/v1/staff/stops.py.
"""

from api.v1.staff.base import FeatureResource, views
from api.v1.staff.schema import ROUTE
from api.v1.staff.selectors import staff_routes
from api.v1.staff.serializers import RouteFeatureSerializer, RoutePropertiesSerializer
from routes.models import Route
from routes.services import route_archive, route_create, route_update
from routes.validators import PATH_TYPES


class RouteResource(FeatureResource):
    model = Route
    selector = staticmethod(staff_routes)
    properties_serializer = RoutePropertiesSerializer
    feature_serializer = RouteFeatureSerializer
    geometry_field = "path"
    geometry_types = PATH_TYPES
    detail_url_name = "v1:staff-route-detail"
    name = "route"
    create = staticmethod(route_create)
    update = staticmethod(route_update)
    archive = staticmethod(route_archive)


StaffRouteListApi, StaffRouteDetailApi, StaffRouteStatusApi = views(RouteResource, ROUTE)
