"""Which questions give each other away. Pure functions over the models, no I/O.

One relation serves two users, so that the rule and the game never disagree:

* the validator's ``answer-leak`` warning: an answer of one question (any accepted form)
  stands in the question text or the choices of another;
* the game, which never draws two related questions: besides answer leaks, two
  questions are related when the feedback shown after one (its explanation and its
  evidence) holds the other's answer, or when both cite the same passage of the source.

Texts are compared as whole words after ``normalise_answer`` ("air" is not in "chair").
A choice that *is* another question's answer is a distractor, not a leak. Common words
never leak: forms made only of stop words, forms under 3 characters, and forms that
stand in the texts of more than ``COMMON_SHARE`` of the questions (the set's own
vocabulary, such as the hero's name), counted once there are at least ``COMMON_MIN``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from desperado_quiz.model import (
    AnyQuestion,
    ChoiceQuestion,
    MultiQuestion,
    NumberQuestion,
    OrderQuestion,
    TextQuestion,
)
from desperado_quiz.text import STOP_WORDS, format_number, normalise_answer

COMMON_SHARE = 0.15
COMMON_MIN = 5
# A question that gives away more answers than this is reported for these only: a file
# where every text names many answers would otherwise make findings by the million.
MAX_LEAKS_PER_QUESTION = 5
SHINGLE_WORDS = 4  # two quotes that share this many words in a row cite the same passage
# A passage cited by more questions than this relates none of them in particular (and
# pairing them all would grow with the square of their number).
MAX_PASSAGE_GROUP = 50
MIN_FORM_CHARS = 3


class Leak(NamedTuple):
    """Question ``owner``'s answer ``form`` stands in question ``holder``'s ``key``."""

    owner: int
    holder: int
    form: str
    key: str  # the key of the text that gives it away: "question", "choices" or "answer"


def answer_forms(question: AnyQuestion) -> tuple[str, ...]:
    """The normalised forms of the answer that would give it away, common words left out.

    Booleans have none (true or false is never a giveaway); neither do order questions,
    whose items are all shown anyway: their secret is the order.
    """
    match question:
        case TextQuestion():
            raw: Iterable[str] = question.accepted
        case ChoiceQuestion():
            raw = [question.answer]
        case MultiQuestion():
            raw = question.answer
        case NumberQuestion():
            raw = [format_number(question.answer)]
        case _:
            raw = []
    forms = (normalise_answer(text) for text in raw)
    return tuple(dict.fromkeys(form for form in forms if _telling(form)))


def _telling(form: str) -> bool:
    words = form.split()
    return len(form) >= MIN_FORM_CHARS and any(word not in STOP_WORDS for word in words)


def shown_texts(question: AnyQuestion) -> list[tuple[str, str]]:
    """(key, normalised text) of what a player reads before answering that could give
    another answer away: the question, its right choices and its items to order.

    Distractors are left out: a wrong choice that names another question's answer tells
    the player nothing about that question.
    """
    texts = [("question", normalise_answer(question.question))]
    match question:
        case ChoiceQuestion():
            texts.append(("choices", normalise_answer(question.answer)))
        case MultiQuestion():
            texts += [("choices", normalise_answer(item)) for item in question.answer]
        case OrderQuestion():
            texts += [("answer", normalise_answer(item)) for item in question.answer]
    return texts


def feedback_texts(question: AnyQuestion) -> list[str]:
    """Normalised texts a player reads after answering: the explanation and the quotes."""
    return [normalise_answer(text) for text in (question.explanation, *question.quotes)]


@dataclass(frozen=True)
class _FormIndex:
    """Answer forms by their words, so that a text is scanned once, not once per form:
    at each word of the text, one lookup per length of form (forms are short, so there
    are few lengths), however many forms share a first word."""

    by_words: dict[tuple[str, ...], str]
    lengths: tuple[int, ...]
    owners: dict[str, list[int]]
    firsts: frozenset[str]  # the first word of each form: where one can start

    @classmethod
    def build(cls, forms: Sequence[Sequence[str]]) -> _FormIndex:
        owners: dict[str, list[int]] = defaultdict(list)
        for index, question_forms in enumerate(forms):
            for form in question_forms:
                owners[form].append(index)
        by_words = {tuple(form.split()): form for form in owners}
        lengths = tuple(sorted({len(words) for words in by_words}))
        firsts = frozenset(words[0] for words in by_words if words)
        return cls(by_words, lengths, dict(owners), firsts)

    def found_in(self, text: str) -> Iterator[str]:
        """Every form that stands in ``text`` as whole words."""
        words = text.split()
        if self.firsts.isdisjoint(words):  # most texts: one pass in C
            return
        for start, first in enumerate(words):
            if first not in self.firsts:
                continue
            for length in self.lengths:
                if start + length > len(words):
                    break
                form = self.by_words.get(tuple(words[start : start + length]))
                if form is not None:
                    yield form


def answer_leaks(questions: Sequence[AnyQuestion]) -> list[Leak]:
    """Every answer leak among ``questions``, common forms left out; one per pair of
    questions (the longest form), so that "Joaquim de Almeida" is not also "Almeida"."""
    forms = [answer_forms(question) for question in questions]
    return leaks_between(forms, [shown_texts(question) for question in questions])


def leaks_between(
    forms: Sequence[Sequence[str]], shown: Sequence[Sequence[tuple[str, str]]]
) -> list[Leak]:
    """``answer_leaks`` from each question's ``answer_forms`` and ``shown_texts``, worked
    out beforehand (validation works them out in the process that read the file)."""
    index = _FormIndex.build(forms)
    limit = common_limit(len(forms))
    # form -> {holder: (key, the text it stands in)}
    holders: dict[str, dict[int, tuple[str, str]]] = defaultdict(dict)
    common: set[str] = set()
    for holder, texts in enumerate(shown):
        for key, text in texts:
            for form in index.found_in(text):
                if form not in common:
                    holders[form].setdefault(holder, (key, text))
                    if len(holders[form]) > limit:  # the set's own vocabulary
                        common.add(form)
                        del holders[form]
    best: dict[tuple[int, int], Leak] = {}
    kept: Counter[int] = Counter()  # leaks kept for each holder
    for form, found in holders.items():
        if len(index.owners[form]) > limit:  # the answer of many: common too
            continue
        for holder, (key, text) in found.items():
            for owner in index.owners[form]:
                # A choice that *is* the owner's answer ("Danny Trejo", whose "Trejo" is
                # accepted too) names a person or a thing, and tells nothing about it.
                if owner == holder or (key != "question" and owner in index.owners.get(text, ())):
                    continue
                pair = (owner, holder)
                if pair in best:
                    if len(form) > len(best[pair].form):
                        best[pair] = Leak(owner, holder, form, key)
                elif kept[holder] < MAX_LEAKS_PER_QUESTION:
                    kept[holder] += 1
                    best[pair] = Leak(owner, holder, form, key)
    return sorted(best.values())


def common_limit(total: int) -> float:
    """A form standing in more questions than this is common vocabulary, not a clue."""
    return max(COMMON_MIN, COMMON_SHARE * total)


def related_pairs(questions: Sequence[AnyQuestion]) -> set[tuple[int, int]]:
    """Pairs ``(i, j)``, ``i < j``, of questions that must not meet in one game."""
    pairs = {_pair(leak.owner, leak.holder) for leak in answer_leaks(questions)}
    pairs |= _feedback_leaks(questions)
    pairs |= _shared_passages(questions)
    return pairs


def _pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def _feedback_leaks(questions: Sequence[AnyQuestion]) -> set[tuple[int, int]]:
    forms = [answer_forms(question) for question in questions]
    index = _FormIndex.build(forms)
    holders: dict[str, set[int]] = defaultdict(set)
    for holder, question in enumerate(questions):
        for text in feedback_texts(question):
            for form in index.found_in(text):
                holders[form].add(holder)
    limit = common_limit(len(questions))
    return {
        _pair(owner, holder)
        for form, found in holders.items()
        if len(found) <= limit and len(index.owners[form]) <= limit
        for holder in found
        for owner in index.owners[form]
        if owner != holder
    }


def _shared_passages(questions: Sequence[AnyQuestion]) -> set[tuple[int, int]]:
    citing: dict[tuple[str, ...], set[int]] = defaultdict(set)
    for index, question in enumerate(questions):
        for quote in question.quotes:
            words = normalise_answer(quote).split()
            span = min(SHINGLE_WORDS, len(words))
            for start in range(len(words) - span + 1):
                citing[tuple(words[start : start + span])].add(index)
    return {
        _pair(a, b)
        for group in citing.values()
        if 1 < len(group) <= MAX_PASSAGE_GROUP  # cited by very many: the bank's common ground
        for a in group
        for b in group
        if a < b
    }


def spread_out(order: Sequence[int], pairs: set[tuple[int, int]], count: int | None) -> list[int]:
    """The first ``count`` of ``order`` (all when None) with no two related: a question
    related to one already taken is passed over."""
    related: dict[int, set[int]] = defaultdict(set)
    for a, b in pairs:
        related[a].add(b)
        related[b].add(a)
    taken: list[int] = []
    barred: set[int] = set()
    for index in order:
        if count is not None and len(taken) >= count:
            break
        if index in barred:
            continue
        taken.append(index)
        barred |= related[index]
    return taken
