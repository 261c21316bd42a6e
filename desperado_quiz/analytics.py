"""Which questions work: item analysis of the answers in the history. Pure functions.

For every question with at least ``MIN_ANSWERS`` first-try answers:

* **difficulty**: the share answered right, ``p``;
* **discrimination**: the point-biserial correlation between being right on this
  question and the player's score on the rest of that game (the share of the game's
  other questions answered right). It uses every answer, where the upper-lower 27%
  index throws away the middle 46%: with the few dozen games a class or a quiz night
  gives, every answer counts. Formula: ``r = (M1 - M0) / s * sqrt(p * q)``, where M1
  and M0 are the mean rest scores of those right and those wrong, and s is the
  standard deviation of all the rest scores;
* for choice questions, how often each wrong choice was picked.

The same figures flag questions for their author (``FLAGS``).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from statistics import fmean, pstdev

from typing_extensions import TypedDict

from desperado_quiz.findings import Finding, Severity
from desperado_quiz.history import AnswerRow
from desperado_quiz.loader import LoadedBank
from desperado_quiz.model import AnyQuestion, ChoiceQuestion, MultiQuestion

Key = tuple[str, str]
MIN_ANSWERS = 10  # fewer answers say more about who played than about the question
TOO_EASY = 0.5  # a hard question answered right by more than half: by most players
TOO_HARD = 0.5  # an easy question answered right by fewer than half: missed by most
UPPER_SHARE = 0.27  # "the best players": the top 27% by their score on the rest (Kelley)

FLAGS = {
    "answered-by-most": "labelled hard, but answered right by most players",
    "missed-by-most": "labelled easy, but missed by most players",
    "distractor-beats-answer": "the best players picked a wrong choice more than the right one",
    "unpicked-distractor": "a wrong choice nobody picks",
    "negative-discrimination": "players who did well elsewhere in the game did worse on this one",
}


class QuestionStatsJSON(TypedDict):
    bank: str
    id: str
    question: str
    difficulty: str
    answers: int
    right_share: float
    discrimination: float | None
    distractors: dict[str, int]  # wrong choice -> times picked (choice questions)
    flags: list[str]


QuestionStatsList = list[QuestionStatsJSON]


@dataclass
class _Answers:
    correct: list[bool] = field(default_factory=list)
    rest: list[float] = field(default_factory=list)
    picks: list[list[str]] = field(default_factory=list)


def rest_scores(answers: Sequence[AnswerRow]) -> list[float]:
    """For each answer, the share right of the other first-try answers of its game."""
    right: dict[int, int] = defaultdict(int)
    count: dict[int, int] = defaultdict(int)
    for answer in answers:
        right[answer["game_id"]] += answer["correct"]
        count[answer["game_id"]] += 1
    scores = []
    for answer in answers:
        others = count[answer["game_id"]] - 1
        rest = right[answer["game_id"]] - answer["correct"]
        scores.append(rest / others if others else math.nan)
    return scores


def point_biserial(correct: Sequence[bool], rest: Sequence[float]) -> float | None:
    """r between being right (0/1) and the rest score; None when it is undefined (all
    right, all wrong, or every rest score the same)."""
    p = fmean(correct)
    spread = pstdev(rest)
    if p in (0.0, 1.0) or spread == 0:
        return None
    high = fmean(r for r, c in zip(rest, correct, strict=True) if c)
    low = fmean(r for r, c in zip(rest, correct, strict=True) if not c)
    return (high - low) / spread * math.sqrt(p * (1 - p))


def question_stats(
    answers: Iterable[AnswerRow], questions: dict[Key, AnyQuestion]
) -> list[QuestionStatsJSON]:
    """The figures and flags of every question with enough first-try answers, from
    games of more than one question (a lone answer has no rest to compare with)."""
    first = [a for a in answers if a["attempt"] == 1]
    by_question: dict[Key, _Answers] = defaultdict(_Answers)
    for answer, rest in zip(first, rest_scores(first), strict=True):
        key = (answer["bank_id"], answer["question_id"])
        if key not in questions or math.isnan(rest):
            continue
        entry = by_question[key]
        entry.correct.append(answer["correct"])
        entry.rest.append(rest)
        entry.picks.append(_picks(questions[key], answer["given"]))
    return [
        _figures(key, questions[key], entry)
        for key, entry in sorted(by_question.items())
        if len(entry.correct) >= MIN_ANSWERS
    ]


def _picks(question: AnyQuestion, given: str) -> list[str]:
    if isinstance(question, ChoiceQuestion):
        return [given] if given else []
    if isinstance(question, MultiQuestion):
        return [choice for choice in question.choices if choice in given.split(", ")]
    return []


def _figures(key: Key, question: AnyQuestion, entry: _Answers) -> QuestionStatsJSON:
    share = fmean(entry.correct)
    r = point_biserial(entry.correct, entry.rest)
    distractors: dict[str, int] = {}
    if isinstance(question, ChoiceQuestion | MultiQuestion):
        right = _right_choices(question)
        distractors = {
            choice: sum(choice in picks for picks in entry.picks)
            for choice in question.choices
            if choice not in right
        }
    return {
        "bank": key[0],
        "id": key[1],
        "question": question.question,
        "difficulty": question.difficulty,
        "answers": len(entry.correct),
        "right_share": round(share, 4),
        "discrimination": None if r is None else round(r, 4),
        "distractors": distractors,
        "flags": _flags(question, share, r, entry, distractors),
    }


def _right_choices(question: AnyQuestion) -> list[str]:
    if isinstance(question, ChoiceQuestion):
        return [question.answer]
    if isinstance(question, MultiQuestion):
        return list(question.answer)
    return []


def _flags(
    question: AnyQuestion,
    share: float,
    r: float | None,
    entry: _Answers,
    distractors: dict[str, int],
) -> list[str]:
    flags = []
    if question.difficulty == "hard" and share > TOO_EASY:
        flags.append("answered-by-most")
    if question.difficulty == "easy" and share < TOO_HARD:
        flags.append("missed-by-most")
    if distractors and _best_prefer_a_distractor(question, entry):
        flags.append("distractor-beats-answer")
    if any(count == 0 for count in distractors.values()):
        flags.append("unpicked-distractor")
    if r is not None and r < 0:
        flags.append("negative-discrimination")
    return flags


def _best_prefer_a_distractor(question: AnyQuestion, entry: _Answers) -> bool:
    """Whether the best players (the top 27% by rest score, with everyone tied with the
    last of them, so that the order of games never matters) picked some wrong choice
    more often than the right one."""
    cut = max(1, round(len(entry.rest) * UPPER_SHARE))
    threshold = sorted(entry.rest, reverse=True)[cut - 1]
    counts: dict[str, int] = defaultdict(int)
    for picks, rest in zip(entry.picks, entry.rest, strict=True):
        if rest >= threshold:
            for pick in picks:
                counts[pick] += 1
    right = _right_choices(question)
    most_right = max(counts.get(choice, 0) for choice in right)
    return any(count > most_right for choice, count in counts.items() if choice not in right)


def flag_findings(
    banks: Sequence[LoadedBank], figures: Sequence[QuestionStatsJSON]
) -> list[Finding]:
    """The flags as warnings at each question's line, for `validate --history`."""
    where = {
        (bank.id, q.id): (bank, index) for bank in banks for index, q in enumerate(bank.questions)
    }
    findings = []
    for item in figures:
        found = where.get((item["bank"], item["id"]))
        if found is None:
            continue
        bank, index = found
        for flag in item["flags"]:
            findings.append(
                Finding(
                    flag,
                    Severity.WARNING,
                    bank.path,
                    bank.line_of(index),
                    f"{FLAGS[flag]} ({_evidence(item)})",
                    _HINTS[flag],
                    item["id"],
                )
            )
    return findings


def _evidence(item: QuestionStatsJSON) -> str:
    r = item["discrimination"]
    shown = "n/a" if r is None else f"{r:+.2f}"
    return f"{item['answers']} answers, {item['right_share']:.0%} right, discrimination {shown}"


_HINTS = {
    "answered-by-most": "label it medium or easy, or ask about a finer detail",
    "missed-by-most": "label it medium or hard, or make it clearer",
    "distractor-beats-answer": "the question may be ambiguous: reread it and that choice",
    "unpicked-distractor": "replace that choice with a plausible one",
    "negative-discrimination": "the question may mislead those who know the film: reread it",
}
