"""What an items request asks beyond paging, parsed once: the output CRS
and bbox CRS (Part 2), a CQL2 filter (Part 3), sortby, sparse properties
and skipGeometry. The parsing of each value lives in geodata (crs, params,
cql2); here they are wired to a collection and its rows."""

from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import F, QuerySet

from api.ogc.collections import Collection
from api.ogc.schemas import PROPERTIES
from geodata.cql2 import FILTER_LANGS, parse_filter
from geodata.crs import OutputCrs, check_box, output_crs
from geodata.exports.bbox import in_projected_bbox
from geodata.geojson import FeatureOptions
from geodata.params import FilterError, parse_bbox, parse_bbox_numbers, parse_choices

# Parameters of every items request (each collection adds its own filters).
ITEMS_PARAMS = {
    "f",
    "bbox",
    "limit",
    "offset",
    "datetime",
    "crs",
    "bbox-crs",
    "filter",
    "filter-lang",
    "filter-crs",
    "sortby",
    "properties",
    "skipGeometry",
}
ITEM_PARAMS = {"f", "crs", "properties", "skipGeometry"}
MAX_SORT_KEYS = 5


@dataclass(frozen=True)
class ItemsQuery:
    options: FeatureOptions
    rows: QuerySet

    @property
    def crs(self) -> OutputCrs:
        return self.options.crs


def sparse_fields(params: Mapping[str, str], known) -> tuple[tuple[str, ...] | None, bool]:
    """`properties` (a subset of `known`, None: all) and `skipGeometry`
    (true/false): the one rule for OGC items and the exports alike."""
    names = None
    if params.get("properties"):
        names = parse_choices(params["properties"], parameter="properties", allowed=set(known))
    skip = (params.get("skipGeometry") or "false").strip().lower()
    if skip not in ("true", "false"):
        raise FilterError("skipGeometry", "Use true or false.")
    return names, skip == "true"


def feature_options(collection: Collection, params: Mapping[str, str]) -> FeatureOptions:
    """crs, properties and skipGeometry; null properties are left out (the
    feature then follows its JSON Schema, see schemas.py)."""
    crs = output_crs(params.get("crs"), parameter="crs")
    names, skip = sparse_fields(params, PROPERTIES[collection.id])
    return FeatureOptions(crs=crs, properties=names, skip_geometry=skip, strip_nulls=True)


def items_query(collection: Collection, params: Mapping[str, str]) -> ItemsQuery:
    options = feature_options(collection, params)
    plain = dict(params.items())
    box_crs = output_crs(params.get("bbox-crs"), parameter="bbox-crs")
    projected_box = None
    if params.get("bbox") and not box_crs.is_crs84:
        if box_crs.lat_first:  # EPSG:4326: min_lat,min_lon,max_lat,max_lon
            south, west, north, east = parse_bbox_numbers(params["bbox"])
            parse_bbox(f"{west},{south},{east},{north}")  # the same range rules as CRS84
            plain["bbox"] = f"{west!r},{south!r},{east!r},{north!r}"
        else:
            projected_box = parse_bbox_numbers(params["bbox"])
            check_box(projected_box, box_crs)
            plain.pop("bbox")
    rows = collection.rows(plain)
    if projected_box is not None:
        rows = rows.filter(in_projected_bbox(collection.geometry_column, projected_box, box_crs.srid))
    if params.get("filter-lang") and params["filter-lang"].strip() not in FILTER_LANGS:
        raise FilterError("filter-lang", f"Use one of {', '.join(FILTER_LANGS)}.")
    filter_crs = output_crs(params.get("filter-crs"), parameter="filter-crs")
    if params.get("filter"):
        rows = rows.filter(
            parse_filter(
                params["filter"],
                lang=params.get("filter-lang"),
                queryables=collection.queryables,
                crs=filter_crs,
            )
        )
    if params.get("sortby"):
        rows = rows.order_by(*sort_keys(collection, params["sortby"]))
    return ItemsQuery(options=options, rows=rows)


def sort_keys(collection: Collection, value: str) -> list:
    """`sortby=-start_year,+slug`: queryable properties, + ascending (the
    default) or - descending, nulls last; the id breaks ties so pages are stable."""
    keys = []
    names = [item.strip() for item in value.split(",") if item.strip()]
    if not names or len(names) > MAX_SORT_KEYS:
        raise FilterError("sortby", f"Give 1 to {MAX_SORT_KEYS} properties, e.g. -start_year,slug.")
    for item in names:
        descending = item.startswith("-")
        name = item.lstrip("+-")
        queryable = collection.queryables.properties.get(name)
        if queryable is None:
            shown = ", ".join(sorted(collection.queryables.properties))
            raise FilterError("sortby", f"Cannot sort by {name[:60]!r}; sortable: {shown}.")
        column = F(queryable.lookup)
        keys.append(column.desc(nulls_last=True) if descending else column.asc(nulls_last=True))
    return [*keys, collection.id_lookup]
