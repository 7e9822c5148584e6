"""CITATION.cff (Citation File Format 1.2.0) for a data set release.

Written as YAML by hand from plain values: every string is a JSON string,
which YAML reads as a double-quoted scalar, so no value can break the file.
"""

import json
from collections.abc import Sequence
from dataclasses import dataclass

CFF_VERSION = "1.2.0"


@dataclass(frozen=True)
class CitationFacts:
    title: str
    version: str
    date_released: str  # YYYY-MM-DD
    license: str  # SPDX code
    url: str
    authors: Sequence[str]  # entities (organisations, projects)
    abstract: str
    keywords: Sequence[str]
    source_title: str  # where the coordinates come from
    source_author: str
    source_url: str


def _q(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def citation_cff(facts: CitationFacts) -> str:
    lines = [
        f"cff-version: {CFF_VERSION}",
        f"message: {_q('If you use these data, please cite this release as below.')}",
        "type: dataset",
        f"title: {_q(facts.title)}",
        f"version: {_q(facts.version)}",
        f"date-released: {_q(facts.date_released)}",
        f"license: {_q(facts.license)}",
        f"url: {_q(facts.url)}",
        f"abstract: {_q(facts.abstract)}",
        "authors:",
        *(f"  - name: {_q(author)}" for author in facts.authors),
        "keywords:",
        *(f"  - {_q(keyword)}" for keyword in facts.keywords),
        "references:",
        "  - type: database",
        f"    title: {_q(facts.source_title)}",
        "    authors:",
        f"      - name: {_q(facts.source_author)}",
        f"    url: {_q(facts.source_url)}",
        f"    license: {_q(facts.license)}",
    ]
    return "\n".join(lines) + "\n"
