"""A release's manifest (manifest.csv: kind, slug, sha256 of every site and
route it froze) and the changes since the previous release's manifest
(changes.csv: change, kind, slug), both streamed: the two manifests are in
the same order (sites then routes, slugs in byte order), so one merge pass
finds what was added, changed and withdrawn, in flat memory."""

import csv
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from routes.models import Route
from routes.selectors_release import route_content_hashes
from sites.models import Site
from sites.selectors_release import site_content_hashes

MANIFEST_COLUMNS = ("kind", "slug", "sha256")
CHANGE_COLUMNS = ("change", "kind", "slug")
KIND_ORDER = {"site": 0, "route": 1}
# How many slugs of each change CHANGELOG.md lists (changes.csv has all).
LISTED = 50


@dataclass
class Changes:
    counts: Counter = field(default_factory=Counter)  # (change, kind) -> n
    listed: dict = field(default_factory=dict)  # (change, kind) -> first LISTED slugs

    def note(self, change: str, kind: str, slug: str) -> None:
        self.counts[change, kind] += 1
        slugs = self.listed.setdefault((change, kind), [])
        if len(slugs) < LISTED:
            slugs.append(slug)

    def of(self, change: str, kind: str = "site") -> int:
        return self.counts[change, kind]


def current_manifest(sites, routes) -> Iterator[tuple[str, str, str]]:
    """(kind, slug, sha256) of the published sites, then routes."""
    for slug, digest in site_content_hashes(sites):
        yield "site", slug, digest
    for slug, digest in route_content_hashes(routes):
        yield "route", slug, digest


def write_manifest(path: Path, rows: Iterable[tuple[str, str, str]]) -> Counter:
    """Write manifest.csv; the number of rows of each kind."""
    counts: Counter = Counter()
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(MANIFEST_COLUMNS)
        for row in rows:
            counts[row[0]] += 1
            writer.writerow(row)
    return counts


def read_manifest(path: Path | None) -> Iterator[list[str]]:
    """A manifest's rows ([kind, slug, sha256]); none for no manifest."""
    if path is None:
        return
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        yield from reader


def _key(row):
    return (KIND_ORDER[row[0]], row[1])


def compare(old: Iterator, new: Iterator) -> Iterator[tuple[str, str, str]]:
    """(change, kind, slug) between two manifests in manifest order."""
    before, after = next(old, None), next(new, None)
    while before is not None or after is not None:
        if after is None or (before is not None and _key(before) < _key(after)):
            yield "withdrawn", before[0], before[1]
            before = next(old, None)
        elif before is None or _key(after) < _key(before):
            yield "added", after[0], after[1]
            after = next(new, None)
        else:
            if before[2] != after[2]:
                yield "changed", after[0], after[1]
            before, after = next(old, None), next(new, None)


def write_changes(path: Path, *, previous: Path | None, current: Path) -> Changes:
    """changes.csv from the previous release's manifest (None: the first
    release, where everything is added) to this one's."""
    changes = Changes()
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(CHANGE_COLUMNS)
        for change in compare(read_manifest(previous), read_manifest(current)):
            changes.note(*change)
            writer.writerow(change)
    return changes


def published() -> tuple:
    """What a release freezes: the published sites and routes."""
    return Site.objects.published(), Route.objects.published()
