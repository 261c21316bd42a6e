"""Fast paths of the text functions (split and join, a table of bytes, a leading word,
isprintable) give exactly what their definitions by regular expressions give, on any
text."""

from __future__ import annotations

import re
import sys
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from desperado_quiz.text import (
    _CONTROL,
    _TYPOGRAPHY,
    find_control_characters,
    normalise_answer,
    normalise_quote,
    strip_accents,
)

# The definitions, as they were written before the fast paths.
_SPACES = re.compile(r"\s+")
_PUNCTUATION = re.compile(r"[^\w\s]")
_POSSESSIVE = re.compile(r"'s\b")
_LEADING_ARTICLE = re.compile(r"^(the|a|an) ")


def quote_by_definition(text: str) -> str:
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text).translate(_TYPOGRAPHY)
    text = re.sub(r"\s*-\s*", "-", text)
    return _SPACES.sub(" ", text).strip().casefold()


def answer_by_definition(text: str) -> str:
    text = strip_accents(quote_by_definition(text)).replace("&", " and ")
    # Initials with dots are one word: "m.p.a.a." is "mpaa".
    text = re.sub(r"\b(?:[^\W\d_]\.){2,}", lambda m: m.group().replace(".", ""), text)
    text = _PUNCTUATION.sub(" ", _POSSESSIVE.sub("", text).replace("'", ""))
    return _LEADING_ARTICLE.sub("", _SPACES.sub(" ", text).strip())


CHARACTERS = "aAsStTeEnN'-&.,!?_09 \t\n\x0b\x1c\x1f\u2019\u2014\xa0\u3000\u2028éßİﬁ\u0301½"
PIECES = st.sampled_from([*CHARACTERS, "the ", "The ", "an ", "a ", "'s", " - "])


@settings(max_examples=500, deadline=None)
@given(st.lists(st.one_of(PIECES, st.text(max_size=3)), max_size=12).map("".join))
def test_the_fast_paths_are_the_definitions(text: str) -> None:
    assert normalise_quote.__wrapped__(text) == quote_by_definition(text)
    assert normalise_answer.__wrapped__(text) == answer_by_definition(text)


def test_every_character_is_punctuation_or_space_as_the_definition_says() -> None:
    spaces = [code for code in range(sys.maxunicode + 1) if chr(code).isspace()]
    for code in [*range(0x800), *spaces, *range(0x800, sys.maxunicode + 1, 97)]:
        char = chr(code)
        for text in (char, f"the{char}s x", f"x'{char}", f"{char}-{char}"):
            assert normalise_answer.__wrapped__(text) == answer_by_definition(text), repr(text)


def test_examples() -> None:
    assert normalise_answer("The  Mariachi's guitar-case!") == "mariachi guitar case"
    assert normalise_answer("an") == "an"  # an article alone stays
    assert normalise_answer("the the end") == "the end"  # one article goes
    assert normalise_answer("Rock 'n' Roll & blues") == "rock n roll and blues"
    assert normalise_quote("  sensibility — mixing\u00a0it ") == "sensibility-mixing it"


def test_printable_text_holds_no_control_character() -> None:
    """``find_control_characters`` skips printable text: it must hold none."""
    assert not [
        code
        for code in range(sys.maxunicode + 1)
        if chr(code).isprintable() and _CONTROL.match(chr(code))
    ]
    assert find_control_characters("tab\tand\x1b[31m") == [7]  # a tab is allowed
