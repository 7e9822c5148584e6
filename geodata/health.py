"""Is the database up, and which PostGIS does it run?"""

from django.db import DatabaseError, connection


def postgis_version() -> str | None:
    """PostGIS's library version, or None when the database does not answer."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT postgis_lib_version()")
            return cursor.fetchone()[0]
    except DatabaseError:
        # Drop the broken connection so the next request reconnects.
        connection.close_if_unusable_or_obsolete()
        return None
