"""Byte ranges (RFC 9110 §14) for the media gate: phone audio players seek
by asking for `Range: bytes=a-b` and expect 206 Partial Content.

What is served:
- one range (`bytes=a-b`, `bytes=a-`, `bytes=-n`): 206 with Content-Range;
  an end past the file is clipped to the file;
- a range that starts past the end, or `bytes=-0`: 416 with
  `Content-Range: bytes */<size>`;
- several ranges in one header: the Range header is ignored and the whole
  file is served (200), which RFC 9110 allows; no multipart/byteranges;
- a Range header that is not `bytes=` or is malformed: ignored (200), as
  RFC 9110 says a recipient must do with one it cannot parse;
- `If-Range` with a date other than the file's Last-Modified, or with an
  entity tag (the gate sends none): the whole file (200).
Every answer says `Accept-Ranges: bytes`.
"""

import mimetypes
import re
from dataclasses import dataclass
from pathlib import Path

from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotModified
from django.utils._os import safe_join
from django.utils.http import http_date
from django.views.static import was_modified_since

RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


@dataclass(frozen=True)
class ByteRange:
    start: int
    end: int  # inclusive

    @property
    def length(self) -> int:
        return self.end - self.start + 1


class Unsatisfiable(Exception):
    pass


def parse_range(header: str, size: int) -> ByteRange | None:
    """The one range of `header` within a file of `size` bytes, None when
    the whole file is to be served, or Unsatisfiable (416)."""
    header = header.strip().replace(" ", "")
    if "," in header:
        return None
    match = RANGE.match(header)
    if match is None or match.groups() == ("", ""):
        return None
    first, last = match.groups()
    if first == "":  # a suffix: the last n bytes
        suffix = int(last)
        if suffix == 0 or size == 0:
            raise Unsatisfiable
        return ByteRange(max(size - suffix, 0), size - 1)
    start = int(first)
    end = size - 1 if last == "" else min(int(last), size - 1)
    if last != "" and int(last) < start:
        return None  # invalid: ignored
    if start >= size:
        raise Unsatisfiable
    return ByteRange(start, end)


class RangeFile:
    """A read-only file object that yields only bytes start..end."""

    def __init__(self, handle, byte_range: ByteRange, block: int = 64 * 1024):
        self.handle, self.remaining, self.block = handle, byte_range.length, block
        handle.seek(byte_range.start)

    def __iter__(self):
        while self.remaining > 0:
            chunk = self.handle.read(min(self.block, self.remaining))
            if not chunk:
                break
            self.remaining -= len(chunk)
            yield chunk

    def close(self):
        self.handle.close()


def _if_range_allows(request, last_modified: str) -> bool:
    condition = request.headers.get("If-Range")
    return condition is None or condition.strip() == last_modified


def ranged_file_response(request, path: str, document_root: str, content_type: str | None = None):
    """Serve `path` under `document_root` like django.views.static.serve
    (Last-Modified, If-Modified-Since, no directory listing), plus Range."""
    fullpath = Path(safe_join(document_root, path))
    if not fullpath.is_file():
        raise Http404("No such file.")
    stat = fullpath.stat()
    last_modified = http_date(stat.st_mtime)
    if not was_modified_since(request.headers.get("If-Modified-Since"), stat.st_mtime):
        return HttpResponseNotModified()
    if content_type is None:
        content_type, _encoding = mimetypes.guess_type(str(fullpath))
        content_type = content_type or "application/octet-stream"
    size = stat.st_size
    byte_range = None
    header = request.headers.get("Range")
    if header and request.method in ("GET", "HEAD") and _if_range_allows(request, last_modified):
        try:
            byte_range = parse_range(header, size)
        except Unsatisfiable:
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
            response["Accept-Ranges"] = "bytes"
            return response
    handle = fullpath.open("rb")
    if byte_range is None:
        response = FileResponse(handle, content_type=content_type)
    else:
        response = FileResponse(RangeFile(handle, byte_range), content_type=content_type, status=206)
        response["Content-Range"] = f"bytes {byte_range.start}-{byte_range.end}/{size}"
        response["Content-Length"] = str(byte_range.length)
    response["Last-Modified"] = last_modified
    response["Accept-Ranges"] = "bytes"
    if byte_range is None:
        response["Content-Length"] = str(size)
    return response
