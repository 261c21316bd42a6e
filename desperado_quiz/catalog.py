"""Every question of some banks in one order, reached by place. No terminal I/O.

A game is drawn by place in this order: banks sorted by id, and each bank's questions
sorted by id, so that the same seed draws the same game whatever the order of files on
disk. The catalog reads only what a draw needs: a bank from the cache gives its size
and id order without building a question, and a game of one question from 100,000
builds a few (see ``bank_cache.CachedBank``).
"""

from __future__ import annotations

import random
from bisect import bisect_right
from collections.abc import Collection, Iterator, Sequence
from functools import cached_property
from itertools import accumulate
from typing import TYPE_CHECKING

from desperado_quiz.related import Relation

if TYPE_CHECKING:
    from desperado_quiz.loader import Facet, LoadedBank
    from desperado_quiz.model import AnyQuestion

Key = tuple[str, str]  # (bank id, question id)


class Catalog:
    def __init__(self, banks: Sequence[LoadedBank]) -> None:
        self.banks = sorted(banks, key=lambda bank: bank.id)
        self.starts = [0, *accumulate(bank.size for bank in self.banks)]

    @property
    def size(self) -> int:
        return self.starts[-1]

    def _locate(self, place: int) -> tuple[LoadedBank, int]:
        if not 0 <= place < self.size:
            raise IndexError(place)
        which = bisect_right(self.starts, place) - 1
        bank = self.banks[which]
        return bank, bank.id_order()[place - self.starts[which]]

    def question(self, place: int) -> tuple[str, AnyQuestion]:
        """The bank id and the question at ``place``."""
        bank, position = self._locate(place)
        return bank.id, bank.question_at(position)

    def questions(self) -> list[AnyQuestion]:
        """Every question, in catalog order: what the relation is worked out over."""
        every: list[AnyQuestion] = []
        for bank in self.banks:
            questions = bank.questions
            every += [questions[position] for position in bank.id_order()]
        return every

    def relation(self) -> Relation:
        return Relation.of_questions(self.questions())

    @cached_property
    def keys(self) -> list[Key]:
        """(bank id, question id) of every question, in catalog order."""
        keys: list[Key] = []
        for bank in self.banks:
            ids = bank.ids()
            keys += [(bank.id, ids[position]) for position in bank.id_order()]
        return keys

    @cached_property
    def _places(self) -> dict[Key, int]:
        return {key: place for place, key in enumerate(self.keys)}

    def place_of(self, key: Key) -> int | None:
        return self._places.get(key)

    def places(
        self,
        categories: Collection[str] = (),
        difficulties: Collection[str] = (),
        tags: Collection[str] = (),
        only: Collection[Key] | None = None,
    ) -> Sequence[int]:
        """The places the filters keep (any case; none given: all), within ``only``."""
        if not (categories or difficulties or tags) and only is None:
            return range(self.size)
        folded = [
            {value.casefold() for value in wanted} for wanted in (categories, difficulties, tags)
        ]
        kept: list[int] = []
        for which, bank in enumerate(self.banks):
            table, index = bank.facets()
            keep = [facet_wanted(facet, *folded) for facet in table]
            start = self.starts[which]
            kept += [
                start + offset
                for offset, position in enumerate(bank.id_order())
                if keep[index[position]]
            ]
        if only is not None:
            places = {place for key in only if (place := self.place_of(key)) is not None}
            kept = [place for place in kept if place in places]
        return kept


def facet_wanted(
    facet: Facet, categories: set[str], difficulties: set[str], tags: set[str]
) -> bool:
    """Whether the filters (casefolded; an empty one keeps all) keep a question."""
    return (
        (not categories or facet.category.casefold() in categories)
        and (not difficulties or facet.difficulty.casefold() in difficulties)
        and (not tags or any(tag.casefold() in tags for tag in facet.tags))
    )


def shuffled(items: Sequence[int], seed: int) -> Iterator[int]:
    """``items`` in an order drawn from ``seed``, one at a time: a Fisher-Yates shuffle
    that moves only what it has drawn, so that the first few of 100,000 cost a few
    steps. The same seed and items give the same order, every time."""
    rng = random.Random(seed)
    moved: dict[int, int] = {}  # slot -> the item now there, where a draw changed it
    total = len(items)
    for slot in range(total):
        chosen = rng.randrange(slot, total)
        item = moved.get(chosen, chosen)
        moved[chosen] = moved.pop(slot, slot)
        yield items[item]
