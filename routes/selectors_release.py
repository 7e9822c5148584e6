"""Content hashes of routes for release manifests (see sites/selectors_release.py)."""

from collections.abc import Iterator

from django.db.models import QuerySet
from django.db.models.functions import Collate

from routes.models import Route
from routes.selectors_export import route_feature_expression
from sites.selectors_release import content_sha256


def route_content_hashes(routes: QuerySet[Route]) -> Iterator[tuple]:
    """(slug, SHA-256 of the route's GeoJSON export feature), slugs in byte order."""
    shaped = routes.annotate(content=content_sha256(route_feature_expression()))
    return iter(shaped.order_by(Collate("slug", "C")).values_list("slug", "content"))
