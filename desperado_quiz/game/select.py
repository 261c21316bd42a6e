"""Which questions a game asks, in which order, with which options shown where.

Candidates are sorted by bank and id before the seed shuffles them, so the same seed
gives the same game whatever the order of files on disk. A game never holds two
related questions (see ``related``): one that would give away, or be given away by, a
question already drawn is passed over.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Collection, Iterable, Sequence
from dataclasses import field

from desperado_quiz.catalog import Catalog, facet_wanted, shuffled
from desperado_quiz.game.session import Asked
from desperado_quiz.loader import Facet, LoadedBank
from desperado_quiz.model import AnyQuestion, ChoiceQuestion, MultiQuestion, OrderQuestion
from desperado_quiz.related import Relation, spread_out
from desperado_quiz.text import plural
from desperado_quiz.values import frozen


class NoQuestions(Exception):
    """The banks and filters leave nothing to ask; the message says why."""


@frozen
class Selection:
    asked: list[Asked]
    notes: list[str] = field(default_factory=list)  # what the player should know first


def wanted(
    question: AnyQuestion,
    categories: Collection[str] = (),
    difficulties: Collection[str] = (),
    tags: Collection[str] = (),
) -> bool:
    """Whether the filters of `play` (any case; none given: all) keep ``question``."""
    folded = [{value.casefold() for value in given} for given in (categories, difficulties, tags)]
    facet = Facet(question.category, question.difficulty, tuple(question.tags))
    return facet_wanted(facet, *folded)


def matching(
    banks: Sequence[LoadedBank],
    categories: Collection[str] = (),
    difficulties: Collection[str] = (),
    tags: Collection[str] = (),
) -> set[tuple[str, str]]:
    """The (bank, id) of every question the filters let through."""
    catalog = Catalog(banks)
    return {catalog.keys[place] for place in catalog.places(categories, difficulties, tags)}


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
    relation: Relation | None = None,
) -> Selection:
    """The questions of a game: filtered, shuffled by ``seed``, related ones passed
    over, and cut to ``count`` (all when None). ``only`` limits to (bank, id) keys;
    ``first`` are drawn before the others (and so win over a question related to them).
    ``relation`` is the banks' (``LoadResult.relation``), worked out when not given.

    The notes say when fewer than ``count`` can be played; when the count is only the
    default one (not ``count_given``), they say so only if questions were kept apart."""
    catalog = Catalog(banks)
    candidates = catalog.places(categories, difficulties, tags, only)
    if not candidates:
        raise NoQuestions("no question matches these banks and filters")
    order: Iterable[int] = shuffled(candidates, seed)
    if first:
        wanted_first = {place for key in first if (place := catalog.place_of(key)) is not None}
        order = sorted(order, key=lambda place: place not in wanted_first)
    # Related over every loaded question, so that filters never change what is common.
    relation = relation if relation is not None else catalog.relation()
    chosen = [catalog.question(place) for place in spread_out(order, relation, count)]
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
    return {bank.id for bank in banks if not bank.info.source}


def _shown(question: AnyQuestion, bank_id: str, ungrounded: set[str]) -> AnyQuestion:
    """The question as a game shows it: a bank with no source has nothing to quote, so
    its feedback gives the explanation alone, never an unchecked "quote"."""
    if bank_id in ungrounded and question.evidence:
        return dataclasses.replace(question, evidence=[])
    return question


def pick_questions(
    banks: Sequence[LoadedBank],
    references: Sequence[str],
    seed: int,
    relation: Relation | None = None,
) -> Selection:
    """The questions named ``BANK:ID`` (or just ``ID`` when it is unique), in the order
    given: what replays a game of chosen questions exactly."""
    catalog = Catalog(banks)
    by_id: dict[str, list[tuple[str, str]]] = {}
    for key in catalog.keys:
        by_id.setdefault(key[1], []).append(key)
    places = []
    for reference in references:
        bank_id, _, question_id = reference.rpartition(":")
        keys = [(bank_id, question_id)] if bank_id else by_id.get(question_id, [])
        place = catalog.place_of(keys[0]) if len(keys) == 1 else None
        if place is None:
            raise NoQuestions(
                f"no question {reference!r} in these banks"
                if len(keys) < 2
                else f"{reference!r} is in several banks; write it as BANK:ID"
            )
        places.append(place)
    ungrounded = _ungrounded(banks)
    asked = []
    for place in places:
        bank_id, question = catalog.question(place)
        question = _shown(question, bank_id, ungrounded)
        asked.append(Asked(bank_id, question, shuffled_options(question, seed)))
    relation = relation if relation is not None else catalog.relation()
    return Selection(asked, _related_notes(places, asked, relation))


def _related_notes(places: list[int], asked: Sequence[Asked], relation: Relation) -> list[str]:
    """A line for each pair of the questions named that give each other away: they are
    played as asked, and the player is told so."""
    # Related over every loaded question, as a drawn game reckons it.
    named = {place: a.question.id for place, a in zip(places, asked, strict=True)}
    pairs = sorted(
        {
            (named[min(a, b)], named[max(a, b)])
            for a in named
            for b in relation.neighbours(a)
            if b in named
        }
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
    existing = {(bank.id, question_id) for bank in banks for question_id in bank.ids()}
    return set(missed) & existing
