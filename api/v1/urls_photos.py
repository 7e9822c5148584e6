"""/api/v1/ routes for site photos (upload, credits, renditions)."""

from django.urls import path

from api.v1 import photos

urlpatterns: list = [
    path("staff/sites/<slug:slug>/photos", photos.SitePhotosApi.as_view(), name="staff-site-photos"),
]
