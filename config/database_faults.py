"""The database is down, restarting or too slow: a 503 with Retry-After.

A PostgreSQL restart or a failover is a state a client should wait out, not
a server bug: while the database cannot be reached (or a statement ran into
`statement_timeout`) every request answers 503, problem+json under /api and
/ogc, with `Retry-After`. Recovery needs nothing: `CONN_HEALTH_CHECKS` drops
the broken persistent connection and the next request connects again.

`DatabaseFaultMiddleware` answers faults raised in views (DRF re-raises what
it does not know); config.errors.server_error uses `fault_response` for those
raised in middleware (a session or user read before any view).
"""

import itertools
import logging
from collections.abc import Iterator

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse

from api.problems import is_api, problem_response

log = logging.getLogger(__name__)

try:  # psycopg 3 names the cancelled statement; Django wraps it in OperationalError
    from psycopg.errors import QueryCanceled
except ImportError:  # pragma: no cover
    QueryCanceled = ()


def is_database_fault(exc: BaseException | None) -> bool:
    return isinstance(exc, OperationalError | InterfaceError)


def _timed_out(exc: BaseException) -> bool:
    return isinstance(exc.__cause__, QueryCanceled) if QueryCanceled else False


def fault_response(request, exc: BaseException) -> HttpResponse:
    retry_after = str(settings.HERITAGE_DB_RETRY_AFTER_S)
    if _timed_out(exc):
        detail = (
            f"The query took longer than {settings.HERITAGE_STATEMENT_TIMEOUT_MS} ms and was stopped; "
            "narrow the request (a smaller bbox, a lower limit) or try again later."
        )
        slug = "statement-timeout"
    else:
        detail = "The database is unavailable for a moment; retry after the Retry-After seconds."
        slug = "database-unavailable"
    log.warning("503 for %s %s: %s", request.method, request.path, str(exc).strip().splitlines()[:1])
    if is_api(request):
        response = problem_response(503, detail, slug=slug)
    else:
        response = HttpResponse(detail, status=503, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = retry_after
    response["Cache-Control"] = "no-store"
    return response


# A streamed response (an export) is made while gunicorn sends it: a fault
# in its first chunks would reach gunicorn, which answers its own HTML 500.
# So the first 64 KB are made here, before the status is sent: a database
# that fails while an export starts is a 503 like any other request. (A
# fault later can only cut the stream short; chunked encoding tells the
# client it is incomplete.)
PRIMED_BYTES = 64 * 1024


def primed(chunks) -> Iterator[bytes]:
    iterator = iter(chunks)
    head, size = [], 0
    for chunk in iterator:
        head.append(chunk)
        size += len(chunk)
        if size >= PRIMED_BYTES:
            break
    return itertools.chain(head, iterator)


class DatabaseFaultMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # FileResponse goes to wsgi.file_wrapper, not through streaming_content.
        if response.streaming and getattr(response, "file_to_stream", None) is None:
            try:
                response.streaming_content = primed(response.streaming_content)
            except Exception as error:
                if is_database_fault(error):
                    response.close()
                    return fault_response(request, error)
                raise
        return response

    def process_exception(self, request, exception):
        if is_database_fault(exception):
            return fault_response(request, exception)
        return None
