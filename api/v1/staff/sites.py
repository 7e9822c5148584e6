"""Staff views for sites: list/create, read/edit/archive, workflow moves.

    GET    /api/v1/staff/sites[?status=&limit=&offset=]   FeatureCollection
    POST   /api/v1/staff/sites                            Feature -> 201 draft
    GET    /api/v1/staff/sites/{slug}                     Feature + ETag
    PATCH  /api/v1/staff/sites/{slug}      If-Match       Feature (partial)
    DELETE /api/v1/staff/sites/{slug}      If-Match       archives (200, Feature)
    POST   /api/v1/staff/sites/{slug}/status  If-Match    {"status": "review"}

The views are api/v1/staff/base.py's, configured here.
"""

from api.v1.staff.base import FeatureResource, views
from api.v1.staff.schema import SITE
from api.v1.staff.selectors import staff_sites
from api.v1.staff.serializers import SiteFeatureSerializer, SitePropertiesSerializer
from sites.models import Site
from sites.services import site_archive, site_create, site_update


class SiteResource(FeatureResource):
    model = Site
    selector = staticmethod(staff_sites)
    properties_serializer = SitePropertiesSerializer
    feature_serializer = SiteFeatureSerializer
    geometry_field = "location"
    geometry_types = ("Point",)
    detail_url_name = "v1:staff-site-detail"
    name = "site"
    create = staticmethod(site_create)
    update = staticmethod(site_update)
    archive = staticmethod(site_archive)


StaffSiteListApi, StaffSiteDetailApi, StaffSiteStatusApi = views(SiteResource, SITE)
