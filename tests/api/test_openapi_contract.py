"""schemathesis judges the public API against its own OpenAPI documents.

Every public GET operation of /api/v1/schema and /ogc/api is called with
generated parameters (valid and invalid) on the real İzmir data: no 5xx, and
status codes, content types, headers and bodies as documented. Bounded and
derandomized, so a failure reproduces. (schemathesis' pytest plugin does not
load under pytest 9, so the operations are driven through Hypothesis here.)
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from config.wsgi import application
from editorial.vocabularies import Status
from routes.models import Route

FUZZ = settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
DOCUMENTS = {"api-v1": "/api/v1/schema?format=json", "ogc": "/ogc/api"}
# JSON Schema cannot say "west <= east" or "within 50 km": a schema-valid
# inverted bbox is rightly a 400, so "schema-valid means accepted" is not checked.
SEMANTIC_LIMITS = [positive_data_acceptance]


def public_get_operations():
    for document, url in DOCUMENTS.items():
        schema = schemathesis.openapi.from_wsgi(url, application)
        for result in schema.get_all_operations():
            operation = result.ok()
            if operation.method == "get" and not operation.path.startswith("/api/v1/staff"):
                yield pytest.param(document, operation.label, id=f"{document} {operation.label}")


def find_operation(document: str, label: str):
    schema = schemathesis.openapi.from_wsgi(DOCUMENTS[document], application)
    return next(r.ok() for r in schema.get_all_operations() if r.ok().label == label)


@pytest.fixture
def published_izmir(izmir):
    Route.objects.update(status=Status.PUBLISHED)
    return izmir


@pytest.fixture(autouse=True)
def _keep_the_test_transaction():
    # The WSGI app would close the connection after each request (and with it
    # the test's transaction), as Django's own test client prevents too.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.parametrize(("document", "label"), list(public_get_operations()))
def test_public_operation_keeps_its_openapi_contract(published_izmir, document, label):
    operation = find_operation(document, label)

    @FUZZ
    @given(case=operation.as_strategy())
    def call(case):
        # identity: the in-process WSGI client does not undo gzip.
        case.call_and_validate(
            headers={"Host": "127.0.0.1", "Accept-Encoding": "identity"}, excluded_checks=SEMANTIC_LIMITS
        )

    call()
