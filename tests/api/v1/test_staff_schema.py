"""The OpenAPI schema documents the staff endpoints, their bodies and errors."""


ACTIONS = ("list", "create", "retrieve", "update", "archive", "status")


def test_the_openapi_schema_documents_every_staff_operation_with_its_preconditions(client, db):
    response = client.get("/api/v1/schema?format=json")

    paths = response.json()["paths"]
    operations = {
        op["operationId"]: op
        for url, item in paths.items()
        if url.startswith("/api/v1/staff/") and "photos" not in url and "/audio" not in url
        for op in item.values()
    }
    expected = {
        *(f"staff_{noun}_{action}" for noun in ("sites", "routes") for action in ACTIONS),
        *(f"staff_stops_{action}" for action in ("list", "create", "retrieve", "update", "delete")),
        "staff_stop_order_retrieve",
        "staff_stop_order_update",
    }
    assert set(operations) == expected
    patch = operations["staff_sites_update"]
    assert {"412", "428", "400", "403"} <= set(patch["responses"])
    assert any(p["name"] == "If-Match" and p["in"] == "header" for p in patch["parameters"])
    assert "requestBody" in operations["staff_routes_create"]
