"""The one refusal of an uploaded file (photo, audio) that both domains raise."""

from django.core.exceptions import ValidationError


class UploadRejected(ValidationError):
    """A ValidationError on the `file` field that knows its HTTP status
    (413 for too many bytes, 400 for everything else)."""

    default_code = "invalid_file"

    def __init__(self, message: str, *, status: int = 400, code: str | None = None):
        super().__init__({"file": [ValidationError(message, code=code or self.default_code)]})
        self.status = status
        self.message_text = message
