"""What every staff view shares: who may call, how bodies are parsed,
how responses carry ETags, list paging and the `status` list filter.
(The checks before a write live in the services, not here.)"""

from rest_framework.response import Response
from rest_framework.views import APIView

from api.exceptions import ParameterError
from api.geojson_input import SAFE_PARSERS
from api.paging import parse_page
from api.permissions import IsStaffMember
from api.renderers import GEOJSON_RENDERERS
from editorial.vocabularies import Status
from geodata.params import FilterError

DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET = 100, 1000, 10**9


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


def page(request, queryset):
    """(rows, number matched) for ?limit=&offset= (api.paging's one rule)."""
    try:
        window = parse_page(
            request.query_params, default_limit=DEFAULT_LIMIT, max_limit=MAX_LIMIT, max_offset=MAX_OFFSET
        )
    except FilterError as error:
        raise ParameterError({error.parameter: [error.message]}) from error
    return list(queryset[window.offset : window.offset + window.limit]), queryset.count()


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
