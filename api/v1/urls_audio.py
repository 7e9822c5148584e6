"""/api/v1/ routes for stop audio guides (staff upload, workflow, removal)."""

from django.urls import path

from api.v1 import audio

STOP = "staff/routes/<slug:slug>/stops/<slug:site>/audio"

urlpatterns: list = [
    path(STOP, audio.StaffStopAudioListApi.as_view(), name="staff-stop-audio-list"),
    path(f"{STOP}/<int:pk>", audio.StaffStopAudioDetailApi.as_view(), name="staff-stop-audio-detail"),
    path(f"{STOP}/<int:pk>/status", audio.StaffStopAudioStatusApi.as_view(), name="staff-stop-audio-status"),
]
