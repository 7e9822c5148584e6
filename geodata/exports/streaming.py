"""Streaming helpers shared by the text export formats."""

from collections.abc import Iterable, Iterator


def text_batches(texts: Iterable[str], *, size: int, separator: str = "") -> Iterator[str]:
    """Join `texts` `size` at a time, so a million rows are a few thousand
    socket writes rather than a million. `separator` also goes between
    batches: the batches concatenate to exactly `separator.join(texts)`."""
    batch: list[str] = []
    lead = ""
    for text in texts:
        batch.append(text)
        if len(batch) >= size:
            yield lead + separator.join(batch)
            lead, batch = separator, []
    if batch:
        yield lead + separator.join(batch)
