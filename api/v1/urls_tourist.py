"""/api/v1/ routes of the tourist area: public, read-only, no trailing slash.

`sites/nearby` comes before `sites/<slug>`, so "nearby" is never read as a
site's slug. Slugs match any segment (`str`), so a malformed one gets the
same 404 problem+json as an unknown one, not Django's HTML 404.
"""

from django.urls import path

from api.v1 import changes, packages, plans, routes, schema, sites

urlpatterns = [
    path("routes", routes.RouteListApi.as_view(), name="route-list"),
    path("routes/<str:slug>", routes.RouteDetailApi.as_view(), name="route-detail"),
    path("routes/<str:slug>/triggers", routes.RouteTriggersApi.as_view(), name="route-triggers"),
    path("routes/<str:slug>/progress", routes.RouteProgressApi.as_view(), name="route-progress"),
    path("routes/<str:slug>/bundle", routes.RouteBundleApi.as_view(), name="route-bundle"),
    path("routes/<str:slug>/package", packages.RoutePackageApi.as_view(), name="route-package"),
    path("routes/<str:slug>/plan", plans.RoutePlanApi.as_view(), name="route-plan"),
    path("changes", changes.ChangesApi.as_view(), name="changes"),
    path("sites", sites.SiteListApi.as_view(), name="site-list"),
    path("sites/nearby", sites.SiteNearbyApi.as_view(), name="site-nearby"),
    path("sites/<str:slug>", sites.SiteDetailApi.as_view(), name="site-detail"),
    *schema.urlpatterns,
]
