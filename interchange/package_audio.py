"""The published audio of a route's stops, as route packages take it
(interchange.packages.register_audio_source, wired in InterchangeConfig.ready)."""

from pathlib import Path

from django.core.files.storage import default_storage

from interchange.packages import AudioFile
from routes.audio import published_audio_for_route
from routes.models import Route


def route_audio(route_slug: str, language: str) -> list[AudioFile]:
    route = Route.objects.filter(slug=route_slug).first()
    if route is None:
        return []
    return [
        AudioFile(
            path=Path(default_storage.path(audio.path)),
            url=default_storage.url(audio.path),
            bytes=audio.size_bytes,
            sha256=audio.sha256,
            duration_s=audio.duration_s,
        )
        for audio in published_audio_for_route(route, language)
    ]
