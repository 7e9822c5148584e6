"""/api/v1/: each area keeps its routes in its own module, joined here."""

from django.urls import path

from api.v1 import (
    health,
    urls_audio,
    urls_export,
    urls_photos,
    urls_releases,
    urls_staff,
    urls_tiles,
    urls_tourist,
)

app_name = "v1"

urlpatterns = [
    path("health", health.HealthApi.as_view(), name="health"),
    *urls_tourist.urlpatterns,
    *urls_tiles.urlpatterns,
    *urls_staff.urlpatterns,
    *urls_photos.urlpatterns,
    *urls_audio.urlpatterns,
    *urls_export.urlpatterns,
    *urls_releases.urlpatterns,
]
