"""A source document: the text that evidence quotes must come from, split into sentences.

Quotes are compared after ``normalise_quote`` (NFKC, ASCII quotes and dashes, single
spaces, case). A leading block framed by lines of ``=`` is the attribution header that
the project adds to a quoted document; it is not part of the source's sentences.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from desperado_quiz.text import normalise_quote

_HEADER = re.compile(r"\A\s*(=+)\n.*?\n\1\n", re.DOTALL)
# A sentence ends at . ! ? or an ellipsis, before a capital, a digit or an opening quote.
_SENTENCE_END = re.compile("(?<=[.!?\u2026])\\s+(?=[\"\u201c\u2018'(A-Z0-9])")


# Prose ends a paragraph with . ! ? or an ellipsis, perhaps inside a closing quote.
_PROSE_END = re.compile("[.!?\u2026][\"\u201d\u2019')]*\\s*$")


def split_sentences(text: str) -> list[tuple[str, bool]]:
    """(sentence, is prose) in order. Lines that do not end as prose does are titles,
    bylines and picture captions: quotable, but not claims that a question could ask."""
    sentences: list[tuple[str, bool]] = []
    for line in text.splitlines():
        prose = bool(_PROSE_END.search(line))
        sentences += [(s.strip(), prose) for s in _SENTENCE_END.split(line) if s.strip()]
    return sentences


@dataclass
class SourceDocument:
    path: Path
    text: str
    sentences: list[str] = field(init=False)
    # Whether each sentence is prose (a claim) rather than a title or a caption.
    prose: list[bool] = field(init=False)
    # Each sentence's [start, end) in ``normalised``, the sentences joined by one space.
    spans: list[tuple[int, int]] = field(init=False)
    normalised: str = field(init=False)

    def __post_init__(self) -> None:
        body = _HEADER.sub("", self.text, count=1)
        split = split_sentences(body)
        self.sentences = [sentence for sentence, _ in split]
        self.prose = [prose for _, prose in split]
        parts, spans, offset = [], [], 0
        for sentence in self.sentences:
            norm = normalise_quote(sentence)
            parts.append(norm)
            spans.append((offset, offset + len(norm)))
            offset += len(norm) + 1
        self.spans = spans
        self.normalised = " ".join(parts)

    @classmethod
    def read(cls, path: Path) -> SourceDocument:
        return cls(path, path.read_text(encoding="utf-8"))

    def contains(self, quote: str) -> bool:
        return normalise_quote(quote) in self.normalised

    def occurrences(self, quote: str) -> list[tuple[int, int]]:
        needle = normalise_quote(quote)
        found, start = [], self.normalised.find(needle)
        while needle and start != -1:
            found.append((start, start + len(needle)))
            start = self.normalised.find(needle, start + 1)
        return found

    def closest_sentence(self, quote: str) -> str:
        """The sentence that best contains ``quote``, for a 'did you mean' message."""
        from rapidfuzz import fuzz, process

        match = process.extractOne(
            normalise_quote(quote), self._normalised_sentences, scorer=fuzz.partial_ratio
        )
        return self.sentences[match[2]] if match else ""

    @cached_property
    def _normalised_sentences(self) -> list[str]:
        return [self.normalised[start:end] for start, end in self.spans]

    def cited(self, quotes: Iterable[str]) -> set[int]:
        """Indexes of the sentences that some quote overlaps."""
        hits: set[int] = set()
        for quote in quotes:
            for start, end in self.occurrences(quote):
                hits.update(i for i, (s, e) in enumerate(self.spans) if s < end and start < e)
        return hits
