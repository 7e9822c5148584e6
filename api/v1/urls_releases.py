"""/api/v1/ routes of the numbered data releases."""

from django.urls import path

from api.v1 import releases

urlpatterns: list = [
    path("releases", releases.ReleaseListApi.as_view(), name="release-list"),
    path("releases/<str:version>", releases.ReleaseDetailApi.as_view(), name="release-detail"),
    path("releases/<str:version>/<str:name>", releases.ReleaseFileApi.as_view(), name="release-file"),
]
