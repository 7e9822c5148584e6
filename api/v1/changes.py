"""GET /api/v1/changes?since=<cursor>: the public change feed for offline
sync (docs/adr/0012-change-feed-and-route-packages.md)."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.response import Response

from api.exceptions import ParameterError
from api.params import ChangesParams
from api.public import PublicReadApi
from api.rawjson import RawJSONRenderer
from api.v1.schema_sync import CHANGES_PARAMETERS, CHANGES_RESPONSES
from api.v1.sites import attribution
from editorial.change_log import Change, Cursor, CursorExpired, MalformedCursor, current_cursor
from interchange.changes import public_changes

# Where a client fetches the current version of each kind.
HREFS = {
    "route": ("v1:route-detail", "route"),
    "stop": ("v1:route-detail", "route"),
    "site": ("v1:site-detail", "site"),
    "photo": ("v1:site-detail", "site"),
    "audio": ("v1:route-detail", "route"),
}


class CursorGone(exceptions.APIException):
    status_code = 410
    default_detail = "The cursor is older than the retained history: download the route package again."
    default_code = "cursor-gone"


def change_item(change: Change) -> dict:
    item = {"kind": change.kind, "key": change.key}
    if change.current is None:
        return {**item, "action": "delete"}
    item.update(action="upsert", **change.current)
    if change.kind in HREFS:
        name, slug = HREFS[change.kind]
        item["href"] = reverse(name, kwargs={"slug": change.current[slug]})
    return item


class ChangesApi(PublicReadApi):
    """Everything published, changed or withdrawn since a cursor."""

    renderer_classes = [RawJSONRenderer]
    keep_responses = False  # one body per cursor: rarely asked twice

    @extend_schema(
        operation_id="changes", tags=["sync"], parameters=CHANGES_PARAMETERS, responses=CHANGES_RESPONSES
    )
    def get(self, request):
        params = ChangesParams.parse(request)
        if not params.get("since"):
            return Response(
                {"changes": [], "next": current_cursor().encode(), "has_more": False, **attribution()}
            )
        try:
            page = public_changes(Cursor.decode(params["since"]), limit=params["limit"])
        except MalformedCursor as error:
            raise ParameterError({"since": ["Not a cursor this service issued."]}) from error
        except CursorExpired as error:
            raise CursorGone from error
        return Response(
            {
                "changes": [change_item(change) for change in page.changes],
                "next": page.next.encode(),
                "has_more": page.has_more,
                **attribution(),
            }
        )
