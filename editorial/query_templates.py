"""A read compiled to SQL once and run many times with new values.

Building a queryset with a dozen JSON and geography expressions and
compiling it costs more than PostgreSQL takes to answer it: 1.8 ms of a
5.7 ms nearby request (docs/adr/0010-hot-paths-and-caches.md). For a hot read
whose shape never changes, compile it once with stand-in values, remember
where each stand-in landed among the SQL parameters, and afterwards only
swap the real values in.

    template = QueryTemplate(build(radius=123456.789), radius=123456.789)
    rows = template.rows(radius=500.0)

A stand-in must be a value no constant of the query can equal; a stand-in
that does not appear among the parameters is an error at compile time, so a
change in how an expression sends its values cannot go unnoticed. Values
that change the SQL text itself (LIMIT, a language list) belong in the
cache key of whoever keeps the templates, not among the stand-ins.
"""

from django.db import connection
from django.db.models import QuerySet


class QueryTemplate:
    def __init__(self, queryset: QuerySet, **stand_ins):
        sql, params = queryset.query.sql_with_params()
        slots = [self._slot(param, stand_ins) for param in params]
        missing = set(stand_ins) - set(slots)
        if missing:
            msg = f"Stand-ins not among the query's parameters: {sorted(missing)}"
            raise ValueError(msg)
        self.sql = sql
        self.params = list(params)
        self.slots = slots

    @staticmethod
    def _slot(param, stand_ins: dict) -> str | None:
        return next((name for name, value in stand_ins.items() if param == value), None)

    def rows(self, **values) -> list[tuple]:
        """The query's rows (as the database returns them: no ORM converters)."""
        pairs = zip(self.slots, self.params, strict=True)
        params = [values[slot] if slot else fixed for slot, fixed in pairs]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            return cursor.fetchall()
