"""Admin form pieces shared by sites, routes and photos.

`TranslationsField` edits a multilingual JSON object ({"tr": …, "en": …})
as one input per language of settings.LANGUAGES, so staff never type JSON.
Django widgets escape their values, so HTML in a name is shown as text.
"""

from functools import partial

from django import forms
from django.conf import settings
from django.contrib.admin.options import InlineModelAdmin
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from editorial.translations import validate_translations


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
        if self.disabled:  # as forms.Field does: a disabled field keeps its initial value
            return False
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


READONLY_TEXT_SUFFIX = "_by_language"


def translations_html(value) -> str:
    """A multilingual value as escaped "language: text" lines."""
    if not isinstance(value, dict) or not value:
        return "—"
    names = dict(settings.LANGUAGES)
    return format_html_join(
        mark_safe("<br>"),
        '<span lang="{}"><b>{}</b>: {}</span>',
        ((code, names.get(code, code), text) for code, text in value.items()),
    )


class TranslationsAdminMixin:
    """Edit the JSONFields named in `translation_fields` as one input per
    language; those in `long_translation_fields` as text areas. On view-only
    pages they read as one line per language instead of JSON."""

    translation_fields: tuple[str, ...] = ()
    long_translation_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.translation_fields:
            show = partial(self._translations_text, field_name=name)
            show.short_description = self.model._meta.get_field(name).verbose_name.capitalize()
            setattr(self, f"{name}{READONLY_TEXT_SUFFIX}", show)

    def _translations_text(self, obj, *, field_name: str):
        return translations_html(getattr(obj, field_name, None))

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        # Inline formsets build their forms from these names, so only whole
        # pages (ModelAdmin) swap in the read-only text.
        inline = isinstance(self, InlineModelAdmin)
        if inline or obj is None or self.has_change_permission(request, obj) or not self.translation_fields:
            return fieldsets

        def swap(name):
            if isinstance(name, (list, tuple)):
                return type(name)(swap(n) for n in name)
            return f"{name}{READONLY_TEXT_SUFFIX}" if name in self.translation_fields else name

        return [(title, {**options, "fields": swap(options["fields"])}) for title, options in fieldsets]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in self.translation_fields:
            return translations_formfield(db_field, textarea=db_field.name in self.long_translation_fields)
        return super().formfield_for_dbfield(db_field, request, **kwargs)
