"""Abuse limits that hold across gunicorn workers and machines.

Every counter lives in one shared store, the table of api.rate_counters
(one upsert a request): all workers of all servers that share the database
share the limits. Per-process memory would let each worker (and each
machine) grant the full allowance again.

- wrong API tokens, per client address: `ThrottledTokenAuthentication`
  (after the limit even a right token waits: the point is to stop guessing);
- heavy endpoints (exports, OGC item pages), per client address:
  `HeavyRequestMiddleware`, in front of DRF and the plain OGC views alike;
- staff writes, per user: `StaffWriteThrottle` (a DRF default throttle);
- admin logins: django-axes (settings AXES_*), its lockout answered by
  `admin_lockout`.

Over a limit: 429 problem+json with `Retry-After` (whole seconds). Rates are
settings (`HERITAGE_THROTTLE_RATES`, "count/period", period s, m, h or d) and
`HERITAGE_THROTTLE_ENABLED` switches the three of ours off.

The window slides: a client gets about `count` requests in any `period`
(estimated from two fixed windows, see rate_counters), counted in one
statement under the row's lock, so parallel requests cannot slip past.
"""

import hashlib
import math
import re

from django.conf import settings
from django.http import HttpResponse
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.permissions import SAFE_METHODS
from rest_framework.throttling import BaseThrottle

from api import rate_counters

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """ "30/m" -> (30, 60): at most 30 in any 60 seconds."""
    count, period = rate.split("/")
    return int(count), PERIODS[period.strip()[0]]


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR (gunicorn serves clients directly),
    or the header a trusted proxy sets, named by HERITAGE_CLIENT_IP_HEADER
    (e.g. HTTP_X_REAL_IP). X-Forwarded-For is never trusted by default: a
    client could write any address into it and dodge every limit."""
    header = settings.HERITAGE_CLIENT_IP_HEADER
    value = request.META.get(header, "") if header else ""
    return value.split(",")[0].strip() or request.META.get("REMOTE_ADDR", "unknown")


def wait_seconds(scope: str, ident: str, *, record: bool = True) -> int:
    """0 when the request may go on (and, with `record`, counts it); else the
    whole seconds until it would be under the limit."""
    count, period = parse_rate(settings.HERITAGE_THROTTLE_RATES[scope])
    key = counter_key(scope, ident)
    if record:
        return rate_counters.take(key, count, period)
    return rate_counters.wait(key, count, period)


def record_hit(scope: str, ident: str) -> None:
    _count, period = parse_rate(settings.HERITAGE_THROTTLE_RATES[scope])
    rate_counters.add(counter_key(scope, ident), period)


def counter_key(scope: str, ident: str) -> str:
    """ "scope:client"; a client that is no address (a proxy header can hold
    anything) by its digest: a btree key has a size limit, text has no NUL."""
    if len(ident) > 64 or not ident.isprintable():
        ident = "sha256:" + hashlib.sha256(ident.encode("utf-8", "surrogatepass")).hexdigest()
    return f"{scope}:{ident}"


def too_many(wait: int, detail: str) -> HttpResponse:
    # Imported here: DRF imports this module while api.exceptions imports DRF.
    from api.problems import problem_response

    response = problem_response(429, detail, slug="too-many-requests")
    response["Retry-After"] = str(wait)
    return response


class ThrottledTokenAuthentication(TokenAuthentication):
    """TokenAuthentication that counts wrong tokens per client address."""

    def authenticate(self, request):
        if not settings.HERITAGE_THROTTLE_ENABLED or not request.META.get("HTTP_AUTHORIZATION"):
            return super().authenticate(request)
        ident = client_ip(request)
        wait = wait_seconds("token_failure", ident, record=False)
        if wait:
            raise exceptions.Throttled(wait, detail=f"Too many wrong API tokens; try again in {wait} s.")
        try:
            return super().authenticate(request)
        except exceptions.AuthenticationFailed:
            record_hit("token_failure", ident)
            raise


class StaffWriteThrottle(BaseThrottle):
    """Writes (POST, PATCH, PUT, DELETE) per signed-in user."""

    def allow_request(self, request, view):
        self.wait_s = 0
        if not settings.HERITAGE_THROTTLE_ENABLED or request.method in SAFE_METHODS:
            return True
        if not request.user or not request.user.is_authenticated:
            return True  # refused by its permissions anyway
        self.wait_s = wait_seconds("staff_write", str(request.user.pk))
        return not self.wait_s

    def wait(self):
        return self.wait_s


class HeavyRequestMiddleware:
    """Per-client limits on the endpoints that cost the most per request."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.rules = [(re.compile(pattern), scope) for pattern, scope in settings.HERITAGE_HEAVY_PATHS]

    def __call__(self, request):
        if settings.HERITAGE_THROTTLE_ENABLED and request.method in SAFE_METHODS:
            refused = self.refusal(request)
            if refused:
                return refused
        return self.get_response(request)

    def refusal(self, request) -> HttpResponse | None:
        scope = next((scope for pattern, scope in self.rules if pattern.match(request.path)), None)
        if scope is None:
            return None
        wait = wait_seconds(scope, client_ip(request))
        if not wait:
            return None
        rate = settings.HERITAGE_THROTTLE_RATES[scope]
        return too_many(wait, f"Too many {scope} requests (at most {rate}); retry in {wait} s.")


def admin_lockout(request, response=None, credentials=None) -> HttpResponse:
    """django-axes' answer once an address has too many failed logins."""
    cooloff = settings.AXES_COOLOFF_TIME
    wait = int(cooloff.total_seconds())
    message = (
        f"Too many failed sign-ins from this address. Try again in {math.ceil(wait / 60)} minutes, "
        "or ask an administrator to unlock it (manage.py axes_reset_ip <address>)."
    )
    if request.path.startswith(("/api/", "/ogc")):
        return too_many(wait, message)
    answer = HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")
    answer["Retry-After"] = str(wait)
    return answer
