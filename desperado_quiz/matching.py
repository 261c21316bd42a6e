"""Read what a player typed and judge it against a question. Pure functions, no I/O.

``interpret`` turns raw input into an ``Answer`` (or ``Invalid``, which the game
explains and asks again: it never counts as wrong); ``Answer.credit`` says how right
it is, from 0 to 1.

Text answers, and choices typed as text, are compared after ``normalise_answer``
(case, accents, apostrophes, punctuation, spaces, a leading article, "&" for "and").
Small typos are forgiven with rapidfuzz's ``fuzz.ratio`` (an edit-based similarity from
0 to 100) on the whole answer, never on a part of it, so "air" is not "chair":

* accepted answers of up to 4 characters must match exactly;
* 5 to 8 characters need a ratio of at least 80 (one typo in "Bucho");
* longer answers need at least 85 (about one typo in seven characters).

Choices: a label as the screen shows it ("B", "b.", "(b)"), a number, the text, some
of its words in a row ("tarantino"), or its words in order, each with a small typo
forgiven ("joaquin almeida"); a name that fits two choices is asked again.

Numbers: "58", "58.0", "$58 million", "25,400,000" (thousands separators), "2.54e1".
An input that could mean two numbers ("25,4", "25 or 26") is asked again, never read
one way silently. A magnitude is read, never dropped ("58k", "0.0254 bn"), in the
question's unit ("25.4 billion" is 25,400 in a question in millions); a number written
out in full ("$25,400,000") is read in that unit too. A year is asked again when it
comes as two digits ("'95") or a decade ("mid-90s").
"""

from __future__ import annotations

import math
import re
import string
from collections.abc import Sequence

from desperado_quiz.model import (
    AnyQuestion,
    BooleanQuestion,
    ChoiceQuestion,
    MultiQuestion,
    NumberQuestion,
    OrderQuestion,
    TextQuestion,
)
from desperado_quiz.text import STOP_WORDS, format_number, normalise_answer
from desperado_quiz.values import frozen

MAX_ANSWER_CHARS = 1000  # the longest order answer typed in full is a few hundred
EXACT_UP_TO = 4
SHORT_UP_TO = 8
SHORT_THRESHOLD = 80.0
LONG_THRESHOLD = 85.0
CLEAR_MARGIN = 5.0  # a typo'd choice must be this much closer to one choice than another
MAX_JOINED = 8
MIN_SHORT_FORM = 3  # a choice named by some of its words needs this many letters

_TRUE = frozenset({"t", "true", "y", "yes"})
_FALSE = frozenset({"f", "false", "n", "no"})
# A number as people write it: thousands separators, decimals, an exponent. Digits next
# to a comma that are not groups of three ("25,4") make the input ambiguous.
_NUMBER = re.compile(
    r"(?<![\w.])[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][-+]?\d+)?(?!\d)"
    r"|(?<![\w.])[-+]?\.\d+(?:[eE][-+]?\d+)?(?!\d)"
)
_DECIMAL_COMMA = re.compile(r"\d,\d")
_LABEL = re.compile(r"\(?([A-Za-z]|\d+)[.):]?")  # a choice's label as shown: "B)", "(b)"
# A magnitude written after a number: "58k", "25.4 million", "0.0254 bn".
_MAGNITUDE = re.compile(
    r"\d\s*(k|thousands?|m|mn|mio|mil|millions?|b|bn|billions?)\b", re.IGNORECASE
)
_SCALES = {"k": 1e3, "t": 1e3, "m": 1e6, "b": 1e9}  # by first letter, after `_MAGNITUDE`
_SHORT_YEAR = re.compile("['\u2018\u2019]?\\d{2}s?")  # "'95", "95": a year without its century
# A decade rather than a year: "the 90s", "mid-90s", "1990s", "early '90s".
_DECADE = re.compile(r"\d0'?s\b", re.IGNORECASE)
_EXAMPLE_YEAR = 1984


@frozen
class Invalid:
    """Input that cannot be an answer to this question; ``reason`` says what would be."""

    reason: str


@frozen
class Answer:
    """An understood answer: ``given`` as the player meant it, and its ``credit``.

    ``forgiven`` is what was typed when it was understood only by forgiving it: a
    typo ("Netflx" for "Netflix"), or a choice named by some of its words ("tarantino");
    ``wrong`` lists the picks of a multi answer that are not right.
    """

    given: str
    credit: float
    forgiven: str | None = None
    wrong: tuple[str, ...] = ()

    @property
    def correct(self) -> bool:
        return self.credit >= 1.0


def letters(count: int) -> str:
    return string.ascii_uppercase[:count]


def similarity(typed: str, accepted: str) -> float:
    """0 to 100: how close ``typed`` is to ``accepted`` once normalised; 0 when a typo
    could not be forgiven at that length (short answers must match exactly)."""
    a, b = normalise_answer(typed), normalise_answer(accepted)
    if not a or not b:
        return 0.0
    if a == b:
        return 100.0
    if len(b) <= EXACT_UP_TO:
        return 0.0
    from rapidfuzz import fuzz  # only typos need it; keeps it out of start-up

    score = fuzz.ratio(a, b)
    threshold = SHORT_THRESHOLD if len(b) <= SHORT_UP_TO else LONG_THRESHOLD
    return float(score) if score >= threshold else 0.0


def similar(typed: str, accepted: str) -> bool:
    """Whether ``typed`` is ``accepted``, forgiving case, punctuation and small typos."""
    return similarity(typed, accepted) > 0


class Ambiguous(Exception):
    """A typed choice is as close to two choices; ``candidates`` are their indexes."""

    def __init__(self, candidates: list[int]) -> None:
        super().__init__(candidates)
        self.candidates = candidates


def resolve_option(token: str, options: Sequence[str]) -> int | None:
    """The index of the option named by a letter, a number or (nearly) its text.

    Raises ``Ambiguous`` when the text is about as close to two options."""
    token = token.strip()
    if label := _LABEL.fullmatch(token):  # "B", "b.", "B)", "(b)": as the screen shows it
        token = label.group(1)
    if len(token) == 1 and token.upper() in letters(len(options)):
        return letters(len(options)).index(token.upper())
    if token.isascii() and token.isdigit() and 1 <= int(token) <= len(options):
        return int(token) - 1
    wanted = normalise_answer(token)
    exact = [i for i, option in enumerate(options) if normalise_answer(option) == wanted]
    if len(exact) == 1:
        return exact[0]
    for named in (_named_by_words, _named_by_close_words):
        by_words = named(wanted, options)
        if len(by_words) > 1:
            raise Ambiguous(by_words)
        if by_words:
            return by_words[0]
    scores = sorted(
        ((similarity(token, option), i) for i, option in enumerate(options)), reverse=True
    )
    close = [(score, i) for score, i in scores if score > 0]
    if not close:
        return None
    if len(close) > 1 and close[0][0] - close[1][0] < CLEAR_MARGIN:
        raise Ambiguous(sorted(i for score, i in close if close[0][0] - score < CLEAR_MARGIN))
    return close[0][1]


def _named_by_words(wanted: str, options: Sequence[str]) -> list[int]:
    """The options whose words include ``wanted``'s words, in a row: "tarantino" names
    "Quentin Tarantino", "violin" names "A violin case". Whole words only, and at least
    one that is not a stop word, so "the" or "case" names nothing by itself."""
    words = wanted.split()
    if len("".join(words)) < MIN_SHORT_FORM or all(word in STOP_WORDS for word in words):
        return []
    found = []
    for index, option in enumerate(options):
        option_words = normalise_answer(option).split()
        span = len(words)
        if any(
            option_words[start : start + span] == words
            for start in range(len(option_words) - span + 1)
        ):
            found.append(index)
    return found


def _named_by_close_words(wanted: str, options: Sequence[str]) -> list[int]:
    """The options that hold each of ``wanted``'s words, in their order, each spelt
    nearly right (as a typed text answer is forgiven): "joaquin almeida" names
    "Joaquim de Almeida". Stop words typed are skipped; one word at least is needed."""
    words = [word for word in wanted.split() if word not in STOP_WORDS]
    if len("".join(words)) < MIN_SHORT_FORM:
        return []
    return [
        index
        for index, option in enumerate(options)
        if _in_order(words, normalise_answer(option).split())
    ]


def _in_order(words: Sequence[str], option_words: Sequence[str]) -> bool:
    place = 0
    for word in words:
        while place < len(option_words) and not similar(word, option_words[place]):
            place += 1
        if place == len(option_words):
            return False
        place += 1
    return True


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
    if compact.isascii() and compact.isdigit() and len(options) < 10:  # "1234", as "ABCD"
        digits = [int(ch) - 1 for ch in compact]
        if all(0 <= digit < len(options) for digit in digits):
            return digits
    return None


def _resolve_pieces(pieces: Sequence[str], options: Sequence[str]) -> list[int] | None:
    """Comma-separated pieces, rejoining neighbours for options that contain a comma.

    Longest first, so "A feared, legendary figure" is one option, not two pieces. A
    piece is only rejoined with as many neighbours as an option has commas, so the work
    grows with the number of pieces, not with its square.
    """
    # At most MAX_JOINED pieces rejoined: a choice with more commas than that is named
    # by its letter (and a flood of commas stays linear).
    window = 1 + min(max(len(re.findall(r"[,;]", option)) for option in options), MAX_JOINED)
    found: list[int] = []
    start = 0
    while start < len(pieces):
        for end in range(min(len(pieces), start + window), start, -1):
            index = resolve_option(",".join(pieces[start:end]), options)
            if index is not None:
                found.append(index)
                start = end
                break
        else:
            return None
    return found


def parse_number(raw: str) -> float | None:
    """The one number in the input, or None when there is none.

    Raises ``ValueError`` with a message for the player when the input could mean two
    numbers: "25,4" (a decimal comma, or 25 and 4?), "25 or 26"."""
    if _DECIMAL_COMMA.search(raw) and not _NUMBER.fullmatch(raw.strip().lstrip("$")):
        commas = [m for m in _NUMBER.finditer(raw) if "," in m.group()]
        if not commas:
            raise ValueError("write decimals with a point, e.g. 25.4, and thousands as 25,400")
    numbers = [m.group() for m in _NUMBER.finditer(raw)]
    if len(numbers) > 1:
        raise ValueError(f"that holds {len(numbers)} numbers ({', '.join(numbers)}); give one")
    return float(numbers[0].replace(",", "")) if numbers else None


def interpret(question: AnyQuestion, options: Sequence[str], raw: str) -> Answer | Invalid:
    """Understand and judge ``raw`` for ``question`` shown with ``options`` in this order."""
    if len(raw) > MAX_ANSWER_CHARS:  # refused before any work: it cannot be an answer
        return Invalid(
            f"That is {len(raw):,} characters long; an answer is at most "
            f"{MAX_ANSWER_CHARS:,}. Type it again, shorter."
        )
    if not raw.strip():
        return Invalid("Type an answer, or ? for a hint, skip or quit.")
    try:
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
    except Ambiguous as ambiguous:
        named = " or ".join(
            f"{letters(len(options))[i]}) {options[i]}" for i in ambiguous.candidates
        )
        return Invalid(f"That could be {named}: type its letter, or more of its words.")
    raise TypeError(f"unknown question type {question.type!r}")  # pragma: no cover


def _choice(question: ChoiceQuestion, options: Sequence[str], raw: str) -> Answer | Invalid:
    index = resolve_option(raw, options)
    if index is None:
        last = letters(len(options))[-1]
        return Invalid(
            f"Answer with a letter A-{last}, a number 1-{len(options)}, or the text of one choice."
        )
    picked = options[index]
    return Answer(picked, 1.0 if picked == question.answer else 0.0, _typo(raw, picked))


def _typo(raw: str, matched: str) -> str | None:
    """What was typed, when it named ``matched`` only by being forgiven: a typo, or a
    short form of a choice. None for a letter, a number or the text itself."""
    typed = raw.strip()
    if len(typed) <= 1 or typed.isdigit():  # a letter or a number names the choice
        return None
    return None if normalise_answer(typed) == normalise_answer(matched) else typed


def _multi(question: MultiQuestion, options: Sequence[str], raw: str) -> Answer | Invalid:
    indices = resolve_sequence(raw, options)
    if not indices:
        return Invalid("Pick one or more choices: letters like A,C or texts separated by commas.")
    picked = [options[i] for i in dict.fromkeys(indices)]
    wrong = tuple(choice for choice in picked if choice not in question.answer)
    pieces = [piece for piece in re.split(r"[,;]", raw) if piece.strip()]
    forgiven = any(_typo(piece, options[i]) for piece, i in zip(pieces, indices, strict=False))
    return Answer(
        ", ".join(picked),
        multi_credit(picked, question.answer),
        raw.strip() if forgiven and len(pieces) == len(indices) else None,
        wrong=wrong,
    )


def multi_credit(picked: Sequence[str], right: Sequence[str]) -> float:
    """Nothing if any wrong choice is picked, otherwise the share of right ones found."""
    if any(choice not in right for choice in picked):
        return 0.0
    return len(set(picked)) / len(right)


def order_example(options: Sequence[str], answer: Sequence[str]) -> str:
    """Letters to show as an example of an order answer: never the right order."""
    shown = letters(len(options))
    right = order_letters(options, answer)
    candidates = [shown[::-1], shown[1:] + shown[:1], shown[-1] + shown[:-1], shown]
    return next(example for example in candidates if example != right)


def order_letters(options: Sequence[str], items: Sequence[str]) -> str:
    """``items`` as the letters they have among ``options``: "CAB"."""
    shown = letters(len(options))
    return "".join(shown[options.index(item)] for item in items if item in options)


def _order(question: OrderQuestion, options: Sequence[str], raw: str) -> Answer | Invalid:
    indices = resolve_sequence(raw, options)
    if not indices or sorted(indices) != list(range(len(options))):
        return Invalid(
            f"Give all {len(options)} items once each, in order: letters like "
            f"{order_example(options, question.answer)}, or the texts separated by commas."
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
    try:
        value = parse_number(raw)
    except ValueError as error:
        return Invalid(f"Not sure which number you mean: {error}.")
    if value is None:
        return Invalid("Type a number, for example 42 or 3.5.")
    if not math.isfinite(value):
        return Invalid("That number is too large to be an answer.")
    if _is_year(question) and _DECADE.search(raw):
        return Invalid(f"Give one year, e.g. {_EXAMPLE_YEAR}, not a decade.")
    if _is_year(question) and _SHORT_YEAR.fullmatch(raw.strip()):
        return Invalid(f"Give the whole year, e.g. {_EXAMPLE_YEAR}, not just its last two digits.")
    value = in_units(value, raw, question.unit)
    return Answer(format_number(value), 1.0 if question.is_right(value) else 0.0)


def unit_scale(unit: str) -> float:
    """How many ones a question's unit counts: 1e6 for "million US dollars"."""
    words = unit.casefold().split()
    for word, scale in (("thousand", 1e3), ("million", 1e6), ("billion", 1e9)):
        if word in words or f"{word}s" in words:
            return scale
    return 1.0


def in_units(value: float, raw: str, unit: str) -> float:
    """``value`` as typed in ``raw``, in the question's unit: "25.4 billion" for a
    question in millions is 25,400; "$25,400,000" written out in full is 25.4."""
    scale = unit_scale(unit)
    if match := _MAGNITUDE.search(raw):
        return value * _SCALES[match.group(1)[0].lower()] / scale
    if scale > 1 and abs(value) >= scale:
        return value / scale  # written out in full
    return value


def _is_year(question: NumberQuestion) -> bool:
    """A question whose answer is a year: a whole number from 1800 to 2100, no unit."""
    answer = float(question.answer)
    return not question.unit and answer.is_integer() and 1800 <= answer <= 2100


def _text(question: TextQuestion, raw: str) -> Answer:
    best = max(question.accepted, key=lambda accepted: similarity(raw, accepted))
    right = similar(raw, best)
    return Answer(raw.strip(), 1.0 if right else 0.0, _typo(raw, best) if right else None)
