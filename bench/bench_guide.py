"""The tourist guide's budget, in Debian chromium (Playwright), on the İzmir data:

- home: bytes on the wire (compressed, as the browser received them) for
  the home screen and everything it loads; budget 100 KB;
- route screen: time until it is interactive (body[data-ready=true]: the map
  drawn, every control wired) under Chromium's throttling for a slow phone
  (Lighthouse's mobile profile: 150 ms RTT, 1.6 Mbit/s down, 750 kbit/s up,
  CPU 4× slower), cold cache, median of --n runs; budget 2.5 s.

Served by gunicorn from collected static files, as `make run` serves them.
`python -m bench.bench_guide --n=3`. Not asserted anywhere: reported.
"""

import os
import statistics
import sys
import time

from django.core.management import call_command

from bench.bench_tourist import say, start_gunicorn

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
SLOW_PHONE = {
    "offline": False, "latency": 150, "downloadThroughput": 1.6e6 / 8, "uploadThroughput": 750e3 / 8
}
CPU_SLOWDOWN = 4
ROUTE = "8500-years-in-one-day"


def wire_bytes(page, url: str) -> int:
    """Sum of encodedDataLength (compressed bytes) of every request the page made."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    sizes: dict[str, float] = {}
    cdp.on(
        "Network.loadingFinished",
        lambda event: sizes.__setitem__(event["requestId"], event["encodedDataLength"]),
    )
    page.goto(url)
    page.wait_for_selector("body[data-ready]")
    page.wait_for_timeout(500)
    return int(sum(sizes.values()))


def interactive_s(browser, url: str) -> tuple[float, float]:
    """Seconds to interactive (controls wired) and to the map drawn."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, service_workers="block")
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW_PHONE)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    started = time.perf_counter()
    page.goto(url)
    page.wait_for_selector("body[data-ready='true']", timeout=120_000)
    interactive = time.perf_counter() - started
    page.wait_for_selector("#map[data-stops]", timeout=120_000)
    drawn = time.perf_counter() - started
    context.close()
    return interactive, drawn


def main(argv: list[str]) -> None:
    n = next((int(arg.split("=", 1)[1]) for arg in argv if arg.startswith("--n=")), 3)
    from playwright.sync_api import sync_playwright

    call_command("collectstatic", interactive=False, verbosity=0)
    # The guide is measured on the İzmir routes (make bench loads them), not the synthetic set.
    os.environ["PGDATABASE"] = os.environ.get("HERITAGE_GUIDE_BENCH_DB", "heritage")
    server, base = start_gunicorn(workers=2)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            context = browser.new_context(viewport={"width": 390, "height": 844}, service_workers="block")
            home = wire_bytes(context.new_page(), f"{base}/en/")
            say(f"home /en/: {home / 1024:.1f} KB on the wire (budget 100 KB: {home / 1024 / 100:.2f} of it)")
            route = wire_bytes(context.new_page(), f"{base}/en/routes/{ROUTE}")
            say(f"route screen: {route / 1024:.1f} KB on the wire (map library included)")
            runs = [interactive_s(browser, f"{base}/en/routes/{ROUTE}") for _ in range(n)]
            median = statistics.median(run[0] for run in runs)
            drawn = statistics.median(run[1] for run in runs)
            say(
                f"route screen, slow phone (150 ms RTT, 1.6 Mbit/s, CPU ×{CPU_SLOWDOWN}), median of {n}: "
                f"interactive {median:.2f} s (budget 2.5 s: {median / 2.5:.2f} of it), "
                f"map drawn {drawn:.2f} s (software WebGL: SwiftShader)"
            )
            browser.close()
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    main(sys.argv[1:])
