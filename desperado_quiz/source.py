"""A source document: the text that evidence quotes must come from, split into sentences.

Quotes are compared after ``normalise_quote`` (NFKC, ASCII quotes and dashes, single
spaces, case). A leading block framed by lines of ``=`` is the attribution header that
the project adds to a quoted document; it is not part of the source's sentences.

A bank names its source, and banks come from strangers' pull requests, so a source is
only ever read when it is a regular file inside the bank's own folder tree (or inside
the repository that holds the bank), reached without a symlink that leaves it: a bank
must not be able to make ``validate`` print ``/proc/self/environ``. See ``locate``.
"""

from __future__ import annotations

import os
import re
import stat
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache
from pathlib import Path

from desperado_quiz.text import normalise_quote

INDEX_FROM = 20_000  # characters: a shorter source is searched whole, which is faster
_WORD = re.compile(r"[^ ]+")
_HEADER = re.compile(r"\A\s*(=+)\n.*?\n\1\n", re.DOTALL)
# A sentence ends at . ! ? or an ellipsis, before a capital, a digit or an opening quote.
_SENTENCE_END = re.compile("(?<=[.!?\u2026])\\s+(?=[\"\u201c\u2018'(A-Z0-9])")


# Prose ends a paragraph with . ! ? or an ellipsis, perhaps inside a closing quote.
_PROSE_END = re.compile("[.!?\u2026][\"\u201d\u2019')]*\\s*$")


# Searching a source costs its length for each quote, unless the index serves (a quote
# of three words or more): large sources (up to 50 MB) and many short quotes would make
# `validate` run for hours. So one file's quotes, and `--coverage`'s per source, may
# compare at most MAX_COMPARED characters of it in all (about half a second); a search
# past that is not made (``OutOfWork``) and its caller says so.
MAX_COMPARED = 500_000_000
PER_SEARCH = 2_000  # what a search costs beyond the text it compares (the quote's form)
CLOSEST_WEIGHT = 16  # a fuzzy search for the closest passage, per character of the source
PER_HIT = 1_000  # what each place a quote is found at costs --coverage


class OutOfWork(Exception):
    """A search that would compare more of the source than its ``Work`` has left."""


class Work:
    """How many characters of a source searches may still compare."""

    __slots__ = ("left",)

    def __init__(self, limit: int | None = None) -> None:
        self.left = MAX_COMPARED if limit is None else limit

    def spend(self, amount: int) -> None:
        """Take ``amount`` before the work is done; ``OutOfWork`` when there is not."""
        if amount > self.left:
            self.left = 0
            raise OutOfWork
        self.left -= amount


def _spend(work: Work | None, amount: int) -> None:
    if work is not None:
        work.spend(amount)


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

    def contains(self, quote: str, work: Work | None = None) -> bool:
        """Whether the source holds ``quote`` (normalised); ``work`` bounds the search
        (``OutOfWork``: not searched)."""
        _spend(work, PER_SEARCH)
        needle = normalise_quote(quote)
        if not needle:
            return True
        if len(self.normalised) < INDEX_FROM or needle.count(" ") < 2:  # as ``_starts``
            _spend(work, len(self.normalised))
            return needle in self.normalised
        return next(self._starts(needle, work), None) is not None

    def exact(self, quote: str) -> str | None:
        """The source's own words for ``quote``, which matches them only once case,
        quotation marks, dashes and spaces are set aside ("mpaa was not exactly open"
        is "MPAA was not exactly open"); None when it is not in the source as it is."""
        if not self.contains(quote):
            return None
        pattern = _flexible(normalise_quote(quote))
        found = re.search(pattern, self.text, re.IGNORECASE)
        return found.group() if found else None

    def occurrences(self, quote: str, work: Work | None = None) -> list[tuple[int, int]]:
        _spend(work, PER_SEARCH)
        needle = normalise_quote(quote)
        if not needle:
            return []
        return [(start, start + len(needle)) for start in self._starts(needle, work)]

    def _starts(self, needle: str, work: Work | None = None) -> Iterator[int]:
        """Where ``needle`` starts in the normalised text, in order.

        A search of the whole text per quote costs the size of the source for every
        quote: quadratic when a bank grows with its source (a book). In a large source,
        a quote of three words or more is looked up instead through a word of its
        middle (a whole word of the source, since spaces surround it), the one with the
        fewest places in the source, and checked at each of those places.
        """
        words = needle.split(" ")
        index = self._word_index if len(self.normalised) >= INDEX_FROM else None
        if index is None or len(words) < 3:
            _spend(work, len(self.normalised))
            yield from _find_all(self.normalised, needle)
            return
        middle = range(1, len(words) - 1)
        rarest = min(middle, key=lambda i: len(index.get(words[i], ())))
        offset = sum(len(word) + 1 for word in words[:rarest])
        for position in index.get(words[rarest], ()):
            _spend(work, len(needle))  # a common word has a million places in a book
            start = position - offset
            if start >= 0 and self.normalised.startswith(needle, start):
                yield start

    @cached_property
    def _word_index(self) -> dict[str, array[int]]:
        """Each word of the normalised text, and where it starts (compact arrays)."""
        index: dict[str, array[int]] = {}
        for match in _WORD.finditer(self.normalised):
            try:
                index[match.group()].append(match.start())
            except KeyError:
                index[match.group()] = array("L", [match.start()])
        return index

    def closest_sentence(self, quote: str, work: Work | None = None) -> str:
        """The sentence that best contains ``quote``, for a 'did you mean' message."""
        from rapidfuzz import fuzz, process

        _spend(work, PER_SEARCH + len(self.normalised) * CLOSEST_WEIGHT)
        match = process.extractOne(
            normalise_quote(quote), self._normalised_sentences, scorer=fuzz.partial_ratio
        )
        return self.sentences[match[2]] if match else ""

    @cached_property
    def _normalised_sentences(self) -> list[str]:
        return [self.normalised[start:end] for start, end in self.spans]

    def cited(self, quotes: Iterable[str], work: Work | None = None) -> set[int]:
        """Indexes of the sentences that some quote overlaps; ``OutOfWork`` when
        ``work`` runs out (the sentences found so far are lost with it)."""
        starts = [start for start, _ in self.spans]
        hits: set[int] = set()
        for quote in quotes:
            for start, end in self.occurrences(quote, work):
                _spend(work, PER_HIT)
                # Sentences are in order: the first one that ends after the quote
                # starts, up to the last one that starts before the quote ends.
                first = max(bisect_right(starts, start) - 1, 0)
                last = bisect_left(starts, end)
                hits.update(range(first, last))
        return hits


_VARIANTS = {
    "'": "['\u2018\u2019\u201a\u201b\u2032]",
    '"': '["\u201c\u201d\u201e\u2033]',
    "-": "\\s*[-\u2010-\u2015\u2212]\\s*",
    " ": "\\s+",
}


def _flexible(needle: str) -> str:
    """A pattern for ``needle`` (a normalised quote) as the source may write it: any
    quotation mark or dash where it has one, any run of spaces where it has one."""
    return "".join(_VARIANTS.get(char, re.escape(char)) for char in needle)


def _find_all(text: str, needle: str) -> Iterator[int]:
    start = text.find(needle)
    while start != -1:
        yield start
        start = text.find(needle, start + 1)


MAX_SOURCE_BYTES = 50 * 1024 * 1024
REPOSITORY_MARKERS = (".git", ".hg")
SOURCE_SUFFIXES = (".txt", ".md", ".markdown", ".text", ".rst")


class SourceRefused(Exception):
    """The source cannot be used; ``code`` is the finding code, the message says why."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@cache
def repository_root(folder: Path) -> Path | None:
    """The nearest folder at or above ``folder`` (resolved) that holds a repository.
    Never the home folder or one above it: a home kept in git (dotfiles) must not open
    every file of the user to a bank downloaded into it."""
    home = _home()
    for candidate in (folder, *folder.parents):
        if home is not None and home.is_relative_to(candidate):
            return None
        if any((candidate / marker).exists() for marker in REPOSITORY_MARKERS):
            return candidate
    return None


def _home() -> Path | None:
    try:
        return Path.home().resolve()
    except (RuntimeError, OSError):  # no home known: nothing to protect there
        return None


def locate(bank_path: Path, name: str) -> Path:
    """Where the source ``name`` of the bank at ``bank_path`` really is, once every
    symlink is followed; raises ``SourceRefused`` when it may not be read.

    Allowed: a relative name that leads, after symlinks, to a regular file inside the
    bank's folder or below it, or inside the repository that holds the bank.
    """
    if Path(name).is_absolute() or Path(name).drive:
        raise SourceRefused("source-outside", "is an absolute path")
    try:
        folder = bank_path.parent.resolve()
        root = repository_root(folder) or folder
        target = (bank_path.parent / name).resolve()
    except (RuntimeError, OSError):  # a symlink loop, or a path the system refuses
        raise SourceRefused("source-missing", "cannot be resolved (a symlink loop?)") from None
    if not target.is_relative_to(root):
        where = "the repository" if root != folder else "the bank's folder"
        raise SourceRefused("source-outside", f"leads outside {where}, so it is not read")
    # Hidden names count below the bank's own folder (or below the repository for a
    # source elsewhere in it): a bank inside a hidden folder, like a package installed
    # in a project's .venv, may still name the file beside it.
    within = folder if target.is_relative_to(folder) else root
    if any(part.startswith(".") for part in target.relative_to(within).parts):
        raise SourceRefused(
            "source-outside", "is hidden, or inside a hidden folder such as .git, so it is not read"
        )
    if target.suffix.lower() not in SOURCE_SUFFIXES:
        raise SourceRefused(
            "source-not-a-file", "is not a text document (.txt or .md), so it is not read"
        )
    try:
        info = target.stat()
    except FileNotFoundError:
        raise SourceRefused("source-missing", "does not exist") from None
    except OSError as error:
        raise SourceRefused("source-missing", f"cannot be read: {error.strerror}") from None
    if not stat.S_ISREG(info.st_mode):
        raise SourceRefused("source-not-a-file", "is not a regular file, so it is not read")
    if info.st_nlink > 1:  # a hard link could be any file of the machine, under any name
        raise SourceRefused("source-not-a-file", "has other hard links, so it is not read")
    return target


def read_source(bank_path: Path, name: str) -> SourceDocument:
    """The bank's source document, read once per version of the file."""
    target = locate(bank_path, name)
    try:
        version = target.stat().st_mtime_ns
    except OSError:
        version = 0
    return _read(target, version)


@lru_cache(maxsize=32)
def _read(target: Path, version: int) -> SourceDocument:
    # O_NOFOLLOW and O_NONBLOCK: if the file was swapped for a link or a pipe since
    # ``locate`` looked, opening fails or returns at once instead of following or hanging.
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(target, flags)
    except OSError as error:
        raise SourceRefused("source-missing", f"cannot be read: {error.strerror}") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise SourceRefused("source-not-a-file", "is not a regular file, so it is not read")
        if info.st_size > MAX_SOURCE_BYTES:
            raise SourceRefused(
                "source-missing", f"is larger than {MAX_SOURCE_BYTES // 1_048_576} MB"
            )
        data = handle.read(MAX_SOURCE_BYTES + 1)
    try:
        return SourceDocument(target, data.decode("utf-8").removeprefix("\ufeff"))
    except UnicodeDecodeError:
        raise SourceRefused("source-missing", "is not UTF-8 text") from None
