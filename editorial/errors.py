"""Domain errors the services raise, for any caller to translate.

Django's ValidationError (bad content) and PermissionDenied (a role that may
not) cover the rest; api/exceptions.py maps these to 428 and 412.
"""


class VersionRequired(Exception):
    """The caller takes part in optimistic concurrency but named no version
    it read (HTTP: no If-Match)."""

    def __init__(self, message: str = "Send the version you read, to avoid overwriting others' changes."):
        super().__init__(message)


class WildcardVersion(VersionRequired):
    """The caller asked to overwrite whatever is there ("*"), which is the
    lost update optimistic concurrency exists to prevent."""

    def __init__(self, message: str = "A wildcard names no version; send the version you read."):
        super().__init__(message)


class VersionMismatch(Exception):
    """The object changed since the caller read it: nothing was written."""

    def __init__(self, message: str = "The object changed since you read it."):
        super().__init__(message)
