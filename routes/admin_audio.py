"""Admin for stop audio guides: uploaded on the stop's page (an inline of
RouteStopAdmin), moved through the workflow and archived from the Stop
audio list, with django-simple-history's History on each file.

Uploads go through routes.audio.audio_create (checks from the bytes, one
history row); a stored file, its language and facts are never edited, so
existing rows are shown read-only with a player.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from editorial import workflow
from editorial.admin_workflow import WorkflowAdminMixin, request_roles
from routes.audio import audio_create, audio_delete, may_add_audio
from routes.audio_checks import AudioRejected, check_audio
from routes.models import StopAudio


def audio_player(audio: StopAudio | None):
    if audio is None or not audio.pk or not audio.file:
        return "—"
    return format_html('<audio controls preload="none" src="{}"></audio>', audio.file.url)


def audio_facts(audio: StopAudio | None) -> str:
    if audio is None or not audio.pk:
        return "—"
    return f"{audio.get_format_display()}, {audio.duration_s:.1f} s, {audio.size_bytes / 1e6:.2f} MB"


class StopAudioInlineForm(forms.ModelForm):
    upload = forms.FileField(
        required=False, help_text="MP3, Ogg Opus/Vorbis or M4A (AAC); at most 20 MB and 20 minutes."
    )

    class Meta:
        model = StopAudio
        fields = ("language",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:  # a stored file is fixed
            for field in self.fields.values():
                field.disabled = True

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if self.instance.pk is not None:
            return None
        if upload is None:
            if self.has_changed():
                raise ValidationError("Choose an audio file to upload.")
            return None
        try:
            check_audio(upload)
        except AudioRejected as error:
            raise ValidationError(error.message_text, code="invalid_audio") from error
        return upload


class StopAudioFormSet(forms.BaseInlineFormSet):
    # Set per request by StopAudioInline.get_formset: the signed-in user.
    heritage_user = None

    def save_new(self, form, commit=True):
        return audio_create(
            stop=self.instance,
            upload=form.cleaned_data["upload"],
            language=form.cleaned_data["language"],
            user=self.heritage_user,
        )

    def save_existing(self, form, obj, commit=True):
        return obj  # nothing of a stored file is edited here


class StopAudioInline(admin.TabularInline):
    model = StopAudio
    form = StopAudioInlineForm
    formset = StopAudioFormSet
    extra = 1
    can_delete = False  # archive from the Stop audio list
    fields = ("language", "upload", "player", "facts", "status")
    readonly_fields = ("player", "facts", "status")

    @admin.display(description="Listen")
    def player(self, audio):
        return audio_player(audio)

    @admin.display(description="File")
    def facts(self, audio):
        return audio_facts(audio)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.heritage_user = request.user
        return formset

    def has_view_permission(self, request, obj=None):
        return bool(request_roles(request))

    # `obj` is the stop: editors add drafts to stops of routes not archived.
    def has_add_permission(self, request, obj=None):
        return workflow.EDITOR in request_roles(request) and (obj is None or may_add_audio(request.user, obj))

    def has_change_permission(self, request, obj=None):
        return self.has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(StopAudio)
class StopAudioAdmin(WorkflowAdminMixin, SimpleHistoryAdmin):
    """The workflow of audio guides: publish (the transcript must exist),
    send back, archive; uploads happen on the stop's page or the API."""

    change_form_template = "admin/heritage/change_form.html"  # workflow buttons
    list_display = ("stop", "language", "status", "format", "duration", "created_at")
    list_filter = ("status", "language", "format", "stop__route")
    search_fields = ("stop__site__slug", "stop__route__slug")
    list_select_related = ("stop__route", "stop__site")
    fields = ("stop", "language", "player", "facts", "sha256", "transcript_text", "status", "created_by")
    readonly_fields = (
        "stop",
        "language",
        "player",
        "facts",
        "sha256",
        "transcript_text",
        "created_by",
    )
    history_list_display = ("status",)

    @admin.display(description="Duration", ordering="duration_s")
    def duration(self, audio):
        return f"{audio.duration_s:.0f} s"

    @admin.display(description="Listen")
    def player(self, audio):
        return audio_player(audio)

    @admin.display(description="File")
    def facts(self, audio):
        return audio_facts(audio)

    @admin.display(description="Transcript (the stop's narrative in this language)")
    def transcript_text(self, audio):
        return audio.transcript() or "— none yet: write it on the stop before publishing"

    def has_add_permission(self, request, *args):
        return False

    def save_model(self, request, obj, form, change):
        pass  # every field is read-only; status moves are the workflow's

    def delete_model(self, request, obj):
        if self._hard_delete(request, obj):
            request._heritage_hard_deleted = True
            audio_delete(obj)  # and its file, once committed
            return
        super().delete_model(request, obj)
