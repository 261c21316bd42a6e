"""The one model of a question bank.

The loader, the game, the validator, the JSON Schema and the exporters all use these
classes. Rules about a single question (the answer is one of the choices, choices are
distinct, ...) live here as validators whose error type is the validator's finding code,
so that no rule exists twice.
"""

from __future__ import annotations

import difflib
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from desperado_quiz.text import find_control_characters, format_number, schema_prose
from desperado_quiz.vocabulary import DIFFICULTIES, QUESTION_TYPES, Difficulty

__all__ = ["DIFFICULTIES", "QUESTION_TYPES", "Difficulty"]  # re-exported for the loader

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
MIN_CHOICES, MAX_CHOICES = 2, 8
MIN_ORDER_ITEMS = 3
MAX_ITEMS = 50  # entries of tags, accept, evidence or an answer list: a bound on the work


def _not_blank(value: str) -> str:
    if not value.strip():
        raise PydanticCustomError("blank-text", "must not be empty or only spaces")
    return value


def _printable(value: str) -> str:
    """Text reaches a terminal: a control character could move the cursor or worse."""
    if offsets := find_control_characters(value):
        raise PydanticCustomError(
            "control-characters",
            "contains a control character or terminal escape ({char}) at offset {offset}",
            {"char": repr(value[offsets[0]]), "offset": offsets[0]},
        )
    return value


SafeStr = Annotated[str, AfterValidator(_printable)]
NonEmptyStr = Annotated[SafeStr, AfterValidator(_not_blank)]
Slug = Annotated[str, Field(pattern=SLUG_PATTERN, description="lowercase words joined by '-'")]


def choice_key(text: str) -> str:
    """Choices that differ only in case or spacing count as the same choice."""
    return " ".join(text.split()).casefold()


def _rule(code: str, message: str, key: str, hint: str = "") -> PydanticCustomError:
    """A rule violation; ``key`` names the TOML key whose line the message points at."""
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
# One quote or several: stored as a list, written either way (a union would make
# pydantic report one error per alternative).
Quotes = Annotated[
    list[NonEmptyStr],
    BeforeValidator(_as_list),
    Field(min_length=1, max_length=MAX_ITEMS),
    WithJsonSchema(
        {"anyOf": [_QUOTE_SCHEMA, {"type": "array", "items": _QUOTE_SCHEMA, "minItems": 1}]}
    ),
]


class _Strict(BaseModel):
    # strict: TOML already has real types, so "true" must not become True silently.
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, defer_build=True)


class BankInfo(_Strict):
    """The ``[bank]`` table."""

    id: Slug
    title: NonEmptyStr
    description: SafeStr = ""
    # Optional: a bank without one (an imported quiz, say) plays, but is not grounded,
    # which `validate` warns about. A bank that names one must quote it in every question.
    source: NonEmptyStr = Field(
        default="",
        description="the document that evidence quotes come from, relative to this file; "
        "when given, every question must quote it in `evidence`",
    )


class _QuestionBase(_Strict):
    id: Slug = Field(description="unique across all banks")
    question: NonEmptyStr
    category: NonEmptyStr
    difficulty: Difficulty
    evidence: Quotes = Field(
        default=[],
        description="verbatim quote(s) from the source that support the answer; required "
        "when the bank names a source",
    )
    explanation: SafeStr = ""
    hint: SafeStr = ""
    tags: Annotated[list[NonEmptyStr], Field(max_length=MAX_ITEMS)] = []
    related: Annotated[list[Slug], Field(max_length=MAX_ITEMS)] = Field(
        default=[],
        description="ids of questions that give this one away, or that it gives away, in "
        "ways its words cannot show: no game holds both",
    )

    @model_validator(mode="after")
    def _quoted_when_grounded(self, info: ValidationInfo) -> _QuestionBase:
        # The loader says whether the bank names a source: then evidence is required.
        if (
            info.context
            and info.context.get("grounded")
            and "evidence" not in self.model_fields_set
        ):
            raise _rule(
                "missing-key",
                "missing key `evidence`",
                "evidence",
                "quote the bank's source: add `evidence = ...` to this table",
            )
        return self

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


class _WithChoices(_QuestionBase):
    choices: Annotated[list[NonEmptyStr], Field(min_length=MIN_CHOICES, max_length=MAX_CHOICES)]

    @model_validator(mode="after")
    def _choices_distinct(self) -> _WithChoices:
        _check_distinct(self.choices, "choices")
        return self


class ChoiceQuestion(_WithChoices):
    """One right answer among the choices."""

    type: Literal["choice"]
    answer: NonEmptyStr

    @model_validator(mode="after")
    def _answer_is_a_choice(self) -> ChoiceQuestion:
        if self.answer not in self.choices:
            raise _rule(
                "answer-not-in-choices",
                f"answer {self.answer!r} is not one of the choices",
                "answer",
                _closest(self.answer, self.choices),
            )
        return self

    @property
    def answer_text(self) -> str:
        return self.answer


class MultiQuestion(_WithChoices):
    """Several right answers among the choices."""

    type: Literal["multi"]
    answer: Annotated[list[NonEmptyStr], Field(min_length=1, max_length=MAX_ITEMS)]

    @model_validator(mode="after")
    def _answers_are_choices(self) -> MultiQuestion:
        _check_distinct(self.answer, "answer")
        for item in self.answer:
            if item not in self.choices:
                raise _rule(
                    "answer-not-in-choices",
                    f"answer {item!r} is not one of the choices",
                    "answer",
                    _closest(item, self.choices),
                )
        return self

    @property
    def answer_text(self) -> str:
        return ", ".join(self.answer)


class BooleanQuestion(_QuestionBase):
    """True or false."""

    type: Literal["boolean"]
    answer: bool

    @property
    def answer_text(self) -> str:
        return "True" if self.answer else "False"


class TextQuestion(_QuestionBase):
    """A typed answer, matched forgivingly against the answer and its accepted forms."""

    type: Literal["text"]
    answer: NonEmptyStr
    accept: Annotated[list[NonEmptyStr], Field(max_length=MAX_ITEMS)] = Field(
        default=[], description="other accepted answers: a surname, another spelling"
    )

    @model_validator(mode="after")
    def _accept_distinct(self) -> TextQuestion:
        _check_distinct([self.answer, *self.accept], "accept")
        return self

    @property
    def accepted(self) -> tuple[str, ...]:
        return (self.answer, *self.accept)

    @property
    def answer_text(self) -> str:
        return self.answer


FiniteNumber = Annotated[float, Field(allow_inf_nan=False)]


class NumberQuestion(_QuestionBase):
    """A number, right within ``tolerance`` of the answer, or one of ``accept`` exactly."""

    type: Literal["number"]
    answer: FiniteNumber
    tolerance: Annotated[float, Field(ge=0, allow_inf_nan=False)] = Field(
        default=0.0, description="accepted absolute distance from the answer"
    )
    accept: Annotated[list[FiniteNumber], Field(max_length=MAX_ITEMS)] = Field(
        default=[],
        description="other numbers that count as right, each exactly: for fair answers "
        "uneven around the answer (1992 or 1993, never 1991)",
    )
    unit: SafeStr = ""

    def is_right(self, value: float) -> bool:
        """Whether ``value`` scores: the one rule of "right" for a number."""
        return abs(value - self.answer) <= self.tolerance + 1e-9 or value in self.accept

    @property
    def right_values(self) -> tuple[float, ...]:
        """The answer, then every accepted number: what a player may be told is right."""
        return (self.answer, *self.accept)

    @model_validator(mode="after")
    def _tolerance_below_answer(self) -> NumberQuestion:
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
        return self

    @property
    def answer_text(self) -> str:
        text = format_number(self.answer)
        if self.accept:
            text += f" (or {', '.join(map(format_number, self.accept))})"
        return f"{text} {self.unit}" if self.unit else text


class OrderQuestion(_QuestionBase):
    """Put the items in order; ``answer`` lists them in the right order."""

    type: Literal["order"]
    answer: Annotated[list[NonEmptyStr], Field(min_length=MIN_ORDER_ITEMS, max_length=MAX_ITEMS)]

    @model_validator(mode="after")
    def _items_distinct(self) -> OrderQuestion:
        _check_distinct(self.answer, "answer")
        return self

    @property
    def answer_text(self) -> str:
        return " → ".join(self.answer)


AnyQuestion = (
    ChoiceQuestion | MultiQuestion | BooleanQuestion | TextQuestion | NumberQuestion | OrderQuestion
)
Question = Annotated[AnyQuestion, Field(discriminator="type")]


class Bank(_Strict):
    """A whole question file: the ``[bank]`` table and its ``[[questions]]``."""

    model_config = ConfigDict(title="desperado-quiz question bank")

    bank: BankInfo
    questions: Annotated[list[Question], Field(min_length=1)]

    @model_validator(mode="after")
    def _grounded_banks_quote(self) -> Bank:
        if self.bank.source:
            for question in self.questions:
                if not question.evidence:
                    raise _rule(
                        "missing-key",
                        f"question {question.id!r}: missing key `evidence`",
                        "evidence",
                        "a bank that names a source quotes it in every question",
                    )
        return self


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a question file, generated from the models."""
    schema = schema_prose(Bank.model_json_schema())
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
