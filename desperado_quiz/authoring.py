"""Writing questions: a TOML block for a new question, appended atomically.

The block is written by hand rather than by a TOML library so that it looks like the
bundled banks (key order, one choice per line when long); ``validate_text`` checks the
result with the same rules as ``validate`` before anything is written.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

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
    return json.dumps(value, ensure_ascii=False)


def question_block(data: dict[str, Any]) -> str:
    """A ``[[questions]]`` table with keys in the usual order; empty optional keys left out."""
    lines = ["[[questions]]"]
    for key in KEY_ORDER:
        if key in data and data[key] not in ("", [], None):
            lines.append(f"{key} = {toml_value(data[key], key)}")
    return "\n".join(lines) + "\n"


def bank_header(bank_id: str, title: str, source: str, schema: str = "") -> str:
    top = f"#:schema {schema}\n" if schema else ""
    return (
        f"{top}[bank]\nid = {toml_value(bank_id)}\ntitle = {toml_value(title)}\n"
        f"source = {toml_value(source)}\n"
    )


def appended(existing: str, block: str) -> str:
    """The file's text with ``block`` after it, separated by one blank line."""
    if not existing:
        return block
    separator = "" if existing.endswith("\n\n") else ("\n" if existing.endswith("\n") else "\n\n")
    return existing + separator + block


def write_atomic(path: Path, text: str) -> None:
    """Write through a temporary file in the same folder, then rename over the target:
    a crash leaves either the old file or the new one, never half of one."""
    mode = path.stat().st_mode & 0o777 if path.exists() else None
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            Path(temporary).chmod(mode)
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
