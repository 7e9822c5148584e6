"""How the browser tests start Debian's chromium: headless, as root, and with
nothing of its own reaching the network (no background updates or sync), so
that every request a test sees is one the page made."""

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
