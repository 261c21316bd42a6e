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


class TargetRefused(OSError):
    """A file that must not be written, and why (the message, safe to show). An
    ``OSError``, so that a caller that gives up quietly on a file it cannot write (a
    cache, a seat) gives up on this one too."""


STALE_SECONDS = 600  # a temporary file of ours this old was left by a killed run


# The one rule for every file desperado-quiz writes (a bank, an export, an import, a
# report, the history, a cache, a seat): the file itself is never a symbolic link, so
# that no link planted in a folder (a repository from a stranger, say) can turn a write
# into the replacement of the file it points to. Folders on the way may be links, as
# /tmp or a home folder are on some systems: the user names them.


def refuse_link(path: Path) -> None:
    """Raise ``TargetRefused`` when ``path`` itself is a symbolic link."""
    try:
        linked = stat.S_ISLNK(path.lstat().st_mode)
    except (FileNotFoundError, NotADirectoryError):
        return
    except OSError as error:
        raise TargetRefused(f"cannot use {display_path(path)}: {error.strerror}") from None
    if linked:
        raise TargetRefused(link_refusal(path))


def link_refusal(path: Path) -> str:
    """Why a link is not written through, naming where it points (the user's own
    machine: it helps them name the real file)."""
    try:
        points = f" (to {display_path(path.readlink())})"
    except OSError:
        points = ""
    return (
        f"{display_path(path)} is a symbolic link{points}; desperado-quiz never writes "
        "through a link: name the file itself"
    )


def real_place(path: Path) -> Path:
    """``path`` in its folder with every link on the way followed, the last part kept
    as it is: the name that a write creates or replaces."""
    try:
        return path.parent.resolve() / path.name
    except (OSError, RuntimeError):  # a loop of links on the way
        raise TargetRefused(f"cannot use {display_path(path)}: a loop of links") from None


def writable_target(path: Path) -> Path:
    """The file a write to ``path`` would create or replace. Raises ``TargetRefused``
    when it is a symbolic link, or unless it is a regular file (or a new one) that may
    be written, in a folder where a new file can be made."""
    refuse_link(path)
    target = real_place(path)
    refuse_link(target)
    try:
        info: os.stat_result | None = target.lstat()
    except FileNotFoundError:
        info = None
    except OSError as error:
        raise TargetRefused(f"cannot use {display_path(path)}: {error.strerror}") from None
    if info is not None:
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


def write_atomic(path: Path, text: str | bytes, bom: bool = False, mode: int | None = None) -> None:
    """Write through a temporary file in the same folder, then rename over the target:
    a crash leaves either the old file or the new one, never half of one.

    A symbolic link is refused (``TargetRefused``), never written through; and should
    one appear after that check, the rename replaces the link itself, never its target.
    ``mode`` is the new file's mode from its creation (0o600 for a secret); else an
    existing file keeps its mode, and a new one gets the mode the umask gives.
    Temporary files of ours left by a killed run are removed first.
    """
    refuse_link(path)
    target = real_place(path)
    refuse_link(target)
    _remove_stale_temporaries(target)
    if mode is None:
        mode = _mode_kept(target)
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(fd, mode)  # the open file's: a link swapped in by name is never changed
            data = text if isinstance(text, bytes) else text.encode("utf-8")
            handle.write((b"\xef\xbb\xbf" if bom else b"") + data)
            handle.flush()
            os.fsync(handle.fileno())
        Path(temporary).replace(target)  # rename(2) never follows a link at the target
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _mode_kept(target: Path) -> int:
    try:
        info = target.lstat()
    except FileNotFoundError:
        return 0o666 & ~_umask()
    return stat.S_IMODE(info.st_mode) if stat.S_ISREG(info.st_mode) else 0o666 & ~_umask()


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
