"""Text normalisation shared by the matcher and the validator.

Two strengths: ``normalise_quote`` keeps words and punctuation (for checking that
evidence is quoted verbatim), ``normalise_answer`` also drops accents, punctuation
and a leading article (for matching what a player typed).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

# Typographic characters that authors and sources use interchangeably with ASCII.
_TYPOGRAPHY = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2033": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u00a0": " ",
    }
)
_SPACED_DASH = re.compile(r" ?- ?")
_PUNCTUATION = re.compile(r"[^\w\s]")
_ASCII_PUNCTUATION = bytes(32 if n < 128 and _PUNCTUATION.match(chr(n)) else n for n in range(256))
_ARTICLES = ("the", "a", "an")  # one leading article is dropped
_POSSESSIVE = re.compile(r"'s\b")
# Control characters (C0, DEL, C1) other than tab and newline; they include ESC,
# which starts terminal escape sequences.
# Also the marks and overrides that reorder how text displays (U+061C, U+200E, U+200F,
# U+202A-U+202E, U+2066-U+2069: a title can hide "gnp.exe" behind one) and the line and
# paragraph separators U+2028 and U+2029, which break a line where none shows; and the
# noncharacters U+FFFE and U+FFFF, which no XML export may carry.
_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)


# Several rules normalise the same texts (a question's text, its answer, its quotes),
# and a player's answer is compared with each accepted form: remembering the last few
# thousand results saves most of the work. Bounded, so memory stays flat.
_REMEMBERED = 16_384


@lru_cache(maxsize=_REMEMBERED)
def normalise_quote(text: str) -> str:
    """NFKC, ASCII quotes and dashes, single spaces, case-folded."""
    return _quote_form(text)


def _quote_form(text: str) -> str:
    """``normalise_quote``, not remembered: for ``normalise_answer``, whose own results
    are, and whose texts (every question's) would only push the quotes out."""
    if not text.isascii():  # ASCII is already NFKC and typographically plain
        text = unicodedata.normalize("NFKC", text).translate(_TYPOGRAPHY)
    # Single spaces. split() and \s agree on what a space is (str.isspace).
    text = " ".join(text.split())
    # Dashes join words in some sources ("sensibility—mixing") and are spaced in others.
    # After the spaces are single: "\s*-" would try a long run of spaces at each of its
    # characters (quadratic on a hostile file).
    if "-" in text:
        text = _SPACED_DASH.sub("-", text)
    return text.casefold()


def strip_accents(text: str) -> str:
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# Initials written with dots ("m.p.a.a.", "U.S."): one word, as they are without them.
_INITIALS = re.compile(r"\b(?:[^\W\d_]\.){2,}")


def _join_initials(match: re.Match[str]) -> str:
    return match.group().replace(".", "")


@lru_cache(maxsize=_REMEMBERED)
def normalise_answer(text: str) -> str:
    """The form in which typed answers and accepted answers are compared."""
    text = strip_accents(_quote_form(text)).replace("&", " and ")
    if "." in text:
        text = _INITIALS.sub(_join_initials, text)
    # "Mariachi's" is "mariachi", and "rock 'n' roll" is "rock n roll": typed with or
    # without its apostrophes, a word stays one word.
    if "'" in text:
        text = _POSSESSIVE.sub("", text).replace("'", "")
    # Punctuation becomes spaces: for ASCII text (most of it), by a table of bytes.
    if text.isascii():
        text = text.encode("ascii").translate(_ASCII_PUNCTUATION).decode("ascii")
    else:
        text = _PUNCTUATION.sub(" ", text)
    words = text.split()
    if len(words) > 1 and words[0] in _ARTICLES:
        del words[0]
    return " ".join(words)


# Words that carry no clue on their own: a shared "the" links nothing.
# fmt: off
STOP_WORDS = frozenset({
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "he", "her", "his",
    "in", "is", "it", "its", "of", "on", "or", "s", "she", "that", "the", "their", "them",
    "they", "this", "to", "was", "were", "which", "who", "with", "yes", "no", "true",
    "false", "not",
})
# fmt: on
STEM_CHARS = 5  # "legend" and "legendary", "violence" and "violent" share a stem


def content_words(text: str) -> list[str]:
    """The normalised words of ``text`` that are not stop words."""
    return [word for word in normalise_answer(text).split() if word not in STOP_WORDS]


class Vocabulary:
    """The words of a text, to ask whether another word is one of them in some form:
    the same first five letters ("legend", "legendary"), or a word of at least four
    letters that begins it ("kill", "killed")."""

    def __init__(self, text: str) -> None:
        self.words = set(normalise_answer(text).split())
        self.stems = {word[:STEM_CHARS] for word in self.words}

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        return word[:STEM_CHARS] in self.stems or any(
            word[:end] in self.words for end in range(4, min(len(word), STEM_CHARS))
        )

    def share(self, words: list[str]) -> float:
        """The share of ``words`` found here (0 when there are none)."""
        return sum(word in self for word in words) / len(words) if words else 0.0


@lru_cache(maxsize=1024)
def vocabulary(text: str) -> Vocabulary:
    """``Vocabulary(text)``, remembered (not to be changed): questions that quote the
    same passage ask for the same one."""
    return Vocabulary(text)


def find_control_characters(text: str) -> list[int]:
    """Offsets of characters that could drive a terminal rather than print."""
    # Every character of _CONTROL is unprintable (a control, a format character or a
    # line or paragraph separator): printable text, the usual case, holds none.
    if text.isprintable() or _CONTROL.search(text) is None:
        return []
    return [match.start() for match in _CONTROL.finditer(text)]


GROUP_FROM = 10_000  # 1995 is a year; 25,400,000 needs its separators to be read


def format_number(value: float) -> str:
    """A number as people write it: no exponent, no trailing zeros, and thousands
    separators from 10,000 on (so that years stay as they are written)."""
    grouping = "," if abs(value) >= GROUP_FROM else ""
    if value == int(value):
        return f"{int(value):{grouping}d}"
    text = f"{value:{grouping}.6f}".rstrip("0").rstrip(".")
    return text if text not in ("0", "-0") else f"{value:g}"  # too small for 6 decimals


# What must never reach a terminal, a CI log or an XML file as it is: C0 and C1 control
# characters (ESC starts escape sequences; CR, BEL and backspace rewrite what is shown),
# DEL, lone surrogates (undecodable bytes of a file name), noncharacters, and the
# bidirectional overrides that make text display in another order than it reads.
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u061c\u200e\u200f\u2028\u2029"
    "\u202a-\u202e\u2066-\u2069]"
)
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if char in _NAMED:
        return _NAMED[char]
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, kept by surrogateescape
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def visible(text: str) -> str:
    """``text`` safe to show anywhere: every unsafe character written as an escape
    (``\\x1b``, ``\\n``, ``\\u202e``), so that it is seen and never obeyed."""
    return _UNSAFE.sub(_escape, text)


def display_path(path: object) -> str:
    """A file name as it can be shown: relative to the current folder when it is inside
    it, and bytes that are not UTF-8 written as ``\\xff``. Never starting with ``::``:
    a line that starts so (spaces aside) is a command to GitHub Actions, and a file
    named ``::error title=x::y.toml`` would forge an annotation; it is ``./::error...``."""
    shown = Path(str(path))
    if shown.is_absolute() and shown.is_relative_to(here := Path.cwd()):
        shown = shown.relative_to(here)
    text = visible(str(shown))
    return f"./{text}" if text.startswith(":") else text


def plural(count: int, word: str, many: str | None = None) -> str:
    """``1 bank``, ``2 banks``; ``many`` for irregular plurals."""
    return f"{count:,} {word if count == 1 else many or word + 's'}"


_UNITS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def number_in_words(value: float) -> str | None:
    """A whole number from 0 to 999,999 as it is written in words ("thirty", "two
    thousand five hundred"), so that an answer of 30 is found in "thirty years"; None
    for any other number."""
    if not float(value).is_integer() or not 0 <= value < 1_000_000:
        return None
    number = int(value)
    thousands, rest = divmod(number, 1000)
    parts = [f"{_below_thousand(thousands)} thousand"] if thousands else []
    if rest or not number:
        parts.append(_below_thousand(rest))
    return " ".join(parts)


def _below_thousand(number: int) -> str:
    hundreds, rest = divmod(number, 100)
    parts = [f"{_UNITS[hundreds]} hundred"] if hundreds else []
    if rest >= 20:
        tens, units = divmod(rest, 10)
        parts.append(_TENS[tens] + (f" {_UNITS[units]}" if units else ""))
    elif rest or not parts:
        parts.append(_UNITS[rest])
    return " ".join(parts)


def closest_value(given: str, values: Sequence[str]) -> str | None:
    """The value ``given`` was probably meant to be: one that contains it as whole words
    ("cast" for "Cast & crew"), or is spelt nearly like it. None when it is one of
    ``values`` (another filter emptied the game) or nothing is close."""
    import difflib

    folded = {value.casefold(): value for value in values}
    wanted = normalise_answer(given)
    if given.casefold() in folded or not wanted:
        return None
    containing = [v for v in values if f" {wanted} " in f" {normalise_answer(v)} "]
    if len(containing) == 1:
        return containing[0]
    close = difflib.get_close_matches(given.casefold(), list(folded), n=1, cutoff=0.6)
    return folded[close[0]] if close else None


def schema_prose(schema: Any) -> Any:
    """A JSON Schema whose descriptions read as Markdown, as editors show them: the
    docstrings they come from mark code as reStructuredText does (``[bank]``)."""
    if isinstance(schema, dict):
        return {
            key: value.replace("``", "`") if key == "description" and isinstance(value, str)
            else schema_prose(value)
            for key, value in schema.items()
        }  # fmt: skip
    if isinstance(schema, list):
        return [schema_prose(item) for item in schema]
    return schema
