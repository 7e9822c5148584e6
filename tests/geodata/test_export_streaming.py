import pytest

from geodata.exports.streaming import text_batches


@pytest.mark.parametrize("count", [0, 1, 2, 3, 7])
def test_text_batches_concatenate_to_the_joined_texts(count):
    texts = [f"t{n}" for n in range(count)]

    batches = list(text_batches(texts, size=3, separator=",\n"))

    assert "".join(batches) == ",\n".join(texts)
    assert len(batches) == -(-count // 3)
