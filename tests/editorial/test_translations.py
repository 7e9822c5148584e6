import itertools

import pytest

from editorial.translations import fold, pick


@pytest.mark.parametrize(
    ("text", "folded"),
    [("Kızlarağası", "kizlaragasi"), ("İZMİR", "izmir"), ("Çukur Hamam", "cukur hamam"), ("Größe", "grosse")],
)
def test_fold_removes_accents_and_case(text, folded):
    assert fold(text) == folded


def test_pick_falls_back_from_german_to_turkish_then_english():
    assert pick({"tr": "Saat Kulesi", "en": "Clock Tower"}, "de") == "Saat Kulesi"
    assert pick({"en": "Clock Tower"}, "de") == "Clock Tower"
    assert pick({"fr": "Tour"}, "de") == "Tour"
    assert pick({}, "de") == ""


# Every combination of present, empty and missing texts in the three languages.
TEXT_CASES = [
    {code: value for code, value in zip(("tr", "en", "de"), values, strict=True) if value is not None}
    for values in itertools.product(("", None, "x"), ("", None, "y"), ("", None, "z"))
]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["tr", "en", "de", "fr"])
def test_translated_in_sql_picks_what_pick_picks_in_python(language):
    from django.db.models import JSONField, Value

    from editorial.translations import Translated
    from sites.models import Period

    expressions = {
        f"t{index}": Translated(Value(text, output_field=JSONField()), language)
        for index, text in enumerate(TEXT_CASES)
    }
    picked_in_sql = Period.objects.annotate(**expressions).values(*expressions).first()

    assert picked_in_sql == {f"t{index}": pick(text, language) for index, text in enumerate(TEXT_CASES)}
