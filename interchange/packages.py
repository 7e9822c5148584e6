"""Route packages for offline use: one zip per (route, language, data version),
built once, kept on disk, served by strong ETag
(docs/adr/0012-change-feed-and-route-packages.md).

The zip is a pure function of its files: entries sorted by path after
manifest.json, one fixed timestamp, fixed permissions, JSON deflated and
media (already compressed) stored. So the same content gives the same bytes
and the same SHA-256, which is the ETag.

The documents (route, triggers, site details) are the public API's own
bodies, handed in by the caller (api.v1.packages): this module knows files,
not HTTP. Audio arrives through `register_audio_source`.
"""

import hashlib
import io
import json
import os
import secrets
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction

FORMAT_VERSION = 1
# 1980-01-01, the zip format's epoch: no build time leaks into the bytes.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
STORED_SUFFIXES = (".webp", ".jpg", ".png", ".mp3", ".ogg", ".opus", ".m4a", ".wav", ".pmtiles")


@dataclass(frozen=True)
class PackageFile:
    """One file of a package: its bytes, and where the app finds the same
    thing online (`url`, so documents' media URLs map to files)."""

    path: str
    data: bytes
    url: str | None = None
    duration_s: float | None = None


@dataclass(frozen=True)
class PackageContent:
    route: str
    language: str
    data_version: int
    generated_at: str  # the newest change of what it holds, ISO 8601 UTC
    files: list[PackageFile]


@dataclass(frozen=True)
class AudioFile:
    """What an audio source returns per published recording."""

    path: Path  # on disk
    url: str
    bytes: int
    sha256: str
    duration_s: float | None = None


# route slug, language -> published audio for it. Empty until audio exists.
AudioSource = Callable[[str, str], list[AudioFile]]
_audio_sources: list[AudioSource] = []


def register_audio_source(source: AudioSource) -> None:
    """Hook for the audio code: `source(route_slug, language)` lists the
    route's published recordings in that language; they go under audio/."""
    if source not in _audio_sources:
        _audio_sources.append(source)


def audio_files(route: str, language: str) -> list[PackageFile]:
    files = []
    for source in _audio_sources:
        for audio in source(route, language):
            data = audio.path.read_bytes()
            if hashlib.sha256(data).hexdigest() != audio.sha256:
                msg = f"Audio {audio.path} does not match its SHA-256."
                raise ValueError(msg)
            files.append(PackageFile(f"audio/{audio.path.name}", data, audio.url, audio.duration_s))
    return files


def _entry(path: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(path, date_time=ZIP_TIME)
    info.external_attr = 0o644 << 16
    info.create_system = 3  # Unix, whatever builds it
    stored = path.endswith(STORED_SUFFIXES)
    info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    return info


def manifest(content: PackageContent) -> dict:
    return {
        "format_version": FORMAT_VERSION,
        "route": content.route,
        "language": content.language,
        "data_version": content.data_version,
        "generated_at": content.generated_at,
        "attribution": settings.HERITAGE_DATA_ATTRIBUTION,
        "license": settings.HERITAGE_DATA_LICENSE,
        "files": [
            {
                "path": file.path,
                "bytes": len(file.data),
                "sha256": hashlib.sha256(file.data).hexdigest(),
                **({"url": file.url} if file.url else {}),
                **({"duration_s": file.duration_s} if file.duration_s is not None else {}),
            }
            for file in sorted(content.files, key=lambda f: f.path)
        ],
    }


def zip_bytes(content: PackageContent) -> bytes:
    """The package: manifest.json first, then every file by path."""
    paths = [file.path for file in content.files]
    if len(set(paths)) != len(paths) or "manifest.json" in paths:
        msg = "Package paths must be unique and not manifest.json."
        raise ValueError(msg)
    body = io.BytesIO()
    with zipfile.ZipFile(body, "w", compresslevel=9) as archive:
        text = json.dumps(manifest(content), ensure_ascii=False, indent=1, sort_keys=True)
        archive.writestr(_entry("manifest.json"), text.encode())
        for file in sorted(content.files, key=lambda f: f.path):
            archive.writestr(_entry(file.path), file.data)
    return body.getvalue()


# --- the store on disk -------------------------------------------------------


@dataclass(frozen=True)
class StoredPackage:
    path: Path
    sha256: str
    bytes: int

    @property
    def etag(self) -> str:
        return f'"{self.sha256}"'


def root() -> Path:
    return Path(getattr(settings, "HERITAGE_PACKAGE_ROOT", None) or settings.BASE_DIR / "var" / "packages")


def _directory(route: str, language: str) -> Path:
    return root() / route / language


def stored(route: str, language: str, version: int) -> StoredPackage | None:
    """The package built for this data version, if there is one."""
    index = _directory(route, language) / f"v{version}.json"
    try:
        meta = json.loads(index.read_text())
    except (FileNotFoundError, ValueError):
        return None
    path = index.with_name(meta["file"])
    return StoredPackage(path, meta["sha256"], meta["bytes"]) if path.exists() else None


def latest_size(route: str, language: str) -> int | None:
    """Bytes of the newest package built for the route and language (what
    the route list announces before a download)."""
    try:
        return json.loads((_directory(route, language) / "latest.json").read_text())["bytes"]
    except (FileNotFoundError, ValueError, KeyError):
        return None


def latest_sizes() -> dict[str, dict[str, int]]:
    """latest_size() of every built route and language, {route: {language:
    bytes}}, read from disk once per generation: the route list announces
    them on every request, and a file read per route and language cost it
    more than its SQL (bench/README.md, "Session 10")."""
    key = (root(), generation())
    if _latest_sizes.get("key") != key:
        sizes: dict[str, dict[str, int]] = {}
        for index in root().glob("*/*/latest.json"):
            try:
                size = json.loads(index.read_text())["bytes"]
            except (FileNotFoundError, ValueError, KeyError):
                continue
            sizes.setdefault(index.parent.parent.name, {})[index.parent.name] = size
        _latest_sizes.update(key=key, sizes=sizes)
    return _latest_sizes["sizes"]


_latest_sizes: dict = {}  # this process's latest_sizes() and the generation they are of


def generation() -> str:
    """Changes whenever any package is built: keys the route list's caches.
    A token written with each build, not the file's mtime: two builds within
    one tick of the file system's clock would share that."""
    try:
        return (root() / "generation").read_text()
    except FileNotFoundError:
        return ""


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as temporary:
        temporary.write(data)
    os.replace(temporary.name, path)


def _save(route: str, language: str, version: int, data: bytes) -> StoredPackage:
    directory = _directory(route, language)
    digest = hashlib.sha256(data).hexdigest()
    path = directory / f"{digest}.zip"
    if not path.exists():
        _write_atomically(path, data)
    meta = json.dumps({"file": path.name, "sha256": digest, "bytes": len(data), "data_version": version})
    _write_atomically(directory / f"v{version}.json", meta.encode())
    _write_atomically(directory / "latest.json", meta.encode())
    for old in directory.iterdir():  # one package per route and language is kept
        if old.suffix in (".zip", ".json") and old.name not in (path.name, f"v{version}.json", "latest.json"):
            old.unlink(missing_ok=True)
    _write_atomically(root() / "generation", f"v{version}-{secrets.token_hex(8)}".encode())
    return StoredPackage(path, digest, len(data))


def ensure_package(
    route: str, language: str, version: int, content: Callable[[], PackageContent]
) -> StoredPackage:
    """The package for (route, language, version), built by `content()` if
    it is not on disk yet. Concurrent first requests build it once: the
    builder holds a PostgreSQL advisory lock on the (route, language) pair
    and the others, waiting on it, then find the file."""
    found = stored(route, language, version)
    if found is not None:
        return found
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"package:{route}:{language}"])
        found = stored(route, language, version)
        if found is not None:
            return found
        return _save(route, language, version, zip_bytes(content()))
