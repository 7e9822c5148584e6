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

The constant parameters are bound into the text once, at compile time, and
each run writes in only its new values, quoted by psycopg as its
client-side cursor would (`psycopg.sql.Literal`, the adapters of the
connection): the statement sent is what `cursor.execute(sql, params)` sends. Left to the
cursor, psycopg splits a statement at its placeholders on every execute
unless it is under 4 KB (psycopg._queries.MAX_CACHED_STATEMENT_LENGTH), and
these are 5-10 KB: ~0.15 ms a request (ADR 0010, item 16).
"""

import re

from django.db import connection
from django.db.models import QuerySet
from psycopg.sql import Literal

# Django writes a parameter as %s and a literal percent sign as %%.
_PLACEHOLDER = re.compile(r"(%[s%])")


class QueryTemplate:
    def __init__(self, queryset: QuerySet, **stand_ins):
        sql, params = queryset.query.sql_with_params()
        slots = [self._slot(param, stand_ins) for param in params]
        missing = set(stand_ins) - set(slots)
        if missing:
            msg = f"Stand-ins not among the query's parameters: {sorted(missing)}"
            raise ValueError(msg)
        self._texts, self._slot_names = self._bind_constants(sql, params, slots)

    @staticmethod
    def _slot(param, stand_ins: dict) -> str | None:
        return next((name for name, value in stand_ins.items() if param == value), None)

    @staticmethod
    def _bind_constants(sql: str, params, slots) -> tuple[list[str], list[str]]:
        """The statement as texts between its slots, constants written in:
        texts[0] + value of slot_names[0] + texts[1] + ... + texts[-1]."""
        texts, slot_names, current = [], [], []
        values = iter(zip(params, slots, strict=True))
        for piece in _PLACEHOLDER.split(sql):
            if piece == "%%":
                current.append("%")
            elif piece == "%s":
                param, slot = next(values)
                if slot is None:
                    current.append(_literal(param))
                else:
                    texts.append("".join(current))
                    slot_names.append(slot)
                    current = []
            else:
                current.append(piece)
        texts.append("".join(current))
        return texts, slot_names

    def statement(self, **values) -> str:
        """The SQL text for these values, parameters written in."""
        with connection.wrap_database_errors:  # psycopg's refusals (a NUL byte) as Django's errors
            literals = {name: _literal(values[name]) for name in set(self._slot_names)}
        parts = [self._texts[0]]
        for name, text in zip(self._slot_names, self._texts[1:], strict=True):
            parts.append(literals[name])
            parts.append(text)
        return "".join(parts)

    def rows(self, **values) -> list[tuple]:
        """The query's rows (as the database returns them: no ORM converters)."""
        with connection.cursor() as cursor:
            cursor.execute(self.statement(**values))  # no parameters: a % in the text is literal
            return cursor.fetchall()


def _literal(value) -> str:
    """`value` as an SQL literal, as the connection's client-side cursor writes it."""
    connection.ensure_connection()
    return Literal(value).as_string(connection.connection)
