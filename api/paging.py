"""limit/offset paging, one rule for every list: the tourist site list,
the staff lists and the OGC items. Integers are ASCII digits only
(geodata.params.parse_integer): `?limit=٣` or `?offset=²` is a 400 naming
the parameter, never a 500 or a silent 3.
"""

from dataclasses import dataclass

from rest_framework import serializers

from geodata.params import FilterError, parse_integer


@dataclass(frozen=True)
class Page:
    limit: int
    offset: int


def parse_page(
    params, *, default_limit: int, max_limit: int, max_offset: int, cap_limit: int | None = None
) -> Page:
    """?limit=&offset= from a mapping of strings; empty means the default.
    `cap_limit`: a limit up to `max_limit` is accepted but served as at most
    this (OGC lets a server cap what a client asks). Raises FilterError."""
    raw_limit, raw_offset = params.get("limit"), params.get("offset")
    limit = (
        default_limit
        if raw_limit in (None, "")
        else parse_integer(raw_limit, parameter="limit", minimum=1, maximum=max_limit)
    )
    offset = (
        0
        if raw_offset in (None, "")
        else parse_integer(raw_offset, parameter="offset", minimum=0, maximum=max_offset)
    )
    return Page(limit=min(limit, cap_limit) if cap_limit else limit, offset=offset)


class StrictIntegerField(serializers.IntegerField):
    """DRF's IntegerField with the paging rule: ASCII digits only (DRF's
    int() reads "٣" as 3 and accepts "5.0")."""

    def to_internal_value(self, data):
        try:
            return parse_integer(
                data,
                parameter=self.field_name or "value",
                minimum=-(2**63) if self.min_value is None else self.min_value,
                maximum=2**63 - 1 if self.max_value is None else self.max_value,
            )
        except FilterError as error:
            raise serializers.ValidationError(error.message) from error
