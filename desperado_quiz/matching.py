"""Read what a player typed and judge it against a question. Pure functions, no I/O.

``interpret`` turns raw input into an ``Answer`` (or ``Invalid``, which the game
explains and asks again: it never counts as wrong); ``Answer.credit`` says how right
it is, from 0 to 1.

Text answers are compared after ``normalise_answer`` (case, accents, punctuation,
spaces, a leading article, "&" for "and"). Small typos are forgiven with rapidfuzz's
``fuzz.ratio`` (an edit-based similarity from 0 to 100) on the whole answer, never on
a part of it, so "air" is not "chair":

* accepted answers of up to 4 characters must match exactly;
* 5 to 8 characters need a ratio of at least 80 (one typo in "Bucho");
* longer answers need at least 85 (about one typo in seven characters).
"""

from __future__ import annotations

import re
import string
from collections.abc import Sequence
from dataclasses import dataclass

from desperado_quiz.model import (
    AnyQuestion,
    BooleanQuestion,
    ChoiceQuestion,
    MultiQuestion,
    NumberQuestion,
    OrderQuestion,
    TextQuestion,
)
from desperado_quiz.text import normalise_answer

EXACT_UP_TO = 4
SHORT_UP_TO = 8
SHORT_THRESHOLD = 80.0
LONG_THRESHOLD = 85.0

_TRUE = frozenset({"t", "true", "y", "yes"})
_FALSE = frozenset({"f", "false", "n", "no"})
_NUMBER = re.compile(r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[-+]?\.\d+")


@dataclass(frozen=True)
class Invalid:
    """Input that cannot be an answer to this question; ``reason`` says what would be."""

    reason: str


@dataclass(frozen=True)
class Answer:
    """An understood answer: ``given`` as the player meant it, and its ``credit``."""

    given: str
    credit: float

    @property
    def correct(self) -> bool:
        return self.credit >= 1.0


def letters(count: int) -> str:
    return string.ascii_uppercase[:count]


def similar(typed: str, accepted: str) -> bool:
    """Whether ``typed`` is ``accepted``, forgiving case, punctuation and small typos."""
    a, b = normalise_answer(typed), normalise_answer(accepted)
    if not a or not b:
        return False
    if a == b:
        return True
    if len(b) <= EXACT_UP_TO:
        return False
    from rapidfuzz import fuzz  # only typos need it; keeps it out of start-up

    threshold = SHORT_THRESHOLD if len(b) <= SHORT_UP_TO else LONG_THRESHOLD
    return fuzz.ratio(a, b) >= threshold


def resolve_option(token: str, options: Sequence[str]) -> int | None:
    """The index of the option named by a letter, a number or (nearly) its text."""
    token = token.strip()
    if len(token) == 1 and token.upper() in letters(len(options)):
        return letters(len(options)).index(token.upper())
    if token.isascii() and token.isdigit() and 1 <= int(token) <= len(options):
        return int(token) - 1
    exact = [
        i for i, option in enumerate(options) if normalise_answer(option) == normalise_answer(token)
    ]
    if len(exact) == 1:
        return exact[0]
    close = [i for i, option in enumerate(options) if similar(token, option)]
    return close[0] if len(close) == 1 else None


def resolve_sequence(raw: str, options: Sequence[str]) -> list[int] | None:
    """Several options: "A,C", "A C", "AC", "1 3" or their texts separated by commas."""
    raw = raw.strip()
    if "," in raw or ";" in raw:
        return _resolve_pieces([t for t in re.split(r"[,;]", raw) if t.strip()], options)
    whole = resolve_option(raw, options)
    if whole is not None:
        return [whole]
    found = [resolve_option(token, options) for token in raw.split()]
    if found and None not in found:
        return [index for index in found if index is not None]
    compact = raw.replace(" ", "").upper()
    if compact and all(ch in letters(len(options)) for ch in compact):
        return [letters(len(options)).index(ch) for ch in compact]
    return None


def _resolve_pieces(pieces: Sequence[str], options: Sequence[str]) -> list[int] | None:
    """Comma-separated pieces, rejoining neighbours for options that contain a comma.

    Longest first, so "A feared, legendary figure" is one option, not two pieces.
    """
    found: list[int] = []
    start = 0
    while start < len(pieces):
        for end in range(len(pieces), start, -1):
            index = resolve_option(",".join(pieces[start:end]), options)
            if index is not None:
                found.append(index)
                start = end
                break
        else:
            return None
    return found


def parse_number(raw: str) -> float | None:
    """The first number in the input: "58", "58.0", "$58 million", "1,000" all work."""
    match = _NUMBER.search(raw)
    return float(match.group().replace(",", "")) if match else None


def interpret(question: AnyQuestion, options: Sequence[str], raw: str) -> Answer | Invalid:
    """Understand and judge ``raw`` for ``question`` shown with ``options`` in this order."""
    if not raw.strip():
        return Invalid("Type an answer, or ? for a hint, skip or quit.")
    match question:
        case ChoiceQuestion():
            return _choice(question, options, raw)
        case MultiQuestion():
            return _multi(question, options, raw)
        case OrderQuestion():
            return _order(question, options, raw)
        case BooleanQuestion():
            return _boolean(question, raw)
        case NumberQuestion():
            return _number(question, raw)
        case TextQuestion():
            return _text(question, raw)
    raise TypeError(f"unknown question type {question.type!r}")  # pragma: no cover


def _choice(question: ChoiceQuestion, options: Sequence[str], raw: str) -> Answer | Invalid:
    index = resolve_option(raw, options)
    if index is None:
        last = letters(len(options))[-1]
        return Invalid(
            f"Answer with a letter A-{last}, a number 1-{len(options)}, or the text of one choice."
        )
    picked = options[index]
    return Answer(picked, 1.0 if picked == question.answer else 0.0)


def _multi(question: MultiQuestion, options: Sequence[str], raw: str) -> Answer | Invalid:
    indices = resolve_sequence(raw, options)
    if not indices:
        return Invalid("Pick one or more choices: letters like A,C or texts separated by commas.")
    picked = [options[i] for i in dict.fromkeys(indices)]
    return Answer(", ".join(picked), multi_credit(picked, question.answer))


def multi_credit(picked: Sequence[str], right: Sequence[str]) -> float:
    """Nothing if any wrong choice is picked, otherwise the share of right ones found."""
    if any(choice not in right for choice in picked):
        return 0.0
    return len(set(picked)) / len(right)


def _order(question: OrderQuestion, options: Sequence[str], raw: str) -> Answer | Invalid:
    indices = resolve_sequence(raw, options)
    example = letters(len(options))[::-1]
    if not indices or sorted(indices) != list(range(len(options))):
        return Invalid(
            f"Give all {len(options)} items once each, in order: "
            f"letters like {example}, or the texts separated by commas."
        )
    given = [options[i] for i in indices]
    return Answer(" → ".join(given), 1.0 if given == list(question.answer) else 0.0)


def _boolean(question: BooleanQuestion, raw: str) -> Answer | Invalid:
    word = normalise_answer(raw)
    if word in _TRUE or word in _FALSE:
        value = word in _TRUE
        return Answer("True" if value else "False", 1.0 if value == question.answer else 0.0)
    return Invalid("Answer true or false (t/f, yes/no, y/n also work).")


def _number(question: NumberQuestion, raw: str) -> Answer | Invalid:
    value = parse_number(raw)
    if value is None:
        return Invalid("Type a number, for example 42 or 3.5.")
    right = abs(value - question.answer) <= question.tolerance + 1e-9
    return Answer(f"{value:g}", 1.0 if right else 0.0)


def _text(question: TextQuestion, raw: str) -> Answer:
    right = any(similar(raw, accepted) for accepted in question.accepted)
    return Answer(raw.strip(), 1.0 if right else 0.0)
