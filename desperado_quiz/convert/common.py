"""What every format shares: the report of an export, the result of an import, HTML
text, and the building of imported questions.

An export never loses a question silently: each one is ``exported``, ``changed`` (it
went out, but something was left out or rewritten: the reasons say what) or ``skipped``
(the format cannot express it: the reason says why). An import either reads the whole
file or raises ``BrokenInput`` with the line and what was expected; a question the
format holds but the models cannot (an essay, a matching question) is skipped with a
reason, never dropped silently.
"""

from __future__ import annotations

import html
import io
import random
import re
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from typing_extensions import TypedDict

from desperado_quiz.authoring import slugify, unique_id
from desperado_quiz.findings import FindingJSON, SummaryJSON
from desperado_quiz.model import SLUG_PATTERN, AnyQuestion, Bank, adapter, choice_key

Status = Literal["exported", "changed", "skipped"]
DEFAULT_CATEGORY = "General"
DEFAULT_DIFFICULTY = "medium"


# The report of an export ---------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """What became of one question in an export."""

    bank: str
    question: str
    status: Status
    reasons: tuple[str, ...] = ()


class OutcomeJSON(TypedDict):
    bank: str
    id: str
    status: str
    reasons: list[str]


class ExportJSON(TypedDict):
    """The data of ``desperado-quiz export --json``."""

    format: str
    output: str
    exported: int
    changed: int
    skipped: int
    changed_reasons: dict[str, int]
    skipped_reasons: dict[str, int]
    not_carried: list[str]
    questions: list[OutcomeJSON]
    seed: int | None  # what ordered the choices; null for a format whose reader shuffles


@dataclass
class ExportReport:
    outcomes: list[Outcome] = field(default_factory=list)

    def exported(self, bank: str, question: str, changes: Sequence[str] = ()) -> None:
        status: Status = "changed" if changes else "exported"
        self.outcomes.append(Outcome(bank, question, status, tuple(changes)))

    def skipped(self, bank: str, question: str, reason: str) -> None:
        self.outcomes.append(Outcome(bank, question, "skipped", (reason,)))

    def count(self, status: Status) -> int:
        return sum(outcome.status == status for outcome in self.outcomes)

    @property
    def written(self) -> int:
        """Questions in the output, changed or not."""
        return self.count("exported") + self.count("changed")

    def reasons(self, status: Status) -> dict[str, int]:
        """How many questions each reason applies to, most frequent first."""
        counts = Counter(
            reason
            for outcome in self.outcomes
            if outcome.status == status
            for reason in outcome.reasons
        )
        return dict(counts.most_common())

    def to_dict(self, name: str, output: str, not_carried: Sequence[str]) -> ExportJSON:
        return {
            "format": name,
            "output": output,
            "exported": self.count("exported"),
            "changed": self.count("changed"),
            "skipped": self.count("skipped"),
            "changed_reasons": self.reasons("changed"),
            "skipped_reasons": self.reasons("skipped"),
            "not_carried": list(not_carried),
            "seed": None,
            "questions": [
                {"bank": o.bank, "id": o.question, "status": o.status, "reasons": list(o.reasons)}
                for o in self.outcomes
            ],
        }


@dataclass(frozen=True)
class Exported:
    data: bytes
    report: ExportReport


@dataclass(frozen=True)
class ExportOptions:
    """What makes an export reproducible: the ``seed`` that orders the choices, and the
    ``timestamp`` (seconds since the epoch) written where a format wants a time, the
    time the banks last changed: the same banks and seed give the same file, byte for
    byte, and a newer bank a newer file (Anki updates a note only from a newer one)."""

    seed: int = 0
    timestamp: float = 0.0


NO_OPTIONS = ExportOptions()


class ChoiceDealer:
    """Choices in an order drawn from the seed, for the formats whose reader shows them
    as written (Kahoot, Anki, Aiken, Canvas): the banks store the right answer first.

    The right answer's position is dealt, not drawn: among questions with the same
    number of choices, each position comes once before any comes again, so that no
    position is right much more often than another (a player who always picks the red
    triangle gets about a quarter right). The other choices are shuffled."""

    def __init__(self, seed: int) -> None:
        self._rng = random.Random(f"desperado-quiz export {seed}")
        self._decks: dict[int, list[int]] = {}

    def order(self, options: Sequence[str], right: Sequence[str]) -> list[str]:
        others = [option for option in options if option not in right]
        if len(right) != 1:  # several right answers: a plain shuffle spreads them
            every = list(options)
            self._rng.shuffle(every)
            return every
        deck = self._decks.setdefault(len(options), [])
        if not deck:
            deck.extend(range(len(options)))
            self._rng.shuffle(deck)
        self._rng.shuffle(others)
        others.insert(deck.pop(), right[0])
        return others


ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can say: the same on every run


def steady_zip(files: Sequence[tuple[str, bytes]]) -> bytes:
    """A zip of ``files`` in this order, every entry dated ``ZIP_TIME``: the same bytes
    for the same files, wherever and whenever it is made."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files:
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def rezipped(data: bytes, change: Callable[[str, bytes], bytes] | None = None) -> bytes:
    """A zip that a library wrote, made steady (see ``steady_zip``); ``change`` may
    rewrite an entry (a time the library wrote inside it)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        files = [(info.filename, archive.read(info)) for info in archive.infolist()]
    if change is not None:
        files = [(name, change(name, content)) for name, content in files]
    return steady_zip(files)


def each_question(banks: Sequence[Bank]) -> Iterator[tuple[Bank, AnyQuestion]]:
    for bank in banks:
        for question in bank.questions:
            yield bank, question


# The result of an import -----------------------------------------------------------


class BrokenInput(Exception):
    """The input cannot be read: ``line`` (1-based, or None) and what was expected."""

    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass(frozen=True)
class ImportedQuestion:
    """A question as read: a valid model (with the evidence the file quoted, if any),
    where it was found, and passages to suggest as evidence."""

    question: AnyQuestion
    line: int | None = None


@dataclass(frozen=True)
class Skip:
    line: int | None
    reason: str


class SkipJSON(TypedDict):
    line: int | None
    reason: str


class ImportJSON(TypedDict):
    """The data of ``desperado-quiz import --json``."""

    format: str
    input: str
    output: str
    bank: str
    imported: int
    skipped: list[SkipJSON]
    summary: SummaryJSON
    findings: list[FindingJSON]


@dataclass
class Imported:
    """A bank as read from another format: what it says of itself, and its questions."""

    title: str = ""
    description: str = ""
    questions: list[ImportedQuestion] = field(default_factory=list)
    skipped: list[Skip] = field(default_factory=list)


class Builder:
    """Builds imported questions: an id from the format's own name for the question or
    from its text, unique in the bank; category and difficulty defaults; the models'
    rules checked. A question the models refuse is skipped with the models' reason."""

    def __init__(self) -> None:
        self.result = Imported()
        self._taken: set[str] = set()

    def add(
        self,
        data: dict[str, Any],
        line: int | None,
        name: str = "",
    ) -> None:
        data = {key: value for key, value in data.items() if value not in (None, "")}
        if where := _surrogate_in(data):
            # JSON and YAML can spell half a character ("\ud800"): no file can hold it.
            self.skip(line, f"{where} holds a lone surrogate (half a character), not text")
            return
        data.setdefault("category", DEFAULT_CATEGORY)
        data.setdefault("difficulty", DEFAULT_DIFFICULTY)
        data["id"] = unique_id(_id_from(name, str(data.get("question", ""))), self._taken)
        question, problem = build_question(data)
        if question is None:
            self.skip(line, problem)
            return
        self._taken.add(question.id)
        self.result.questions.append(ImportedQuestion(question, line))

    def skip(self, line: int | None, reason: str) -> None:
        self.result.skipped.append(Skip(line, reason))


_SURROGATE = re.compile("[\ud800-\udfff]")


def has_surrogate(text: str) -> bool:
    return _SURROGATE.search(text) is not None


def _surrogate_in(data: dict[str, Any]) -> str:
    """The first key whose text (or an item of its list) holds a lone surrogate."""
    for key, value in data.items():
        items = value if isinstance(value, list) else [value]
        if any(isinstance(item, str) and has_surrogate(item) for item in items):
            return key
    return ""


def _id_from(name: str, text: str) -> str:
    name = name.strip()
    if re.fullmatch(SLUG_PATTERN, name):
        return name
    return slugify(name or text)


def build_question(data: dict[str, Any]) -> tuple[AnyQuestion | None, str]:
    """The question in ``data`` checked by the models; or None and the first rule it
    breaks. Evidence is only what the file itself quoted: an import never invents any."""
    from pydantic import ValidationError

    if not data.get("evidence"):
        data = {key: value for key, value in data.items() if key != "evidence"}
    try:
        question: AnyQuestion = adapter("question").validate_python(data)
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        where = ".".join(str(part) for part in first["loc"][1:])
        return None, f"{where}: {first['msg']}" if where else first["msg"]
    return question, ""


def distinct(items: Sequence[str]) -> list[str]:
    """``items`` without the repeats the models would refuse (case and spacing)."""
    seen: set[str] = set()
    kept = []
    for item in items:
        if choice_key(item) not in seen:
            seen.add(choice_key(item))
            kept.append(item)
    return kept


# Moodle's categories, shared by Moodle XML and GIFT -------------------------------


def category_path(bank_title: str, category: str) -> str:
    """``$course$/top/<bank title>/<category>``: Moodle separates categories with ``/``
    and writes a ``/`` inside a name as ``//``."""
    parts = [name.replace("/", "//").replace("\n", " ") for name in (bank_title, category)]
    return "$course$/top/" + "/".join(parts)


def category_parts(path: str) -> list[str]:
    """The names in a category path, under Moodle's own ($course$, top)."""
    parts = [p.replace("\0", "/").strip() for p in path.strip().replace("//", "\0").split("/")]
    return [p for p in parts if p and not re.fullmatch(r"\$\w+\$|top", p)]


# Text ----------------------------------------------------------------------------


def to_html(text: str) -> str:
    """Plain text as HTML: special characters escaped, line breaks kept."""
    return html.escape(text, quote=False).replace("\n", "<br>")


_BREAK = re.compile(r"<br\s*/?>|</p>\s*<p[^>]*>|</(?:div|li|h\d)>", re.IGNORECASE)
_TAG = re.compile(r"<[^<>]*>")  # never across another "<": linear, however many "<" there are


def from_html(text: str) -> str:
    """HTML as plain text: breaks and paragraphs become line breaks, other tags go,
    entities are decoded (``&quot;``, ``&#039;``, ``&eacute;``)."""
    plain = html.unescape(_TAG.sub("", _BREAK.sub("\n", text)))
    return plain.replace("\xa0", " ").strip()  # &nbsp; is how editors keep a space


def entities(text: str) -> str:
    """Text with HTML's special characters as entities, as Open Trivia DB serves it."""
    return html.escape(text, quote=True).replace("&#x27;", "&#039;")


def number_text(value: float) -> str:
    """A number as formats read it: no exponent, no trailing ``.0``."""
    text = format(Decimal(repr(value)), "f")
    return text.removesuffix(".0") if "." in text and text.endswith(".0") else text


def one_line(text: str) -> str:
    """Text for a format that has no line breaks."""
    return " ".join(text.split("\n"))


# Feedback: the explanation, then the evidence, as Moodle XML and GIFT carry them ----

_QUOTE = re.compile(r"<blockquote>(.*?)</blockquote>", re.DOTALL)


def feedback_html(question: AnyQuestion) -> str:
    """The explanation, then each evidence quote as a ``<blockquote>``."""
    parts = [f"<p>{to_html(question.explanation)}</p>"] if question.explanation else []
    parts += [f"<blockquote>{to_html(quote)}</blockquote>" for quote in question.quotes]
    return "".join(parts)


def feedback_parts(html: str) -> tuple[str, list[str]]:
    """The explanation and the quotes of a feedback written as ``feedback_html`` does:
    the quotes come back as evidence."""
    quotes = [from_html(quote) for quote in _QUOTE.findall(html)]
    start = html.find("<blockquote>")
    return from_html(html[:start] if start >= 0 else html), [q for q in quotes if q]
