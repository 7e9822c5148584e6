"""Errors as RFC 9457 problem details, naming the offending parameter.

Every error the API returns has the shape
`{"type", "title", "status", "detail", "errors": [{"parameter"|"field", "message"}]}`
with `Content-Type: application/problem+json`. Django ValidationErrors raised
by services (full_clean) become 400s here, the HackSoft way; the services'
version errors (editorial.errors) become 428 and 412.
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler

from editorial.errors import VersionMismatch, VersionRequired, WildcardVersion

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "https://izmir-heritage.example/problems/"

TITLES = {
    400: "Invalid request",
    401: "Authentication required",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    409: "Conflict",
    410: "Gone",
    412: "Precondition failed",
    413: "Payload too large",
    415: "Unsupported media type",
    428: "Precondition required",
    429: "Too many requests",
    503: "Service unavailable",
}


def problem(status_code: int, detail: str, *, errors: list | None = None, slug: str | None = None) -> dict:
    body = {
        "type": PROBLEM_TYPE_BASE + (slug or str(status_code)),
        "title": TITLES.get(status_code, "Error"),
        "status": status_code,
        "detail": detail,
    }
    if errors:
        body["errors"] = errors
    return body


def flatten_errors(detail, *, key: str = "parameter", prefix: str = "") -> list[dict]:
    """DRF's nested error dict -> [{"parameter": "bbox", "message": "…"}]."""
    if isinstance(detail, dict):
        items = []
        for name, value in detail.items():
            path = f"{prefix}.{name}" if prefix else str(name)
            if name == "non_field_errors" and not prefix:
                path = "body"
            items.extend(flatten_errors(value, key=key, prefix=path))
        return items
    if isinstance(detail, list):
        if all(not isinstance(item, (dict, list)) for item in detail):
            return [{key: prefix or "body", "message": str(item)} for item in detail]
        items = []
        for index, item in enumerate(detail):
            items.extend(flatten_errors(item, key=key, prefix=f"{prefix}[{index}]"))
        return items
    return [{key: prefix or "body", "message": str(detail)}]


class ParameterError(exceptions.ValidationError):
    """A 400 whose errors name query parameters rather than body fields."""

    error_key = "parameter"


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The resource changed since you read it (If-Match does not match its ETag)."
    default_code = "precondition_failed"


class PreconditionRequired(exceptions.APIException):
    status_code = 428
    default_detail = "Send If-Match with the ETag you read, to avoid overwriting others' changes."
    default_code = "precondition_required"


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The upload is too large."
    default_code = "payload_too_large"


def problem_exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or "Not found.")
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, WildcardVersion):
        exc = PreconditionRequired("If-Match: * is not accepted; send the ETag you read.")
    elif isinstance(exc, VersionRequired):
        exc = PreconditionRequired()
    elif isinstance(exc, VersionMismatch):
        exc = PreconditionFailed()

    response = exception_handler(exc, context)
    if response is None:
        return None

    if isinstance(exc, exceptions.ValidationError):
        key = getattr(exc, "error_key", "field")
        errors = flatten_errors(exc.detail, key=key)
        first = errors[0] if errors else {}
        detail = f"{first[key]}: {first['message']}" if first else "Invalid request."
        body = problem(400, detail, errors=errors, slug="invalid-" + key)
    else:
        detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        # A body that does not parse is still named, so clients can show where.
        errors = None
        if isinstance(exc, exceptions.ParseError):
            errors = [{"field": "body", "message": str(detail)}]
        slug = getattr(exc, "default_code", None)
        body = problem(response.status_code, str(detail), errors=errors, slug=slug)
    response.data = body
    response.content_type = PROBLEM_MEDIA_TYPE
    return response
