"""Versions of stored objects, for optimistic concurrency in the services.

An object's version is a hash of its stored column values (generated
columns excluded), so it changes with any write by any path: the API, the
admin, a command, a workflow move. Services that change an existing object
take `expected_versions`:

- None: the caller does not take part (the admin, imports, the seed loader:
  they hold the row lock and write what they were given);
- a list of versions the caller read (HTTP: the If-Match tags; "*" matches
  any): an empty list raises VersionRequired, a list without the current
  version raises VersionMismatch, and nothing is written.

The check runs under the row lock (select_for_update), so it cannot race
with another write.
"""

import datetime
import hashlib
import json
from collections.abc import Iterable, Sequence

from django.db import models

from editorial.errors import VersionMismatch, VersionRequired, WildcardVersion

ANY_VERSION = "*"


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


def collection_version(objects: Iterable[models.Model]) -> str:
    """One version for an ordered list (a route's stops): changes when any
    member changes, is added, removed or moved."""
    digest = hashlib.sha256("|".join(object_version(obj) for obj in objects).encode())
    return digest.hexdigest()[:32]


def check_version(current: str, expected_versions: Sequence[str] | None) -> None:
    """Raise unless `current` is among `expected_versions` (see the module)."""
    if expected_versions is None:
        return
    if not expected_versions:
        raise VersionRequired
    if ANY_VERSION in expected_versions:
        # "Whatever is there now" is exactly the lost update If-Match exists
        # to prevent: a writer must name the version it read (RFC 9110 allows
        # a server to refuse it; docs/adr/0003-staff-write-api.md).
        raise WildcardVersion
    if current in expected_versions:
        return
    raise VersionMismatch


def lock(obj: models.Model) -> models.Model:
    """Re-read `obj` from the database under a row lock (SELECT … FOR UPDATE),
    dropping unsaved attribute changes: a service writes only what it is given."""
    obj.refresh_from_db(from_queryset=type(obj)._default_manager.select_for_update())
    return obj
