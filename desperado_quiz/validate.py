"""The validator: every rule about question files, as findings. No terminal I/O.

The loader already reports what the model itself enforces (syntax, schema, identity,
answers consistent with their type, control characters). This module adds the rules
that need the source document or several questions at once: grounding, near-duplicates
and quality warnings, and the coverage of the source by the evidence.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desperado_quiz.findings import Finding, Severity, sort_key
from desperado_quiz.loader import LoadedBank, LoadResult, load_banks, parse_bank
from desperado_quiz.model import AnyQuestion, ChoiceQuestion, MultiQuestion
from desperado_quiz.source import SourceDocument
from desperado_quiz.text import normalise_answer

MAX_QUESTION_CHARS = 300
MAX_CHOICE_CHARS = 120
NEAR_DUPLICATE_RATIO = 90.0
_CATCH_ALL = ("all of the above", "none of the above")
_BLOCK_TOKENS = 3  # near-duplicate candidates share one of their 3 rarest words
_MAX_BLOCK = 200  # a word shared by more questions than this tells nothing


@dataclass
class Report:
    """What one validation run found, and what it looked at."""

    load: LoadResult
    findings: list[Finding] = field(default_factory=list)
    sources: dict[Path, SourceDocument] = field(default_factory=dict)

    @property
    def banks(self) -> list[LoadedBank]:
        return self.load.banks

    @property
    def errors(self) -> int:
        return sum(f.severity is Severity.ERROR for f in self.findings)

    @property
    def warnings(self) -> int:
        return sum(f.severity is Severity.WARNING for f in self.findings)

    @property
    def files(self) -> list[Path]:
        return sorted({f.path for f in self.findings} | {b.path for b in self.banks})

    @property
    def question_count(self) -> int:
        return sum(len(bank.questions) for bank in self.banks)

    def failed(self, strict: bool = False) -> bool:
        return bool(self.errors or (strict and self.warnings))

    def summary(self) -> dict[str, int]:
        return {
            "files": len(self.files),
            "banks": len(self.banks),
            "questions": self.question_count,
            "errors": self.errors,
            "warnings": self.warnings,
        }


def validate(paths: Sequence[Path] | None = None) -> Report:
    """Load and check question files (the bundled banks when no path is given)."""
    return check(load_banks(paths))


def validate_text(text: str, path: Path) -> Report:
    """Check the would-be contents of ``path`` without writing it (for the wizard)."""
    bank, findings = parse_bank(text, path)
    return check(LoadResult([bank] if bank else [], findings))


def check(load: LoadResult) -> Report:
    """Every rule, on banks already loaded."""
    report = Report(load, list(load.findings))
    for bank in load.banks:
        source = _source_of(bank, report)
        for index, question in enumerate(bank.questions):
            report.findings += question_findings(bank, index, question, source)
    report.findings += near_duplicates(load.banks)
    report.findings.sort(key=sort_key)
    return report


def _source_of(bank: LoadedBank, report: Report) -> SourceDocument | None:
    path = bank.source_path
    if path in report.sources:
        return report.sources[path]
    line = bank.lines.table("bank").of("source")
    try:
        report.sources[path] = SourceDocument.read(path)
    except FileNotFoundError:
        report.findings.append(
            Finding(
                "source-missing",
                Severity.ERROR,
                bank.path,
                line,
                f"source document {bank.bank.bank.source!r} does not exist",
                f"put it at {path} or fix `source`",
            )
        )
        return None
    except (OSError, UnicodeDecodeError) as error:
        report.findings.append(
            Finding(
                "source-missing",
                Severity.ERROR,
                bank.path,
                line,
                f"source document {bank.bank.bank.source!r} cannot be read: {error}",
                "save it as UTF-8 text",
            )
        )
        return None
    return report.sources[path]


def question_findings(
    bank: LoadedBank, index: int, question: AnyQuestion, source: SourceDocument | None
) -> Iterator[Finding]:
    def finding(code: str, severity: Severity, key: str, message: str, hint: str) -> Finding:
        return Finding(
            code, severity, bank.path, bank.line_of(index, key), message, hint, question.id
        )

    if source is not None:
        for quote in question.quotes:
            if not source.contains(quote):
                closest = source.closest_sentence(quote)
                yield finding(
                    "evidence-not-in-source",
                    Severity.ERROR,
                    "evidence",
                    f"evidence is not in {source.path.name}: {_clip(quote)!r}",
                    f"closest passage: {_clip(closest)!r}",
                )
    if question.type in ("choice", "text", "number") and not _answer_in_evidence(question):
        yield finding(
            "answer-not-in-evidence",
            Severity.WARNING,
            "evidence",
            f"the answer {question.answer_text!r} does not appear in its evidence",
            "quote the passage that states the answer",
        )
    if not question.explanation.strip():
        yield finding(
            "missing-explanation",
            Severity.WARNING,
            "question",
            "no explanation to show after the answer",
            'add `explanation = "..."`',
        )
    if len(question.question) > MAX_QUESTION_CHARS:
        yield finding(
            "long-question",
            Severity.WARNING,
            "question",
            f"question is {len(question.question)} characters long",
            f"keep it under {MAX_QUESTION_CHARS} so it reads at a glance",
        )
    if isinstance(question, ChoiceQuestion | MultiQuestion):
        yield from _choice_findings(question, finding)


def _choice_findings(question: ChoiceQuestion | MultiQuestion, finding: Any) -> Iterator[Finding]:
    for choice in question.choices:
        if any(phrase in choice.casefold() for phrase in _CATCH_ALL):
            yield finding(
                "all-of-the-above",
                Severity.WARNING,
                "choices",
                f"choice {choice!r} is a catch-all",
                "use a multi question, or a real distractor",
            )
        if len(choice) > MAX_CHOICE_CHARS:
            yield finding(
                "long-choice",
                Severity.WARNING,
                "choices",
                f"choice is {len(choice)} characters long: {_clip(choice)!r}",
                f"keep choices under {MAX_CHOICE_CHARS} characters",
            )


def _answer_in_evidence(question: AnyQuestion) -> bool:
    evidence = f" {normalise_answer(' '.join(question.quotes))} "
    if question.type == "number":
        answer: float = question.answer  # type: ignore[assignment]
        forms = {f"{answer:g}", f"{answer:,.0f}"} if answer == int(answer) else {f"{answer:g}"}
        return any(f" {normalise_answer(form)} " in evidence for form in forms)
    accepted = getattr(question, "accepted", (question.answer_text,))
    return any(f" {normalise_answer(a)} " in evidence for a in accepted)


def near_duplicates(banks: Sequence[LoadedBank]) -> list[Finding]:
    """Questions with nearly the same text and the same answer, across all banks.

    Not quadratic: each question is compared only with those that share its answer and
    one of its rarest words, the words two near-copies are most sure to keep.
    """
    from rapidfuzz import fuzz

    entries = [
        (bank, index, q, normalise_answer(q.question))
        for bank in banks
        for index, q in enumerate(bank.questions)
    ]
    frequency = Counter(word for *_, text in entries for word in set(text.split()))
    blocks: dict[tuple[str, str], list[int]] = defaultdict(list)
    for position, (_, _, question, text) in enumerate(entries):
        words = sorted(set(text.split()), key=lambda w: (frequency[w], w))[:_BLOCK_TOKENS]
        answer = normalise_answer(question.answer_text)
        for word in words:
            blocks[(answer, word)].append(position)
    compared: set[tuple[int, int]] = set()
    pairs: set[tuple[int, int]] = set()
    for members in blocks.values():
        if len(members) > _MAX_BLOCK:
            continue
        for i, first in enumerate(members):
            for second in members[i + 1 :]:
                if (first, second) in compared:
                    continue
                compared.add((first, second))
                score = fuzz.token_sort_ratio(entries[first][3], entries[second][3])
                if score >= NEAR_DUPLICATE_RATIO:
                    pairs.add((first, second))
    findings = []
    for first, second in sorted(pairs):
        bank, index, question, _ = entries[second]
        other_bank, other_index, other, _ = entries[first]
        findings.append(
            Finding(
                "near-duplicate",
                Severity.WARNING,
                bank.path,
                bank.line_of(index),
                f"nearly the same question and answer as {other.id!r} at "
                f"{other_bank.path}:{other_bank.line_of(other_index)}",
                "remove one, or ask about something else",
                question.id,
            )
        )
    return findings


@dataclass(frozen=True)
class Coverage:
    source: Path
    sentences: list[str]
    cited: set[int]

    @property
    def share(self) -> float:
        return len(self.cited) / len(self.sentences) if self.sentences else 1.0

    @property
    def uncited(self) -> list[str]:
        return [s for i, s in enumerate(self.sentences) if i not in self.cited]

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": str(self.source),
            "sentences": len(self.sentences),
            "cited": len(self.cited),
            "share": round(self.share, 4),
            "uncited": self.uncited,
        }


def coverage(report: Report) -> list[Coverage]:
    """For each source document, which of its sentences some evidence cites."""
    quotes: dict[Path, list[str]] = defaultdict(list)
    for bank in report.banks:
        quotes[bank.source_path] += [q for question in bank.questions for q in question.quotes]
    return [
        Coverage(path, doc.sentences, doc.cited(quotes[path]))
        for path, doc in sorted(report.sources.items())
    ]


def _clip(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
