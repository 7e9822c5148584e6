"""Multilingual text: a JSON object keyed by language code.

`{"tr": "Kızlarağası Hanı", "en": "Kızlarağası Han"}`. The languages are
settings.LANGUAGES, so adding one is a settings change plus data, with no
migration. Reads fall back per field: the asked language, then
settings.CONTENT_FALLBACK_LANGUAGES in order (tr, en), then any value.
"""

import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Expression, F, Func, TextField

from editorial.text import unsafe_text_reason


def empty_translations() -> dict:
    """Default of every multilingual field: no text in any language yet."""
    return {}


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def pick(text: dict | None, language: str) -> str:
    """The text in `language`, else the first fallback that has one."""
    if not text:
        return ""
    for code in (language, *settings.CONTENT_FALLBACK_LANGUAGES):
        if text.get(code):
            return text[code]
    return next((value for value in text.values() if value), "")


class Translated(Func):
    """SQL twin of `pick` on a jsonb column: the text in
    `language`, else tr, else en, else the first non-empty value, else ''."""

    output_field = TextField()

    def __init__(self, field: str | Expression, language: str):
        super().__init__(F(field) if isinstance(field, str) else field)
        self.languages = [language, *(c for c in settings.CONTENT_FALLBACK_LANGUAGES if c != language)]

    def as_sql(self, compiler, connection, **extra_context):
        source, params = compiler.compile(self.source_expressions[0])
        # jsonb ->> per language, then any value: no helper function needed in
        # the database, and the column is read once per row.
        keys = [f"NULLIF(({source})->>%s, '')" for _code in self.languages]
        any_value = f"(SELECT value FROM jsonb_each_text({source}) WHERE value <> '' LIMIT 1)"
        sql = f"COALESCE({', '.join(keys)}, {any_value}, '')"
        all_params: list = []
        for code in self.languages:
            all_params.extend([*params, code])
        all_params.extend(params)
        return sql, all_params


def picked_language(text: dict | None, language: str) -> str | None:
    """The language `pick` would answer in (for Content-Language)."""
    if not text:
        return None
    for code in (language, *settings.CONTENT_FALLBACK_LANGUAGES):
        if text.get(code):
            return code
    return next((code for code, value in text.items() if value), None)


def validate_translations(value, *, required: bool = False, max_length: int | None = None):
    """A dict of language code -> text, codes from settings.LANGUAGES."""
    if not isinstance(value, dict):
        msg = "Expected an object of language code to text, e.g. {\"tr\": \"…\"}."
        raise ValidationError(msg, code="invalid")
    unknown = sorted(set(value) - set(language_codes()))
    if unknown:
        msg = f"Unknown language code(s) {', '.join(unknown)}; use {', '.join(language_codes())}."
        raise ValidationError(msg, code="invalid_language")
    for code, text in value.items():
        if not isinstance(text, str):
            msg = f"The {code} text must be a string."
            raise ValidationError(msg, code="invalid")
        reason = unsafe_text_reason(text)
        if reason:
            raise ValidationError(f"The {code} text: {reason}", code="invalid_text")
        if max_length is not None and len(text) > max_length:
            msg = f"The {code} text is longer than {max_length} characters."
            raise ValidationError(msg, code="max_length")
    if required and not any(text.strip() for text in value.values()):
        msg = "At least one language must have a text."
        raise ValidationError(msg, code="required")


class TranslationsValidator:
    """Field validator form of validate_translations (deconstructible)."""

    def __init__(self, *, required: bool = False, max_length: int | None = None):
        self.required = required
        self.max_length = max_length

    def __call__(self, value):
        validate_translations(value, required=self.required, max_length=self.max_length)

    def deconstruct(self):
        return (
            "editorial.translations.TranslationsValidator",
            (),
            {"required": self.required, "max_length": self.max_length},
        )

    def __eq__(self, other):
        return isinstance(other, TranslationsValidator) and self.deconstruct() == other.deconstruct()


# Turkish letters that NFKD does not decompose into a base letter + mark.
_FOLD = str.maketrans({"ı": "i", "İ": "i", "ß": "ss", "æ": "ae", "ø": "o", "œ": "oe"})


def fold(text: str) -> str:
    """Lower-case, accent-free form for search: "Kızlarağası" -> "kizlaragasi"."""
    text = text.translate(_FOLD)
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.casefold()


def search_text(*texts: dict | str | None) -> str:
    """All languages of all given texts, folded, for accent-insensitive `q`."""
    parts: list[str] = []
    for text in texts:
        if isinstance(text, dict):
            parts.extend(str(v) for v in text.values() if v)
        elif text:
            parts.append(str(text))
    return fold(" | ".join(parts))
