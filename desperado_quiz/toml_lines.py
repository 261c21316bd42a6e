"""Where things are in a TOML file: the line of each table and of each key.

``tomllib`` returns plain data without positions, so this scanner reads the text once
more to remember, for the ``[bank]`` table and each ``[[questions]]`` table, the line
of its header and of each of its keys. It understands the subset of TOML that question
files use (tables, arrays of tables, bare and quoted keys, multi-line strings); for
anything fancier it falls back to the table's line, which is still close.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

# Greedy classes that exclude their own end: a hostile line costs one pass, never one
# pass per character (a lazy group before \s* would be quadratic on a line of spaces).
_ARRAY_TABLE = re.compile(r"^\s*\[\[([^\]\n]*)\]\]")
_TABLE = re.compile(r"^\s*\[([^\]\n]*)\]")
_KEY = re.compile(r"""^\s*("([^"\\]*)"|'([^']*)'|[A-Za-z0-9_-]+)\s*[.=]""")


@dataclass
class TableLines:
    line: int
    keys: dict[str, int] = field(default_factory=dict)

    def of(self, key: str | None) -> int:
        """The line of ``key``, or of the table header when the key is absent."""
        return self.keys.get(key, self.line) if key else self.line


@dataclass
class LineMap:
    top: TableLines = field(default_factory=lambda: TableLines(1))
    tables: dict[str, TableLines] = field(default_factory=dict)
    arrays: dict[str, list[TableLines]] = field(default_factory=dict)

    def table(self, name: str) -> TableLines:
        return self.tables.get(name, self.top)

    def item(self, name: str, index: int) -> TableLines:
        items = self.arrays.get(name, [])
        return items[index] if index < len(items) else self.top


def _unquote(name: str) -> str:
    return name.strip().strip("\"'")


def _toggles(line: str, delimiter: str) -> bool:
    return line.count(delimiter) % 2 == 1


def scan(text: str) -> LineMap:
    lines = LineMap()
    current = lines.top
    open_string: str | None = None  # the delimiter of a multi-line string we are inside
    for number, line in enumerate(text.splitlines(), start=1):
        if open_string:
            if _toggles(line, open_string):
                open_string = None
            continue
        stripped = line.lstrip()
        if not stripped or stripped[0] == "#":
            continue
        if stripped[0] == "[":
            if match := _ARRAY_TABLE.match(line):
                name = _unquote(match.group(1))
                current = TableLines(number)
                lines.arrays.setdefault(name, []).append(current)
                lines.top.keys.setdefault(name, number)
            elif match := _TABLE.match(line):
                name = _unquote(match.group(1))
                current = lines.tables.setdefault(name, TableLines(number))
                lines.top.keys.setdefault(name, number)
        elif match := _KEY.match(line):
            key = match.group(2) or match.group(3) or match.group(1)
            current.keys.setdefault(key, number)
        if '"""' in line or "'''" in line:
            for delimiter in ('"""', "'''"):
                if _toggles(line, delimiter):
                    open_string = delimiter
                    break
    return lines


# Limits checked before the TOML parser runs. tomllib's work grows with the square of a
# dotted key's length (a 100 KB key of 50,000 parts took 38 s and 9.8 GB), and nested
# arrays or inline tables recurse (600 levels overflow the stack). A question file needs
# keys of one or two parts and three levels of nesting; these limits leave room to spare.
MAX_KEY_PARTS = 16
MAX_NESTING = 16
MAX_LINE_CHARS = 100_000
# Strings and comments, whose dots and brackets do not count. An unclosed one runs to
# the end of its line or of the text: the parser reports it.
# A multi-line string may hold an escaped line break, and may end with one or two more
# quotes than its delimiter (they belong to its text): TOML's rules, which the parser
# follows, so that nothing can hide from these limits inside a string that is not one.
_STRINGS = re.compile(
    r'"""(?:[^"\\]|\\[\s\S]|"(?!""))*(?:"{3,5}|\Z)'
    r"|'''(?:[^']|'(?!''))*(?:'{3,5}|\Z)"
    r'|"[^"\\\n]*(?:\\.[^"\\\n]*)*"?'
    r"|'[^'\n]*'?"
    r"|#[^\n]*"
)
# More than MAX_KEY_PARTS parts: that many dots with no separator between them.
_LONG_KEY = re.compile(rf"(?:\.[^\n=,\[\]{{}}.]*){{{MAX_KEY_PARTS}}}")
_BRACKETS = re.compile(r"[\[\]{}]")
_LONG_LINE = re.compile(f"(?m)^[^\\n]{{{MAX_LINE_CHARS + 1}}}")  # anchored: each line read once


def beyond_limits(text: str) -> tuple[int, str, str, str] | None:
    """The first place where ``text`` goes beyond the limits, as (line, finding code,
    message, hint), or None. The regular expressions do the walking, so this costs a
    small fraction of the parse; line numbers are only worked out for a finding."""
    structure = _STRINGS.sub("", text)
    if not _LONG_KEY.search(structure) and _deepest(structure) is None:
        long_line = _LONG_LINE.search(text)
        return _too_long(_line_at(text, long_line.start())) if long_line else None
    # Again, keeping the line breaks of strings and comments, to tell where.
    structure = _STRINGS.sub(lambda match: "\n" * match.group().count("\n"), text)
    if (deep := _deepest(structure)) is not None:
        long_key = _LONG_KEY.search(structure)
        if long_key is None or long_key.start() > deep:
            return (
                _line_at(structure, deep),
                "nesting-too-deep",
                f"arrays or inline tables nested more than {MAX_NESTING} deep",
                "question files need at most three levels",
            )
    long_key = _LONG_KEY.search(structure)
    assert long_key is not None
    return (
        _line_at(structure, long_key.start()),
        "key-too-long",
        f"a dotted key or number with more than {MAX_KEY_PARTS} parts",
        "question files need keys of one or two parts",
    )


def _deepest(structure: str) -> int | None:
    """Where brackets and braces first nest deeper than MAX_NESTING, or None."""
    depth = 0
    for number, bracket in enumerate(_BRACKETS.findall(structure)):
        if bracket in "[{":
            depth += 1
            if depth > MAX_NESTING:  # rare: find where, with a second walk
                return next(itertools.islice(_BRACKETS.finditer(structure), number, None)).start()
        elif depth:
            depth -= 1
    return None


def _line_at(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def _too_long(line: int) -> tuple[int, str, str, str]:
    return (
        line,
        "line-too-long",
        f"a line of more than {MAX_LINE_CHARS:,} characters",
        "break it up: a long text can use a multi-line string",
    )
