import pytest

from sites.translations import fold, pick


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
