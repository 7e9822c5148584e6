"""Admin form pieces shared by sites, routes and photos.

`TranslationsField` edits a multilingual JSON object ({"tr": …, "en": …})
as one input per language of settings.LANGUAGES, so staff never type JSON.
Django widgets escape their values, so HTML in a name is shown as text.
"""

from django import forms
from django.conf import settings

from sites.translations import validate_translations


class TranslationsWidget(forms.MultiWidget):
    """One input per language, each labelled by placeholder and aria-label,
    stacked (the template is in sites/templates/, where the form renderer
    looks)."""

    template_name = "heritage/translations_widget.html"

    def __init__(self, *, textarea: bool = False, attrs=None):
        self.languages = list(settings.LANGUAGES)
        widgets = {}
        for code, label in self.languages:
            inner_attrs = {
                "placeholder": f"{label} ({code})",
                "aria-label": f"{label} ({code})",
                "lang": code,
            }
            if textarea:
                widgets[code] = forms.Textarea(attrs={"rows": 3, "cols": 60, **inner_attrs})
            else:
                widgets[code] = forms.TextInput(attrs={"size": 60, **inner_attrs})
        super().__init__(widgets, attrs)

    def decompress(self, value):
        value = value if isinstance(value, dict) else {}
        return [value.get(code, "") for code, _name in self.languages]


class TranslationsField(forms.MultiValueField):
    """A dict of language code → text; empty languages are left out."""

    def __init__(
        self, *, required: bool = False, max_length: int | None = None, textarea: bool = False, **kwargs
    ):
        self.max_length = max_length
        self.must_have_text = required
        fields = [forms.CharField(required=False, strip=True) for _code in settings.LANGUAGES]
        kwargs.pop("encoder", None)
        kwargs.pop("decoder", None)
        super().__init__(
            fields,
            widget=TranslationsWidget(textarea=textarea),
            require_all_fields=False,
            required=required,
            **kwargs,
        )

    def compress(self, data_list):
        codes = [code for code, _name in settings.LANGUAGES]
        value = {code: text for code, text in zip(codes, data_list or [], strict=False) if text}
        validate_translations(value, required=self.must_have_text, max_length=self.max_length)
        return value

    def has_changed(self, initial, data):
        initial = initial if isinstance(initial, dict) else {}
        try:
            return self.compress(self.clean_values(data)) != initial
        except forms.ValidationError:
            return True

    def clean_values(self, data):
        return [field.clean(value) for field, value in zip(self.fields, data or [], strict=False)]


def translations_formfield(db_field, *, textarea: bool = False, **kwargs):
    """A TranslationsField for a JSONField using TranslationsValidator."""
    required = False
    max_length = None
    for validator in db_field.validators:
        if hasattr(validator, "deconstruct") and validator.deconstruct()[0].endswith("TranslationsValidator"):
            required = validator.required
            max_length = validator.max_length
    return TranslationsField(
        required=required,
        max_length=max_length,
        textarea=textarea,
        label=kwargs.get("label", db_field.verbose_name.capitalize()),
        help_text=kwargs.get("help_text", ""),
    )


class TranslationsAdminMixin:
    """Edit the JSONFields named in `translation_fields` as one input per
    language; those in `long_translation_fields` as text areas."""

    translation_fields: tuple[str, ...] = ()
    long_translation_fields: tuple[str, ...] = ()

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in self.translation_fields:
            return translations_formfield(db_field, textarea=db_field.name in self.long_translation_fields)
        return super().formfield_for_dbfield(db_field, request, **kwargs)
