"""Writing questions: a TOML block for a new question, appended atomically.

The block is written by hand rather than by a TOML library so that it looks like the
bundled banks (key order, one choice per line when long); ``validate_text`` checks the
result with the same rules as ``validate`` before anything is written.
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
import re
import stat
import tempfile
import time
from pathlib import Path
from typing import Any

from desperado_quiz.text import display_path

KEY_ORDER = (
    "id",
    "type",
    "question",
    "category",
    "difficulty",
    "choices",
    "answer",
    "accept",
    "tolerance",
    "unit",
    "evidence",
    "explanation",
    "hint",
    "tags",
    "related",
)
INLINE_LIMIT = 88


def slugify(text: str, max_words: int = 5) -> str:
    words = re.findall(r"[a-z0-9]+", text.casefold())
    stop = {
        "the",
        "a",
        "an",
        "of",
        "in",
        "on",
        "to",
        "which",
        "what",
        "who",
        "does",
        "did",
        "is",
        "was",
        "for",
        "and",
        "or",
        "true",
        "false",
        "how",
        "many",
        "much",
    }
    kept = [w for w in words if w not in stop] or words
    return "-".join(kept[:max_words]) or "question"


def unique_id(base: str, taken: set[str]) -> str:
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def toml_value(value: Any, key: str = "") -> str:
    """A TOML literal. JSON strings, numbers and booleans are valid TOML too."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list):
        items = [toml_value(item) for item in value]
        inline = f"[{', '.join(items)}]"
        if len(key) + 3 + len(inline) <= INLINE_LIMIT:
            return inline
        return "[\n" + "".join(f"    {item},\n" for item in items) + "]"
    # JSON's string escapes are TOML's, but TOML also forbids a raw DEL.
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


def question_block(data: dict[str, Any]) -> str:
    """A ``[[questions]]`` table with keys in the usual order; empty optional keys left out."""
    lines = ["[[questions]]"]
    for key in KEY_ORDER:
        if key in data and data[key] not in ("", [], None):
            lines.append(f"{key} = {toml_value(data[key], key)}")
    return "\n".join(lines) + "\n"


def bank_header(
    bank_id: str, title: str, source: str, schema: str = "", description: str = ""
) -> str:
    """The ``[bank]`` table. An empty ``source`` is left out (an imported bank given
    no source document): `validate` then reports it missing, as for any bank."""
    top = f"#:schema {schema}\n" if schema else ""
    lines = [f"{top}[bank]", f"id = {toml_value(bank_id)}", f"title = {toml_value(title)}"]
    lines += [f"description = {toml_value(description)}"] if description else []
    lines += [f"source = {toml_value(source)}"] if source else []
    return "\n".join(lines) + "\n"


def appended(existing: str, block: str) -> str:
    """The file's text with ``block`` after it, separated by one blank line, in the
    file's own line endings (CRLF stays CRLF)."""
    newline = "\r\n" if "\r\n" in existing else "\n"
    block = block.replace("\n", newline)
    if not existing:
        return block
    if existing.endswith(newline * 2):
        separator = ""
    elif existing.endswith(newline):
        separator = newline
    else:
        separator = newline * 2
    return existing + separator + block


class TargetRefused(Exception):
    """The bank file cannot be written; the message says why. Checked before asking."""


STALE_SECONDS = 600  # a temporary file of ours this old was left by a killed run


def writable_target(path: Path) -> Path:
    """The file a write to ``path`` would change: the target of a symlink, followed.
    Raises ``TargetRefused`` unless it is a regular file (or a new one) that may be
    written, in a folder where a new file can be made."""
    target = path.resolve()
    if target.exists():
        info = target.stat()
        if not stat.S_ISREG(info.st_mode):
            raise TargetRefused(f"{display_path(path)} is not a regular file")
        if not info.st_mode & 0o222 or not os.access(target, os.W_OK):
            raise TargetRefused(f"{display_path(path)} is read-only")
    elif not target.parent.is_dir():
        raise TargetRefused(f"there is no folder {display_path(target.parent)}")
    try:  # the only sure test, for root and read-only mounts alike: make a file there
        with tempfile.TemporaryFile(dir=target.parent):
            pass
    except OSError as error:
        raise TargetRefused(
            f"cannot write in {display_path(target.parent)}: {error.strerror}"
        ) from None
    return target


def read_bank_text(path: Path) -> tuple[str, bool]:
    """A bank's text without a UTF-8 byte-order mark, and whether it had one."""
    data = path.read_bytes()
    bom = data.startswith(b"\xef\xbb\xbf")
    return data.decode("utf-8").removeprefix("\ufeff"), bom


def write_atomic(path: Path, text: str | bytes, bom: bool = False) -> None:
    """Write through a temporary file in the same folder, then rename over the target:
    a crash leaves either the old file or the new one, never half of one.

    A symlink is written through (its target changes, the link stays). An existing file
    keeps its mode; a new one gets the mode the umask gives. Temporary files of ours
    left by a killed run are removed first.
    """
    target = path.resolve()
    _remove_stale_temporaries(target)
    mode = target.stat().st_mode & 0o777 if target.exists() else 0o666 & ~_umask()
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            data = text if isinstance(text, bytes) else text.encode("utf-8")
            handle.write((b"\xef\xbb\xbf" if bom else b"") + data)
            handle.flush()
            os.fsync(handle.fileno())
        Path(temporary).chmod(mode)
        Path(temporary).replace(target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


def _remove_stale_temporaries(target: Path) -> None:
    cutoff = time.time() - STALE_SECONDS
    for stale in target.parent.glob(f".{glob.escape(target.name)}.*.tmp"):
        with contextlib.suppress(OSError):
            if stale.is_file() and stale.stat().st_mtime < cutoff:
                stale.unlink()
