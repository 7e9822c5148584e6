from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from api.media import media_file
from api.ogc import views as ogc_views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("api.v1.urls", namespace="v1")),
    # OGC API – Features; "/ogc" itself is the landing page too (GDAL's
    # OAPIF driver is usually given the URL without a trailing slash).
    path("ogc", ogc_views.landing),
    path("ogc/", include("api.ogc.urls", namespace="ogc")),
]

# Uploaded media. Renditions of published photos are public; originals and
# drafts' renditions only for staff (api.media.media_file), so a draft
# never leaks by URL. The app serves them itself so the two commands suffice.
urlpatterns += [
    path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", media_file),
]

# The tourist's guide: "/" and /tr/, /en/, /de/ (guide/urls.py).
urlpatterns += [path("", include("guide.urls"))]

handler400 = "config.errors.bad_request"
handler403 = "config.errors.permission_denied"
handler404 = "config.errors.not_found"
handler500 = "config.errors.server_error"
