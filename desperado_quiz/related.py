"""Which questions give each other away. Pure functions over the models, no I/O.

One relation serves two users, so that the rule and the game never disagree:

* the validator's ``answer-leak`` warning, reported once for each pair of questions
  that the author has not declared related (``related = ["other-id"]``);
* the game, which never draws two related questions: besides those giveaways and the
  pairs an author declared, two questions are related when both cite the same passage
  of the source.

**A giveaway is anything a player reads.** Question ``B`` gives ``A`` away when one of
``A``'s answer forms stands in what a player reads of ``B``: its question, every one of
its choices (a wrong choice that is another question's answer tells the player that
this answer belongs to the film), its items to order, its hint, and its feedback (the
explanation and the evidence quoted after the answer). The forms of an answer are its
whole accepted texts and, for a short answer of several words, its *key words*: each
word of at least ``KEY_WORD_CHARS`` letters that is not a stop word ("bookstore" of
"Bookstore owner", "banderas" of "Antonio Banderas"), because a player who reads
"Carolina's bookstore" needs no more to answer what Carolina does.

Texts are compared as whole words after ``normalise_answer`` ("air" is not in "chair").
Common words never give anything away: forms made only of stop words, forms under 3
characters, and forms that stand in what a player reads of more than ``COMMON_SHARE``
of the questions (the set's own vocabulary, such as the hero's name), counted once there
are at least ``COMMON_MIN``.
"""

from __future__ import annotations

from array import array
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Iterator, Sequence
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
from desperado_quiz.values import frozen

COMMON_SHARE = 0.15
COMMON_MIN = 5
# A question that gives away more answers than this is reported for these only: a file
# where every text names many answers would otherwise make findings by the million.
MAX_LEAKS_PER_QUESTION = 5
# The game keeps more of them apart, with the same bound on the work.
MAX_GAME_LEAKS_PER_QUESTION = 50
SHINGLE_WORDS = 4  # two quotes that share this many words in a row cite the same passage
# A passage cited by more questions than this relates none of them in particular (and
# pairing them all would grow with the square of their number).
MAX_PASSAGE_GROUP = 50
MIN_FORM_CHARS = 3
KEY_WORD_CHARS = 5  # a word of an answer this long names it on its own...
KEY_WORD_ANSWER_WORDS = 3  # ...in an answer of at most this many words (stop words aside)
# ...unless it is one of the everyday words that any text may hold.
# fmt: off
EVERYDAY_WORDS = frozenset({
    "about", "above", "after", "again", "against", "almost", "along", "already", "always",
    "among", "another", "around", "because", "before", "being", "below", "between",
    "could", "during", "early", "either", "enough", "every", "first", "found", "given",
    "great", "having", "large", "later", "least", "little", "never", "often", "other",
    "others", "people", "picture", "pictures", "place", "point", "quite", "rather", "right",
    "scene", "scenes", "association", "award", "awards", "film", "films", "movie", "movies",
    "second", "since", "small", "still", "story", "there", "these", "thing", "things",
    "think", "those", "three", "thirds", "through", "times", "under", "until", "where",
    "while", "whole", "world", "would", "wrong", "years", "young",
})
# fmt: on

# What a player reads of a question, by key; the first four before answering.
BEFORE_ANSWERING = ("question", "choices", "answer", "hint")
AFTER_ANSWERING = ("explanation", "evidence")


class Leak(NamedTuple):
    """Question ``owner``'s answer ``form`` stands in question ``holder``'s ``key``."""

    owner: int
    holder: int
    form: str
    key: str  # one of BEFORE_ANSWERING or AFTER_ANSWERING


def answer_forms(question: AnyQuestion) -> tuple[str, ...]:
    """The normalised forms of the answer that would give it away, whole forms first,
    then key words; common words left out.

    Booleans have none (true or false is never a giveaway); neither do order questions,
    whose items are all shown anyway: their secret is the order.
    """
    texts = [(text, normalise_answer(text)) for text in _answer_texts(question)]
    whole = [form for _, form in texts if _telling(form)]
    keys = [key for text, form in texts if _telling(form) for key in key_words(text, form)]
    return tuple(dict.fromkeys([*whole, *keys]))


def key_words(text: str, form: str) -> list[str]:
    """The words of a short answer of several words that name it on their own: those of
    ``KEY_WORD_CHARS`` letters or more that are neither stop words nor everyday words
    ("bookstore" of "Bookstore owner"). A longer answer is a phrase ("It won on appeal
    to the board") whose words are common ones; in a name, every word capitalised
    ("Carlos Santana"), the first word is a given name that many others share."""
    words = [word for word in form.split() if word not in STOP_WORDS]
    if not 1 < len(words) <= KEY_WORD_ANSWER_WORDS:
        return []
    if all(word[:1].isupper() for word in text.split() if word.casefold() not in STOP_WORDS):
        words = words[1:]
    return [word for word in words if len(word) >= KEY_WORD_CHARS and word not in EVERYDAY_WORDS]


def _answer_texts(question: AnyQuestion) -> Iterable[str]:
    match question:
        case TextQuestion():
            return question.accepted
        case ChoiceQuestion():
            return [question.answer]
        case MultiQuestion():
            return question.answer
        case NumberQuestion():
            return [format_number(value) for value in question.right_values]
        case _:
            return []


def _telling(form: str) -> bool:
    words = form.split()
    return len(form) >= MIN_FORM_CHARS and any(word not in STOP_WORDS for word in words)


def read_texts(question: AnyQuestion) -> list[tuple[str, str]]:
    """(key, normalised text) of everything a player reads of ``question``: before
    answering its question, every choice, its items to order and its hint; after, its
    explanation and the evidence quoted."""
    texts = [("question", normalise_answer(question.question))]
    match question:
        case ChoiceQuestion() | MultiQuestion():
            texts += [("choices", normalise_answer(choice)) for choice in question.choices]
        case OrderQuestion():
            texts += [("answer", normalise_answer(item)) for item in question.answer]
    texts += [("hint", normalise_answer(question.hint))]
    texts += [("explanation", normalise_answer(question.explanation))]
    texts += [("evidence", normalise_answer(quote)) for quote in question.quotes]
    return [(key, text) for key, text in texts if text]


@frozen
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
        # A plural names the same thing: "guitars" gives "guitar" away too.
        for form in owners:
            words = form.split()
            plural = (*words[:-1], words[-1] + "s")
            if len(words[-1]) >= MIN_FORM_CHARS and not words[-1].endswith("s"):
                by_words.setdefault(plural, form)
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
    """Every giveaway among ``questions`` that no question declares, common forms left
    out; one per (owner, holder), so that "Joaquim de Almeida" is not also "Almeida"."""
    return leaks_between(
        [answer_forms(question) for question in questions],
        [read_texts(question) for question in questions],
        declared_pairs([question.id for question in questions], [q.related for q in questions]),
    )


def leaks_between(
    forms: Sequence[Sequence[str]],
    texts: Sequence[Sequence[tuple[str, str]]],
    declared: Collection[tuple[int, int]] = frozenset(),
    per_holder: int = MAX_LEAKS_PER_QUESTION,
) -> list[Leak]:
    """``answer_leaks`` from each question's ``answer_forms`` and ``read_texts``, worked
    out beforehand (validation works them out in the process that read the file).

    Pairs in ``declared`` (as ``_pair`` makes them) are left out before the bound of
    ``per_holder`` leaks a question, so that a declared pair never hides another. The
    leak kept for a pair is the one a player meets first (before answering rather than
    after), with the longest form.
    """
    index = _FormIndex.build(forms)
    limit = common_limit(len(forms))
    # form -> {holder: key}
    holders: dict[str, dict[int, str]] = defaultdict(dict)
    common: set[str] = set()
    for holder, question_texts in enumerate(texts):
        for key, text in question_texts:
            for form in index.found_in(text):
                if form not in common:
                    holders[form].setdefault(holder, key)
                    if len(holders[form]) > limit:  # the set's own vocabulary
                        common.add(form)
                        del holders[form]
    best: dict[tuple[int, int], Leak] = {}
    kept: Counter[int] = Counter()  # leaks kept for each holder
    for form, found in holders.items():
        if len(index.owners[form]) > limit:  # the answer of many: common too
            continue
        for holder, key in found.items():
            for owner in index.owners[form]:
                if owner == holder or _pair(owner, holder) in declared:
                    continue
                leak = Leak(owner, holder, form, key)
                pair = (owner, holder)
                if pair in best:
                    if _precedence(leak) > _precedence(best[pair]):
                        best[pair] = leak
                elif kept[holder] < per_holder:
                    kept[holder] += 1
                    best[pair] = leak
    return sorted(best.values())


def _precedence(leak: Leak) -> tuple[bool, int]:
    return leak.key in BEFORE_ANSWERING, len(leak.form)


def one_per_pair(leaks: Iterable[Leak]) -> list[Leak]:
    """One leak for each pair of questions, whichever way it goes: the one a player
    meets first, with the longest form."""
    best: dict[tuple[int, int], Leak] = {}
    for leak in leaks:
        pair = _pair(leak.owner, leak.holder)
        if pair not in best or _precedence(leak) > _precedence(best[pair]):
            best[pair] = leak
    return sorted(best.values())


def declared_pairs(ids: Sequence[str], related: Sequence[Collection[str]]) -> set[tuple[int, int]]:
    """The pairs of positions that authors declared related, whichever side declares."""
    positions: dict[str, list[int]] = defaultdict(list)
    for position, question_id in enumerate(ids):
        positions[question_id].append(position)
    return {
        _pair(position, other)
        for position, named in enumerate(related)
        for other_id in named
        for other in positions.get(other_id, ())
        if other != position
    }


def common_limit(total: int) -> float:
    """A form standing in more questions than this is common vocabulary, not a clue."""
    return max(COMMON_MIN, COMMON_SHARE * total)


def related_pairs(questions: Sequence[AnyQuestion]) -> set[tuple[int, int]]:
    """Pairs ``(i, j)``, ``i < j``, of questions that must not meet in one game."""
    forms = [answer_forms(question) for question in questions]
    texts = [read_texts(question) for question in questions]
    leaks = leaks_between(forms, texts, per_holder=MAX_GAME_LEAKS_PER_QUESTION)
    pairs = {_pair(leak.owner, leak.holder) for leak in leaks}
    pairs |= declared_pairs([q.id for q in questions], [q.related for q in questions])
    pairs |= _shared_passages(questions)
    return pairs


def _pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


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


class Relation:
    """Which questions must not meet in one game: each position's related positions,
    kept as two flat arrays (where each position's list starts, and the lists one after
    another), so that a game of 100,000 questions reads the neighbours of the few it
    draws without building a set for each of the others. The arrays can be stored as
    they are (see ``bank_cache``)."""

    def __init__(self, starts: Sequence[int], targets: Sequence[int]) -> None:
        if not starts or starts[0] != 0 or starts[-1] != len(targets):
            raise ValueError("not the arrays of a relation")
        self.starts = starts
        self.targets = targets

    @classmethod
    def of_pairs(cls, pairs: Collection[tuple[int, int]], size: int = 0) -> Relation:
        """The relation of ``pairs`` of positions, both ways, over at least ``size``."""
        size = max([size, *(b + 1 for _, b in pairs), *(a + 1 for a, _ in pairs)])
        lists: list[list[int]] = [[] for _ in range(size)]
        for a, b in pairs:
            lists[a].append(b)
            lists[b].append(a)
        starts = array("I", [0])
        targets = array("I")
        for neighbours in lists:
            targets.extend(sorted(neighbours))
            starts.append(len(targets))
        return cls(starts, targets)

    @classmethod
    def of_questions(cls, questions: Sequence[AnyQuestion]) -> Relation:
        return cls.of_pairs(related_pairs(questions), len(questions))

    @property
    def size(self) -> int:
        return len(self.starts) - 1

    def neighbours(self, position: int) -> Sequence[int]:
        if not 0 <= position < self.size:
            return ()
        return self.targets[self.starts[position] : self.starts[position + 1]]

    def pairs(self) -> set[tuple[int, int]]:
        return {(a, b) for a in range(self.size) for b in self.neighbours(a) if a < b}


def spread_out(order: Iterable[int], relation: Relation, count: int | None) -> list[int]:
    """The first ``count`` of ``order`` (all when None) with no two related: a question
    related to one already taken is passed over. ``order`` is read only as far as it
    must be, so a lazy shuffle of 100,000 positions costs a few draws."""
    taken: list[int] = []
    barred: set[int] = set()
    for index in order:
        if count is not None and len(taken) >= count:
            break
        if index in barred:
            continue
        taken.append(index)
        barred.update(relation.neighbours(index))
    return taken
