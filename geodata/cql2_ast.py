"""The heavy half of geodata/cql2.py: pygeofilter's parsers, the two added
grammar rules, and the walk from its AST to a Django Q (see cql2.py)."""

import json
import math
import re
from datetime import date, datetime
from functools import cache
from pathlib import Path

import shapely.geometry
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL
from lark import Lark, v_args
from lark.exceptions import LarkError, UnexpectedInput, VisitError
from pygeofilter import ast, values
from pygeofilter.cql2 import TEMPORAL_PREDICATES_MAP
from pygeofilter.parsers.cql2_json import parse as parse_cql2_json
from pygeofilter.parsers.cql2_text import parser as text_parser
from shapely.errors import ShapelyError

from geodata.cql2 import PARAMETER, Queryable, Queryables
from geodata.crs import CRS84, SUPPORTED_CRS, OutputCrs
from geodata.params import FilterError

MAX_NODES = 200  # AST nodes
MAX_VERTICES = 500


@v_args(meta=False, inline=True)
class _Transformer(text_parser.CQLTransformer):
    def prefix_temporal_predicate(self, op, lhs, rhs):
        return TEMPORAL_PREDICATES_MAP[op.lower()](lhs, rhs)

    def OPEN(self, _token):
        return None

    def boolean_condition(self, value):
        return value


@cache
def _text_parser() -> Lark:
    grammar = (Path(text_parser.__file__).with_name("grammar.lark")).read_text()
    infix = (
        "?temporal_predicate: expression _binary_temporal_predicate_func expression"
        " -> binary_temporal_predicate"
    )
    interval = """?interval: "INTERVAL" "("  "'" DATETIME "'" "," "'" DATETIME "'" ")\""""
    # CQL2's NOT takes any boolean expression in brackets (pygeofilter's only
    # one predicate), and TRUE / FALSE are boolean expressions of their own.
    negation = '| "NOT"i "(" predicate ")"'
    if infix not in grammar or interval not in grammar or negation not in grammar:
        msg = "pygeofilter's CQL2 grammar changed: check geodata/cql2_ast.py"
        raise RuntimeError(msg)
    grammar = grammar.replace(negation, '| boolean_condition\n            | "NOT"i "(" condition ")"', 1)
    # `(TRUE)` could be either; the condition wins (priority 2).
    grammar += "\nboolean_condition.2: BOOLEAN\n"
    grammar = grammar.replace(
        infix,
        infix + '\n    | _binary_temporal_predicate_func "(" expression "," expression ")"'
        " -> prefix_temporal_predicate",
    ).replace(
        interval,
        """?interval: "INTERVAL"i "(" "'" _instant "'" "," "'" _instant "'" ")"\n"""
        """_instant: DATETIME | DATE | OPEN\nOPEN: ".." """,
    )
    return Lark(
        grammar,
        parser="lalr",
        maybe_placeholders=False,
        transformer=_Transformer(),
        import_paths=[str(Path(text_parser.__file__).parent.parent)],
    )


def parse_tree(text: str, lang: str):
    try:
        if lang == "cql2-json":
            return parse_cql2_json(_json_for_pygeofilter(json.loads(text)))
        return _text_parser().parse(text)
    except UnexpectedInput as error:
        raise FilterError(PARAMETER, f"CQL2 syntax error at column {error.column}.") from None
    except (LarkError, VisitError, ValueError, TypeError, KeyError, AttributeError, IndexError) as error:
        kind = lang.split("-")[1]
        raise FilterError(PARAMETER, f"Not a CQL2 {kind} filter ({type(error).__name__}).") from None


def translate(tree, queryables: Queryables, *, crs: OutputCrs | None = None) -> Q:
    return _Translator(queryables, crs or SUPPORTED_CRS[CRS84]).node(tree)


def _json_for_pygeofilter(node):
    """CQL2 JSON as pygeofilter 0.4 reads it: `{"bbox": [minx, miny, maxx,
    maxy]}` as a GeoJSON Polygon (it reads the four numbers in another
    order), `between` with its bounds in one list (CQL2 1.0 gives three
    arguments), and a GeometryCollection given an empty `coordinates` so it is
    taken for a geometry (shapely reads its `geometries`)."""
    if isinstance(node, dict):
        box = node.get("bbox")
        if set(node) == {"bbox"} and isinstance(box, list) and len(box) == 4:
            west, south, east, north = box
            ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
            return {"type": "Polygon", "coordinates": [ring]}
        if node.get("type") == "GeometryCollection" and "coordinates" not in node:
            return {**node, "coordinates": []}
        args = node.get("args")
        if node.get("op") == "between" and isinstance(args, list) and len(args) == 3:
            node = {**node, "args": [args[0], [args[1], args[2]]]}
        return {key: _json_for_pygeofilter(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_json_for_pygeofilter(item) for item in node]
    return node


COMPARISONS = {
    ast.Equal: "exact",
    ast.LessThan: "lt",
    ast.LessEqual: "lte",
    ast.GreaterThan: "gt",
    ast.GreaterEqual: "gte",
}
SPATIAL = {
    ast.GeometryIntersects: "ST_Intersects",
    ast.GeometryWithin: "ST_Within",
    ast.GeometryContains: "ST_Contains",
    ast.GeometryDisjoint: "ST_Disjoint",
    ast.GeometryEquals: "ST_Equals",
    ast.GeometryTouches: "ST_Touches",
    ast.GeometryCrosses: "ST_Crosses",
    ast.GeometryOverlaps: "ST_Overlaps",
}
# S_WITHIN(literal, geometry) is S_CONTAINS(geometry, literal); the rest are symmetric.
CONVERSE = {ast.GeometryWithin: ast.GeometryContains, ast.GeometryContains: ast.GeometryWithin}
TEMPORAL = (ast.TimeOverlaps, ast.TimeDisjoint, ast.TimeBefore, ast.TimeAfter, ast.TimeDuring)
_LIKE_SPECIAL = re.compile(r"\\.|%|_|[.^$*+?{}\[\]|()\\]")


class _Translator:
    def __init__(self, queryables: Queryables, crs: OutputCrs):
        self.queryables = queryables
        self.crs = crs  # filter-crs: the CRS of the geometry literals
        self.nodes = 0

    def node(self, node) -> Q:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise FilterError(PARAMETER, f"At most {MAX_NODES} terms.")
        if isinstance(node, ast.And):
            return self.node(node.lhs) & self.node(node.rhs)
        if isinstance(node, ast.Or):
            return self.node(node.lhs) | self.node(node.rhs)
        if isinstance(node, ast.Not):
            return ~self.node(node.sub_node)
        if isinstance(node, bool):  # TRUE / FALSE (every row has a key)
            return Q(pk__isnull=not node)
        for kind, handler in (
            (ast.Comparison, self.comparison),
            (ast.Between, self.between),
            (ast.In, self.in_list),
            (ast.IsNull, self.is_null),
            (ast.Like, self.like),
            (ast.SpatialComparisonPredicate, self.spatial),
            (ast.TemporalPredicate, self.temporal),
        ):
            if isinstance(node, kind):
                return handler(node)
        raise FilterError(PARAMETER, f"{type(node).__name__} is not supported here.")

    def property(self, node) -> Queryable:
        if not isinstance(node, ast.Attribute):
            raise FilterError(PARAMETER, "The left-hand side must be a property name.")
        found = self.queryables.properties.get(node.name)
        if found is None:
            raise FilterError(
                PARAMETER,
                f"Unknown property {node.name[:60]!r}; see the collection's queryables "
                f"({', '.join(sorted(self.queryables.properties))}).",
            )
        return found

    def literal(self, value, queryable: Queryable, name: str):
        ok = {
            "string": isinstance(value, str),
            "integer": isinstance(value, int) and not isinstance(value, bool),
            "number": isinstance(value, (int, float)) and not isinstance(value, bool),
        }[queryable.type]
        if not ok:
            raise FilterError(
                PARAMETER, f"{name} takes a{'n' if queryable.type[0] == 'i' else ''} {queryable.type}."
            )
        if isinstance(value, int) and abs(value) > 2**53:
            raise FilterError(PARAMETER, f"{name}: the number is too large.")
        if isinstance(value, float) and value != value:  # NaN
            raise FilterError(PARAMETER, f"{name}: not a number.")
        if isinstance(value, str) and len(value) > 500:
            raise FilterError(PARAMETER, f"{name}: the text is longer than 500 characters.")
        return value

    def comparison(self, node) -> Q:
        lhs, rhs, kind = node.lhs, node.rhs, type(node)
        if not isinstance(lhs, ast.Attribute) and isinstance(rhs, ast.Attribute):  # 1700 > start_year
            flipped = {
                ast.LessThan: ast.GreaterThan,
                ast.GreaterThan: ast.LessThan,
                ast.LessEqual: ast.GreaterEqual,
                ast.GreaterEqual: ast.LessEqual,
            }
            lhs, rhs, kind = rhs, lhs, flipped.get(kind, kind)
        queryable = self.property(lhs)
        value = self.literal(rhs, queryable, lhs.name)
        if kind is ast.NotEqual:
            # SQL's <>: a null property matches neither = nor <>.
            return Q(**{f"{queryable.lookup}__isnull": False}) & ~Q(**{queryable.lookup: value})
        return Q(**{f"{queryable.lookup}__{COMPARISONS[kind]}": value})

    def between(self, node) -> Q:
        queryable = self.property(node.lhs)
        low = self.literal(node.low, queryable, node.lhs.name)
        high = self.literal(node.high, queryable, node.lhs.name)
        q = Q(**{f"{queryable.lookup}__gte": low, f"{queryable.lookup}__lte": high})
        return ~q & Q(**{f"{queryable.lookup}__isnull": False}) if node.not_ else q

    def in_list(self, node) -> Q:
        queryable = self.property(node.lhs)
        items = [self.literal(item, queryable, node.lhs.name) for item in node.sub_nodes]
        q = Q(**{f"{queryable.lookup}__in": items})
        return ~q & Q(**{f"{queryable.lookup}__isnull": False}) if node.not_ else q

    def is_null(self, node) -> Q:
        queryable = self.property(node.lhs)
        return Q(**{f"{queryable.lookup}__isnull": not node.not_})

    def like(self, node) -> Q:
        queryable = self.property(node.lhs)
        if queryable.type != "string":
            raise FilterError(PARAMETER, f"LIKE needs a text property; {node.lhs.name} is not.")
        pattern = self.literal(node.pattern, queryable, node.lhs.name)

        def regex(match: re.Match) -> str:
            text = match.group(0)
            return {"%": ".*", "_": "."}.get(
                text, re.escape(text[1:]) if text.startswith("\\") and len(text) == 2 else re.escape(text)
            )

        expression = "^" + _LIKE_SPECIAL.sub(regex, pattern) + "$"
        q = Q(**{f"{queryable.lookup}__{'iregex' if node.nocase else 'regex'}": expression})
        return ~q & Q(**{f"{queryable.lookup}__isnull": False}) if node.not_ else q

    def spatial(self, node) -> Q:
        kind, lhs, rhs = type(node), node.lhs, node.rhs
        if self._is_geometry(rhs) and not self._is_geometry(lhs):  # S_WITHIN(POLYGON(…), geometry)
            kind, lhs, rhs = CONVERSE.get(kind, kind), rhs, lhs
        if not self._is_geometry(lhs):
            raise FilterError(
                PARAMETER,
                f"Spatial functions compare the property {self.queryables.spatial!r} with a literal.",
            )
        wkt = _geometry_wkt(rhs, self.crs)
        column = self.queryables.geometry_column
        sql = f"{SPATIAL[kind]}({column}::geometry, {literal_geometry_sql(self.crs)})"
        return Q(RawSQL(sql, [wkt], output_field=BooleanField()))

    def _is_geometry(self, node) -> bool:
        return isinstance(node, ast.Attribute) and node.name == self.queryables.spatial

    def temporal(self, node) -> Q:
        if self.queryables.years is None:
            raise FilterError(PARAMETER, "This collection has no dates.")
        if not (isinstance(node.lhs, ast.Attribute) and node.lhs.name == self.queryables.temporal):
            raise FilterError(
                PARAMETER, f"Temporal functions take the property {self.queryables.temporal!r} first."
            )
        if not isinstance(node, TEMPORAL):
            raise FilterError(
                PARAMETER,
                f"{type(node).__name__} is not supported; use T_INTERSECTS, "
                "T_DISJOINT, T_BEFORE, T_AFTER or T_DURING.",
            )
        start, end = _years(node.rhs)
        first, last = self.queryables.years
        dated = Q(**{f"{first}__isnull": False}) | Q(**{f"{last}__isnull": False})
        # An empty end year means still standing: open to the present.
        overlaps = dated
        if end is not None:
            overlaps &= Q(**{f"{first}__isnull": True}) | Q(**{f"{first}__lte": end})
        if start is not None:
            overlaps &= Q(**{f"{last}__isnull": True}) | Q(**{f"{last}__gte": start})
        if isinstance(node, ast.TimeOverlaps):
            return overlaps
        if isinstance(node, ast.TimeDisjoint):
            return dated & ~overlaps
        if isinstance(node, ast.TimeBefore):
            return Q(**{f"{last}__lt": start}) if start is not None else Q(pk__in=[])
        if isinstance(node, ast.TimeAfter):
            return Q(**{f"{first}__gt": end}) if end is not None else Q(pk__in=[])
        q = Q(**{f"{first}__isnull": False, f"{last}__isnull": False})  # T_DURING
        if start is not None:
            q &= Q(**{f"{first}__gte": start})
        if end is not None:
            q &= Q(**{f"{last}__lte": end})
        return q


def _bbox_function(value) -> shapely.geometry.Polygon | None:
    """CQL2 text `BBOX(minx, miny, maxx, maxy)` (or 6 numbers with heights),
    which pygeofilter reads as a function call."""
    if not (isinstance(value, ast.Function) and value.name.lower() == "bbox"):
        return None
    numbers = value.arguments
    if len(numbers) not in (4, 6) or not all(
        isinstance(n, (int, float)) and not isinstance(n, bool) and math.isfinite(n) for n in numbers
    ):
        raise FilterError(PARAMETER, "BBOX takes 4 numbers minx, miny, maxx, maxy (or 6 with heights).")
    if len(numbers) == 6:
        numbers = [numbers[0], numbers[1], numbers[3], numbers[4]]
    if numbers[0] > numbers[2] or numbers[1] > numbers[3]:
        raise FilterError(PARAMETER, "BBOX: the minimum must not exceed the maximum.")
    return shapely.geometry.box(*numbers)


def _shape(geometry: dict, depth: int = 0):
    """A GeoJSON-like geometry (pygeofilter's) as shapely; shapely's own
    shape() does not take pygeofilter's GeometryCollection."""
    if str(geometry.get("type", "")).lower() != "geometrycollection":
        return shapely.geometry.shape(geometry)
    members = geometry["geometries"]
    if depth > 2 or not isinstance(members, (list, tuple)) or not members:
        raise ValueError("a GeometryCollection needs geometries")
    return shapely.geometry.GeometryCollection([_shape(member, depth + 1) for member in members])


def _geometry_wkt(value, crs: OutputCrs) -> str:
    """A geometry literal as WKT in its own axis order, checked: size,
    validity and the range of the filter-crs."""
    shape = _bbox_function(value)
    if shape is None and isinstance(value, values.Envelope):
        shape = shapely.geometry.box(value.x1, value.y1, value.x2, value.y2)
    elif shape is None and isinstance(value, values.Geometry):
        try:
            shape = _shape(value.geometry)
        except (ValueError, TypeError, KeyError, AttributeError, IndexError, ShapelyError):
            raise FilterError(PARAMETER, "Not a valid geometry literal.") from None
    elif shape is None:
        raise FilterError(PARAMETER, "Spatial functions compare with a geometry literal (WKT or BBOX).")
    coordinates = shapely.get_coordinates(shape)
    if len(coordinates) > MAX_VERTICES:
        raise FilterError(PARAMETER, f"A geometry literal may have at most {MAX_VERTICES} vertices.")
    if shape.is_empty or not shape.is_valid:
        raise FilterError(PARAMETER, "The geometry literal is empty or invalid.")
    x, y = coordinates[:, 0], coordinates[:, 1]
    if crs.lat_first:
        x, y = y, x
    west, south, east, north = crs.limits
    if (x < west).any() or (x > east).any() or (y < south).any() or (y > north).any():
        axes = "longitude, latitude" if crs.is_crs84 else "latitude, longitude" if crs.lat_first else "x, y"
        raise FilterError(
            PARAMETER,
            f"Geometry literals are in the filter-crs {crs.uri} ({axes}), within "
            f"{west:g},{south:g},{east:g},{north:g}.",
        )
    return shape.wkt


def literal_geometry_sql(crs: OutputCrs) -> str:
    """SQL of a WKT literal (one bound parameter) in `crs` as lon/lat
    geometry 4326, transformed by PostGIS; the SRID comes from
    SUPPORTED_CRS, never from the request."""
    if crs.is_crs84:
        return "ST_GeomFromText(%s, 4326)"
    if crs.lat_first:
        return "ST_FlipCoordinates(ST_GeomFromText(%s, 4326))"
    return f"ST_Transform(ST_GeomFromText(%s, {int(crs.srid)}), 4326)"


def _year(value) -> int | None:
    if value is None or value == "..":
        return None
    if isinstance(value, (date, datetime)):
        return value.year
    raise FilterError(PARAMETER, "Temporal functions compare with DATE, TIMESTAMP or INTERVAL literals.")


def _years(value) -> tuple[int | None, int | None]:
    if isinstance(value, values.Interval):
        start, end = _year(value.start), _year(value.end)
        if start is not None and end is not None and start > end:
            raise FilterError(PARAMETER, "The interval's start is after its end.")
        return start, end
    year = _year(value)
    return year, year
