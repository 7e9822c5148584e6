"""GeoDjango's PostGIS backend, with a passive health check.

Django's CONN_HEALTH_CHECKS asks a persistent connection `SELECT 1` before
its first query of every request: one extra round trip a request (14 % of a
profiled nearby request, bench/README.md). It is there so that the first
request after a PostgreSQL restart reconnects instead of failing (issue 9).

A connection the server has ended does not need a round trip to be found
out: PostgreSQL sends an error (FATAL 57P01 "terminating connection due to
administrator command" on a restart, the same for pg_terminate_backend or
idle_session_timeout) and closes its end, so the idle socket becomes
readable. An idle connection in good health has nothing to read: the server
speaks only when asked. So before a request's first query the check is:
psycopg does not know it as closed or broken, it is not in a failed
transaction, and its socket has nothing waiting (poll with a zero timeout).
Anything else closes it and the request connects again, as Django's check
would.

What it cannot see: a peer that vanished without a word (a cable cut, a
host that lost power, with no FIN reaching us). Django's `SELECT 1` would
then wait for the TCP timeout anyway; here the request's own query fails,
the request gets the 503 of config.database_faults, and Django's end-of-
request check (after an error it still runs the real `SELECT 1`, through
`is_usable`) drops the connection for the next one.
"""

import select

import psycopg
from django.contrib.gis.db.backends.postgis.base import DatabaseWrapper as PostGISDatabaseWrapper
from psycopg.pq import ConnStatus, TransactionStatus

_USABLE_STATES = frozenset({TransactionStatus.IDLE, TransactionStatus.INTRANS})
_READABLE = select.POLLIN | select.POLLPRI | select.POLLERR | select.POLLHUP


def connection_looks_sound(connection) -> bool:
    """True when nothing says the server has ended this idle psycopg connection."""
    if connection.closed or connection.broken:
        return False
    pgconn = connection.pgconn
    if pgconn.status != ConnStatus.OK or pgconn.transaction_status not in _USABLE_STATES:
        return False
    try:
        poller = select.poll()
        poller.register(pgconn.socket, _READABLE)
        return not poller.poll(0)
    except (psycopg.Error, OSError, ValueError):  # no socket any more
        return False


class DatabaseWrapper(PostGISDatabaseWrapper):
    def close_if_health_check_failed(self):
        """Django's per-request health check, without its round trip."""
        if self.pool or self.connection is None or not self.health_check_enabled or self.health_check_done:
            return
        if not connection_looks_sound(self.connection):
            self.close()
        self.health_check_done = True
