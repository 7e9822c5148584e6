"""OGC API – Features Part 3 `filter`: CQL2 text or JSON into a Django Q.

Parsing is pygeofilter's (its CQL2 grammar and JSON reader); what the AST
may contain and how it becomes SQL is decided here, node by node, so the
filter reaches PostgreSQL only as ORM lookups and bound parameters: no
client text is ever pasted into SQL. A property that is not queryable, a
value of the wrong type, or anything outside the supported subset is a
FilterError naming `filter`. Hostile input is refused before any parsing
work grows with it: length, nesting depth and AST size are bounded.

pygeofilter's text grammar writes temporal predicates infix (`a T_AFTER b`)
and only takes full timestamps in INTERVAL; CQL2 writes them as functions
(`T_INTERSECTS(a, INTERVAL('1400-01-01', '..'))`) with dates or `..`. The
grammar is extended with those forms (two rules), the rest is unchanged.
"""

from dataclasses import dataclass

from django.db.models import Q

from geodata.crs import OutputCrs
from geodata.params import FilterError

FILTER_LANGS = ("cql2-text", "cql2-json")
MAX_FILTER_LENGTH = 4000  # characters; a URL line is at most 8190 bytes anyway
MAX_DEPTH = 20  # brackets deep (a polygon in JSON takes 4 of them)
PARAMETER = "filter"


@dataclass(frozen=True)
class Queryable:
    """A property a filter may name: its ORM lookup and its JSON type."""

    lookup: str
    type: str  # "string" | "integer" | "number"
    description: str = ""


@dataclass(frozen=True)
class Queryables:
    properties: dict[str, Queryable]
    geometry_column: str  # SQL of the geography column, e.g. "sites_site"."location"
    years: tuple[str, str] | None = None  # lookups of the start/end year behind `datetime`
    spatial: str = "geometry"
    temporal: str = "datetime"


def _depth(text: str) -> int:
    """Deepest bracket nesting outside quoted strings (a linear scan)."""
    depth = deepest = 0
    quote = None
    for char in text:
        if quote:
            if char == quote:
                quote = None
        elif char in "'\"":
            quote = char
        elif char in "([{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in ")]}":
            depth -= 1
    return deepest


def parse_filter(text: str, *, lang: str | None, queryables: Queryables, crs: OutputCrs | None = None) -> Q:
    """`filter` (and `filter-lang`) into a Q on the collection's rows;
    `crs` (filter-crs, default CRS84): the CRS of its geometry literals."""
    lang = (lang or "cql2-text").strip()
    if lang not in FILTER_LANGS:
        raise FilterError("filter-lang", f"Use one of {', '.join(FILTER_LANGS)}.")
    if len(text) > MAX_FILTER_LENGTH:
        raise FilterError(PARAMETER, f"At most {MAX_FILTER_LENGTH} characters.")
    if _depth(text) > MAX_DEPTH:
        raise FilterError(PARAMETER, f"Nested more than {MAX_DEPTH} levels deep.")
    # pygeofilter and the grammar load on the first filter a process sees
    # (about 1 s), not at every start of every process (commands, workers).
    from geodata.cql2_ast import parse_tree, translate

    return translate(parse_tree(text, lang), queryables, crs=crs)
