"""Public exports kept on disk, one file per request variant and content
version (editorial.content_version), served again until the data changes.

A GeoPackage of the 42 İzmir sites takes ~0.9 s to build (three ogr2ogr
runs); the same file read back takes a few milliseconds, and researchers and
scripts download the same whole dataset again and again. The key is the
content version (read before the data, so an entry can only ever be *newer*
than its version, never older), the path, the sorted query and the
scheme+host (Linked Places writes absolute item URLs). Its name is the strong
ETag, so `If-None-Match` answers 304 from one indexed read.

The first request streams the export to the client and into a hidden file
beside the cache; only a complete stream is renamed into place (a client that
goes away mid-download leaves nothing). Entries of older versions are
unreachable and are removed when a newer one is written; the whole folder is
bounded by HERITAGE_EXPORT_CACHE_MB (least recently written out; 0 turns the
cache off). Staff exports with drafts are never kept.
"""

import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, HttpResponse, StreamingHttpResponse

from api.etags import code_release, etag_matches
from editorial.content_version import content_version

PUBLIC_CACHE_CONTROL = "public, max-age=300"
# The headers of an export that a kept copy must repeat.
KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Link", "X-Data-Version")


def cache_dir() -> Path:
    return Path(settings.HERITAGE_EXPORT_CACHE_DIR)


def budget_bytes() -> int:
    return int(settings.HERITAGE_EXPORT_CACHE_MB) * 2**20


def variant_name(request, version: int) -> str:
    query = sorted(request.GET.lists())
    # The code's release too: a deploy may change what a format writes.
    variant = json.dumps(
        [code_release(), request.path, query, request.build_absolute_uri("/")], ensure_ascii=False
    )
    digest = hashlib.sha256(variant.encode()).hexdigest()[:40]
    return f"v{version}-{digest}"


def kept_export(request, build: Callable[[], StreamingHttpResponse]) -> HttpResponse:
    """The public export `build()` would stream, from disk when kept."""
    if budget_bytes() <= 0:
        return build()
    name = variant_name(request, content_version())
    etag = f'"{name}"'
    if etag_matches(request.headers.get("If-None-Match", ""), etag):
        return _with_validators(HttpResponse(status=304), etag)
    body, headers = cache_dir() / f"{name}.body", cache_dir() / f"{name}.json"
    try:
        kept = json.loads(headers.read_text(encoding="utf-8"))
        response = FileResponse(body.open("rb"))
    except (OSError, ValueError):
        response = build()
        kept = {header: response[header] for header in KEPT_HEADERS if response.has_header(header)}
        response.streaming_content = _tee(response.streaming_content, kept, name)
        return _with_validators(response, etag)
    for header, value in kept.items():
        response[header] = value
    response["Content-Length"] = str(body.stat().st_size)
    return _with_validators(response, etag)


def _with_validators(response: HttpResponse, etag: str) -> HttpResponse:
    response["ETag"] = etag
    response["Cache-Control"] = PUBLIC_CACHE_CONTROL
    return response


def _tee(chunks: Iterator[bytes], headers: dict, name: str) -> Iterator[bytes]:
    """Yield the export's chunks and keep a copy; only a stream that reached
    its end becomes an entry."""
    folder = cache_dir()
    folder.mkdir(parents=True, exist_ok=True)
    partial = None
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".partial-", delete=False) as handle:
            partial = Path(handle.name)
            for chunk in chunks:
                handle.write(chunk)
                yield chunk
        (folder / f"{name}.json").write_text(json.dumps(headers), encoding="utf-8")
        os.replace(partial, folder / f"{name}.body")  # the body's presence = complete
        partial = None
        prune(keep=name)
    finally:
        if partial is not None:
            partial.unlink(missing_ok=True)


def _version(name: str) -> int:
    return int(name[1:].split("-", 1)[0])


def prune(*, keep: str) -> None:
    """Remove entries of older versions, then the oldest until the folder
    fits its budget. Other processes prune too: a file gone meanwhile is fine."""
    entries = []
    for body in cache_dir().glob("v*.body"):
        try:
            entries.append((body.stat().st_mtime, body.stat().st_size, body))
        except OSError:
            continue
    used = 0
    for _mtime, size, body in sorted(entries, reverse=True):
        used += size
        stale = _version(body.name) < _version(keep)
        if body.stem != keep and (stale or used > budget_bytes()):
            body.unlink(missing_ok=True)
            body.with_suffix(".json").unlink(missing_ok=True)
