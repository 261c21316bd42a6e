"""The validator: every rule about question files, as findings. No terminal I/O.

The loader already reports what the model itself enforces (syntax, schema, identity,
answers consistent with their type, control characters). This module adds the rules
that need the source document or several questions at once: grounding, near-duplicates
and quality warnings, and the coverage of the source by the evidence.
"""

from __future__ import annotations

import gc
import hashlib
import os
import re
from array import array
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from itertools import accumulate, chain, combinations, compress
from operator import is_, le
from pathlib import Path
from statistics import median

from typing_extensions import TypedDict

from desperado_quiz.findings import (
    Budget,
    Budgets,
    Cut,
    Finding,
    Severity,
    SummaryJSON,
    bounded,
    merged,
    sort_key,
)
from desperado_quiz.loader import (
    LoadedBank,
    bank_files,
    build_validators,
    duplicate_ids,
    parse_bank,
    read_text,
)
from desperado_quiz.model import AnyQuestion, ChoiceQuestion, MultiQuestion, NumberQuestion
from desperado_quiz.paths import bundled_questions_dir
from desperado_quiz.related import (
    BEFORE_ANSWERING,
    answer_forms,
    declared_pairs,
    leaks_between,
    one_per_pair,
    read_texts,
)
from desperado_quiz.source import (
    MAX_COMPARED,
    OutOfWork,
    SourceDocument,
    SourceRefused,
    Work,
    read_source,
)
from desperado_quiz.table_lines import TableLines
from desperado_quiz.text import (
    content_words,
    display_path,
    format_number,
    normalise_answer,
    number_in_words,
    plural,
    vocabulary,
)
from desperado_quiz.toml_lines import LineMap, scan

MAX_QUESTION_CHARS = 300
REPEATS_EVIDENCE_SHARE = 60.0  # percent of the explanation's words
ANSWER_WORDS_SHARE = 2 / 3
WIDE_TOLERANCE_SHARE = 0.25
MAX_CHOICE_CHARS = 120
STANDS_OUT_CHARS = 10
NEAR_DUPLICATE_RATIO = 90.0
_CATCH_ALL = ("all of the above", "none of the above")
_BLOCK_TOKENS = 3  # near-duplicate candidates share one of their 3 rarest words
_MAX_BLOCK = 40  # larger blocks are compared with neighbours only...
_WINDOW = 5  # ...this many of them


class CoverageJSON(TypedDict):
    source: str
    sentences: int
    cited: int
    share: float
    uncited: list[str]


@dataclass
class Report:
    """What one validation run found, and what it looked at."""

    banks: list[LoadedBank] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    checked_files: list[Path] = field(default_factory=list)
    question_count: int = 0  # every question table, valid or not
    bank_count: int = 0  # every bank that parsed, kept in ``banks`` or not
    coverage: list[Coverage] | None = None  # when asked for: what the banks do not ask
    notices: list[str] = field(default_factory=list)  # about the history read, if any

    @property
    def errors(self) -> int:
        return sum(f.severity is Severity.ERROR for f in self.findings)

    @property
    def warnings(self) -> int:
        return sum(f.severity is Severity.WARNING for f in self.findings)

    @property
    def notes(self) -> int:
        return sum(f.severity is Severity.NOTE for f in self.findings)

    @property
    def files(self) -> list[Path]:
        return sorted(set(self.checked_files) | {f.path for f in self.findings})

    def without_notes(self) -> Report:
        """The report as people read it by default: notes left out."""
        return replace(self, findings=[f for f in self.findings if f.severity is not Severity.NOTE])

    def failed(self, strict: bool = False) -> bool:
        return bool(self.errors or (strict and self.warnings))

    def summary(self) -> SummaryJSON:
        return {
            "files": len(self.files),
            "banks": self.bank_count,
            "questions": self.question_count,
            "errors": self.errors,
            "warnings": self.warnings,
            "notes": self.notes,
        }


@dataclass
class BankDigest:
    """A checked bank as the rules that span files see it (``duplicate_ids`` too): a few
    plain values a question, in columns, which a worker process sends back instead of
    the bank. The lines of keys are not among them: they are looked up again, in the
    file, for the few questions that a finding needs them for (``table_of``)."""

    path: Path
    id: str
    bank_lines: TableLines
    ids: list[str]  # every question table's id, valid or not, in the order of the file
    lines: array[int]  # the header line of each of those tables
    tables: array[int]  # the place of each among the file's [[questions]] headers
    valid: array[int]  # the places in ``ids`` of the valid questions, in the bank's order
    texts: list[str]  # near-duplicate key of each valid question: its words, sorted...
    answers: list[str]  # ...and its answer
    forms: list[tuple[str, ...]]  # the forms of its answer that would give it away
    read: list[tuple[tuple[str, str], ...]]  # what a player reads of it, which could too
    related: list[tuple[str, ...]]  # the ids it declares related
    # How many of ``texts`` hold each word: counted where the words are at hand, and
    # spent by ``near_duplicates``.
    words: Counter[str] = field(default_factory=Counter)
    # ("category" or "tags", a value) -> the places in ``valid`` of the questions with it.
    labels: dict[tuple[str, str], array[int]] = field(default_factory=dict)
    fingerprint: bytes = b""  # of the text, to know it again
    # The text's lines, when the digest stays in the process that read the file.
    line_map: LineMap | None = field(default=None, repr=False, compare=False)
    changed: bool = False  # the file no longer holds the text checked: never read again

    def question_ids(self) -> list[str]:
        return self.ids

    def table_of(self, position: int) -> TableLines:
        if self.line_map is None and not self.changed:
            self.line_map = _read_lines(self.path, self.fingerprint)
            self.changed = self.line_map is None
        if self.line_map is None:  # the file changed since: its tables' lines only
            return TableLines(self.lines[position])
        index = self.tables[position]
        return self.line_map.top if index < 0 else self.line_map.item("questions", index)


def _fingerprint(text: str) -> bytes:
    return hashlib.blake2b(text.encode(), digest_size=16).digest()


def _read_lines(path: Path, fingerprint: bytes) -> LineMap | None:
    """The lines of the file at ``path``, if it still holds the text it was checked in."""
    text, unreadable = read_text(path)
    if unreadable is None and fingerprint and _fingerprint(text) == fingerprint:
        return scan(text)
    return None


@dataclass
class FileCheck:
    """One file's findings, its digest for the rules that span files, and the bank
    itself when the caller needs the banks (coverage, JUnit, the pytest plugin)."""

    path: Path
    digest: BankDigest | None
    findings: list[Finding]
    questions: int = 0  # every [[questions]] table checked, valid or not
    bank: LoadedBank | None = None
    cut: Cut = field(default_factory=dict)  # the findings only counted (see ``Budget``)


def validate(paths: Sequence[Path] | None = None, keep_banks: bool = False) -> Report:
    """Check question files (the bundled banks when no path is given).

    Files are checked one by one, in parallel processes when there is enough to do;
    then the rules that span files (unique ids, near-duplicates, answer leaks) run over
    the digests of all of them. ``keep_banks`` keeps the banks in the report too: those
    who read the questions afterwards need it; a plain check saves the memory.
    """
    found = bank_files(paths or [bundled_questions_dir()])
    # Validation makes many objects and no reference cycles: the cyclic garbage
    # collector would only rescan the growing heap again and again (2x slower at 100k).
    collecting = gc.isenabled()
    gc.disable()
    try:
        # Paths that are not question files get a check of their own: their finding.
        unusable = [FileCheck(f.path, None, [f]) for f in found.findings]
        return combine(unusable + _map_files(found.files, keep_banks))
    finally:
        if collecting:
            gc.enable()


def validate_text(text: str, path: Path) -> Report:
    """Check the would-be contents of ``path`` without writing it (for the wizard)."""
    budget = Budget(path)
    return combine([check_bank(path, *parse_bank(text, path, budget), True, budget)])


def check_file(path: Path, keep_bank: bool = False, keep_lines: bool = True) -> FileCheck:
    """One file's check. Without ``keep_lines`` the digest does not hold the file's
    text (to be sent to another process): it can find its lines again in the file."""
    text, unreadable = read_text(path)
    if unreadable:
        return FileCheck(path, None, [unreadable])
    budget = Budget(path)  # shared by the loader and the rules: one bound per rule
    check = check_bank(path, *parse_bank(text, path, budget), keep_bank, budget)
    if check.digest is not None and not keep_lines:
        check.digest.line_map = None
        check.digest.fingerprint = _fingerprint(text)
    return check


def check_bank(
    path: Path,
    bank: LoadedBank | None,
    findings: list[Finding],
    keep_bank: bool = False,
    budget: Budget | None = None,
) -> FileCheck:
    budget = budget or Budget(path)
    if bank is None:  # nothing in it could be checked
        return FileCheck(path, None, findings, cut=budget.cut)
    source, missing = _source_of(bank)
    findings = findings + ([missing] if missing else [])
    work = SourceWork()  # the searches of the source for this file's quotes
    for question, lines in zip(bank.questions, bank.question_lines, strict=True):
        findings.extend(question_findings(bank.path, lines, question, source, False, budget, work))
    # Every rule that can still run runs on a question with errors too.
    for question, lines in bank.partial:
        findings.extend(question_findings(bank.path, lines, question, source, True, budget, work))
    count = len(bank.questions) + len(bank.partial)
    kept = bank.compact() if keep_bank else None
    return FileCheck(path, digest(bank), findings, count, kept, budget.cut)


def digest(bank: LoadedBank) -> BankDigest:
    questions = [*bank.questions, *(question for question, _ in bank.partial)]
    every = [*bank.question_lines, *(lines for _, lines in bank.partial)]
    lines = [table.line for table in every]
    headers = bank.line_map.arrays.get("questions", []) if bank.line_map else []
    if lines == sorted(lines) and len(headers) == len(every) and all(map(is_, every, headers)):
        # The usual file: every question valid, each with its own table, in order.
        order: Sequence[int] = range(len(every))
        tables = array("l", order)
    else:
        # The order of ``every_question``: by line, valid questions first among equals.
        order = sorted(range(len(every)), key=lines.__getitem__)
        place = {id(table): index for index, table in enumerate(headers)}  # else the top
        tables = array("l", [place.get(id(every[n]), -1) for n in order])
    position = {n: p for p, n in enumerate(order)}
    sorted_words = [_sorted_words(question) for question in bank.questions]
    words: Counter[str] = Counter(chain.from_iterable(map(set, sorted_words)))
    return BankDigest(
        bank.path,
        bank.id,
        TableLines(bank.bank_lines.line, bank.bank_lines.keys),
        [questions[n].id for n in order],
        array("l", [lines[n] for n in order]),
        tables,
        array("l", [position[n] for n in range(len(bank.questions))]),
        [" ".join(text) for text in sorted_words],
        [_answer_key(question) for question in bank.questions],
        [answer_forms(question) for question in bank.questions],
        [tuple(read_texts(question)) for question in bank.questions],
        [tuple(question.related) for question in bank.questions],
        words,
        _labels(bank.questions),
        line_map=bank.line_map,
    )


def _labels(questions: Sequence[AnyQuestion]) -> dict[tuple[str, str], array[int]]:
    places: dict[tuple[str, str], array[int]] = {}
    for place, question in enumerate(questions):
        for key, value in (("category", question.category), *(("tags", t) for t in question.tags)):
            places.setdefault((key, value), array("l")).append(place)
    return places


def combine(checks: Sequence[FileCheck]) -> Report:
    digests = [check.digest for check in checks if check.digest is not None]
    findings = [finding for check in checks for finding in check.findings]
    budgets = Budgets()  # what the rules across files may still report, file by file
    findings += duplicate_ids(digests, budgets)
    findings += near_duplicates(digests, budgets)
    findings += leak_findings(digests, budgets)
    findings += unknown_related(digests, budgets)
    findings += label_typos(digests)
    findings.sort(key=sort_key)
    cut = merged(budgets.cut, *(check.cut for check in checks))
    findings = bounded(findings, cut)  # the first of each rule, by line, and a count of the rest
    findings.sort(key=sort_key)
    counted = sum(check.questions for check in checks)
    banks = [check.bank for check in checks if check.bank is not None]
    paths = [check.path for check in checks]
    return Report(banks, findings, paths, counted, bank_count=len(digests))


# Below this much text, starting worker processes costs more than it saves.
_PARALLEL_BYTES = 2_000_000


def _map_files(files: list[Path], keep_banks: bool) -> list[FileCheck]:
    size = sum(path.stat().st_size for path in files if path.is_file())
    workers = min(os.cpu_count() or 1, len(files), 8)
    if workers < 2 or size < _PARALLEL_BYTES:
        return [check_file(path, keep_banks) for path in files]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    build_validators()  # once here, not once in each forked worker
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        check = partial(check_file, keep_bank=keep_banks, keep_lines=False)
        return list(pool.map(check, files, chunksize=max(1, len(files) // (workers * 4))))


def _source_of(bank: LoadedBank) -> tuple[SourceDocument | None, Finding | None]:
    name = bank.bank.bank.source
    if not name:  # it plays, but nothing it says is checked: a warning, so --strict fails
        return None, Finding(
            "not-grounded",
            Severity.WARNING,
            bank.path,
            bank.bank_lines.line,
            "the bank names no source document, so no answer is checked against one",
            "add `source = ...` to [bank], and quote it in each question's `evidence`",
        )
    try:
        return read_source(bank.path, name), None
    except SourceRefused as refused:
        hints = {
            "source-outside": "a source must be a file in the bank's folder tree or its "
            "repository; copy it there and name it relative to the bank",
            "source-not-a-file": "name a regular text file",
        }
        hint = hints.get(refused.code, "fix `source`, and save the document as UTF-8 text")
        return None, Finding(
            refused.code,
            Severity.ERROR,
            bank.path,
            bank.bank_lines.of("source"),
            f"source document {name!r} {refused}",
            hint,
        )


def question_findings(
    path: Path,
    lines: TableLines,
    question: AnyQuestion,
    source: SourceDocument | None,
    partial: bool = False,
    budget: Budget | None = None,
    work: SourceWork | None = None,
) -> list[Finding]:
    """The findings of one question. A ``partial`` one (with errors of its own) has no
    answer to check, but its evidence, explanation, hint and text are. (Lists rather
    than generators: a clean question has none, and this runs 100,000 times a run.)
    Past the file's ``budget`` for a rule, a finding is only counted; ``work`` bounds
    the searches of the source for the file's quotes."""
    found: list[Finding] = []
    budget = budget or Budget(path)

    def finding(code: str, severity: Severity, key: str, message: str, hint: str) -> None:
        line = lines.of(key)
        found.append(Finding(code, severity, path, line, message, hint, question.id or None))

    if source is not None:
        _evidence_findings(question, source, budget, work or SourceWork(), finding)
    if partial:
        _text_findings(question, finding)
        return found
    if question.evidence and question.type in _ANSWER_QUOTED and not _answer_in_evidence(question):
        finding(
            "answer-not-in-evidence",
            Severity.WARNING,
            "evidence",
            f"the answer {question.answer_text!r} does not appear in its evidence",
            "quote the passage that states the answer",
        )
    _text_findings(question, finding)
    if given := hint_gives_answer(question):
        finding(
            "hint-gives-answer",
            Severity.WARNING,
            "hint",
            f"the hint gives the answer away: {given}",
            "a hint narrows the answer down without naming it; or leave the hint out",
        )
    if (
        isinstance(question, NumberQuestion)
        and question.tolerance > abs(question.answer) * WIDE_TOLERANCE_SHARE
    ):
        finding(
            "tolerance-wide",
            Severity.WARNING,
            "tolerance",
            f"tolerance {format_number(question.tolerance)} is more than a quarter of "
            f"the answer {format_number(question.answer)}",
            "a wide tolerance rewards guesses; narrow it",
        )
    return found


_ANSWER_QUOTED = frozenset({"choice", "text", "number"})  # types whose answer is a quote
AddFinding = Callable[[str, Severity, str, str, str], None]  # code, severity, key, ...


@dataclass
class SourceWork:
    """The bounds on one file's searches of its source (see ``source.Work``): for its
    quotes, and apart, for the closest passages of those it lacks (a fuzzy search of
    the whole source each), so that the hints never leave quotes unchecked."""

    quotes: Work = field(default_factory=Work)
    closest: Work = field(default_factory=Work)


def _evidence_findings(
    question: AnyQuestion,
    source: SourceDocument,
    budget: Budget,
    work: SourceWork,
    finding: AddFinding,
) -> None:
    """``evidence-not-in-source`` for each quote the source lacks, with the closest
    passage while the file's budget for the rule and its work last; and
    ``evidence-not-checked`` for each quote the work could no longer search."""
    quotes = question.quotes
    for done, quote in enumerate(quotes):
        if not work.quotes.left and budget.spent("evidence-not-checked"):
            budget.count("evidence-not-checked", Severity.ERROR, len(quotes) - done)
            return  # nothing left to search with, nor to show: the rest is counted at once
        try:
            if source.contains(quote, work.quotes):
                continue
        except OutOfWork:
            if budget.allows("evidence-not-checked", Severity.ERROR):
                finding(
                    "evidence-not-checked",
                    Severity.ERROR,
                    "evidence",
                    f"evidence was not looked for in {source.path.name}: the quotes of this "
                    f"file would compare more than {MAX_COMPARED:,} characters of it",
                    "quote three words or more (they are found through an index), or "
                    "split the bank into smaller files",
                )
            continue
        if not budget.allows("evidence-not-in-source", Severity.ERROR):
            continue  # counted only: no closest passage searched for
        try:
            closest = f"closest passage: “{_clip(source.closest_sentence(quote, work.closest))}”"
        except OutOfWork:
            closest = "quote the source word for word (the closest passage was not searched for)"
        finding(
            "evidence-not-in-source",
            Severity.ERROR,
            "evidence",
            f"evidence is not in {source.path.name}: “{_clip(quote)}”",
            closest,
        )


def _text_findings(question: AnyQuestion, finding: AddFinding) -> None:
    """The rules on what a question says, which need no valid answer."""
    if not question.explanation.strip():
        finding(
            "missing-explanation",
            Severity.WARNING,
            "question",
            "no explanation to show after the answer",
            'add `explanation = "..."`',
        )
    elif (share := repetition(question)) >= REPEATS_EVIDENCE_SHARE:
        finding(
            "explanation-repeats-evidence",
            Severity.WARNING,
            "explanation",
            f"the explanation mostly repeats the evidence ({share:.0f}% of its words are quoted)",
            "the quote is shown too: explain what it doesn't (context, the reason, a link)",
        )
    if not question.hint.strip():
        finding(
            "missing-hint",
            Severity.NOTE,
            "question",
            "no hint to show on `?`",
            'add `hint = "..."`: narrow the answer down without giving it away',
        )
    if len(question.question) > MAX_QUESTION_CHARS:
        finding(
            "long-question",
            Severity.WARNING,
            "question",
            f"question is {len(question.question)} characters long",
            f"keep it under {MAX_QUESTION_CHARS} so it reads at a glance",
        )
    if isinstance(question, ChoiceQuestion | MultiQuestion):
        _choice_findings(question, finding)


def _choice_findings(question: ChoiceQuestion | MultiQuestion, finding: AddFinding) -> None:
    choices: list[str] = getattr(question, "choices", [])  # a partial question may have none
    if outlier := standing_out(choices):
        choice, others = outlier
        finding(
            "choice-stands-out",
            Severity.WARNING,
            "choices",
            f"choice {_clip(choice, 60)!r} is {len(choice)} characters long, against a "
            f"median of {others:g} for the others: it stands out",
            "write every choice in the same style and about the same length",
        )
    for choice in choices:
        if any(map(choice.casefold().__contains__, _CATCH_ALL)):
            finding(
                "all-of-the-above",
                Severity.WARNING,
                "choices",
                f"choice {choice!r} is a catch-all",
                "use a multi question, or a real distractor",
            )
        if len(choice) > MAX_CHOICE_CHARS:
            finding(
                "long-choice",
                Severity.WARNING,
                "choices",
                f"choice is {len(choice)} characters long: {_clip(choice)!r}",
                f"keep choices under {MAX_CHOICE_CHARS} characters",
            )


def standing_out(choices: Sequence[str]) -> tuple[str, float] | None:
    """The choice most unlike the others in length, with the median length of the
    others, when it is more than twice or less than half that median, by at least
    ``STANDS_OUT_CHARS`` characters ("R" among "NC-17" and "PG-13" does not stand out)."""
    lengths = [len(" ".join(choice.split())) for choice in choices]
    worst: tuple[float, str, float] | None = None
    for place, length in enumerate(lengths):
        if len(lengths) < 3:
            break
        others = median(lengths[:place] + lengths[place + 1 :])
        if abs(length - others) < STANDS_OUT_CHARS or others / 2 <= length <= others * 2:
            continue
        ratio = max(length, 1) / max(others, 1)
        far = max(ratio, 1 / ratio)
        if worst is None or far > worst[0]:
            worst = (far, choices[place], others)
    return None if worst is None else (worst[1], worst[2])


_RANGE = re.compile(
    r"(?<![\d.,])(\d[\d,]*(?:\.\d+)?)\s*(?:%|percent|million|billion)?\s*"
    r"(?:and|to|-|\u2013|\u2014)\s*\$?(\d[\d,]*(?:\.\d+)?)(?![\d.,]*\d)"
)
_DECADE = re.compile(r"\b(early|mid|late)?[\s-]*(\d{3}0)s\b", re.IGNORECASE)
_DECADE_PARTS = {"early": (0, 3), "mid": (4, 6), "late": (7, 9), "": (0, 9)}


def hint_ranges(hint: str) -> list[tuple[float, float]]:
    """The ranges of numbers a hint gives: "between 20 and 30", "60 to 80", "50-60" (any dash),
    "the mid-1990s" (1994 to 1996)."""
    ranges = []
    for low, high in _RANGE.findall(hint):
        try:
            ranges.append((float(low.replace(",", "")), float(high.replace(",", ""))))
        except ValueError:
            continue
    for part, decade in _DECADE.findall(hint):
        first, last = _DECADE_PARTS[part.casefold()]
        ranges.append((int(decade) + first, int(decade) + last))
    return [(low, high) for low, high in ranges if low < high]


def hint_gives_answer(question: AnyQuestion) -> str:
    """What of the answer the hint gives away, or "": an accepted form or a key word of
    the answer, or, for a number, a range whose middle scores (so does any range no
    wider than the tolerance around the answer)."""
    hint = normalise_answer(question.hint)
    if not hint:
        return ""
    for form in answer_forms(question):
        if f" {form} " in f" {hint} ":
            return repr(form)
    if isinstance(question, NumberQuestion):
        for low, high in hint_ranges(question.hint):
            # A range no wider than the tolerance has its middle within it too.
            if question.is_right((low + high) / 2):
                return f"the middle of {format_number(low)} to {format_number(high)} is right"
    return ""


def repetition(question: AnyQuestion) -> float:
    """How much of the explanation is the evidence again, 0 to 100: the share of its
    words (stop words aside) that stand in the evidence too, in some form."""
    words = content_words(question.explanation)
    return 100 * vocabulary(" ".join(question.evidence)).share(words) if words else 100.0


def _answer_in_evidence(question: AnyQuestion) -> bool:
    """The answer, or an accepted form, stands in the evidence: word for word, or, for
    an answer in words of its own, most of its words (``ANSWER_WORDS_SHARE``)."""
    evidence = normalise_answer(" ".join(question.evidence))
    if isinstance(question, NumberQuestion):
        forms = {format_number(question.answer), f"{question.answer:g}"}
        if words := number_in_words(question.answer):
            forms.add(words)
        return any(f" {normalise_answer(form)} " in f" {evidence} " for form in forms)
    quoted = vocabulary(evidence)
    return any(
        f" {normalise_answer(accepted)} " in f" {evidence} "
        or quoted.share(content_words(accepted)) >= ANSWER_WORDS_SHARE
        for accepted in getattr(question, "accepted", (question.answer_text,))
    )


def duplicate_key(question: AnyQuestion) -> tuple[str, str]:
    """The question's words in sorted order, and its answer, as near-duplicates compare."""
    return " ".join(_sorted_words(question)), _answer_key(question)


def _sorted_words(question: AnyQuestion) -> list[str]:
    return sorted(normalise_answer(question.question).split())


def _answer_key(question: AnyQuestion) -> str:
    return normalise_answer(question.answer_text)


def near_duplicates(banks: Sequence[BankDigest], budgets: Budgets | None = None) -> list[Finding]:
    """Questions with nearly the same text and the same answer, across all banks.

    Not quadratic: a question is only compared with those that share its answer and one
    of its rarest words (the words two near-copies are surest to keep). In a block too
    large to compare pair by pair, each question is compared with its neighbours in the
    block's alphabetical order of sorted words, where near-copies end up side by side.
    """
    from rapidfuzz import fuzz

    texts = [text for bank in banks for text in bank.texts]
    answers = [answer for bank in banks for answer in bank.answers]
    by_rarity = partial(sorted, key=_rarity(banks).__getitem__)
    by_answer: dict[str, list[int]] = defaultdict(list)
    for position, answer in enumerate(answers):
        by_answer[answer].append(position)
    del answers
    pairs: set[tuple[int, int]] = set()  # only the near-duplicates: few
    for sharing in by_answer.values():
        if len(sharing) < 2:  # an answer of its own: no block to share
            continue
        blocks: dict[str, list[int]] = defaultdict(list)
        # Each text's words, rarest first (split again rather than keep 100,000 sets).
        distinct = map(set, map(str.split, map(texts.__getitem__, sharing)))
        for position, words in zip(sharing, map(by_rarity, distinct), strict=True):
            for word in words[:_BLOCK_TOKENS]:
                blocks[word].append(position)
        for members in blocks.values():
            if len(members) < 2:
                continue
            candidates: list[tuple[Sequence[int], Sequence[int]]]
            if len(members) <= _MAX_BLOCK:
                every_pair = list(combinations(members, 2))
                candidates = [([a for a, _ in every_pair], [b for _, b in every_pair])]
            else:
                ordered = sorted(members, key=texts.__getitem__)
                candidates = [(ordered[:-k], ordered[k:]) for k in range(1, _WINDOW)]
            for firsts, seconds in candidates:
                # The texts are normalised words in sorted order already: plain ratio is
                # token_sort_ratio without sorting them again. Scored and compared in
                # C (map, compress): only the near-duplicates reach Python.
                scores = map(
                    fuzz.ratio, map(texts.__getitem__, firsts), map(texts.__getitem__, seconds)
                )
                close = map(partial(le, NEAR_DUPLICATE_RATIO), scores)  # ratio <= score
                pairs.update(
                    (min(a, b), max(a, b))
                    for a, b in compress(zip(firsts, seconds, strict=True), close)
                )
    starts = _starts(banks, lambda bank: len(bank.texts))
    budgets = Budgets() if budgets is None else budgets
    findings = []
    for first, second in sorted(pairs):
        bank, question = _find(banks, starts, second)
        if not budgets.allows(bank.path, "near-duplicate", Severity.WARNING):
            continue  # counted only
        other_bank, other = _find(banks, starts, first)
        place, other_place = bank.valid[question], other_bank.valid[other]
        findings.append(
            Finding(
                "near-duplicate",
                Severity.WARNING,
                bank.path,
                bank.lines[place],
                f"nearly the same question and answer as {other_bank.ids[other_place]!r}"
                f" at {display_path(other_bank.path)}:{other_bank.lines[other_place]}",
                "remove one, or ask about something else",
                bank.ids[place],
            )
        )
    return findings


def _rarity(banks: Sequence[BankDigest]) -> dict[str, int]:
    """Each word's place in the order of (the number of texts it stands in, the word):
    sorting words by it sorts them rarest first, with no Python call a word."""
    frequency: Counter[str] = Counter()
    for bank in banks:
        frequency.update(bank.words)
        bank.words = Counter()  # spent: the sum is what counts, and it holds the words
    return {word: n for n, word in enumerate(sorted(frequency, key=lambda w: (frequency[w], w)))}


def _starts(banks: Sequence[BankDigest], count: Callable[[BankDigest], int]) -> list[int]:
    """Where each bank's valid questions start among those of all the banks."""
    return list(accumulate((count(bank) for bank in banks), initial=0))


def _find(banks: Sequence[BankDigest], starts: list[int], position: int) -> tuple[BankDigest, int]:
    """The bank of the valid question at ``position`` among all, and its place there."""
    number = bisect_right(starts, position) - 1
    return banks[number], position - starts[number]


_LEAK_PLACES = {
    "question": "question text gives",
    "choices": "choices give",
    "answer": "items to order give",
    "hint": "hint gives",
    "explanation": "explanation gives",
    "evidence": "evidence quoted gives",
}


def leak_findings(banks: Sequence[BankDigest], budgets: Budgets | None = None) -> list[Finding]:
    """``answer-leak``: what a player reads of one question gives away another's answer,
    once for each pair that no author declared related."""
    forms = [forms for bank in banks for forms in bank.forms]
    read = [read for bank in banks for read in bank.read]
    ids = [bank.ids[place] for bank in banks for place in bank.valid]
    declared = declared_pairs(ids, [named for bank in banks for named in bank.related])
    starts = _starts(banks, lambda bank: len(bank.forms))
    budgets = Budgets() if budgets is None else budgets
    findings = []
    for leak in one_per_pair(leaks_between(forms, read, declared)):
        bank, question = _find(banks, starts, leak.holder)
        if not budgets.allows(bank.path, "answer-leak", Severity.WARNING):
            continue  # counted only
        owner_bank, owner = _find(banks, starts, leak.owner)
        place, owner_place = bank.valid[question], owner_bank.valid[owner]
        when = "" if leak.key in BEFORE_ANSWERING else ", shown after answering"
        findings.append(
            Finding(
                "answer-leak",
                Severity.WARNING,
                bank.path,
                bank.table_of(place).of(leak.key),
                f"its {_LEAK_PLACES[leak.key]} away the answer of {owner_bank.ids[owner_place]!r} "
                f"({display_path(owner_bank.path)}:{owner_bank.lines[owner_place]}): "
                f"{leak.form!r}{when}",
                "reword one of the two, or add `related = "
                f'["{owner_bank.ids[owner_place]}"]` so that no game holds both',
                bank.ids[place],
            )
        )
    return findings


def unknown_related(banks: Sequence[BankDigest], budgets: Budgets | None = None) -> list[Finding]:
    """``unknown-related``: ``related`` names a question that none of the files has."""
    budgets = Budgets() if budgets is None else budgets
    known = {question_id for bank in banks for question_id in bank.ids}
    # "Did you mean" compares with every id: only where that stays cheap.
    suggest = len(known) <= _SUGGEST_AMONG
    findings = []
    for bank in banks:
        for place, named in zip(bank.valid, bank.related, strict=True):
            for other in named:
                if other in known and other != bank.ids[place]:
                    continue
                if not budgets.allows(bank.path, "unknown-related", Severity.NOTE):
                    continue  # counted only
                itself = other == bank.ids[place]
                findings.append(
                    Finding(
                        "unknown-related",
                        # A note: the other question may be in a file not checked with
                        # this one (the pre-commit hook checks only the files touched).
                        Severity.NOTE,
                        bank.path,
                        bank.table_of(place).of("related"),
                        f"`related` names {other!r}, "
                        + ("the question itself" if itself else "which no question has as id"),
                        "name the id of another question in these files"
                        + ("" if itself or not suggest else _closest_id(other, known)),
                        bank.ids[place],
                    )
                )
    return findings


_SUGGEST_AMONG = 2_000


# Labels (categories, tags) compared pair by pair: beyond this many distinct ones of a
# kind, the rule does not run (a bound on the work; real banks have dozens).
MAX_LABELS = 500
_LABEL_NAMES = {"category": "category", "tags": "tag"}


def label_typos(banks: Sequence[BankDigest]) -> list[Finding]:
    """``category-typo`` and ``tag-typo``: two labels of the same kind one typo (or only
    case) apart, across the files checked together. The rarer spelling is reported, at
    each question that uses it: a player who filters by one never meets the other."""
    from desperado_quiz.matching import similar

    uses: Counter[tuple[str, str]] = Counter()
    for bank in banks:
        uses.update({label: len(places) for label, places in bank.labels.items()})
    findings: list[Finding] = []
    for kind, name in _LABEL_NAMES.items():
        values = sorted(value for key, value in uses if key == kind)
        if len(values) > MAX_LABELS:
            continue
        for first, second in combinations(values, 2):
            if not similar(first, second):
                continue
            rare, common = sorted(
                (first, second), key=lambda value: (uses[(kind, value)], value != second)
            )
            findings += _label_findings(banks, kind, name, rare, common, uses[(kind, common)])
    return findings


def _label_findings(
    banks: Sequence[BankDigest], key: str, name: str, rare: str, common: str, common_uses: int
) -> list[Finding]:
    how = "only in case" if rare.casefold() == common.casefold() else "by a typo"
    findings = []
    for bank in banks:
        for place in bank.labels.get((key, rare), ()):
            position = bank.valid[place]
            findings.append(
                Finding(
                    f"{name}-typo",
                    Severity.WARNING,
                    bank.path,
                    bank.table_of(position).of(key),
                    f"{name} {rare!r} differs {how} from {common!r} "
                    f"({plural(common_uses, 'question')})",
                    f"use one spelling: a player who filters by {common!r} never meets this one",
                    bank.ids[position],
                )
            )
    return findings


def _closest_id(wanted: str, known: set[str]) -> str:
    import difflib

    match = difflib.get_close_matches(wanted, sorted(known), n=1)
    return f": did you mean {match[0]!r}?" if match else ""


@dataclass(frozen=True)
class Coverage:
    source: Path
    sentences: list[str]
    cited: set[int]
    unsearched: int = 0  # quotes not searched for: past the bound on the work (Work)

    def notice(self) -> str | None:
        """What the figures leave out, in words; None when they leave nothing out."""
        if not self.unsearched:
            return None
        return (
            f"the coverage of {display_path(self.source)} leaves out "
            f"{self.unsearched:,} quotes, not searched for: that would compare more than "
            f"{MAX_COMPARED:,} characters of it"
        )

    @property
    def cited_count(self) -> int:
        return len(self.cited)

    @property
    def share(self) -> float:
        return len(self.cited) / len(self.sentences) if self.sentences else 1.0

    @property
    def uncited(self) -> list[str]:
        return [s for i, s in enumerate(self.sentences) if i not in self.cited]

    def to_dict(self) -> CoverageJSON:
        return {
            "source": display_path(self.source),
            "sentences": len(self.sentences),
            "cited": len(self.cited),
            "share": round(self.share, 4),
            "uncited": self.uncited,
        }


def coverage(report: Report) -> list[Coverage]:
    """For each source document, which of its claims (prose sentences, not titles or
    captions) some evidence cites."""
    documents: dict[Path, SourceDocument] = {}
    quotes: dict[Path, list[str]] = defaultdict(list)
    for bank in report.banks:
        if not bank.bank.bank.source:  # not grounded: nothing to cover
            continue
        try:  # a source that may not be read was reported by `validate`; never read it
            doc = read_source(bank.path, bank.bank.bank.source)
        except SourceRefused:
            continue
        documents[doc.path] = doc
        quotes[doc.path] += [q for question in bank.questions for q in question.quotes]
    coverages = []
    for path in sorted(quotes):
        doc = documents[path]
        cited, unsearched = _cited(doc, quotes[path])
        claims = [i for i, prose in enumerate(doc.prose) if prose]  # not titles, captions
        coverages.append(
            Coverage(
                path,
                [doc.sentences[i] for i in claims],
                {n for n, i in enumerate(claims) if i in cited},
                unsearched,
            )
        )
    return coverages


def _cited(doc: SourceDocument, quotes: Sequence[str]) -> tuple[set[int], int]:
    """The sentences the quotes cite, and how many quotes were left unsearched when
    the work on this source ran out."""
    work, cited = Work(), set[int]()
    for done, quote in enumerate(quotes):
        try:
            cited |= doc.cited([quote], work)
        except OutOfWork:
            return cited, len(quotes) - done
    return cited, 0


def _clip(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
