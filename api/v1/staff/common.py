"""What every staff view shares: who may call, how bodies are parsed,
how responses carry ETags, list paging and the `status` list filter.
(The checks before a write live in the services, not here.)"""

from rest_framework.response import Response
from rest_framework.views import APIView

from api.exceptions import ParameterError
from api.geojson_input import SAFE_PARSERS
from api.permissions import IsStaffMember
from api.renderers import GEOJSON_RENDERERS
from editorial.vocabularies import Status

DEFAULT_LIMIT, MAX_LIMIT = 100, 1000


class StaffApi(APIView):
    """Editors, reviewers, admins; token or session; JSON bodies only."""

    permission_classes = [IsStaffMember]
    parser_classes = SAFE_PARSERS
    renderer_classes = GEOJSON_RENDERERS


def feature_response(data: dict, *, etag: str | None, status: int = 200, location: str | None = None):
    response = Response(data, status=status)
    if etag:
        response["ETag"] = etag
    if location:
        response["Location"] = location
    # Per-user content (drafts): never stored by shared caches.
    response["Cache-Control"] = "private, no-cache"
    return response


def _int_param(request, name: str, default: int, maximum: int) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    if not raw.isdigit() or int(raw) > maximum:
        raise ParameterError({name: [f"Expected an integer 0..{maximum}."]})
    return int(raw)


def page(request, queryset):
    """(rows, number matched) for ?limit=&offset=."""
    limit = _int_param(request, "limit", DEFAULT_LIMIT, MAX_LIMIT)
    offset = _int_param(request, "offset", 0, 10**9)
    return list(queryset[offset : offset + limit]), queryset.count()


def status_param(request) -> str | None:
    value = request.query_params.get("status")
    if value is not None and value not in Status.values:
        raise ParameterError({"status": [f"Expected one of {', '.join(Status.values)}."]})
    return value


def collection(features: list, matched: int) -> dict:
    return {
        "type": "FeatureCollection",
        "numberMatched": matched,
        "numberReturned": len(features),
        "features": features,
    }
