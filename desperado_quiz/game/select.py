"""Which questions a game asks, in which order, with which options shown where.

Candidates are sorted by bank and id before the seed shuffles them, so the same seed
gives the same game whatever the order of files on disk. A game never holds two
related questions (see ``related``): one that would give away, or be given away by, a
question already drawn is passed over.
"""

from __future__ import annotations

import random
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field

from desperado_quiz.game.session import Asked
from desperado_quiz.loader import LoadedBank
from desperado_quiz.model import AnyQuestion, ChoiceQuestion, MultiQuestion, OrderQuestion
from desperado_quiz.related import related_pairs, spread_out
from desperado_quiz.text import plural


class NoQuestions(Exception):
    """The banks and filters leave nothing to ask; the message says why."""


@dataclass(frozen=True)
class Selection:
    asked: list[Asked]
    notes: list[str] = field(default_factory=list)  # what the player should know first


def _matches(wanted: Collection[str], values: Iterable[str]) -> bool:
    if not wanted:
        return True
    folded = {w.casefold() for w in wanted}
    return any(v.casefold() in folded for v in values)


def wanted(
    question: AnyQuestion,
    categories: Collection[str] = (),
    difficulties: Collection[str] = (),
    tags: Collection[str] = (),
) -> bool:
    """Whether the filters of `play` (any case; none given: all) keep ``question``."""
    return (
        _matches(categories, [question.category])
        and _matches(difficulties, [question.difficulty])
        and _matches(tags, question.tags)
    )


def matching(
    banks: Sequence[LoadedBank],
    categories: Collection[str] = (),
    difficulties: Collection[str] = (),
    tags: Collection[str] = (),
) -> set[tuple[str, str]]:
    """The (bank, id) of every question the filters let through."""
    return {
        (bank.id, q.id)
        for bank in banks
        for q in bank.questions
        if wanted(q, categories, difficulties, tags)
    }


def select_questions(
    banks: Sequence[LoadedBank],
    *,
    seed: int,
    count: int | None,
    categories: Collection[str] = (),
    difficulties: Collection[str] = (),
    tags: Collection[str] = (),
    only: Collection[tuple[str, str]] | None = None,
    first: Collection[tuple[str, str]] = (),
    count_given: bool = True,
) -> Selection:
    """The questions of a game: filtered, shuffled by ``seed``, related ones passed
    over, and cut to ``count`` (all when None). ``only`` limits to (bank, id) keys;
    ``first`` are drawn before the others (and so win over a question related to them).

    The notes say when fewer than ``count`` can be played; when the count is only the
    default one (not ``count_given``), they say so only if questions were kept apart."""
    everything = sorted(
        ((bank.id, q) for bank in banks for q in bank.questions),
        key=lambda pair: (pair[0], pair[1].id),
    )
    candidates = [
        position
        for position, (bank_id, q) in enumerate(everything)
        if wanted(q, categories, difficulties, tags) and (only is None or (bank_id, q.id) in only)
    ]
    if not candidates:
        raise NoQuestions("no question matches these banks and filters")
    random.Random(seed).shuffle(candidates)
    if first:
        candidates.sort(key=lambda p: (everything[p][0], everything[p][1].id) not in first)
    # Related over every loaded question, so that filters never change what is common.
    pairs = related_pairs([q for _, q in everything])
    chosen = [everything[p] for p in spread_out(candidates, pairs, count)]
    notes = []
    kept_apart = len(candidates) - len(chosen)
    if count is not None and len(chosen) < count and count_given:
        notes.append(
            f"Only {len(chosen)} of the {count} questions asked for can be played: "
            + (
                f"{len(candidates)} match, and {kept_apart} would give another away."
                if kept_apart
                else "no more match these banks and filters."
            )
        )
    elif count is not None and len(chosen) < count and kept_apart:
        notes.append(
            f"{len(chosen)} of the {len(candidates)} questions that match are played: "
            f"{plural(kept_apart, 'question')} would give another away."
        )
    ungrounded = _ungrounded(banks)
    return Selection(
        [
            Asked(bank_id, _shown(q, bank_id, ungrounded), shuffled_options(q, seed))
            for bank_id, q in chosen
        ],
        notes,
    )


def _ungrounded(banks: Sequence[LoadedBank]) -> set[str]:
    return {bank.id for bank in banks if not bank.bank.bank.source}


def _shown(question: AnyQuestion, bank_id: str, ungrounded: set[str]) -> AnyQuestion:
    """The question as a game shows it: a bank with no source has nothing to quote, so
    its feedback gives the explanation alone, never an unchecked "quote"."""
    if bank_id in ungrounded and question.evidence:
        return question.model_copy(update={"evidence": []})
    return question


def pick_questions(banks: Sequence[LoadedBank], references: Sequence[str], seed: int) -> Selection:
    """The questions named ``BANK:ID`` (or just ``ID`` when it is unique), in the order
    given: what replays a game of chosen questions exactly."""
    by_key = {(bank.id, q.id): q for bank in banks for q in bank.questions}
    by_id: dict[str, list[tuple[str, str]]] = {}
    for key in by_key:
        by_id.setdefault(key[1], []).append(key)
    asked = []
    for reference in references:
        bank_id, _, question_id = reference.rpartition(":")
        keys = [(bank_id, question_id)] if bank_id else by_id.get(question_id, [])
        if len(keys) != 1 or keys[0] not in by_key:
            raise NoQuestions(
                f"no question {reference!r} in these banks"
                if len(keys) < 2
                else f"{reference!r} is in several banks; write it as BANK:ID"
            )
        question = _shown(by_key[keys[0]], keys[0][0], _ungrounded(banks))
        asked.append(Asked(keys[0][0], question, shuffled_options(question, seed)))
    return Selection(asked, _related_notes(list(by_key), list(by_key.values()), asked))


def _related_notes(
    keys: list[tuple[str, str]], questions: list[AnyQuestion], asked: Sequence[Asked]
) -> list[str]:
    """A line for each pair of the questions named that give each other away: they are
    played as asked, and the player is told so."""
    # Related over every loaded question, as a drawn game reckons it.
    place = {key: n for n, key in enumerate(keys)}
    named = {place[(a.bank_id, a.question.id)]: a.question.id for a in asked}
    pairs = sorted(
        (named[a], named[b]) for a, b in related_pairs(questions) if a in named and b in named
    )
    return [
        f"{first!r} and {second!r} give each other away; both are played, as asked."
        for first, second in pairs
    ]


def shuffled_options(question: AnyQuestion, seed: int) -> tuple[str, ...]:
    """Choices (or items to order) in the order this seed shows them.

    Seeded by the question's id too, so a question looks the same in every game with
    this seed, whichever other questions were picked. Items to order are never shown in
    their right order: a shuffle that comes out right is shuffled again, so every other
    order is equally likely.
    """
    match question:
        case ChoiceQuestion() | MultiQuestion():
            items = list(question.choices)
        case OrderQuestion():
            items = list(question.answer)
        case _:
            return ()
    rng = random.Random(f"{seed}:{question.id}")
    rng.shuffle(items)
    while isinstance(question, OrderQuestion) and items == question.answer:
        rng.shuffle(items)
    return tuple(items)


def review_keys(
    missed: Collection[tuple[str, str]], banks: Sequence[LoadedBank]
) -> set[tuple[str, str]]:
    """The missed questions that still exist in these banks."""
    existing = {(bank.id, q.id) for bank in banks for q in bank.questions}
    return set(missed) & existing
