"""Optimistic concurrency for staff writes, in HTTP terms: ETag out, If-Match in.

The version of an object is editorial.versions.object_version; the services
check it under the row lock. Here it is only spelled as an entity tag (a
quoted string) and read back from If-Match: a write to an existing object
must send the ETag it read, or the service raises VersionRequired (428
Precondition Required) / VersionMismatch (412 Precondition Failed) and
nothing changes (RFC 9110 §13.1.1, RFC 6585 §3).

Comparison note: If-Match uses the strong comparison, but Django's
GZipMiddleware turns a strong ETag into a weak one (W/"…") when it compresses
the response. Our tags are content hashes (strong by construction), so a
W/ prefix sent back by a client is ignored rather than failing every
compressed round trip.
"""

from collections.abc import Iterable

from django.db import models

from editorial.versions import ANY_VERSION, collection_version, object_version


def etag_for(obj: models.Model) -> str:
    return f'"{object_version(obj)}"'


def etag_for_collection(objects: Iterable[models.Model]) -> str:
    """One tag for an ordered list (a route's stops)."""
    return f'"{collection_version(objects)}"'


def _version(tag: str) -> str | None:
    if tag.startswith("W/"):
        tag = tag[2:]
    if tag == ANY_VERSION:
        return ANY_VERSION
    # Entity tags are quoted strings; an unquoted one matches nothing.
    if len(tag) >= 2 and tag[0] == tag[-1] == '"':
        return tag[1:-1]
    return None


def if_match(request) -> list[str]:
    """The versions named by If-Match, for a service's `expected_versions`:
    [] when the header is absent or empty (the service answers 428), and a
    tag that is not a version (unquoted) becomes one that never matches."""
    header = request.headers.get("If-Match") or ""
    versions = []
    for part in header.split(","):
        tag = part.strip()
        if tag:
            versions.append(_version(tag) or f"not-a-version:{tag}")
    return versions


def has_if_match(request) -> bool:
    return bool((request.headers.get("If-Match") or "").strip())
