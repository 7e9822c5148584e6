"""Zip archives (KMZ, zipped Shapefiles) opened without trusting them.

Refused: member paths that are absolute or climb out (zip-slip), more than
MAX_MEMBERS members, a member whose compression ratio exceeds MAX_RATIO, and
more than MAX_TOTAL_BYTES uncompressed in all. Sizes are counted while
reading, not taken from the headers, which an attacker writes.
"""

import zipfile
import zlib
from pathlib import Path, PurePosixPath

MAX_MEMBERS = 200
MAX_TOTAL_BYTES = 256 * 1024 * 1024
MAX_RATIO = 100
BLOCK = 64 * 1024


class UnsafeArchive(ValueError):
    """The archive was refused; the message says why."""


def _check_name(name: str) -> None:
    path = PurePosixPath(name.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or (path.parts and ":" in path.parts[0]):
        msg = f"Refused archive member {name!r}: paths must stay inside the archive (zip-slip)."
        raise UnsafeArchive(msg)


def _members(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        msg = f"Refused archive: more than {MAX_MEMBERS} members."
        raise UnsafeArchive(msg)
    declared = 0
    for member in members:
        _check_name(member.filename)
        declared += member.file_size
        if member.compress_size and member.file_size / member.compress_size > MAX_RATIO:
            msg = (
                f"Refused archive member {member.filename!r}: compression ratio above {MAX_RATIO} (zip bomb)."
            )
            raise UnsafeArchive(msg)
    if declared > MAX_TOTAL_BYTES:
        msg = f"Refused archive: more than {MAX_TOTAL_BYTES // 2**20} MB uncompressed (zip bomb)."
        raise UnsafeArchive(msg)
    return members


def _read(archive: zipfile.ZipFile, member: zipfile.ZipInfo, budget: int, sink) -> int:
    """Copy a member to sink(block), counting real bytes against `budget`."""
    used = 0
    try:
        with archive.open(member) as stream:
            while block := stream.read(BLOCK):
                used += len(block)
                if used > budget:
                    msg = f"Refused archive: more than {MAX_TOTAL_BYTES // 2**20} MB uncompressed (zip bomb)."
                    raise UnsafeArchive(msg)
                sink(block)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as error:
        # e.g. a member longer than its header says: the CRC check fails.
        msg = f"Refused archive member {member.filename!r}: corrupt zip data ({error})."
        raise UnsafeArchive(msg) from error
    return used


def open_archive(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        msg = f"Not a readable zip archive: {error}."
        raise UnsafeArchive(msg) from error


def read_member(path: Path, *, suffix: str) -> bytes:
    """The first member ending in `suffix` (e.g. the doc.kml of a KMZ)."""
    with open_archive(path) as archive:
        members = [m for m in _members(archive) if m.filename.lower().endswith(suffix) and not m.is_dir()]
        if not members:
            msg = f"The archive has no {suffix} file."
            raise UnsafeArchive(msg)
        parts: list[bytes] = []
        _read(archive, members[0], MAX_TOTAL_BYTES, parts.append)
        return b"".join(parts)


def extract_all(path: Path, directory: Path) -> list[Path]:
    """Extract into `directory` (flattened: only base names are used, so no
    member can land outside it) and return the written files."""
    written: list[Path] = []
    budget = MAX_TOTAL_BYTES
    with open_archive(path) as archive:
        for member in _members(archive):
            if member.is_dir():
                continue
            target = directory / PurePosixPath(member.filename.replace("\\", "/")).name
            if target.resolve().parent != directory.resolve():
                msg = f"Refused archive member {member.filename!r}."
                raise UnsafeArchive(msg)
            with target.open("wb") as handle:
                budget -= _read(archive, member, budget, handle.write)
            written.append(target)
    return written
