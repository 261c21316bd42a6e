"""The checked cache of question files: a command that plays banks starts without
parsing and validating them again, and a game of one question from 100,000 reads a few.

* **Never stale.** Each file's entry is named by a key made from the file's bytes, this
  version of desperado-quiz and the cache's layout: a changed file has another key, is
  read and validated again alone, and the other files still come from the cache. The
  key of a file is taken from its bytes, or from its status when that is the same as
  when its bytes were last hashed (device, inode, size, modification and change times,
  as git does); a status too close to that moment is not trusted (a file changed twice
  in one tick of the clock keeps its times), and the bytes are hashed again.
* **Only clean files.** A file with any finding is never cached: it is read the usual
  way every time, so that its findings are shown every time. `validate` never reads the
  cache: it is the check.
* **The relation between questions** (which ones must not meet in one game) is kept for
  each set of files with the keys of the files it was worked out from, so that a later
  start of the same banks reads it instead of comparing every question again.
* **Safe.** Written to a temporary file and renamed into place, readable and writable by
  this user only; read only if the file and its folder belong to this user and no one
  else can write them, never through a symbolic link. An entry that cannot be read,
  does not parse or does not hold together is ignored, and the file read again.
* **Bounded.** At most ``MAX_CACHE_BYTES`` in all: the entries used longest ago are
  removed first.

An entry is one file: a line of JSON (the bank, its lines, its summary, the places of
the sections), then arrays of numbers in the machine's own layout (where each
question's line starts, the questions in id order, each question's facet), then one
line of JSON per question. A bank from the cache (``CachedBank``) builds a question
only when one is asked for.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import stat
import sys
import time
import zlib
from array import array
from collections.abc import Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from desperado_quiz import __version__
from desperado_quiz.errors import FileChanged
from desperado_quiz.loader import (
    Facet,
    LoadedBank,
    decode,
    facets_of,
    load_file,
    parse_bank,
    read_bytes,
    summarise,
)
from desperado_quiz.model import MODEL_BY_TYPE, Bank, BankInfo
from desperado_quiz.paths import cache_dir
from desperado_quiz.related import Relation
from desperado_quiz.table_lines import TableLines
from desperado_quiz.text import display_path

if TYPE_CHECKING:
    from desperado_quiz.findings import Finding
    from desperado_quiz.loader import BankSummary
    from desperado_quiz.model import AnyQuestion

FORMAT = 3  # the layout of an entry; a new layout is a new key
MAX_ENTRY_BYTES = 64 * 1024 * 1024  # a 5 MB question file makes about 7 MB
MAX_HEADER_BYTES = 16 * 1024 * 1024
MAX_CACHE_BYTES = 512 * 1024 * 1024  # all entries together
MAX_REMEMBERED_FILES = 10_000  # statuses kept, the oldest forgotten first
RACY_NS = 3_000_000_000  # a status this close to its hashing is not trusted
ENTRY_SUFFIX, SET_SUFFIX = ".bank", ".set"
STATUSES = "files.json"


def entries_dir() -> Path:
    return cache_dir() / f"banks-{FORMAT}"


def file_key(data: bytes) -> str:
    """The key of a question file's entry: its bytes, this version, this layout."""
    import hashlib  # only when a file is hashed: a start with known files needs none

    digest = hashlib.sha256(f"{FORMAT}\0{__version__}\0{sys.byteorder}\0".encode())
    digest.update(data)
    return digest.hexdigest()


# Loading a file ------------------------------------------------------------------------


class Loader:
    """Loads question files through the cache, remembering the status of each file
    whose bytes it hashed; ``save`` writes what it learnt."""

    def __init__(self) -> None:
        self.folder = entries_dir()
        self.statuses = _Statuses(self.folder / STATUSES)

    def load(self, path: Path) -> tuple[LoadedBank | None, list[Finding], str | None]:
        """The bank in ``path``, its findings, and its key when it is clean (and so
        cached, or cacheable)."""
        try:
            info = path.stat()
        except OSError:
            bank, findings = load_file(path)  # which says why
            return bank, findings, None
        if (key := self.statuses.key(path, info)) and (cached := self._open(key, path)):
            return cached, [], key
        data, opened, finding = read_bytes(path)
        if finding:
            return None, [finding], None
        key = file_key(data)
        if opened is not None:
            self.statuses.remember(path, opened, key)
        if cached := self._open(key, path):
            return cached, [], key
        text, finding = decode(data, path)
        if finding:
            return None, [finding], None
        bank, findings = parse_bank(text, path)
        if bank is None or findings:
            return bank, findings, None
        write_entry(self.folder, key, bank)
        return bank, [], key

    def _open(self, key: str, path: Path) -> CachedBank | None:
        return CachedBank.open(self.folder / f"{key}{ENTRY_SUFFIX}", key, path)

    def save(self) -> None:
        self.statuses.save()


class _Statuses:
    """What each file's status was when its bytes were hashed, and their key."""

    def __init__(self, where: Path) -> None:
        self.where = where
        self.changed = False
        self.known: dict[str, list[Any]] = {}
        with contextlib.suppress(OSError, ValueError, TypeError):
            if (text := read_ours(where, MAX_HEADER_BYTES)) is not None:
                known = json.loads(text)
                if isinstance(known, dict):
                    self.known = known

    def key(self, path: Path, info: os.stat_result) -> str | None:
        entry = self.known.get(str(path.absolute()))
        if not (isinstance(entry, list) and len(entry) == 7):
            return None
        *status, key, hashed_at = entry
        same = status == _status(info)
        trusted = isinstance(hashed_at, int) and info.st_mtime_ns < hashed_at - RACY_NS
        return key if same and trusted and isinstance(key, str) else None

    def remember(self, path: Path, info: os.stat_result, key: str) -> None:
        name = str(path.absolute())
        self.known.pop(name, None)  # kept in the order of use: the oldest first
        self.known[name] = [*_status(info), key, time.time_ns()]
        self.changed = True

    def save(self) -> None:
        if not self.changed:
            return
        kept = dict(list(self.known.items())[-MAX_REMEMBERED_FILES:])
        _write(self.where, json.dumps(kept).encode())
        self.changed = False


def _status(info: os.stat_result) -> list[int]:
    return [info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns]


# A bank from the cache -----------------------------------------------------------------


class CacheDamaged(Exception):
    """An entry that read well at first does not hold together further on."""


class CachedBank(LoadedBank):
    """A clean bank from its cache entry: its table, size, ids and facets are read at
    once; a question only when asked for; all of them when ``questions`` is read."""

    _handle: IO[bytes]
    _header: dict[str, Any]
    _info: BankInfo
    _built: dict[int, AnyQuestion]
    _whole: tuple[Bank, list[TableLines]] | None
    _offsets: array[int]
    _order: array[int]

    def __init__(self, handle: IO[bytes], header: dict[str, Any], path: Path) -> None:
        # Set as a frozen dataclass's __init__ would; ``bank`` and ``question_lines``
        # are properties here, built on first use.
        info = BankInfo(**header["bank"])
        put = object.__setattr__
        put(self, "path", path)
        put(self, "bank_lines", _lines(header["bank_lines"]))
        put(self, "partial", [])
        put(self, "line_map", None)
        put(self, "_handle", handle)
        put(self, "_header", header)
        put(self, "_info", info)
        put(self, "_built", {})
        put(self, "_whole", None)
        sections = header["sections"]
        count = header["count"]
        handle.seek(header["body"] - sections["body"])
        arrays = handle.read(sections["ids"][0])  # offsets, order and facets, in a row
        if zlib.crc32(arrays) != header["crc"]:
            raise CacheDamaged("the arrays are not as they were written")
        put(self, "_offsets", _array(handle, header, sections["offsets"], "Q", count + 1))
        put(self, "_order", _array(handle, header, sections["order"], "I", count))
        if header["body"] + self._offsets[-1] != header["size"] or self._offsets[0] != 0:
            raise CacheDamaged("the body does not end where the file does")

    @classmethod
    def open(cls, where: Path, key: str, path: Path) -> CachedBank | None:
        """The bank of entry ``where`` if it is ours, whole and of ``key``; else None."""
        try:
            handle = open_ours(where, MAX_ENTRY_BYTES)
        except OSError:
            return None
        if handle is None:
            return None
        try:
            line = handle.readline(MAX_HEADER_BYTES)
            header = json.loads(line)
            if header.get("key") != key or header.get("format") != FORMAT:
                raise CacheDamaged("another entry")
            header["body"] = len(line) + header["sections"]["body"]
            header["size"] = os.fstat(handle.fileno()).st_size
            with contextlib.suppress(OSError):  # the entries used longest ago go first
                os.utime(handle.fileno())
            return cls(handle, header, path)
        except (CacheDamaged, OSError, ValueError, KeyError, TypeError, AttributeError):
            handle.close()
            return None

    # What a game reads, without building the questions.

    @property
    def bank(self) -> Bank:
        return self._all()[0]

    @property
    def question_lines(self) -> list[TableLines]:
        return self._all()[1]

    @property
    def info(self) -> BankInfo:
        return self._info

    @property
    def size(self) -> int:
        return int(self._header["count"])

    def id_order(self) -> Sequence[int]:
        return self._order

    def ids(self) -> Sequence[str]:
        ids = self._section_json("ids")
        if not (isinstance(ids, list) and len(ids) == self.size):
            return self._fallback().ids()
        return ids

    def question_ids(self) -> list[str]:
        return list(self.ids())  # a clean bank: every question table is a valid question

    def facets(self) -> tuple[list[Facet], Sequence[int]]:
        try:
            table = [Facet(c, d, tuple(t)) for c, d, t in self._header["facets"]]
            index = _array(self._handle, self._header, self._header["sections"]["facet"], "I")
            if len(index) == self.size and all(0 <= i < len(table) for i in set(index)):
                return table, index
        except (OSError, ValueError, TypeError, CacheDamaged):
            pass
        return self._fallback().facets()

    def question_at(self, position: int) -> AnyQuestion:
        if (whole := self._whole) is not None:
            return whole[0].questions[position]
        if position not in self._built:
            try:
                self._built[position] = _question(self._body(position, position + 1)[0][0])
            except (
                OSError,
                ValueError,
                KeyError,
                IndexError,
                TypeError,
                AttributeError,
                CacheDamaged,
            ):
                return self._fallback().question_at(position)
        return self._built[position]

    def summary(self) -> BankSummary:
        summary: BankSummary = self._header["summary"] | {"path": display_path(self.path)}
        return summary

    # Building.

    def _all(self) -> tuple[Bank, list[TableLines]]:
        if self._whole is None:
            try:
                rows = self._body(0, self.size)
                questions = [_question(question) for question, _ in rows]
                lines = [_lines(lines) for _, lines in rows]
                whole = (Bank(bank=self._info, questions=questions), lines)
            except (
                OSError,
                ValueError,
                KeyError,
                IndexError,
                TypeError,
                AttributeError,
                CacheDamaged,
            ):
                parsed = self._fallback()
                whole = (parsed.bank, parsed.question_lines)
            object.__setattr__(self, "_whole", whole)
            return whole
        return self._whole

    def _body(self, first: int, end: int) -> list[Any]:
        start, stop = self._offsets[first], self._offsets[end]
        self._handle.seek(self._header["body"] + start)
        data = self._handle.read(stop - start)
        rows = [json.loads(line) for line in data.splitlines()]
        if len(rows) != end - first:
            raise CacheDamaged("a question's line is missing")
        return rows

    def _section_json(self, name: str) -> Any:
        try:
            start, length = self._header["sections"][name]
            self._handle.seek(self._header["body"] - self._header["sections"]["body"] + start)
            return json.loads(self._handle.read(length))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def _fallback(self) -> LoadedBank:
        """The bank read from its file, when its entry turns out damaged: the same bank
        if the file has not changed since (its key is the entry's), else an error."""
        data, _, finding = read_bytes(self.path)
        if finding is None and file_key(data) == self._header["key"]:
            text, finding = decode(data, self.path)
            bank, findings = parse_bank(text, self.path)
            if bank is not None and not findings:
                with contextlib.suppress(OSError):
                    (entries_dir() / f"{self._header['key']}{ENTRY_SUFFIX}").unlink()
                object.__setattr__(self, "_whole", (bank.bank, bank.question_lines))
                return bank
        raise FileChanged(self.path)

    def compact(self) -> LoadedBank:
        bank, lines = self._all()
        return LoadedBank(bank, self.path, self.bank_lines, lines).compact()

    def __repr__(self) -> str:
        return f"CachedBank({self.id!r}, {str(self.path)!r})"


def _question(data: dict[str, Any]) -> AnyQuestion:
    """A question from its entry; its rules are checked again on the way (``__post_init__``)."""
    return MODEL_BY_TYPE[data["type"]](**data)


def _lines(data: list[Any]) -> TableLines:
    line, keys = data
    return TableLines(int(line), {str(k): int(v) for k, v in keys.items()})


def _array(
    handle: IO[bytes], header: dict[str, Any], section: list[int], kind: str, count: int = -1
) -> array[int]:
    start, length = section
    handle.seek(header["body"] - header["sections"]["body"] + start)
    numbers = array(kind)
    numbers.frombytes(handle.read(length))
    if count >= 0 and len(numbers) != count:
        raise CacheDamaged("an array of the wrong length")
    return numbers


# Writing an entry ----------------------------------------------------------------------


def write_entry(folder: Path, key: str, bank: LoadedBank) -> None:
    """Write the entry of a clean ``bank``; a cache that cannot be written is not used."""
    questions = bank.questions
    rows = [
        json.dumps([dataclasses.asdict(question), [lines.line, lines.keys]]).encode() + b"\n"
        for question, lines in zip(questions, bank.question_lines, strict=True)
    ]
    offsets = array("Q", [0])
    for row in rows:
        offsets.append(offsets[-1] + len(row))
    ids = [question.id for question in questions]
    order = array("I", sorted(range(len(ids)), key=ids.__getitem__))
    table, index = facets_of(questions)
    sections: dict[str, Any] = {}
    parts: list[bytes] = []
    position = 0
    for name, data in (
        ("offsets", offsets.tobytes()),
        ("order", order.tobytes()),
        ("facet", array("I", index).tobytes()),
        ("ids", json.dumps(ids).encode()),
    ):
        sections[name] = [position, len(data)]
        parts.append(data)
        position += len(data)
    sections["body"] = position
    arrays = b"".join(parts[:3])  # offsets, order, facets: checked when read
    summary = dict(summarise(bank))
    summary.pop("path")
    header = {
        "format": FORMAT,
        "key": key,
        "bank": dataclasses.asdict(bank.bank.bank),
        "bank_lines": [bank.bank_lines.line, bank.bank_lines.keys],
        "count": len(questions),
        "facets": [[f.category, f.difficulty, list(f.tags)] for f in table],
        "summary": summary,
        "sections": sections,
        "crc": zlib.crc32(arrays),
    }
    content = b"".join([json.dumps(header).encode(), b"\n", *parts, *rows])
    if len(content) <= MAX_ENTRY_BYTES:
        _write(folder / f"{key}{ENTRY_SUFFIX}", content)
        prune(folder)


def prune(folder: Path, limit: int = MAX_CACHE_BYTES) -> None:
    """Remove the entries used longest ago until all of them fit in ``limit`` bytes."""
    with contextlib.suppress(OSError):
        entries = []
        for child in folder.iterdir():
            if child.suffix in (ENTRY_SUFFIX, SET_SUFFIX):
                info = child.lstat()
                entries.append((info.st_mtime_ns, info.st_size, child))
        total = sum(size for _, size, _ in entries)
        for _, size, child in sorted(entries):
            if total <= limit:
                break
            with contextlib.suppress(OSError):
                child.unlink()
                total -= size


# The relation of a set of files ------------------------------------------------------


class SetRelation:
    """The relation of the questions of one set of clean files (``RelationStore``): kept
    under the keys of the files (which the entry holds whole, and its name sums up), in
    the order of the catalog."""

    def __init__(self, folder: Path, banks: Sequence[tuple[str, str]], size: int) -> None:
        # The files' keys are hashes already: a checksum of them names the entry, and
        # the entry holds them all, so that two sets never share one.
        self.key = "\0".join(
            [f"{FORMAT}", __version__, sys.byteorder, *map("\0".join, sorted(banks))]
        )
        name = f"{zlib.crc32(self.key.encode()):08x}-{len(banks)}-{size}"
        self.where = folder / f"{name}{SET_SUFFIX}"
        self.size = size
        self._read: list[Relation | None] = []  # read once

    def exists(self) -> bool:
        """Whether this set was loaded whole before: then no id is used twice in it."""
        return self.read() is not None

    def read(self) -> Relation | None:
        if not self._read:
            self._read.append(self._from_file())
        return self._read[0]

    def _from_file(self) -> Relation | None:
        try:
            handle = open_ours(self.where, MAX_ENTRY_BYTES)
            if handle is None:
                return None
            with handle:
                line = handle.readline(MAX_HEADER_BYTES)
                header = json.loads(line)
                if header.get("key") != self.key or header.get("size") != self.size:
                    return None
                data = handle.read()
                with contextlib.suppress(OSError):
                    os.utime(handle.fileno())
            if zlib.crc32(data) != header.get("crc"):  # damaged since it was written
                return None
            starts, targets = array("I"), array("I")
            starts.frombytes(data[: 4 * (self.size + 1)])
            targets.frombytes(data[4 * (self.size + 1) :])
            if len(starts) != self.size + 1:
                return None
            return Relation(starts, targets)
        except (OSError, ValueError, TypeError, AttributeError):
            return None

    def write(self, relation: Relation) -> None:
        starts, targets = array("I", relation.starts), array("I", relation.targets)
        data = starts.tobytes() + targets.tobytes()
        header = {"format": FORMAT, "key": self.key, "size": self.size, "crc": zlib.crc32(data)}
        _write(self.where, json.dumps(header).encode() + b"\n" + data)


# Files of our own ----------------------------------------------------------------------


def _write(where: Path, content: bytes) -> None:
    """Write atomically, readable and writable by this user only; never through a link."""
    from desperado_quiz.authoring import write_atomic

    with contextlib.suppress(OSError):
        where.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_atomic(where, content, mode=0o600)


def open_ours(path: Path, limit: int) -> IO[bytes] | None:
    """``path`` opened for reading if it and its folder belong to this user and only
    this user can write them; never through a link, a pipe or a device (the checks are
    made on the file opened, so that nothing can be swapped in between)."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    if not ours(path.parent.stat()):
        return None
    handle = os.fdopen(os.open(path, flags), "rb")
    info = os.fstat(handle.fileno())
    if not stat.S_ISREG(info.st_mode) or not ours(info) or info.st_size > limit:
        handle.close()
        return None
    return handle


def read_ours(path: Path, limit: int) -> str | None:
    """The text of ``path`` if it is ours (see ``open_ours``)."""
    handle = open_ours(path, limit)
    if handle is None:
        return None
    with handle:
        return handle.read(limit + 1).decode("utf-8")


def ours(info: os.stat_result) -> bool:
    """Owned by this user, and writable by no one else."""
    uid = getattr(os, "getuid", lambda: None)()
    if uid is not None and info.st_uid != uid:
        return False
    return not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
