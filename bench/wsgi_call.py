"""One GET through Django's WSGI handler, as gunicorn calls it (every
middleware, no test client, no HTTP parsing): what "in process" means when a
bench compares an endpoint with its own SQL."""

import io
import sys
from functools import cache

from django.core.handlers.wsgi import WSGIHandler


@cache
def _handler() -> WSGIHandler:
    return WSGIHandler()  # one a process, as a WSGI server keeps it (middleware loaded once)


def wsgi_get(path: str, query: str = "", encoding: str = "") -> tuple[str, bytes]:
    """(status line, body) of GET path?query; `encoding` is Accept-Encoding."""
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "SERVER_PROTOCOL": "HTTP/1.1",
    }
    if encoding:
        environ["HTTP_ACCEPT_ENCODING"] = encoding
    seen = {}

    def start_response(status, headers, exc_info=None):
        seen["status"] = status

    result = _handler()(environ, start_response)
    body = b"".join(result)
    if hasattr(result, "close"):
        result.close()  # request_finished: what closes or keeps the DB connection
    return seen["status"], body
