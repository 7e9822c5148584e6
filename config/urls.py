from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("api.v1.urls", namespace="v1")),
]

# Uploaded media (photo renditions). A production deployment may put a web
# server in front; the app serves them itself so the two commands suffice.
urlpatterns += [
    path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}),
]
