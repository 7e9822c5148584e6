"""Text PostgreSQL can store: the one rule every write path applies.

jsonb refuses the escape \\u0000 and UTF-8 cannot encode a lone surrogate
(\\ud800 … \\udfff): such text used to reach the database and fail there as a
500. `unsafe_text_reason` says what is wrong with one string; `first_unsafe_text`
finds the first such string anywhere in parsed JSON and names where it is,
so the staff API refuses it with a 400 before anything is validated or
written, and the model validators (admin, imports) refuse it as well.
"""

from collections.abc import Iterator

SURROGATES = range(0xD800, 0xE000)


def unsafe_text_reason(text: str) -> str | None:
    if "\x00" in text:
        return "NUL characters (\\u0000) are not allowed in text."
    if any(ord(char) in SURROGATES for char in text):
        return "Text must be valid Unicode: a lone surrogate (\\ud800-\\udfff) is not a character."
    return None


def _strings(value, path: str) -> Iterator[tuple[str, str]]:
    # Iterative: parsed JSON is depth-limited already, but keys are text too.
    stack = [(value, path)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, str):
            yield where, item
        elif isinstance(item, dict):
            for key, child in reversed(list(item.items())):
                child_path = f"{where}.{key}" if where else str(key)
                yield child_path, str(key)
                stack.append((child, child_path))
        elif isinstance(item, list):
            stack.extend((child, f"{where}[{index}]") for index, child in reversed(list(enumerate(item))))


def first_unsafe_text(value, *, path: str = "") -> tuple[str, str] | None:
    """(where, reason) of the first string in `value` PostgreSQL cannot store."""
    for where, text in _strings(value, path):
        reason = unsafe_text_reason(text)
        if reason:
            return where or "body", reason
    return None
