"""Reads of releases for the API: the recorded releases, and one file of one
release as a path on disk. A file is found only by its exact name in the
release's row, never by joining a requested name onto a folder, so no
request can reach outside a release (`..`, `/`, NUL, encoded or not)."""

from dataclasses import dataclass
from pathlib import Path

from django.db.models import QuerySet

from interchange.models import Release
from interchange.releases.build import releases_root
from interchange.releases.versions import is_version


def release_queryset() -> QuerySet[Release]:
    """Every recorded (so complete) release, newest first."""
    return Release.objects.order_by("-version")


def release_by_version(version: str) -> Release | None:
    if not is_version(version):
        return None
    return release_queryset().filter(version=version).first()


@dataclass(frozen=True)
class ReleaseFile:
    release: Release
    name: str
    bytes: int
    sha256: str
    media_type: str
    path: Path


def release_file(version: str, name: str) -> ReleaseFile | None:
    """The file `name` of release `version`, if both exist (on disk too)."""
    release = release_by_version(version)
    entry = release.file(name) if release else None
    if entry is None:
        return None
    folder = (releases_root() / release.version).resolve()
    path = (folder / entry["name"]).resolve()
    if path.parent != folder or not path.is_file():
        return None
    return ReleaseFile(release, entry["name"], entry["bytes"], entry["sha256"], entry["media_type"], path)
