"""The ogctests suite (PyPI, OGC API – Features core: 29 black-box tests)
against a live /ogc on the İzmir data. It lives in its own virtualenv
(scripts/ogctests-venv.sh, run by `make setup-dev`): it pins pytest 8."""

import os
import subprocess
from pathlib import Path

import pytest

from editorial.vocabularies import Status
from routes.models import Route

OGCTESTS = Path(__file__).resolve().parents[3] / "var" / "ogctests" / "bin" / "python"

pytestmark = [
    pytest.mark.live,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    # Under CI (make test installs it) a missing suite is a failure, not a skip.
    pytest.mark.skipif(
        not OGCTESTS.exists() and not os.environ.get("CI"), reason="run scripts/ogctests-venv.sh first"
    ),
]


def test_ogctests_features_core_passes_fully(izmir, live_server, tmp_path):
    Route.objects.update(status=Status.PUBLISHED)

    # Its pytest would otherwise find this project's pyproject.toml above var/ogctests.
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    env = {**os.environ, "PYTEST_ADDOPTS": f"-c {tmp_path / 'pytest.ini'} -p no:cacheprovider"}
    result = subprocess.run(
        [str(OGCTESTS), "-m", "ogctests", "features/core", "-i", f"{live_server.url}/ogc"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
        env=env,
        check=False,
    )

    summary = next((line for line in result.stdout.splitlines() if " passed" in line), result.stderr)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "29 passed" in summary
    assert "failed" not in summary
    assert "error" not in summary
