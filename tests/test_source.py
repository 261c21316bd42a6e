"""Source documents: finding quotes in a large source through its word index gives
exactly what a search of the whole text gives."""

from __future__ import annotations

import random
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from desperado_quiz.source import INDEX_FROM, SourceDocument

WORDS = ["mariachi", "guitar", "case", "bar", "bucho", "the", "a", "los", "lobos", "gun"]


def large_document(seed: int = 1) -> SourceDocument:
    rng = random.Random(seed)
    sentences = []
    while sum(len(s) + 1 for s in sentences) < INDEX_FROM + 1000:
        words = [rng.choice(WORDS) for _ in range(rng.randrange(3, 15))]
        sentences.append(" ".join(words).capitalize() + f" {len(sentences)}.")
    return SourceDocument(Path("book.txt"), "\n".join(sentences))


DOCUMENT = large_document()


def test_the_large_document_uses_its_index() -> None:
    assert len(DOCUMENT.normalised) >= INDEX_FROM
    assert DOCUMENT._word_index  # built on first use


@settings(max_examples=300, deadline=None)
@given(start=st.integers(0, 10_000_000), length=st.integers(1, 200), cut=st.booleans())
def test_a_quote_is_found_exactly_when_a_whole_search_finds_it(
    start: int, length: int, cut: bool
) -> None:
    text = DOCUMENT.normalised
    start %= len(text) - length
    quote = text[start : start + length].strip()
    if cut and len(quote) > 3:  # sometimes a quote that is not there: one letter changed
        quote = quote[: len(quote) // 2] + "#" + quote[len(quote) // 2 + 1 :]
    expected = quote in text
    assert DOCUMENT.contains(quote) is expected
    occurrences = DOCUMENT.occurrences(quote)
    assert [s for s, _ in occurrences] == _all(text, quote) if quote else occurrences == []


def _all(text: str, needle: str) -> list[int]:
    found, start = [], text.find(needle)
    while start != -1:
        found.append(start)
        start = text.find(needle, start + 1)
    return found


def test_cited_sentences_are_the_ones_a_quote_overlaps() -> None:
    document = SourceDocument(Path("a.txt"), "One two three. Four five six. Seven eight nine.")
    assert document.cited(["two three. four"]) == {0, 1}
    assert document.cited(["eight"]) == {2}
    assert document.cited(["one two three. four five six. seven"]) == {0, 1, 2}
    assert document.cited(["not there"]) == set()
