"""schemathesis judges the staff operations against /api/v1/schema, signed in
with a real token.

Every staff operation (reads and writes) is called with generated bodies,
parameters and headers on the real İzmir data (half of them aimed at objects
that exist, with their current ETag as If-Match), as a reviewer (the role that
may do everything the staff API offers): no 5xx, and status codes, content
types, headers and bodies as documented. Writes run inside the test's
transaction and are rolled back. A second pass without a token checks that
the refusals (401) are documented as what they are: problem+json.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.specs.openapi.checks import positive_data_acceptance
from werkzeug.test import Client

from config.wsgi import application
from routes.models import RouteStop
from tests.api.test_openapi_contract import _keep_the_test_transaction  # noqa: F401 (autouse fixture)
from tests.factories import UserFactory

FUZZ = settings(max_examples=20, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
SCHEMA_URL = "/api/v1/schema?format=json"
# "schema-valid means accepted" cannot hold for writes: a schema-valid body may
# still name a taken slug, a site outside the service area or a stale version.
SEMANTIC_LIMITS = [positive_data_acceptance]


def staff_operations():
    schema = schemathesis.openapi.from_wsgi(SCHEMA_URL, application)
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.path.startswith("/api/v1/staff"):
            yield pytest.param(operation.label, id=operation.label)


def find_operation(label: str):
    schema = schemathesis.openapi.from_wsgi(SCHEMA_URL, application)
    return next(r.ok() for r in schema.get_all_operations() if r.ok().label == label)


@pytest.fixture
def reviewer_token(izmir):
    user = UserFactory(role="reviewer")
    return Token.objects.create(user=user).key


def real_objects(case) -> None:
    """Half the cases aim at objects that exist (a random slug only ever
    meets the 404), so the body and header checks behind it are reached."""
    if "slug" not in (case.path_parameters or {}) or case.path_parameters["slug"].startswith("a"):
        return
    stop = RouteStop.objects.select_related("route", "site").order_by("route__slug", "order").first()
    if case.path.startswith("/api/v1/staff/routes"):
        case.path_parameters["slug"] = stop.route.slug
        if "site" in case.path_parameters:
            case.path_parameters["site"] = stop.site.slug
    else:
        case.path_parameters["slug"] = stop.site.slug


def current_etag(case, headers: dict) -> str | None:
    """The object's ETag as a client would have read it, for If-Match.
    (Through the WSGI app as schemathesis calls it: Django's test client
    would reconnect the signal that closes the test's connection.)"""
    url = case.formatted_path.removesuffix("/status")
    response = Client(application).get(
        url, headers={**headers, "Host": "127.0.0.1", "Accept": "application/geo+json"}
    )
    return response.headers.get("ETag")


def fuzz(operation, headers: dict, *, aim: bool = False):
    @FUZZ
    @given(case=operation.as_strategy())
    def call(case):
        if aim:
            real_objects(case)
            if case.method in ("PATCH", "PUT", "DELETE", "POST") and (etag := current_etag(case, headers)):
                case.headers = {**(case.headers or {}), "If-Match": etag}
        case.call_and_validate(
            headers={"Host": "127.0.0.1", "Accept-Encoding": "identity", **headers},
            excluded_checks=SEMANTIC_LIMITS,
        )

    call()


@pytest.mark.parametrize("label", list(staff_operations()))
def test_staff_operation_keeps_its_contract_with_a_real_token(reviewer_token, label):
    fuzz(find_operation(label), {"Authorization": f"Token {reviewer_token}"}, aim=True)


@pytest.mark.parametrize("label", list(staff_operations()))
def test_staff_operation_documents_its_refusal_without_a_token(izmir, label):
    fuzz(find_operation(label), {})
