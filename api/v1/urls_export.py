"""/api/v1/ routes of the export area."""

urlpatterns: list = []
