"""/api/v1/ routes of the export area (researchers' downloads)."""

from django.urls import path

from api.v1 import exports

urlpatterns: list = [
    path("export/sites", exports.SiteExportApi.as_view(), name="export-sites"),
    path("export/routes/<str:slug>", exports.RouteExportApi.as_view(), name="export-route"),
]
