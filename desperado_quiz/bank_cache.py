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
  its folder. A cache that cannot be read, does not parse or has the wrong shape is
  ignored and written again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
from pathlib import Path
from typing import Any

from desperado_quiz import __version__
from desperado_quiz.loader import (
    MODEL_BY_TYPE,
    LoadedBank,
    LoadResult,
    bank_files,
    bundled_questions_dir,
    load_files,
)
from desperado_quiz.model import Bank, BankInfo
from desperado_quiz.paths import cache_dir
from desperado_quiz.toml_lines import TableLines

FORMAT = 1  # the layout of the cache file; a new layout is a new key


def bundled_banks() -> LoadResult:
    """The bundled banks: from the cache when it holds them, else loaded and cached."""
    found = bank_files([bundled_questions_dir()])
    if found.findings:
        return load_files(found)
    contents = [(path, _read_bytes(path)) for path in found.files]
    if any(data is None for _, data in contents):
        return load_files(found)
    key = cache_key([(path.name, data or b"") for path, data in contents])
    where = cache_dir() / f"bundled-banks-{key[:32]}.json"
    if (cached := _read_cache(where, key, found.files)) is not None:
        return cached
    loaded = load_files(found)
    if not loaded.findings:
        _write_cache(where, key, loaded)
    return loaded


def cache_key(files: list[tuple[str, bytes]]) -> str:
    import pydantic

    digest = hashlib.sha256(f"{FORMAT}\0{__version__}\0{pydantic.VERSION}\0".encode())
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
        if not _ours(where):
            return None
        document = json.loads(where.read_text(encoding="utf-8"))
        if document.get("key") != key or len(document["banks"]) != len(files):
            return None
        by_name = {path.name: path for path in files}
        return LoadResult(banks=[_bank(entry, by_name) for entry in document["banks"]])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None  # damaged, or of another shape: ignored, and written again


def _ours(path: Path) -> bool:
    """The cache and its folder belong to this user and only this user can write them."""
    uid = getattr(os, "getuid", lambda: None)()
    for each in (path, path.parent):
        info = each.stat()
        if uid is not None and info.st_uid != uid:
            return False
        if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            return False
    return True


def _bank(entry: dict[str, Any], by_name: dict[str, Path]) -> LoadedBank:
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
        write_atomic(where, json.dumps(document))
        where.chmod(0o600)


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
