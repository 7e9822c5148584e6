"""`make load`: a bounded load test of the API through gunicorn.

    python -m bench.load.run [--duration 60] [--users 1,16,64] [--port 0]

Starts gunicorn on 127.0.0.1 exactly as `make run` does (GUNICORN_ARGS from
the Makefile), then runs locust headless (bench/load/locustfile.py: routes,
route detail, nearby, progress, bbox pages, tiles, an OGC page and a
GeoPackage export) once per concurrency, each for --duration seconds, and
prints per endpoint: requests, errors, req/s, p50/p95/p99 (ms), and the
server's resident memory (master + workers; peak during the step).

Targets (issue 9, 2-core machine): zero errors at 64; p95 of nearby and
progress <= 50 ms at 16. The exit status is 1 when a target is missed.

The load generator is one address standing for many clients, so the
per-client export and OGC limits are raised for the run (the limits
themselves are tested in tests/reliability/test_abuse_limits.py); every
other setting is production's.
"""

import argparse
import csv
import os
import resource
import shlex
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LOCUSTFILE = Path(__file__).with_name("locustfile.py")
TARGET_ENDPOINTS = ("nearby", "progress")
TARGET_P95_MS, TARGET_USERS_P95, TARGET_USERS_ERRORS = 50, 16, 64


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, in MB."""
    total_kb = 0
    for current in descendants(pid):
        try:
            status = Path(f"/proc/{current}/status").read_text()
        except (FileNotFoundError, ProcessLookupError):
            continue
        rss = next((line for line in status.splitlines() if line.startswith("VmRSS:")), "VmRSS: 0 kB")
        total_kb += int(rss.split()[1])
    return total_kb / 1024


def descendants(pid: int) -> list[int]:
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        try:
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(child) for child in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return found


def cpu_seconds(pid: int | None) -> float:
    """CPU time of a process tree so far, including children it has reaped
    (gunicorn's restarted workers, PostgreSQL's finished backends)."""
    if pid is None:
        return 0.0
    ticks = 0
    for current in descendants(pid):
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        ticks += sum(int(value) for value in fields[11:15])  # utime stime cutime cstime
    return ticks / os.sysconf("SC_CLK_TCK")


def postmaster_pid() -> int | None:
    """The project cluster's postmaster, to count the database's CPU too
    (None for a server elsewhere: DATABASE_URL or PGHOST)."""
    if os.environ.get("DATABASE_URL") or os.environ.get("PGHOST"):
        return None
    default = ROOT / "var" / "pg"
    for data in (Path(os.environ.get("HERITAGE_PG_DATA", default)), *Path("/var/tmp/heritage-pg").glob("*")):
        pidfile = data / "postmaster.pid"
        try:
            lines = pidfile.read_text().splitlines()
        except OSError:
            continue
        if len(lines) > 3 and lines[3] == os.environ.get("HERITAGE_PG_PORT", "54329"):
            return int(lines[0])
    return None


class MemoryWatch(threading.Thread):
    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak, self.stopped = pid, 0.0, threading.Event()

    def run(self):
        while not self.stopped.wait(0.5):
            self.peak = max(self.peak, rss_mb(self.pid))


def start_gunicorn(port: int) -> subprocess.Popen:
    args = shlex.split(os.environ.get("GUNICORN_ARGS", "--workers 5"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "HERITAGE_THROTTLE_EXPORT": "1000000/m",
        "HERITAGE_THROTTLE_OGC_ITEMS": "1000000/m",
    }
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            *args,
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}/api/v1/health"
    for _attempt in range(200):
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return server
        except OSError:
            if server.poll() is not None:
                sys.exit(f"gunicorn exited: {server.stderr.read()[-2000:]}")
            time.sleep(0.1)
    server.terminate()
    sys.exit("gunicorn did not answer /api/v1/health")


def children_cpu_seconds() -> float:
    """CPU time of this process's finished children (each locust run)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_locust(url: str, users: int, seconds: int, prefix: Path) -> list[dict]:
    """One headless locust run; its own output goes to <prefix>.log."""
    command = [str(Path(sys.executable).with_name("locust")), "-f", str(LOCUSTFILE), "--headless"]
    command += ["--host", url, "-u", str(users), "-r", str(users), "-t", f"{seconds}s"]
    command += ["--csv", str(prefix), "--only-summary", "--loglevel", "WARNING", "--stop-timeout", "10"]
    with Path(f"{prefix}.log").open("w") as log:
        subprocess.run(command, cwd=ROOT, check=False, stdout=log, stderr=subprocess.STDOUT)
    stats = Path(f"{prefix}_stats.csv")
    if not stats.exists():
        sys.exit(f"locust wrote no statistics:\n{Path(f'{prefix}.log').read_text()[-3000:]}")
    with stats.open(newline="") as rows:
        return list(csv.DictReader(rows))


def report(
    users: int, rows: list[dict], peak_mb: float, end_mb: float, cpu: tuple[float, float], locust_s: float
) -> None:
    print(f"\n== concurrency {users} ==")  # noqa: T201 (a command-line report)
    columns = f"{'requests':>9}{'errors':>8}{'req/s':>9}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}"
    print(f"{'endpoint':<18}{columns}")  # noqa: T201
    for row in rows:
        print(  # noqa: T201
            f"{row['Name']:<18}{row['Request Count']:>9}{row['Failure Count']:>8}"
            f"{float(row['Requests/s']):>9.1f}{row['50%']:>8}{row['95%']:>8}{row['99%']:>8}"
        )
    print(f"server RSS: peak {peak_mb:.0f} MB, at the end {end_mb:.0f} MB")  # noqa: T201
    total = int(next(row for row in rows if row["Name"] == "Aggregated")["Request Count"]) or 1
    app_ms, db_ms = (1000 * seconds / total for seconds in cpu)
    print(  # noqa: T201
        f"server CPU per request: gunicorn {app_ms:.1f} ms, PostgreSQL {db_ms:.1f} ms "
        f"({os.cpu_count()} cores: at most ~{os.cpu_count() * 1000 / (app_ms + db_ms):.0f} req/s if idle)"
    )
    # The load generator shares the cores: what it spends is not the server's.
    print(f"load generator CPU per request: locust {1000 * locust_s / total:.1f} ms")  # noqa: T201


def targets_met(results: dict[int, list[dict]]) -> bool:
    met = True
    if TARGET_USERS_ERRORS in results:
        total = next(r for r in results[TARGET_USERS_ERRORS] if r["Name"] == "Aggregated")
        ok = int(total["Failure Count"]) == 0
        met &= ok
        verdict = "met" if ok else "MISSED"
        print(f"target: zero errors at {TARGET_USERS_ERRORS}: {total['Failure Count']} -> {verdict}")  # noqa: T201
    if TARGET_USERS_P95 in results:
        for name in TARGET_ENDPOINTS:
            row = next(r for r in results[TARGET_USERS_P95] if r["Name"] == name)
            ok = float(row["95%"]) <= TARGET_P95_MS
            met &= ok
            verdict = "met" if ok else "MISSED"
            print(  # noqa: T201
                f"target: p95 of {name} at {TARGET_USERS_P95} <= {TARGET_P95_MS} ms: "
                f"{row['95%']} ms -> {verdict}"
            )
    return met


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=int, default=60, help="seconds per concurrency (default 60)")
    parser.add_argument("--users", default="1,16,64", help="concurrencies, comma-separated")
    parser.add_argument("--port", type=int, default=0, help="gunicorn port (default: a free one)")
    options = parser.parse_args(argv)
    port = options.port or free_port()
    server = start_gunicorn(port)
    url = f"http://127.0.0.1:{port}"
    print(f"gunicorn on {url} with {os.environ.get('GUNICORN_ARGS', '--workers 5')}")  # noqa: T201
    results = {}
    database = postmaster_pid()
    try:
        with tempfile.TemporaryDirectory() as scratch:
            run_locust(url, 4, min(5, options.duration), Path(scratch) / "warmup")  # caches and connections
            for users in (int(u) for u in options.users.split(",")):
                watch = MemoryWatch(server.pid)
                watch.start()
                cpu_before = cpu_seconds(server.pid), cpu_seconds(database), children_cpu_seconds()
                rows = run_locust(url, users, options.duration, Path(scratch) / f"u{users}")
                cpu = cpu_seconds(server.pid) - cpu_before[0], cpu_seconds(database) - cpu_before[1]
                locust_s = children_cpu_seconds() - cpu_before[2]
                watch.stopped.set()
                results[users] = rows
                report(users, rows, max(watch.peak, rss_mb(server.pid)), rss_mb(server.pid), cpu, locust_s)
    finally:
        server.terminate()
        server.wait(timeout=30)
    print()  # noqa: T201
    return 0 if targets_met(results) else 1


if __name__ == "__main__":
    sys.exit(main())
