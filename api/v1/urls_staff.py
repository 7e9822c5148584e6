"""/api/v1/ routes of the staff area."""

urlpatterns: list = []
