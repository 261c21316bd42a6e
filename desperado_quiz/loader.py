"""Find question files, parse them, and build models or findings that point at file:line.

Nothing here prints or exits: every problem becomes a ``Finding``, and a file with
problems still yields the questions that are valid, so that one run reports them all.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import re
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol, get_type_hints

from typing_extensions import TypedDict

from desperado_quiz.findings import Budget, Budgets, Finding, Severity, bounded
from desperado_quiz.model import (
    DIFFICULTIES,
    MAX_CHOICES,
    MAX_ITEMS,
    MIN_CHOICES,
    MIN_ORDER_ITEMS,
    MODEL_BY_TYPE,
    QUESTION_TYPES,
    AnyQuestion,
    Bank,
    BankInfo,
    adapter,
    grounded_rule,
    validation,
)
from desperado_quiz.table_lines import TableLines
from desperado_quiz.text import display_path
from desperado_quiz.values import frozen

if TYPE_CHECKING:  # pydantic is imported only when a file is read from disk
    import tomllib

    from pydantic import TypeAdapter, ValidationError
    from pydantic_core import ErrorDetails, PydanticCustomError

    from desperado_quiz.related import Relation
    from desperado_quiz.toml_lines import LineMap

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_QUESTIONS = 10_000  # in one file: far more than a bank needs, and a bound on the work
BANK_SUFFIX = ".toml"
_TOP_LEVEL_KEYS = ("bank", "questions")
_TYPE_HINTS = {
    "bool_type": "write true or false, without quotes",
    "float_type": "write a number without quotes, e.g. 58 or 25.4",
    "string_type": 'put the text in double quotes, e.g. "Bucho"',
    "list_type": 'write a list in square brackets, e.g. ["...", "..."]',
}
# pydantic error types on a single value -> (finding code, message or "" for pydantic's, hint)
_FIELD_CODES = {
    "blank-text": ("blank-text", "", "write the text or remove the key"),
    "control-characters": ("control-characters", "", "remove it; question text must be printable"),
    "greater_than_equal": ("negative-tolerance", "must be 0 or more", "tolerance is a distance"),
    "finite_number": (
        "non-finite-number",
        "must be a finite number, not nan or inf",
        "write an ordinary number, e.g. 58",
    ),
    "dataclass_type": (
        "wrong-type",
        "must be a table",
        "write it as a [bank] or [[questions]] table",
    ),
}
_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


class BankPathError(Exception):
    """A path or bank id given on the command line that names no question file."""


@frozen
class LoadedBank:
    bank: Bank
    path: Path
    bank_lines: TableLines = field(repr=False, compare=False)
    # The lines of each question's table, aligned with ``questions`` (the valid ones).
    question_lines: list[TableLines] = field(repr=False, compare=False)
    # Questions with errors, built from their keys that are valid on their own, so that
    # every rule that can still run on them does (see ``partial_question``).
    partial: list[tuple[AnyQuestion, TableLines]] = field(
        default_factory=list, repr=False, compare=False
    )
    # The lines of the text it was read from, where any key's line can still be looked
    # up; it holds the text, so ``compact`` leaves it out.
    line_map: LineMap | None = field(default=None, repr=False, compare=False)

    @property
    def info(self) -> BankInfo:
        """The ``[bank]`` table."""
        return self.bank.bank

    @property
    def id(self) -> str:
        return self.info.id

    @property
    def title(self) -> str:
        return self.info.title

    @property
    def questions(self) -> list[AnyQuestion]:
        return self.bank.questions

    @property
    def source_path(self) -> Path:
        return self.path.parent / self.info.source

    def line_of(self, index: int, key: str | None = None) -> int:
        return self.question_lines[index].of(key)

    def every_question(self) -> list[tuple[AnyQuestion, TableLines]]:
        """Valid and partial questions with their lines, in the order of the file."""
        pairs = [*zip(self.questions, self.question_lines, strict=True), *self.partial]
        return sorted(pairs, key=lambda pair: pair[1].line)

    @cached_property
    def _in_file_order(self) -> list[tuple[AnyQuestion, TableLines]]:
        return self.every_question()

    def question_ids(self) -> list[str]:
        return [question.id for question, _ in self._in_file_order]

    def table_of(self, position: int) -> TableLines:
        return self._in_file_order[position][1]

    # What a game draws from, which a bank from the cache answers without building
    # its questions (see ``bank_cache.CachedBank``). Positions are in file order.

    @property
    def size(self) -> int:
        """How many valid questions the bank holds."""
        return len(self.questions)

    def ids(self) -> Sequence[str]:
        """The id of each valid question, in file order."""
        return [question.id for question in self.questions]

    def id_order(self) -> Sequence[int]:
        """The positions of the questions, sorted by id: the order a game's seed
        shuffles, whatever the order of the file."""
        ids = self.ids()
        return sorted(range(len(ids)), key=ids.__getitem__)

    def question_at(self, position: int) -> AnyQuestion:
        return self.questions[position]

    def facets(self) -> tuple[list[Facet], Sequence[int]]:
        """What the filters of a game read of each question: the distinct facets, and
        the index of each question's facet in them."""
        return facets_of(self.questions)

    def summary(self) -> BankSummary:
        return summarise(self)

    def compact(self) -> LoadedBank:
        """The same bank remembering only table and id lines: lighter to keep or send
        between processes once the per-question findings are made."""

        def slim(table: TableLines) -> TableLines:
            return TableLines(table.line, {k: v for k, v in table.keys.items() if k in kept})

        kept = ("id", "question", "choices", "answer")  # what cross-file findings point at

        return replace(
            self,
            question_lines=[slim(t) for t in self.question_lines],
            partial=[(q, slim(t)) for q, t in self.partial],
            line_map=None,
        )


class Facet(NamedTuple):
    """What the filters of a game read of a question."""

    category: str
    difficulty: str
    tags: tuple[str, ...]


def facets_of(questions: Iterable[AnyQuestion]) -> tuple[list[Facet], list[int]]:
    """The distinct facets of ``questions``, and the index of each question's."""
    table: dict[Facet, int] = {}
    index = [
        table.setdefault(Facet(q.category, q.difficulty, tuple(q.tags)), len(table))
        for q in questions
    ]
    return list(table), index


class RelationStore(Protocol):
    """Where the relation of a set of banks is kept between runs (``bank_cache``)."""

    def read(self) -> Relation | None: ...

    def write(self, relation: Relation) -> None: ...


@dataclass
class LoadResult:
    banks: list[LoadedBank] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    # Keeps the relation of these banks when the cache can (every file clean).
    relation_store: RelationStore | None = field(default=None, repr=False, compare=False)
    _relation: Relation | None = field(default=None, repr=False, compare=False)

    def relation(self) -> Relation:
        """Which of these banks' questions must not meet in one game, by their place
        in ``Catalog`` order: read from the cache when it holds it, else worked out
        (and kept there)."""
        if self._relation is None:
            from desperado_quiz.catalog import Catalog

            stored = self.relation_store.read() if self.relation_store else None
            if stored is None:
                stored = Catalog(self.banks).relation()
                if self.relation_store:
                    self.relation_store.write(stored)
            self._relation = stored
        return self._relation

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class Found:
    """The question files under some paths, and what stood in the way of finding them."""

    files: list[Path] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def bank_files(paths: Iterable[Path]) -> Found:
    """Question files in the given files and folders, each folder searched recursively.

    A path that does not exist is a usage error (``BankPathError``). Anything else that
    is not a readable question file becomes a finding, never a silent skip: a FIFO or a
    device (never opened, so never waited on), a folder that cannot be read, a folder
    with no question file in it.
    """
    found = Found()
    for path in paths:
        try:
            mode = path.stat().st_mode
        except FileNotFoundError:
            raise BankPathError(f"no such file or folder: {display_path(path)}") from None
        except OSError as error:
            found.findings.append(_file_finding("unreadable", path, None, _reason(error)))
            continue
        if stat.S_ISDIR(mode):
            before = (len(found.files), len(found.findings))
            _walk(path, found)
            if (len(found.files), len(found.findings)) == before:
                found.findings.append(
                    _file_finding(
                        "no-question-files",
                        path,
                        None,
                        f"no question files (*{BANK_SUFFIX}) in this folder",
                        "give a question file, or a folder that holds some",
                    )
                )
        elif stat.S_ISREG(mode):
            found.files.append(path)
        else:
            found.findings.append(_not_a_file(path))
    found.files = list(dict.fromkeys(found.files))
    return found


def _walk(folder: Path, found: Found) -> None:
    def unreadable(error: OSError) -> None:
        where = Path(error.filename) if error.filename else folder
        found.findings.append(_file_finding("unreadable", where, None, _reason(error)))

    inside = folder.resolve()
    # os.walk does not follow links to folders, so a link loop cannot trap it.
    for root, dirs, names in os.walk(folder, onerror=unreadable):
        dirs.sort()
        for name in sorted(names):
            if not name.endswith(BANK_SUFFIX):
                continue
            path = Path(root) / name
            try:
                mode = path.stat().st_mode
                outside = path.is_symlink() and not path.resolve().is_relative_to(inside)
            except (OSError, RuntimeError) as error:
                reason = _reason(error) if isinstance(error, OSError) else "a symlink loop"
                found.findings.append(_file_finding("unreadable", path, None, reason))
                continue
            if outside:  # a folder from a stranger must not reach /proc/self/environ
                found.findings.append(
                    _file_finding(
                        "not-a-file",
                        path,
                        None,
                        "a link to a file outside this folder, so it is not read",
                        "give the file itself, or the folder that holds it",
                    )
                )
            elif stat.S_ISREG(mode):
                found.files.append(path)
            elif not stat.S_ISDIR(mode):
                found.findings.append(_not_a_file(path))


def _not_a_file(path: Path) -> Finding:
    return _file_finding(
        "not-a-file",
        path,
        None,
        "not a regular file (a pipe, a device or a socket), so it is not read",
        "give a question file (.toml)",
    )


def _reason(error: OSError) -> str:
    return error.strerror or type(error).__name__


def load_files(found: Found) -> LoadResult:
    result = LoadResult(findings=list(found.findings))
    for path in found.files:
        bank, findings = load_file(path)
        result.findings.extend(findings)
        if bank is not None:
            result.banks.append(bank)
    return result


def load_file(path: Path) -> tuple[LoadedBank | None, list[Finding]]:
    text, finding = read_text(path)
    if finding:
        return None, [finding]
    return parse_bank(text, path)


def read_text(path: Path) -> tuple[str, Finding | None]:
    """The file's text, or the finding that says why it cannot be read."""
    data, _, finding = read_bytes(path)
    return ("", finding) if finding else decode(data, path)


class FileBytes(NamedTuple):
    data: bytes
    info: os.stat_result | None  # of the file opened, taken before it was read
    finding: Finding | None


def read_bytes(path: Path) -> FileBytes:
    """The file's bytes and its status, or the finding that says why it cannot be read.

    Opened without blocking and checked again once open, so that a file swapped for a
    pipe since it was found can never hang the run.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as error:
        return FileBytes(b"", None, _file_finding("unreadable", path, None, _reason(error)))
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            return FileBytes(b"", info, _not_a_file(path))
        if info.st_size > MAX_FILE_BYTES:
            return FileBytes(b"", info, _too_large(path, info.st_size))
        try:
            data = handle.read(MAX_FILE_BYTES + 1)
        except OSError as error:
            return FileBytes(b"", info, _file_finding("unreadable", path, None, _reason(error)))
    if len(data) > MAX_FILE_BYTES:  # it grew while we looked
        return FileBytes(b"", info, _too_large(path, len(data)))
    return FileBytes(data, info, None)


def decode(data: bytes, path: Path) -> tuple[str, Finding | None]:
    """A question file's text (UTF-8, a byte-order mark set aside), or why it is not."""
    try:
        return data.decode("utf-8").removeprefix("\ufeff"), None
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return "", _file_finding(
            "not-utf8",
            path,
            line,
            f"byte 0x{data[error.start]:02x} is not UTF-8",
            "save the file as UTF-8",
        )


def _too_large(path: Path, size: int) -> Finding:
    return _file_finding(
        "file-too-large",
        path,
        None,
        f"file is {size / 1_048_576:.1f} MB; question files are limited to 5 MB",
        "split it into several banks",
    )


def parse_bank(
    text: str, path: Path, budget: Budget | None = None
) -> tuple[LoadedBank | None, list[Finding]]:
    """The bank in ``text``, and every finding about it. Never raises: a file that
    defeats the checks is reported as ``internal-error``, and the other files go on.

    ``budget`` bounds the findings of each rule (the validator's, which goes on with
    it); without one, the findings past the bound end in one that counts them."""
    try:
        if budget is not None:
            return _parse_bank(text, path, budget=budget)
        budget = Budget(path)
        bank, findings = _parse_bank(text, path, budget=budget)
        return bank, bounded(findings, budget.cut)
    except Exception as error:  # a bug must not hide the findings of the other files
        return None, [
            _file_finding(
                "internal-error",
                path,
                None,
                f"desperado-quiz could not check this file ({type(error).__name__})",
                "please report it, with the file, as a bug",
            )
        ]


def _parse_bank(
    text: str, path: Path, *, budget: Budget
) -> tuple[LoadedBank | None, list[Finding]]:
    from desperado_quiz.toml_lines import beyond_limits, scan  # read from disk only

    if beyond := beyond_limits(text):  # bounded work before any parsing
        line, code, message, hint = beyond
        return None, [_file_finding(code, path, line, message, hint)]
    import tomllib  # only when a file is read from disk: a start from the cache needs none

    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        return None, [_syntax_finding(error, path, text)]
    lines = scan(text)
    mapper = _ErrorMapper(path, lines, budget)
    findings = [
        finding
        for key in document
        if key not in _TOP_LEVEL_KEYS
        and (finding := mapper.unknown_key(key, lines.top, None, _TOP_LEVEL_KEYS))
    ]
    info = _validate_info(document, mapper, findings)
    valid, partial = _validate_questions(document, mapper, findings)
    if info is None:
        return None, findings
    bank = Bank(bank=info, questions=[question for _, question in valid])
    question_lines = [lines.item("questions", index) for index, _ in valid]
    partial_lines = [(question, lines.item("questions", index)) for index, question in partial]
    loaded = LoadedBank(bank, path, lines.table("bank"), question_lines, partial_lines, lines)
    return loaded, findings


def _validate_info(
    document: dict[str, Any], mapper: _ErrorMapper, findings: list[Finding]
) -> BankInfo | None:
    from pydantic import ValidationError

    if "bank" not in document:
        findings.append(mapper.missing_key("bank", mapper.lines.top, None))
        return None
    try:
        info: BankInfo = adapter("bank_info").validate_python(document["bank"])
        return info
    except ValidationError as error:
        findings.extend(mapper.bank_errors(error))
        return None


Indexed = list[tuple[int, AnyQuestion]]  # (index in the file, question)


def _validate_questions(
    document: dict[str, Any], mapper: _ErrorMapper, findings: list[Finding]
) -> tuple[Indexed, Indexed]:
    """The valid questions, and the partial ones built from questions with errors."""
    raw_questions = document.get("questions")
    if raw_questions is None:
        findings.append(
            mapper.missing_key(
                "questions", mapper.lines.top, None, "add at least one [[questions]] table"
            )
        )
        return [], []
    if not isinstance(raw_questions, list) or not all(isinstance(q, dict) for q in raw_questions):
        findings.append(
            mapper.finding(
                "wrong-type",
                mapper.lines.top.of("questions"),
                None,
                "`questions` must be an array of tables",
                "start each question with a [[questions]] line",
            )
        )
        return [], []
    if len(raw_questions) > MAX_QUESTIONS:  # a bound on the work a file can ask for
        findings.append(
            mapper.finding(
                "too-many-questions",
                mapper.lines.top.of("questions"),
                None,
                f"{len(raw_questions):,} questions in one file; at most {MAX_QUESTIONS:,}",
                "split it into several banks",
            )
        )
        return [], []
    from pydantic import ValidationError

    bank = document.get("bank")
    grounded = isinstance(bank, dict) and "source" in bank
    try:  # one call for the whole file: the usual case, a file without errors
        questions: list[AnyQuestion] = adapter("questions").validate_python(raw_questions)
        if not (grounded and any(not question.evidence for question in questions)):
            return list(enumerate(questions)), []
    except ValidationError:
        pass  # question by question, so that each error is told at its question
    valid: Indexed = []
    partial: Indexed = []
    for index, raw in enumerate(raw_questions):
        try:
            question: AnyQuestion = adapter("question").validate_python(raw)
        except ValidationError as error:
            findings.extend(mapper.question_errors(error, index, raw))
            partial.append((index, partial_question(raw)))
            continue
        if grounded and (broken := grounded_rule(question)):  # see ``Bank``
            findings.append(mapper.rule_finding(broken, index, question.id))
            partial.append((index, question))
        else:
            valid.append((index, question))
    return valid, partial


def partial_question(raw: dict[str, Any]) -> AnyQuestion:
    """A question with errors, made of the keys that are valid on their own (a bad
    answer does not stop its evidence from being checked). Missing keys read as empty;
    the rules only use what such a question has."""
    from pydantic import ValidationError

    kind = raw.get("type")
    model = MODEL_BY_TYPE.get(kind) if isinstance(kind, str) else None
    model = model or MODEL_BY_TYPE["text"]
    kept: dict[str, Any] = {"type": model.TYPE}
    for name, value in raw.items():
        # Only a field's name reaches the cache: a file of 400,000 unknown keys must not fill it.
        known = isinstance(name, str) and name in _field_names(model.TYPE)
        field_adapter = _field_adapter(model.TYPE, name) if known else None
        if field_adapter is None:
            continue
        try:
            kept[name] = field_adapter.validate_python(value, strict=True)
        except ValidationError:
            continue
    empty = {"id": "", "question": "", "category": "", "difficulty": "easy"}
    return _unchecked(model, empty | kept)


def _unchecked(model: type[AnyQuestion], values: dict[str, Any]) -> AnyQuestion:
    """A question of ``values`` without its rules, which it breaks; a field with neither
    a value nor a default is left unset, as no rule reads it."""
    question = object.__new__(model)
    for each in dataclasses.fields(model):
        if each.name in values:
            value = values[each.name]
        elif each.default is not dataclasses.MISSING:
            value = each.default
        elif each.default_factory is not dataclasses.MISSING:
            value = each.default_factory()
        else:
            continue
        object.__setattr__(question, each.name, value)  # frozen: set as __init__ would
    return question


@cache
def _field_names(kind: str) -> frozenset[str]:
    return frozenset(each.name for each in dataclasses.fields(MODEL_BY_TYPE[kind]))


@cache
def _field_adapter(kind: str, name: str) -> TypeAdapter[Any] | None:
    if name in ("type", "answer"):  # an answer may need its choices
        return None
    from pydantic import TypeAdapter

    validation()  # pydantic's names, which the annotations use
    annotation = get_type_hints(MODEL_BY_TYPE[kind], include_extras=True).get(name)
    return None if annotation is None else TypeAdapter(annotation)


def build_validators() -> None:
    """Build the validators of a file's questions now, rather than on first use."""
    adapter("questions")


class IdentifiedBank(Protocol):
    """What ``duplicate_ids`` reads of a bank: a loaded bank, or validation's digest."""

    @property
    def id(self) -> str: ...

    @property
    def path(self) -> Path: ...

    @property
    def bank_lines(self) -> TableLines: ...

    def question_ids(self) -> Sequence[str]:
        """The id of every question table, valid or not, in the order of the file."""
        ...

    def table_of(self, position: int) -> TableLines:
        """The lines of the question at ``position`` in ``question_ids``."""
        ...


def duplicate_ids(banks: Sequence[IdentifiedBank], budgets: Budgets | None = None) -> list[Finding]:
    """Bank ids and question ids must be unique across everything loaded together,
    questions with other errors included. Past a file's ``budgets``, only counted."""
    budgets = Budgets() if budgets is None else budgets
    findings: list[Finding] = []
    bank_seen: dict[str, IdentifiedBank] = {}
    # Where each id was first seen; its line is only looked up for a finding.
    question_seen: dict[str, tuple[IdentifiedBank, int]] = {}
    for bank in banks:
        if first := bank_seen.get(bank.id):
            findings.append(
                _file_finding(
                    "duplicate-id",
                    bank.path,
                    bank.bank_lines.of("id"),
                    f"bank id {bank.id!r} is also used by {display_path(first.path)}",
                    "give each bank its own id",
                )
            )
        bank_seen.setdefault(bank.id, bank)
        for position, question_id in enumerate(bank.question_ids()):
            if not question_id:
                continue
            if seen := question_seen.get(question_id):
                if not budgets.allows(bank.path, "duplicate-id", Severity.ERROR):
                    continue
                other, where = seen
                line = other.table_of(where).of("id")
                findings.append(
                    Finding(
                        "duplicate-id",
                        Severity.ERROR,
                        bank.path,
                        bank.table_of(position).of("id"),
                        f"question id {question_id!r} is also used at "
                        f"{display_path(other.path)}:{line}",
                        "ids must be unique across all banks; rename one of them",
                        question_id,
                    )
                )
            else:
                question_seen[question_id] = (bank, position)
    return findings


def _file_finding(code: str, path: Path, line: int | None, message: str, hint: str = "") -> Finding:
    return Finding(code, Severity.ERROR, path, line, message, hint)


# tomllib's words for a syntax error, in the words of someone writing a question, with
# what to do. The first that the message starts with applies; tomllib's own words follow
# in brackets for whoever knows TOML.
_SYNTAX_ADVICE = (
    (
        "Illegal character '\\n'",
        "a string runs to the end of the line without its closing quote",
        'close it with " on the same line, or use """triple quotes""" for several lines',
    ),
    (
        "Unterminated string",
        "a string is not closed",
        'close it with the quote it opened with; inside it, write \\" for a quote',
    ),
    (
        "Illegal character",
        "a character that is not allowed here (a control character, or a tab in a key?)",
        "retype the text at this position",
    ),
    (
        "Cannot overwrite a value",
        "this key is set twice in the same table",
        "keep one of the two lines",
    ),
    (
        "Cannot declare",
        "this table is declared twice",
        "keep one [bank]; start each question with [[questions]] (two brackets)",
    ),
    (
        "Expected '=' after a key",
        "a key without '=' after it",
        'write key = value, e.g. answer = "Los Lobos"; a text value needs quotes',
    ),
    (
        "Invalid value",
        "a value that is not TOML: text without quotes, or a list or table left open",
        'put text in quotes ("..."), and close every [ and {',
    ),
    (
        "Unclosed array",
        "a list [ ... ] is not closed",
        "end the list with ]; separate its items with commas",
    ),
    (
        "Unclosed inline table",
        "an inline table { ... } is not closed",
        "end it with } on the same line",
    ),
    (
        "Expected newline or end of document after a statement",
        "something follows a value on the same line",
        "one key = value a line; text goes inside the quotes, a comment after #",
    ),
    (
        "Invalid statement",
        "a line that is neither key = value nor a [table] header",
        "write key = value, or [[questions]] to start a question",
    ),
    (
        "Invalid initial character for a key part",
        "a key cannot start with this character",
        "keys are words like answer or evidence; text goes after the =",
    ),
)


def _syntax_finding(error: tomllib.TOMLDecodeError, path: Path, text: str) -> Finding:
    message = str(error)
    line = column = None
    if match := _TOML_POSITION.search(message):
        line, column = int(match.group(1)), int(match.group(2))
        message = message[: match.start()].rstrip()
    elif message.endswith("(at end of document)"):
        message = message.removesuffix("(at end of document)").rstrip()
        line = text.count("\n") + (0 if text.endswith("\n") else 1) or 1
    said, hint = f"invalid TOML: {message}", "fix the syntax at this position"
    for start, meaning, advice in _SYNTAX_ADVICE:
        if message.startswith(start):
            said, hint = f"{meaning} [TOML: {message}]", advice
            break
    return Finding("toml-syntax", Severity.ERROR, path, line, said, hint, column=column)


def _dotted(loc: Sequence[str | int]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


class _ErrorMapper:
    """Turns pydantic's errors into findings with a code, a line and a hint."""

    def __init__(self, path: Path, lines: LineMap, budget: Budget) -> None:
        self.path = path
        self.lines = lines
        self.budget = budget

    def finding(
        self, code: str, line: int, question_id: str | None, message: str, hint: str = ""
    ) -> Finding:
        return Finding(code, Severity.ERROR, self.path, line, message, hint, question_id)

    def missing_key(
        self, key: str, table: TableLines, question_id: str | None, hint: str = ""
    ) -> Finding:
        return self.finding(
            "missing-key",
            table.line,
            question_id,
            f"missing key `{key}`",
            hint or f"add `{key} = ...` to this table",
        )

    def unknown_key(
        self, key: str, table: TableLines, question_id: str | None, allowed: Iterable[str]
    ) -> Finding | None:
        """The finding, with a did-you-mean; None (only counted) past the budget, which
        a file of a key a line would otherwise spend a second a thousand lines on."""
        if not self.budget.allows("unknown-key", Severity.ERROR):
            return None
        close = difflib.get_close_matches(key, list(allowed), n=1, cutoff=0.6)
        hint = f"did you mean `{close[0]}`?" if close else f"allowed keys: {', '.join(allowed)}"
        return self.finding("unknown-key", table.of(key), question_id, f"unknown key `{key}`", hint)

    def bank_errors(self, error: ValidationError) -> list[Finding]:
        table = self.lines.table("bank")
        return [
            finding
            for err in error.errors(include_url=False)
            if (finding := self._convert(err, list(err["loc"]), table, None, BankInfo))
        ]

    def rule_finding(self, error: PydanticCustomError, index: int, question_id: str) -> Finding:
        """A rule of model.py broken by a question that is otherwise valid."""
        table = self.lines.item("questions", index)
        context = error.context or {}
        return self.finding(
            error.type, table.of(context["key"]), question_id, error.message(), context["hint"]
        )

    def question_errors(
        self, error: ValidationError, index: int, raw: dict[str, Any]
    ) -> list[Finding]:
        table = self.lines.item("questions", index)
        question_id = raw.get("id") if isinstance(raw.get("id"), str) else None
        kind = raw.get("type")
        model = MODEL_BY_TYPE.get(kind) if isinstance(kind, str) else None
        findings = []
        for err in error.errors(include_url=False):
            loc = list(err["loc"])
            if loc and loc[0] in QUESTION_TYPES:  # the union's tag, not a key
                loc = loc[1:]
            if finding := self._convert(err, loc, table, question_id, model):
                findings.append(finding)
        return findings

    def _convert(
        self,
        err: ErrorDetails,
        loc: list[str | int],
        table: TableLines,
        question_id: str | None,
        model: type[AnyQuestion] | type[BankInfo] | None,
    ) -> Finding | None:
        kind: str = err["type"]
        key = str(loc[0]) if loc else None
        where = _dotted(loc) or ("bank" if model is BankInfo else "questions")
        ctx = err.get("ctx") or {}
        if "key" in ctx:  # a rule from model.py: its type is already the finding code
            return self.finding(kind, table.of(ctx["key"]), question_id, err["msg"], ctx["hint"])
        if kind == "missing":
            return self.missing_key(where, table, question_id)
        if kind == "unexpected_keyword_argument" and key:
            allowed = [each.name for each in dataclasses.fields(model)] if model else []
            return self.unknown_key(key, table, question_id, allowed)
        if kind in ("union_tag_invalid", "union_tag_not_found"):
            return self._type_finding(table, question_id, err)
        line = table.of(key)
        if key == "difficulty" and kind == "literal_error":
            return self.finding(
                "unknown-difficulty",
                line,
                question_id,
                f"unknown difficulty {err['input']!r}",
                f"use one of: {', '.join(DIFFICULTIES)}",
            )
        if key == "id" and kind == "string_pattern_mismatch":
            return self.finding(
                "bad-id",
                line,
                question_id,
                f"id {err['input']!r} is not a slug",
                "use lowercase letters, digits and single '-', e.g. 'grammy-win'",
            )
        if kind in ("too_short", "too_long"):
            return self._count_finding(key, line, question_id, err)
        if kind in _FIELD_CODES:
            code, message, hint = _FIELD_CODES[kind]
            return self.finding(code, line, question_id, f"`{where}` {message or err['msg']}", hint)
        return self.finding(
            "wrong-type",
            line,
            question_id,
            f"`{where}`: {err['msg'].lower()}, not {_toml_type(err['input'])}",
            _TYPE_HINTS.get(kind, ""),
        )

    def _type_finding(
        self, table: TableLines, question_id: str | None, err: ErrorDetails
    ) -> Finding:
        types = ", ".join(QUESTION_TYPES)
        given = err.get("ctx", {}).get("tag")
        if given is None:
            return self.missing_key("type", table, question_id, f"add `type = ...`, one of {types}")
        close = difflib.get_close_matches(str(given), QUESTION_TYPES, n=1, cutoff=0.5)
        hint = f"did you mean {close[0]!r}?" if close else f"use one of: {types}"
        return self.finding(
            "unknown-type", table.of("type"), question_id, f"unknown question type {given!r}", hint
        )

    def _count_finding(
        self, key: str | None, line: int, qid: str | None, err: ErrorDetails
    ) -> Finding:
        count = len(err["input"]) if isinstance(err["input"], list | str) else 0
        if err["type"] == "too_long" and key != "choices":
            return self.finding(
                "too-many-items",
                line,
                qid,
                f"`{key}` has {count:,} entries; at most {MAX_ITEMS}",
                "keep the few that matter",
            )
        if key == "choices":
            return self.finding(
                "choice-count",
                line,
                qid,
                f"{count} choices; a question needs {MIN_CHOICES} to {MAX_CHOICES}",
                "add or remove choices",
            )
        if key == "answer":
            if count == 0:
                return self.finding(
                    "empty-answer",
                    line,
                    qid,
                    "`answer` is an empty list",
                    "list at least one right choice",
                )
            return self.finding(
                "order-items",
                line,
                qid,
                f"{count} items to order; an order question needs at least {MIN_ORDER_ITEMS}",
                "add items, or ask a choice question",
            )
        return self.finding(
            "empty-list", line, qid, f"`{key}` must not be empty", "add an entry or remove the key"
        )


def _toml_type(value: Any) -> str:
    names = {
        bool: "a boolean",
        int: "an integer",
        float: "a number",
        str: "a string",
        list: "an array",
        dict: "a table",
    }
    return names.get(type(value), type(value).__name__)


class BankSummary(TypedDict):
    """What ``list`` shows of a bank, for the table and for JSON alike."""

    id: str
    title: str
    description: str
    path: str
    questions: int
    types: dict[str, int]
    difficulties: dict[str, int]
    categories: dict[str, int]
    tags: dict[str, int]
    source: str


BankList = list[BankSummary]


def summarise(bank: LoadedBank) -> BankSummary:
    types = dict.fromkeys(QUESTION_TYPES, 0)
    difficulties = dict.fromkeys(DIFFICULTIES, 0)
    categories: dict[str, int] = {}
    tags: dict[str, int] = {}
    for question in bank.questions:
        types[question.type] += 1
        difficulties[question.difficulty] += 1
        categories[question.category] = categories.get(question.category, 0) + 1
        for tag in question.tags:
            tags[tag] = tags.get(tag, 0) + 1
    return {
        "id": bank.id,
        "title": bank.title,
        "description": bank.info.description,
        "path": display_path(bank.path),
        "questions": len(bank.questions),
        "types": {kind: n for kind, n in types.items() if n},
        "difficulties": difficulties,
        "categories": dict(sorted(categories.items())),
        "tags": dict(sorted(tags.items())),
        "source": bank.info.source,
    }
