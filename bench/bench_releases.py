"""Benchmark: building a numbered release (`manage.py release`) at 100,000
and 1,000,000 synthetic sites: wall time, time per file, bytes written and
the peak RSS of the build process (VmHWM, sampled while it runs) and of its
largest child (ogr2ogr for the GeoPackage; getrusage). Flat memory means the
peak at 1M is about the peak at 100k.

    python -m bench.bench_releases --release-sizes 100000,1000000

The database is heritage_bench_exports (bench_exports' data: 90 % of sites
published, 10 routes), filled by `generate_synthetic` when its size differs.
Each run deletes that database's release rows and builds into a temporary
folder, removed afterwards. Slow (minutes at 1M): `make bench-release` runs
it alone; run it under flock /tmp/heritage-heavy.lock.
"""

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench.bench_exports import ROOT, environment, prepare, psql_value

PYTHON = sys.executable
VERSION = "2026.12"
SAMPLE_S = 0.2


def vm_hwm_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def build(env: dict, releases: Path) -> dict:
    """Run one release build; its times, peak RSS and per-file times."""
    subprocess.run(["psql", "-qc", "DELETE FROM interchange_release"], env=env, check=True)
    started = time.monotonic()
    process = subprocess.Popen(
        [PYTHON, "manage.py", "release", VERSION, "--progress"],
        cwd=ROOT,
        env={**env, "HERITAGE_RELEASES_DIR": str(releases)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    peak = [0.0]

    def sample() -> None:
        while process.poll() is None:
            peak[0] = max(peak[0], vm_hwm_mb(process.pid))
            time.sleep(SAMPLE_S)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    steps, last = [], started
    for line in process.stderr:
        if line.startswith("wrote "):
            now = time.monotonic()
            steps.append((line.split(" ", 1)[1].strip(), now - last))
            last = now
    process.wait()
    sampler.join()
    if process.returncode != 0:
        msg = f"release failed with {process.returncode}"
        raise RuntimeError(msg)
    folder = releases / VERSION
    return {
        "seconds": time.monotonic() - started,
        "peak_mb": peak[0],
        "child_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "bytes": sum(path.stat().st_size for path in folder.iterdir()),
        "files": len(list(folder.iterdir())),
        "steps": steps,
    }


def report(size: int, published: int, result: dict) -> None:
    out = sys.stdout
    out.write(
        f"\n{size:,} sites ({published:,} published): release built in {result['seconds']:.1f} s, "
        f"{result['files']} files, {result['bytes'] / 1e6:,.0f} MB; peak RSS of the build "
        f"{result['peak_mb']:.0f} MB (it or any child, ogr2ogr included: {result['child_peak_mb']:.0f} MB)\n"
    )
    out.write("| file | s |\n| --- | --- |\n")
    routes = [seconds for name, seconds in result["steps"] if "-route-" in name]
    for name, seconds in result["steps"]:
        if "-route-" not in name:
            out.write(f"| {name} | {seconds:.1f} |\n")
    out.write(f"| {len(routes)} route files (GPX, KML) | {sum(routes):.1f} |\n")
    out.flush()


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench_releases", description=__doc__.splitlines()[0])
    parser.add_argument("--release-sizes", default="100000,1000000", help="Comma-separated site counts.")
    parser.add_argument("--database", default="heritage_bench_exports")
    options, _others = parser.parse_known_args(argv)  # bench.run passes other modules' options too
    if shutil.which("psql") is None:
        print("bench_releases: psql is needed; skipped.")  # noqa: T201
        return
    env = environment(options.database)
    for size in (int(value) for value in options.release_sizes.split(",")):
        published = prepare(env, size)
        assert int(psql_value(env, "SELECT count(*) FROM sites_site")) >= size
        with tempfile.TemporaryDirectory(prefix="heritage-bench-release-") as folder:
            try:
                report(size, published, build(env, Path(folder)))
            finally:
                subprocess.run(["chmod", "-R", "u+w", folder], check=False)


if __name__ == "__main__":
    main(sys.argv[1:])
