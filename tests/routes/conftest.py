"""The admin tests' users (tests/admin_helpers.py)."""

from tests.admin_helpers import editor, reviewer, superuser  # noqa: F401
