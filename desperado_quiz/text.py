"""Text normalisation shared by the matcher and the validator.

Two strengths: ``normalise_quote`` keeps words and punctuation (for checking that
evidence is quoted verbatim), ``normalise_answer`` also drops accents, punctuation
and a leading article (for matching what a player typed).
"""

from __future__ import annotations

import re
import unicodedata

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
_SPACES = re.compile(r"\s+")
_PUNCTUATION = re.compile(r"[^\w\s]")
_LEADING_ARTICLE = re.compile(r"^(the|a|an) ")
# Control characters (C0, DEL, C1) other than tab and newline; they include ESC,
# which starts terminal escape sequences.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def normalise_quote(text: str) -> str:
    """NFKC, ASCII quotes and dashes, single spaces, case-folded."""
    if not text.isascii():  # ASCII is already NFKC and typographically plain
        text = unicodedata.normalize("NFKC", text).translate(_TYPOGRAPHY)
    # Dashes join words in some sources ("sensibility—mixing") and are spaced in others.
    text = re.sub(r"\s*-\s*", "-", text)
    return _SPACES.sub(" ", text).strip().casefold()


def strip_accents(text: str) -> str:
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalise_answer(text: str) -> str:
    """The form in which typed answers and accepted answers are compared."""
    text = strip_accents(normalise_quote(text)).replace("&", " and ")
    text = _PUNCTUATION.sub(" ", text)
    text = _SPACES.sub(" ", text).strip()
    return _LEADING_ARTICLE.sub("", text)


def find_control_characters(text: str) -> list[int]:
    """Offsets of characters that could drive a terminal rather than print."""
    return [match.start() for match in _CONTROL.finditer(text)]
