"""geodata.geojson.object_text_without_nulls: the OGC pages' properties
written as text without null members, as json_strip_nulls(json_build_object())
would give them, but never built and parsed again."""

import json

import pytest
from django.db import connection

from geodata.geojson import object_text_without_nulls

# name -> SQL value: scalars, SQL NULL, jsonb with nested nulls, a jsonb null, arrays.
MEMBERS = {
    "slug": "'a-site'::text",
    "missing": "NULL::text",
    "year": "-546",
    "names": """'{"tr": "Agora", "en": null, "de": {"x": null, "y": 1}}'::jsonb""",
    "json_null": "'null'::jsonb",
    "sources": """'[{"title": "A", "url": null}, null]'::jsonb""",
    "periods": "ARRAY['roman', 'byzantine']",
    "quote": """'say "hi" \\ é'::text""",
}
NESTED = frozenset({"names", "json_null", "sources"})


def _one(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {sql}")
        return cursor.fetchone()[0]


def test_the_text_equals_json_strip_nulls_of_the_object(db):
    pairs = ", ".join(f"'{name}', {value}" for name, value in MEMBERS.items())
    expected = json.loads(_one(f"json_strip_nulls(json_build_object({pairs}))::text"))

    written = _one(object_text_without_nulls(MEMBERS, nested=NESTED))

    assert json.loads(written) == expected
    assert list(json.loads(written)) == list(expected)  # members in the same order
    assert "missing" not in expected  # the cases are really tested
    assert "json_null" not in expected


def test_no_members_is_an_empty_object_and_all_null_members_too(db):
    assert _one(object_text_without_nulls({})) == "{}"
    assert json.loads(_one(object_text_without_nulls({"a": "NULL::int", "b": "NULL::text"}))) == {}


def test_a_member_name_that_is_not_a_plain_identifier_is_refused():
    with pytest.raises(ValueError, match="plain member name"):
        object_text_without_nulls({"a'); DROP TABLE x; --": "1"})
