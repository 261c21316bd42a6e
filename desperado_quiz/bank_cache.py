"""The bundled banks, from a checked cache: a game starts without parsing and validating
the five bundled files again.

* **Never stale.** The cache's name and contents carry a key made from the bytes of every
  bundled question file, the version of desperado-quiz and the version of pydantic. Any
  change to any of them is a different key: the files are parsed and validated as
  usual, and a new cache written.
* **Only what validated cleanly.** Banks with any finding are never cached: they are
  loaded the usual way every time, so that their findings are shown every time.
* **Safe to share between processes.** The cache is written to a temporary file beside
  it and moved into place in one step, so a reader sees a whole cache or none; two
  processes writing at once each write a whole, identical file.
* **Trusted only when it is ours.** Loading from the cache skips validation, so a cache
  is read only if it belongs to the current user and no one else can write to it or to
  its folder, and never through a symbolic link (nor written through one). A cache that
  cannot be read, does not parse or has the wrong shape is ignored and written again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desperado_quiz import __version__
from desperado_quiz.paths import bundled_questions_dir, cache_dir
from desperado_quiz.text import display_path
from desperado_quiz.toml_lines import TableLines

if TYPE_CHECKING:  # `list` reads the summaries without importing the models
    from desperado_quiz.loader import BankSummary, LoadedBank, LoadResult

FORMAT = 2  # the layout of the cache files; a new layout is a new key
MAX_CACHE_BYTES = 20 * 1024 * 1024  # far more than the bundled banks make


def bundled_banks() -> LoadResult:
    """The bundled banks: from the cache when it holds them, else loaded and cached."""
    from desperado_quiz.loader import bank_files, load_files

    found = bank_files([bundled_questions_dir()])
    if found.findings:
        return load_files(found)
    contents = [(path, _read_bytes(path)) for path in found.files]
    if any(data is None for _, data in contents):
        return load_files(found)
    files = [(path.name, data or b"") for path, data in contents]
    key = cache_key(files, models=True)
    where = cache_dir() / f"bundled-banks-{key[:32]}.json"
    if (cached := _read_cache(where, key, found.files)) is not None:
        return cached
    loaded = load_files(found)
    if not loaded.findings:
        _write_cache(where, key, loaded)
        _write_summaries(files, loaded)
    return loaded


def bundled_summaries() -> list[BankSummary] | None:
    """What `list` shows of the bundled banks, from the cache, without loading pydantic
    or the models; None when the cache does not hold them (`list` then loads the banks,
    which writes it)."""
    folder = bundled_questions_dir()
    try:
        paths = sorted(folder.rglob("*.toml"))
        files = [(path.name, path.read_bytes()) for path in paths]
    except OSError:
        return None
    key = cache_key(files, models=False)
    where = cache_dir() / f"bundled-summaries-{key[:32]}.json"
    try:
        if (text := _read_ours(where)) is None:
            return None
        document = json.loads(text)
        if document.get("key") != key:
            return None
        summaries: list[BankSummary] = document["summaries"]
        by_name = {path.name: path for path in paths}
        for summary in summaries:  # shown relative to where `list` runs
            summary["path"] = display_path(by_name[summary["path"]])
        return summaries
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def cache_key(files: list[tuple[str, bytes]], models: bool) -> str:
    """The files' names and bytes, this version, and (for models built without
    validation) pydantic's version."""
    versions = f"{FORMAT}\0{__version__}\0"
    if models:
        import pydantic

        versions += f"{pydantic.VERSION}\0"
    digest = hashlib.sha256(versions.encode())
    for name, data in sorted(files):
        digest.update(f"{name}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def _read_bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


# Reading --------------------------------------------------------------------------------


def _read_cache(where: Path, key: str, files: list[Path]) -> LoadResult | None:
    try:
        if (text := _read_ours(where)) is None:
            return None
        document = json.loads(text)
        if document.get("key") != key or len(document["banks"]) != len(files):
            return None
        from desperado_quiz.loader import LoadResult

        by_name = {path.name: path for path in files}
        return LoadResult(banks=[_bank(entry, by_name) for entry in document["banks"]])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None  # damaged, or of another shape: ignored, and written again


def _read_ours(path: Path) -> str | None:
    """The cache's text, if the cache and its folder belong to this user and only this
    user can write them; never through a link, a pipe or a device (the checks are made
    on the file opened, so that nothing can be swapped in between)."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    if not _ours(path.parent.stat()):
        return None
    with os.fdopen(os.open(path, flags), "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode) or not _ours(info) or info.st_size > MAX_CACHE_BYTES:
            return None
        return handle.read(MAX_CACHE_BYTES + 1).decode("utf-8")


def _ours(info: os.stat_result) -> bool:
    """Owned by this user, and writable by no one else."""
    uid = getattr(os, "getuid", lambda: None)()
    if uid is not None and info.st_uid != uid:
        return False
    return not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _bank(entry: dict[str, Any], by_name: dict[str, Path]) -> LoadedBank:
    from desperado_quiz.loader import MODEL_BY_TYPE, LoadedBank
    from desperado_quiz.model import Bank, BankInfo

    questions = [
        MODEL_BY_TYPE[question["type"]].model_construct(**question)
        for question in entry["questions"]
    ]
    bank = Bank.model_construct(bank=BankInfo.model_construct(**entry["bank"]), questions=questions)
    return LoadedBank(
        bank=bank,
        path=by_name[entry["file"]],
        bank_lines=_lines(entry["bank_lines"]),
        question_lines=[_lines(lines) for lines in entry["question_lines"]],
    )


def _lines(data: list[Any]) -> TableLines:
    line, keys = data
    return TableLines(int(line), {str(k): int(v) for k, v in keys.items()})


# Writing --------------------------------------------------------------------------------


def _write_cache(where: Path, key: str, loaded: LoadResult) -> None:
    """Write the cache atomically, readable and writable by this user only; a cache that
    cannot be written is simply not used."""
    from desperado_quiz.authoring import write_atomic

    document = {"key": key, "banks": [_entry(bank) for bank in loaded.banks]}
    with contextlib.suppress(OSError):
        where.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_atomic(where, json.dumps(document), mode=0o600)


def _write_summaries(files: list[tuple[str, bytes]], loaded: LoadResult) -> None:
    from desperado_quiz.authoring import write_atomic
    from desperado_quiz.loader import summarise

    key = cache_key(files, models=False)
    where = cache_dir() / f"bundled-summaries-{key[:32]}.json"
    summaries = [summarise(bank) | {"path": bank.path.name} for bank in loaded.banks]
    with contextlib.suppress(OSError):
        where.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_atomic(where, json.dumps({"key": key, "summaries": summaries}), mode=0o600)


def _entry(bank: LoadedBank) -> dict[str, Any]:
    return {
        "file": bank.path.name,
        # Only the keys the file set, so that a question built from the cache knows
        # which keys were given exactly as one built from the file does.
        "bank": bank.bank.bank.model_dump(exclude_unset=True),
        "questions": [q.model_dump(exclude_unset=True) for q in bank.questions],
        "bank_lines": [bank.bank_lines.line, bank.bank_lines.keys],
        "question_lines": [[lines.line, lines.keys] for lines in bank.question_lines],
    }
