"""The one model of a question bank.

The loader, the game, the validator, the JSON Schema and the exporters all use these
classes. Rules about a single question (the answer is one of the choices, choices are
distinct, ...) live here, raised with the validator's finding code, so that no rule
exists twice.

The classes are standard-library dataclasses, so that a game built from the checked
cache never loads pydantic. Their constraints are written as the pydantic metadata
that checks them (``Field``, ``Strict``, ``AfterValidator``...), in annotations that
are only read when a file is validated: ``validation()`` gives pydantic's names to this
module then, and the loader validates through ``pydantic.TypeAdapter`` (which also
generates the JSON Schema). The rules between fields run in ``__post_init__``, in both
paths.
"""

from __future__ import annotations

import difflib
from dataclasses import field
from functools import cache
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal

from desperado_quiz.text import find_control_characters, format_number, schema_prose
from desperado_quiz.values import frozen
from desperado_quiz.vocabulary import DIFFICULTIES, QUESTION_TYPES, Difficulty

if TYPE_CHECKING:  # read by pydantic only when a file is validated (see ``validation``)
    from pydantic import Field, Strict
    from pydantic_core import PydanticCustomError

__all__ = ["DIFFICULTIES", "QUESTION_TYPES", "Difficulty"]  # re-exported for the loader

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
MIN_CHOICES, MAX_CHOICES = 2, 8
MIN_ORDER_ITEMS = 3
MAX_ITEMS = 50  # entries of tags, accept, evidence or an answer list: a bound on the work


def _not_blank(value: str) -> str:
    if not value.strip():
        from pydantic_core import PydanticCustomError

        raise PydanticCustomError("blank-text", "must not be empty or only spaces")
    return value


def _printable(value: str) -> str:
    """Text reaches a terminal: a control character could move the cursor or worse."""
    if offsets := find_control_characters(value):
        from pydantic_core import PydanticCustomError

        raise PydanticCustomError(
            "control-characters",
            "contains a control character or terminal escape ({char}) at offset {offset}",
            {"char": repr(value[offsets[0]]), "offset": offsets[0]},
        )
    return value


# Type aliases as strings: their pydantic metadata is read only when a file is checked
# (the type checker reads the plain types below instead).
# Strict: TOML already has real types, so "true" must never become True silently.
if TYPE_CHECKING:
    SafeStr = str
    NonEmptyStr = str
    Slug = str
    Quotes = list[str]
    Items = list[str]
    FiniteNumber = float
else:
    SafeStr = "Annotated[str, Strict(), AfterValidator(_printable)]"
    NonEmptyStr = "Annotated[SafeStr, AfterValidator(_not_blank)]"
    Slug = "Annotated[str, Strict(), Field(pattern=SLUG_PATTERN, description=SLUG_DESCRIPTION)]"
SLUG_DESCRIPTION = "lowercase words joined by '-'"


def choice_key(text: str) -> str:
    """Choices that differ only in case or spacing count as the same choice."""
    return " ".join(text.split()).casefold()


def _rule(code: str, message: str, key: str, hint: str = "") -> PydanticCustomError:
    """A rule violation; ``key`` names the TOML key whose line the message points at.
    (Raised as pydantic's error, so that validation reports it with its code; built
    from the cache, a question breaks no rule, and pydantic stays unloaded.)"""
    from pydantic_core import PydanticCustomError

    return PydanticCustomError(code, message, {"key": key, "hint": hint})


CLOSEST_UP_TO = 200  # characters: difflib's work grows with the square of the length


def _closest(value: str, options: list[str]) -> str:
    if len(value) > CLOSEST_UP_TO or any(len(option) > CLOSEST_UP_TO for option in options):
        return "copy it exactly from `choices`"
    match = difflib.get_close_matches(value, options, n=1, cutoff=0.6)
    return f"did you mean {match[0]!r}?" if match else "copy it exactly from `choices`"


def _check_distinct(items: list[str], key: str) -> None:
    seen: set[str] = set()
    for item in items:
        if (folded := choice_key(item)) in seen:
            raise _rule(
                f"duplicate-{key}",
                f"{key} has {item!r} twice (case and spacing ignored)",
                key,
                "remove or reword the repeated entry",
            )
        seen.add(folded)


def _as_list(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


_QUOTE_SCHEMA = {"type": "string", "minLength": 1}
QUOTES_SCHEMA = {"anyOf": [_QUOTE_SCHEMA, {"type": "array", "items": _QUOTE_SCHEMA, "minItems": 1}]}
# One quote or several: stored as a list, written either way (a union would make
# pydantic report one error per alternative).
if not TYPE_CHECKING:
    Quotes = (
        "Annotated[list[NonEmptyStr], BeforeValidator(_as_list), "
        "Field(min_length=1, max_length=MAX_ITEMS), WithJsonSchema(QUOTES_SCHEMA)]"
    )
    Items = "Annotated[list[NonEmptyStr], Field(max_length=MAX_ITEMS)]"
    FiniteNumber = "Annotated[float, Strict(), Field(allow_inf_nan=False)]"
_FORBID: dict[str, Any] = {"extra": "forbid"}


@frozen(kw_only=True)
class BankInfo:
    """The ``[bank]`` table."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _FORBID

    id: Slug
    title: NonEmptyStr
    description: SafeStr = ""
    # Optional: a bank without one (an imported quiz, say) plays, but is not grounded,
    # which `validate` warns about. A bank that names one must quote it in every question.
    source: Annotated[
        NonEmptyStr,
        Field(
            description="the document that evidence quotes come from, relative to this "
            "file; when given, every question must quote it in `evidence`"
        ),
    ] = ""


@frozen(kw_only=True)
class _QuestionBase:
    __pydantic_config__: ClassVar[dict[str, Any]] = _FORBID
    TYPE: ClassVar[str]  # the value of ``type`` that names the class

    id: Annotated[Slug, Field(description="unique across all banks")]
    question: NonEmptyStr
    category: NonEmptyStr
    difficulty: Difficulty
    evidence: Annotated[
        Quotes,
        Field(
            description="verbatim quote(s) from the source that support the answer; "
            "required when the bank names a source"
        ),
    ] = field(default_factory=list)
    explanation: SafeStr = ""
    hint: SafeStr = ""
    tags: Items = field(default_factory=list)
    related: Annotated[
        list[Slug],
        Field(
            max_length=MAX_ITEMS,
            description="ids of questions that give this one away, or that it gives away, "
            "in ways its words cannot show: no game holds both",
        ),
    ] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._rules()

    def _rules(self) -> None:
        """The rules between fields; a subclass adds its own to its parent's."""

    @property
    def quotes(self) -> tuple[str, ...]:
        return tuple(self.evidence)

    @property
    def answer_text(self) -> str:
        """The right answer as a player reads it."""
        raise NotImplementedError

    def texts(self) -> list[tuple[str, str]]:
        """Every piece of text in the question as (key, text), for the safety checks."""
        pairs = [("question", self.question), ("category", self.category)]
        pairs += [("evidence", quote) for quote in self.quotes]
        pairs += [("explanation", self.explanation), ("hint", self.hint)]
        pairs += [("tags", tag) for tag in self.tags]
        for key in ("choices", "answer", "accept", "unit"):
            value: Any = getattr(self, key, None)
            if isinstance(value, str):
                pairs.append((key, value))
            elif isinstance(value, list):
                pairs += [(key, item) for item in value if isinstance(item, str)]
        return pairs


@frozen(kw_only=True)
class _WithChoices(_QuestionBase):
    choices: Annotated[list[NonEmptyStr], Field(min_length=MIN_CHOICES, max_length=MAX_CHOICES)]

    def _rules(self) -> None:
        _check_distinct(self.choices, "choices")


@frozen(kw_only=True)
class ChoiceQuestion(_WithChoices):
    """One right answer among the choices."""

    TYPE: ClassVar[str] = "choice"
    type: Literal["choice"]
    answer: NonEmptyStr

    def _rules(self) -> None:
        super()._rules()
        if self.answer not in self.choices:
            raise _rule(
                "answer-not-in-choices",
                f"answer {self.answer!r} is not one of the choices",
                "answer",
                _closest(self.answer, self.choices),
            )

    @property
    def answer_text(self) -> str:
        return self.answer


@frozen(kw_only=True)
class MultiQuestion(_WithChoices):
    """Several right answers among the choices."""

    TYPE: ClassVar[str] = "multi"
    type: Literal["multi"]
    answer: Annotated[list[NonEmptyStr], Field(min_length=1, max_length=MAX_ITEMS)]

    def _rules(self) -> None:
        super()._rules()
        _check_distinct(self.answer, "answer")
        for item in self.answer:
            if item not in self.choices:
                raise _rule(
                    "answer-not-in-choices",
                    f"answer {item!r} is not one of the choices",
                    "answer",
                    _closest(item, self.choices),
                )

    @property
    def answer_text(self) -> str:
        return ", ".join(self.answer)


@frozen(kw_only=True)
class BooleanQuestion(_QuestionBase):
    """True or false."""

    TYPE: ClassVar[str] = "boolean"
    type: Literal["boolean"]
    answer: Annotated[bool, Strict()]

    @property
    def answer_text(self) -> str:
        return "True" if self.answer else "False"


@frozen(kw_only=True)
class TextQuestion(_QuestionBase):
    """A typed answer, matched forgivingly against the answer and its accepted forms."""

    TYPE: ClassVar[str] = "text"
    type: Literal["text"]
    answer: NonEmptyStr
    accept: Annotated[
        Items, Field(description="other accepted answers: a surname, another spelling")
    ] = field(default_factory=list)

    def _rules(self) -> None:
        _check_distinct([self.answer, *self.accept], "accept")

    @property
    def accepted(self) -> tuple[str, ...]:
        return (self.answer, *self.accept)

    @property
    def answer_text(self) -> str:
        return self.answer


@frozen(kw_only=True)
class NumberQuestion(_QuestionBase):
    """A number, right within ``tolerance`` of the answer, or one of ``accept`` exactly."""

    TYPE: ClassVar[str] = "number"
    type: Literal["number"]
    answer: FiniteNumber
    tolerance: Annotated[
        float,
        Strict(),
        Field(ge=0, allow_inf_nan=False, description="accepted absolute distance from the answer"),
    ] = 0.0
    accept: Annotated[
        list[FiniteNumber],
        Field(
            max_length=MAX_ITEMS,
            description="other numbers that count as right, each exactly: for fair answers "
            "uneven around the answer (1992 or 1993, never 1991)",
        ),
    ] = field(default_factory=list)
    unit: SafeStr = ""

    def is_right(self, value: float) -> bool:
        """Whether ``value`` scores: the one rule of "right" for a number."""
        return abs(value - self.answer) <= self.tolerance + 1e-9 or value in self.accept

    @property
    def right_values(self) -> tuple[float, ...]:
        """The answer, then every accepted number: what a player may be told is right."""
        return (self.answer, *self.accept)

    def _rules(self) -> None:
        # With a tolerance as large as the answer, 0 (or any wild guess) scores as right.
        if self.answer and self.tolerance >= abs(self.answer):
            raise _rule(
                "tolerance-too-wide",
                f"tolerance {format_number(self.tolerance)} is as large as the answer "
                f"{format_number(self.answer)}, so 0 would score as right",
                "tolerance",
                f"keep it under a quarter of the answer, e.g. "
                f"{format_number(abs(self.answer) / 20)}",
            )
        for value in self.accept:
            if abs(value - self.answer) <= self.tolerance or self.accept.count(value) > 1:
                raise _rule(
                    "duplicate-accept",
                    f"accept has {format_number(value)}, which already counts as right",
                    "accept",
                    "list only numbers outside the tolerance, once each",
                )

    @property
    def answer_text(self) -> str:
        text = format_number(self.answer)
        if self.accept:
            text += f" (or {', '.join(map(format_number, self.accept))})"
        return f"{text} {self.unit}" if self.unit else text


@frozen(kw_only=True)
class OrderQuestion(_QuestionBase):
    """Put the items in order; ``answer`` lists them in the right order."""

    TYPE: ClassVar[str] = "order"
    type: Literal["order"]
    answer: Annotated[list[NonEmptyStr], Field(min_length=MIN_ORDER_ITEMS, max_length=MAX_ITEMS)]

    def _rules(self) -> None:
        _check_distinct(self.answer, "answer")

    @property
    def answer_text(self) -> str:
        return " → ".join(self.answer)


AnyQuestion = (
    ChoiceQuestion | MultiQuestion | BooleanQuestion | TextQuestion | NumberQuestion | OrderQuestion
)
QUESTION_CLASSES: tuple[type[AnyQuestion], ...] = (
    ChoiceQuestion,
    MultiQuestion,
    BooleanQuestion,
    TextQuestion,
    NumberQuestion,
    OrderQuestion,
)
MODEL_BY_TYPE: dict[str, type[AnyQuestion]] = {model.TYPE: model for model in QUESTION_CLASSES}
# Any question, as code names it; for pydantic, the union told apart by ``type``.
Question = AnyQuestion
_QUESTION = "Annotated[AnyQuestion, Field(discriminator='type')]"
if TYPE_CHECKING:
    _TaggedQuestion = AnyQuestion
else:
    _TaggedQuestion = _QUESTION


@frozen(kw_only=True)
class Bank:
    """A whole question file: the ``[bank]`` table and its ``[[questions]]``."""

    __pydantic_config__: ClassVar[dict[str, Any]] = {
        **_FORBID,
        "title": "desperado-quiz question bank",
    }

    bank: BankInfo
    questions: Annotated[list[_TaggedQuestion], Field(min_length=1)]

    def __post_init__(self) -> None:
        if self.bank.source:
            for question in self.questions:
                if broken := grounded_rule(question):
                    raise broken


def grounded_rule(question: AnyQuestion) -> PydanticCustomError | None:
    """The rule of a bank that names a source: each question quotes it. (The loader
    asks it question by question, to point at the question that breaks it.)"""
    if question.evidence:
        return None
    return _rule(
        "missing-key",
        "missing key `evidence`",
        "evidence",
        "quote the bank's source: add `evidence = ...` to this table",
    )


@cache
def validation() -> dict[str, Any]:
    """pydantic's names, given to this module so that the annotations can be read: call
    before building a ``TypeAdapter`` of these classes. Returns the types to validate."""
    import pydantic

    globals().update(
        AfterValidator=pydantic.AfterValidator,
        BeforeValidator=pydantic.BeforeValidator,
        Field=pydantic.Field,
        Strict=pydantic.Strict,
        WithJsonSchema=pydantic.WithJsonSchema,
    )
    question = eval(_QUESTION, globals())  # our own alias, never input
    questions = eval(f"list[{_QUESTION}]", globals())
    return {"question": question, "questions": questions, "bank": Bank, "bank_info": BankInfo}


def adapter(kind: str) -> Any:
    """A pydantic ``TypeAdapter`` of ``kind`` ("question", "questions", "bank",
    "bank_info"), built once."""
    return _adapters(kind)


@cache
def _adapters(kind: str) -> Any:
    from pydantic import TypeAdapter

    return TypeAdapter(validation()[kind])


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a question file, generated from the models."""
    schema = schema_prose(adapter("bank").json_schema())
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
