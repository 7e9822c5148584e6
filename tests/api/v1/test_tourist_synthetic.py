"""manage.py generate_synthetic: the seeded benchmark data behind make bench."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from routes.models import Route, RouteStop
from sites.models import Site


def _fingerprint() -> list:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT slug, ST_AsText(location) FROM sites_site WHERE slug LIKE 'syn-%%' ORDER BY slug LIMIT 5"
        )
        return cursor.fetchall()


def test_generate_synthetic_is_seeded_and_replaces_its_own_rows(db):
    call_command("generate_synthetic", sites=300, routes=4, seed=7, allow_any_database=True, verbosity=0)
    first = _fingerprint()
    call_command("generate_synthetic", sites=300, routes=4, seed=7, allow_any_database=True, verbosity=0)

    assert _fingerprint() == first
    assert Site.objects.filter(slug__startswith="syn-").count() == 300
    assert Route.objects.filter(slug__startswith="syn-").count() == 4
    vertices = [len(route.path.coords) for route in Route.objects.filter(slug__startswith="syn-")]
    assert all(200 <= n <= 2000 for n in vertices)
    assert RouteStop.objects.filter(route__slug__startswith="syn-").exists()


def test_generate_synthetic_refuses_a_database_not_named_for_benchmarks(db):
    with pytest.raises(CommandError, match="heritage_bench"):
        call_command("generate_synthetic", sites=10, routes=1, verbosity=0)


def test_bench_help_describes_the_tourist_benchmark_without_running_it(capsys, django_assert_num_queries, db):
    from bench.run import main

    with django_assert_num_queries(0):
        main(["--only=bench_tourist", "--help"])

    out = capsys.readouterr().out
    assert "== bench.bench_tourist ==" in out
    assert "--n" in out
    assert "endpoint" not in out.splitlines()[-1]  # no result table
