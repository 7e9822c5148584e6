"""The layering of issue #8, checked on the source: geodata knows PostGIS
and file formats only, sites never imports routes, nothing imports bench."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PROJECT_APPS = {"sites", "routes", "editorial", "api", "interchange", "bench", "config"}


def imported_top_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def sources(package: str) -> list[Path]:
    return sorted(p for p in (ROOT / package).rglob("*.py") if "migrations" not in p.parts)


@pytest.mark.parametrize("path", sources("geodata"), ids=lambda p: str(p.relative_to(ROOT)))
def test_geodata_imports_no_project_app(path):
    assert not imported_top_modules(path) & PROJECT_APPS


@pytest.mark.parametrize("path", [ROOT / "sites" / "selectors_export.py", ROOT / "sites" / "models.py"])
def test_the_site_export_reads_do_not_import_routes(path):
    assert "routes" not in imported_top_modules(path)


def test_nothing_outside_bench_imports_bench():
    importers = [
        str(path.relative_to(ROOT))
        for package in ("geodata", "editorial", "sites", "routes", "interchange", "api", "config")
        for path in sources(package)
        if "bench" in imported_top_modules(path)
    ]

    assert importers == []
