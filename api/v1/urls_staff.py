"""/api/v1/staff/… routes: the write API for heritage staff (docs/adr/0003).

Everything here needs an editor, reviewer or admin; the public GET
endpoints (/api/v1/sites, /api/v1/routes) never show drafts.
"""

from django.urls import path

from api.v1.staff import routes, sites, stops

urlpatterns: list = [
    path("staff/sites", sites.StaffSiteListApi.as_view(), name="staff-site-list"),
    path("staff/sites/<slug:slug>", sites.StaffSiteDetailApi.as_view(), name="staff-site-detail"),
    path("staff/sites/<slug:slug>/status", sites.StaffSiteStatusApi.as_view(), name="staff-site-status"),
    path("staff/routes", routes.StaffRouteListApi.as_view(), name="staff-route-list"),
    path("staff/routes/<slug:slug>", routes.StaffRouteDetailApi.as_view(), name="staff-route-detail"),
    path("staff/routes/<slug:slug>/status", routes.StaffRouteStatusApi.as_view(), name="staff-route-status"),
    path("staff/routes/<slug:slug>/stops", stops.StaffStopListApi.as_view(), name="staff-stop-list"),
    path(
        "staff/routes/<slug:slug>/stops/<slug:site>",
        stops.StaffStopDetailApi.as_view(),
        name="staff-stop-detail",
    ),
    path("staff/routes/<slug:slug>/stop-order", stops.StaffStopOrderApi.as_view(), name="staff-stop-order"),
]
