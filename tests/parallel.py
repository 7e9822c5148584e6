"""Run a function on several threads at once, each with its own database
connection (closed at the end): how a test makes requests race."""

import threading
from collections.abc import Callable

from django.db import connection


def run_in_parallel(work: Callable[[], None], threads: int) -> None:
    start = threading.Barrier(threads)

    def one():
        start.wait()  # all at once, not one after another as they start
        try:
            work()
        finally:
            connection.close()

    running = [threading.Thread(target=one) for _ in range(threads)]
    for thread in running:
        thread.start()
    for thread in running:
        thread.join()
