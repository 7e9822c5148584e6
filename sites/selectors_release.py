"""Content hashes of sites for release manifests: what a release froze of
each site, so the next release can say which sites were added, changed or
withdrawn without keeping a copy of the data."""

from collections.abc import Iterator

from django.db.models import CharField, Func, QuerySet, Value
from django.db.models.functions import Collate

from sites.models import Site
from sites.selectors_export import EXPORT_CHUNK_SIZE, site_feature_expression


def content_sha256(expression) -> Func:
    """SHA-256 (hex) of a text expression's UTF-8 bytes, computed by PostgreSQL."""
    utf8 = Func(expression, Value("UTF8"), function="convert_to")
    return Func(Func(utf8, function="sha256"), Value("hex"), function="encode", output_field=CharField())


def site_content_hashes(sites: QuerySet[Site], *, chunk_size: int = EXPORT_CHUNK_SIZE) -> Iterator[tuple]:
    """(slug, SHA-256 of the site's GeoJSON export feature) per site, slugs in
    byte order (COLLATE "C", whatever the database's collation), so two
    manifests merge in one pass. Any change to an exported field changes the hash."""
    shaped = sites.annotate(content=content_sha256(site_feature_expression()))
    ordered = shaped.order_by(Collate("slug", "C"))
    return ordered.values_list("slug", "content").iterator(chunk_size=chunk_size)
