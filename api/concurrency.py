"""Optimistic concurrency for staff writes: ETag out, If-Match in.

The ETag of an object is a hash of its stored column values (generated
columns excluded), so it changes with any write by any path: the API, the
admin, a command, a workflow move. A write to an existing object must send
If-Match with the ETag it read: without it the answer is 428 Precondition
Required, with a stale one 412 Precondition Failed, and nothing changes
(RFC 9110 §13.1.1, RFC 6585 §3).

Comparison note: If-Match uses the strong comparison, but Django's
GZipMiddleware turns a strong ETag into a weak one (W/"…") when it compresses
the response. Our tags are content hashes (strong by construction), so a
W/ prefix sent back by a client is ignored rather than failing every
compressed round trip.
"""

import datetime
import hashlib
import json
from collections.abc import Iterable

from django.db import models

from api.exceptions import PreconditionFailed, PreconditionRequired


def _plain(value):
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if hasattr(value, "ewkb"):  # GEOS geometry: exact bytes, not rounded text
        return bytes(value.ewkb).hex()
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return str(value)


def object_version(obj: models.Model) -> str:
    """Hash of the object's stored, non-generated column values."""
    values = {
        field.attname: _plain(getattr(obj, field.attname))
        for field in obj._meta.concrete_fields
        if not isinstance(field, models.GeneratedField)
    }
    payload = json.dumps([obj._meta.label, values], sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()[:32]


def etag_for(obj: models.Model) -> str:
    return f'"{object_version(obj)}"'


def etag_for_collection(objects: Iterable[models.Model]) -> str:
    """One tag for an ordered list (a route's stops): changes when any
    member changes, is added, removed or moved."""
    digest = hashlib.sha256("|".join(object_version(obj) for obj in objects).encode())
    return f'"{digest.hexdigest()[:32]}"'


def _tags(header: str) -> list[str]:
    tags = []
    for part in header.split(","):
        tag = part.strip()
        if tag.startswith("W/"):
            tag = tag[2:]
        if tag:
            tags.append(tag)
    return tags


def require_if_match(request, current_etag: str) -> None:
    """428 without If-Match, 412 when no listed tag is the current one."""
    header = request.headers.get("If-Match")
    if header is None or not header.strip():
        raise PreconditionRequired
    tags = _tags(header)
    if "*" in tags or current_etag in tags:
        return
    raise PreconditionFailed
