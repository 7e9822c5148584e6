"""Fail early, with the fix, when the browser tests cannot find chromium."""

import shutil
import sys

if not shutil.which("chromium"):
    sys.stderr.write(
        "Debian chromium is needed for the browser tests: apt-get install chromium\n"
    )
    sys.exit(1)
