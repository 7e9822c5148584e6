"""What every export says about itself: licence, attribution, citation, data
version and generation time, and a sensible file name.

One function builds it, so GeoJSON, CSV, GeoPackage, KML, GPX and LPF carry
the same words.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings

LICENSE_URLS = {
    "CC-BY-4.0": "https://creativecommons.org/licenses/by/4.0/",
    "CC0-1.0": "https://creativecommons.org/publicdomain/zero/1.0/",
}
DATASET_TITLE = "İzmir heritage routes: heritage sites and routes"
PUBLISHER = "İzmir heritage routes project"


@dataclass(frozen=True)
class ExportMetadata:
    title: str
    license: str
    license_url: str
    attribution: str
    citation: str
    data_version: str
    generated_at: str  # RFC 3339, UTC, seconds

    def as_dict(self) -> dict[str, str]:
        """Foreign members of a GeoJSON FeatureCollection (RFC 7946 §6.1)."""
        return {
            "title": self.title,
            "license": self.license,
            "license_url": self.license_url,
            "attribution": self.attribution,
            "citation": self.citation,
            "data_version": self.data_version,
            "generated_at": self.generated_at,
        }

    @property
    def year(self) -> str:
        return self.generated_at[:4]


def export_metadata(*, subject: str = "sites", now: datetime | None = None) -> ExportMetadata:
    """Metadata for one export of `subject` ("sites" or "route <slug>")."""
    moment = (now or datetime.now(tz=UTC)).astimezone(UTC).replace(microsecond=0)
    generated_at = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    version = settings.HERITAGE_DATA_VERSION
    license_code = settings.HERITAGE_DATA_LICENSE
    title = f"{DATASET_TITLE} ({subject})"
    citation = (
        f"{PUBLISHER} ({moment.year}). {title}, data version {version}, "
        f"exported {generated_at}. {license_code}. "
        f"Site coordinates: {settings.HERITAGE_DATA_ATTRIBUTION}."
    )
    return ExportMetadata(
        title=title,
        license=license_code,
        license_url=LICENSE_URLS.get(license_code, ""),
        attribution=settings.HERITAGE_DATA_ATTRIBUTION,
        citation=citation,
        data_version=version,
        generated_at=generated_at,
    )


def export_filename(stem: str, extension: str, *, metadata: ExportMetadata) -> str:
    """`izmir-heritage-sites-2026.11-20261124.geojson`: what, which version, when."""
    day = metadata.generated_at[:10].replace("-", "")
    return f"izmir-heritage-{stem}-{metadata.data_version}-{day}.{extension}"
