"""/api/v1/ routes of the tourist area."""

urlpatterns: list = []
