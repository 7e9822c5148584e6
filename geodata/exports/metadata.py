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
CSL_CITATION_SCHEMA = "https://whgazetteer.org/schema/csl-citation.json"


@dataclass(frozen=True)
class ExportMetadata:
    title: str
    license: str
    license_url: str
    attribution: str
    citation: str
    data_version: str
    generated_at: str  # RFC 3339, UTC, seconds
    url: str = ""  # where this data set lives (a release's stable URL), if anywhere

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

    def csl_citation(self) -> dict:
        """The citation as a CSL citation object (citeproc-js's shape), which
        the World Historical Gazetteer's LPF schema (whg3 lpf_v2.0) requires:
        one cited item of type `dataset`, dated by its generation day."""
        item_id = f"izmir-heritage-{self.data_version}"
        year, month, day = (int(part) for part in self.generated_at[:10].split("-"))
        item = {
            "id": item_id,
            "type": "dataset",
            "title": self.title,
            "author": [{"family": PUBLISHER, "literal": PUBLISHER}],
            "publisher": PUBLISHER,
            "version": self.data_version,
            "issued": {"date-parts": [[year, month, day]]},
            "license": self.license_url or self.license,
            "note": f"Site coordinates: {self.attribution}.",
        }
        if self.url:
            item["URL"] = self.url
        return {
            "schema": CSL_CITATION_SCHEMA,
            "citationID": item_id,
            "citationItems": [{"id": item_id, "itemData": item}],
        }


def export_metadata(
    *, subject: str = "sites", now: datetime | None = None, version: str | None = None, url: str = ""
) -> ExportMetadata:
    """Metadata for one export of `subject` ("sites" or "route <slug>");
    `version` is the data version (a release's number; default the setting)."""
    moment = (now or datetime.now(tz=UTC)).astimezone(UTC).replace(microsecond=0)
    generated_at = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    version = version or settings.HERITAGE_DATA_VERSION
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
        url=url,
    )


def export_filename(stem: str, extension: str, *, metadata: ExportMetadata) -> str:
    """`izmir-heritage-sites-2026.11-20261124.geojson`: what, which version, when."""
    day = metadata.generated_at[:10].replace("-", "")
    return f"izmir-heritage-{stem}-{metadata.data_version}-{day}.{extension}"
