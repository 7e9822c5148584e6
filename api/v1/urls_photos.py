"""/api/v1/ routes for site photos (upload, credits, renditions)."""

urlpatterns: list = []
