"""The guide's URLs: "/" and one prefix per content language."""

from django.urls import path, re_path

from guide import views

LANG = r"(?P<lang>tr|en|de)"

urlpatterns = [
    path("", views.home, name="guide-home"),
    path("sw.js", views.service_worker, name="guide-service-worker"),
    re_path(rf"^{LANG}/$", views.home, name="guide-home-lang"),
    re_path(rf"^{LANG}/map$", views.city_map, name="guide-city-map"),
    re_path(rf"^{LANG}/routes/(?P<slug>[^/]+)$", views.route, name="guide-route"),
    re_path(rf"^{LANG}/routes/(?P<slug>[^/]+)/stops/(?P<site>[^/]+)$", views.stop, name="guide-stop"),
]
