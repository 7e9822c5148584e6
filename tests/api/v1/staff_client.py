"""Helpers for the staff API tests: clients per role, bodies, row counts."""

import json

from django.apps import apps
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from routes.models import Route, RouteStop
from sites.models import Site
from tests.factories import KONAK, UserFactory


def client_for(role: str | None) -> APIClient:
    """An API client signed in with a real token (None: anonymous)."""
    client = APIClient()
    client.user = None
    if role:
        client.user = UserFactory(role=role)
        token = Token.objects.create(user=client.user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def site_body(*, geometry=None, **properties) -> dict:
    props = {"slug": "kemeralti-han", "name": {"tr": "Han", "en": "Han"}, "kind": "han", **properties}
    return {
        "type": "Feature",
        "geometry": geometry or {"type": "Point", "coordinates": [KONAK[0], KONAK[1]]},
        "properties": props,
    }


def route_body(*, geometry=None, **properties) -> dict:
    props = {"slug": "a-new-walk", "name": {"tr": "Yürüyüş", "en": "A walk"}, "modes": ["walk"], **properties}
    line = [[KONAK[0], KONAK[1]], [KONAK[0] + 0.0127, KONAK[1]]]
    return {
        "type": "Feature",
        "geometry": geometry or {"type": "LineString", "coordinates": line},
        "properties": props,
    }


def send(client: APIClient, method: str, url: str, body=None, *, raw: str | bytes | None = None, **headers):
    """A JSON request; `raw` sends the body text as is (NaN, 1e309 literals)."""
    data = raw if raw is not None else (json.dumps(body) if body is not None else None)
    return getattr(client, method)(url, data=data, content_type="application/json", **headers)


def written() -> dict:
    """Rows and history rows of everything the staff API can write."""
    return {
        "sites": Site.objects.count(),
        "site_history": Site.history.count(),
        "site_period_history": apps.get_model("sites", "HistoricalSite_periods").objects.count(),
        "routes": Route.objects.count(),
        "route_history": Route.history.count(),
        "stops": RouteStop.objects.count(),
        "stop_history": RouteStop.history.count(),
    }
