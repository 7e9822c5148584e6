"""Build a numbered release: `build_release("2026.12")`.

All-or-nothing, in this order:
1. One REPEATABLE READ transaction, so every file shows the same moment of
   the database, and an advisory lock, so one build runs at a time.
2. Refuse a version that exists (row), is not newer than the latest, or is
   malformed (versions.parse_version).
3. Write every file into a hidden temporary folder beside the releases
   (`.building-<version>-…`), streamed and fsync'd (files.ReleaseWriter).
4. Make the files and the folder read-only, rename the folder to
   `<version>` (atomic on one file system), then insert the database row and
   commit. The row is what publishes a release (the API lists rows), so a
   build killed at any step leaves no release: at worst a hidden folder,
   which the next build removes (or, killed between the rename and the
   commit, a folder without a row, which the next build refuses to touch).
"""

import os
import shutil
import stat
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction

from interchange.models import Release
from interchange.releases import documents, manifest
from interchange.releases.files import ReleaseContext, ReleaseWriter, hashed, release_url
from interchange.releases.versions import ReleaseError, parse_version

BUILDING_PREFIX = ".building-"
# pg_try_advisory_xact_lock key: "releases" as a number.
LOCK_KEY = 0x72656C65617365


def releases_root() -> Path:
    return Path(settings.HERITAGE_RELEASES_DIR)


def build_release(
    version: str,
    *,
    root: Path | None = None,
    now: datetime | None = None,
    progress: Callable[[str], None] = lambda name: None,
) -> Release:
    """Freeze the published data as release `version`; the new Release row."""
    version = parse_version(version)
    root = Path(root or releases_root())
    root.mkdir(parents=True, exist_ok=True)
    target, building, renamed = root / version, None, False
    own_transaction = not connection.in_atomic_block
    try:
        with transaction.atomic():
            _snapshot_and_lock(set_isolation=own_transaction)
            previous = _check_new(version, target)
            _remove_leftovers(root)
            building = Path(tempfile.mkdtemp(prefix=f"{BUILDING_PREFIX}{version}-", dir=root))
            release = _write_and_record(building, version, previous, root, now, progress)
            _freeze(building)
            building.rename(target)
            renamed = True
            _fsync_directory(root)
    except BaseException:
        # Nothing was committed: remove what this build wrote, wherever it is.
        _remove(target if renamed else building)
        raise
    return release


def _snapshot_and_lock(*, set_isolation: bool) -> None:
    with connection.cursor() as cursor:
        if set_isolation:  # inside a caller's transaction (tests), its snapshot rules
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [LOCK_KEY])
        if not cursor.fetchone()[0]:
            msg = "Another release is being built right now; try again when it has finished."
            raise ReleaseError(msg)


def _check_new(version: str, target: Path) -> Release | None:
    if Release.objects.filter(version=version).exists():
        msg = f"Release {version} exists; a release never changes. Make a new version instead."
        raise ReleaseError(msg)
    if target.exists():
        # Never deleted by us: it may be a cited release whose row went missing
        # (a database restored from before it). A person decides.
        msg = (
            f"{target} exists but the database has no release {version} (an interrupted build, or a "
            "database restored from before it): move it away to build this version again."
        )
        raise ReleaseError(msg)
    latest = Release.objects.order_by("-version").first()
    if latest is not None and latest.version > version:
        msg = f"Release {version} would be older than the latest release, {latest.version}."
        raise ReleaseError(msg)
    return latest


def _remove_leftovers(root: Path) -> None:
    """Hidden folders of interrupted builds (under the lock, none is running)."""
    for leftover in root.glob(f"{BUILDING_PREFIX}*"):
        _remove(leftover)


def _write_and_record(building, version, previous, root, now, progress) -> Release:
    moment = (now or datetime.now(tz=UTC)).astimezone(UTC).replace(microsecond=0)
    context = ReleaseContext(
        version=version,
        released_at=moment,
        url=release_url(version),
        base_uri=settings.HERITAGE_PUBLIC_URL.rstrip("/") + "/ogc/collections/sites/items/",
        previous=previous,
        previous_manifest=_previous_manifest(root, previous),
    )
    writer = ReleaseWriter(building, context, progress)
    writer.exports()
    counts, changes = writer.manifest_and_changes(*manifest.published())
    writer.documents(counts, changes)
    return Release.objects.create(
        version=version,
        released_at=moment,
        previous=previous.version if previous else "",
        site_count=counts.get("site", 0),
        route_count=counts.get("route", 0),
        added=changes.of("added"),
        changed=changes.of("changed"),
        withdrawn=changes.of("withdrawn"),
        files=[file.entry() for file in writer.files],
        citation=documents.citation_text(context),
    )


def _previous_manifest(root: Path, previous: Release | None) -> Path | None:
    if previous is None:
        return None
    path = root / previous.version / "manifest.csv"
    if not path.is_file():
        msg = f"Release {previous.version}'s manifest.csv is missing from {path.parent}: restore it first."
        raise ReleaseError(msg)
    recorded = (previous.file("manifest.csv") or {}).get("sha256")
    if hashed(path, media_type="text/csv", title="").sha256 != recorded:
        msg = f"{path} does not match its SHA-256 in release {previous.version}: restore it first."
        raise ReleaseError(msg)
    return path


def _freeze(folder: Path) -> None:
    """Read-only for everyone: a released file is never rewritten in place."""
    for path in folder.iterdir():
        path.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR | stat.S_IRGRP | stat.S_IXGRP | stat.S_IROTH | stat.S_IXOTH)
    _fsync_directory(folder)


def _fsync_directory(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _remove(path: Path | None) -> None:
    if path is None or not path.exists():
        return
    path.chmod(0o700)  # a frozen folder must be writable to be emptied
    shutil.rmtree(path)
