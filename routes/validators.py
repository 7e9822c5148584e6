"""Domain checks for a Route."""

from django.core.exceptions import ValidationError

from geodata.validators import validate_geometry, validate_in_service_area

PATH_TYPES = ("LineString", "MultiLineString")


def validate_route(route) -> None:
    if route.path is None:
        return
    try:
        validate_geometry(route.path, allowed_types=PATH_TYPES)
        validate_in_service_area(route.path)
    except ValidationError as error:
        raise ValidationError({"path": error.messages}) from error
