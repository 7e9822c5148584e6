"""`make bench`: run every bench/bench_*.py module's main(argv), in name order.

    python -m bench.run [--only=bench_tourist] [--help] [module options]

Each module prints its own table. Django is set up here once; the benchmark
database defaults to heritage_bench (never the İzmir one) unless PGDATABASE
says otherwise.
"""

import importlib
import os
import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent


def modules() -> list[str]:
    return sorted(f"bench.{path.stem}" for path in BENCH_DIR.glob("bench_*.py"))


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("PGDATABASE", "heritage_bench")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    only = [arg.removeprefix("--only=") for arg in argv if arg.startswith("--only=")]
    rest = [arg for arg in argv if not arg.startswith("--only=")]
    wants_help = "--help" in rest or "-h" in rest
    for name in modules():
        if only and name.removeprefix("bench.") not in only:
            continue
        if wants_help:
            # Describe, never run: a benchmark may first generate 100k rows.
            print(f"== {name} ==\n{importlib.import_module(name).__doc__.strip()}\n")  # noqa: T201
            continue
        print(f"== {name} ==", flush=True)  # noqa: T201 (a command-line report)
        importlib.import_module(name).main(rest)


if __name__ == "__main__":
    main()
