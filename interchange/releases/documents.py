"""The words of a release: its README (licence, attribution, how to cite,
the files), CHANGELOG.md, CITATION.cff and the Data Package's `about`."""

from django.conf import settings

from geodata.exports.citation_cff import CitationFacts, citation_cff
from geodata.exports.metadata import DATASET_TITLE, LICENSE_URLS, PUBLISHER

TITLE = DATASET_TITLE
LICENSE_TITLES = {"CC-BY-4.0": "Creative Commons Attribution 4.0 International"}
SOURCE = ("Bizİzmir Açık Veri Portalı", "İzmir Büyükşehir Belediyesi", "https://acikveri.bizizmir.com")
ABSTRACT = (
    "Heritage sites of İzmir and the two heritage routes built on them (8500 Years in One Day, "
    "İzmir Historical Waterways): points, periods, dates, sources and the routes' paths and stops, "
    "as published by the İzmir heritage routes service on the release date."
)
KEYWORDS = ("İzmir", "cultural heritage", "heritage routes", "gazetteer", "Linked Places")
CHANGES = (("added", "Added"), ("changed", "Changed"), ("withdrawn", "Withdrawn"))


def citation_text(context) -> str:
    year = context.released_at.year
    return (
        f"{PUBLISHER} ({year}). {TITLE}, release {context.version} [data set]. "
        f"{settings.HERITAGE_DATA_LICENSE}. {context.url}. "
        f"Site coordinates: {settings.HERITAGE_DATA_ATTRIBUTION}."
    )


def about(context) -> dict:
    code = settings.HERITAGE_DATA_LICENSE
    return {
        "description": f"{ABSTRACT} Attribution: {settings.HERITAGE_DATA_ATTRIBUTION}.",
        "homepage": context.url,
        "license": code,
        "license_url": LICENSE_URLS.get(code, ""),
        "license_title": LICENSE_TITLES.get(code, code),
        "sources": [(SOURCE[0], SOURCE[2])],
        "contributors": [PUBLISHER],
    }


def citation(context) -> str:
    return citation_cff(
        CitationFacts(
            title=TITLE,
            version=context.version,
            date_released=context.released_at.date().isoformat(),
            license=settings.HERITAGE_DATA_LICENSE,
            url=context.url,
            authors=(PUBLISHER,),
            abstract=ABSTRACT,
            keywords=KEYWORDS,
            source_title=SOURCE[0],
            source_author=SOURCE[1],
            source_url=SOURCE[2],
        )
    )


def _since(context) -> str:
    return f"release {context.previous.version}" if context.previous else "nothing (the first release)"


def changelog(context, changes) -> str:
    lines = [f"# Changes in release {context.version}", "", f"Counted against {_since(context)}.", ""]
    for kind in ("site", "route"):
        lines.append(f"## {kind.capitalize()}s")
        for change, label in CHANGES:
            count = changes.of(change, kind)
            listed = changes.listed.get((change, kind), [])
            more = f" (the first {len(listed)}; changes.csv lists all)" if count > len(listed) else ""
            lines.append(f"- {label}: {count}{more}" + (": " + ", ".join(listed) if listed else ""))
        lines.append("")
    return "\n".join(lines)


def readme(context, counts, changes, files) -> str:
    code = settings.HERITAGE_DATA_LICENSE
    rows = [f"| `{f.name}` | {f.title} | {f.bytes:,} |" for f in files]
    return "\n".join(
        [
            f"# {TITLE}: release {context.version}",
            "",
            f"Released {context.released_at.strftime('%Y-%m-%d %H:%M:%S')} UTC by {PUBLISHER}: "
            f"{counts.get('site', 0):,} published sites and {counts.get('route', 0):,} published routes. "
            "A release never changes; its files are also at " + context.url + ".",
            "",
            "## Licence and attribution",
            f"Licence: **{code}** ({LICENSE_TITLES.get(code, code)}, {LICENSE_URLS.get(code, '')}).",
            f'Attribution required: "{settings.HERITAGE_DATA_ATTRIBUTION}" (most site coordinates '
            "come from the İzmir Metropolitan Municipality's open data portal).",
            "",
            "## How to cite",
            citation_text(context),
            "",
            "`CITATION.cff` has the same in the Citation File Format.",
            "",
            "## Changes",
            f"Since {_since(context)}: sites added {changes.of('added')}, changed {changes.of('changed')}, "
            f"withdrawn {changes.of('withdrawn')} (CHANGELOG.md, changes.csv; manifest.csv holds a SHA-256 "
            "of every site and route as released).",
            "",
            "## Files",
            "| file | what | bytes |",
            "| --- | --- | --- |",
            *rows,
            "| `README.md` | this file | |",
            "| `datapackage.json` | Frictionless Data Package: each file's size, hash and columns | |",
            "| `SHA256SUMS` | check the files with `sha256sum -c SHA256SUMS` | |",
            "",
        ]
    )
