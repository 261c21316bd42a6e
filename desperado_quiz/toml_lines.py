"""Where things are in a TOML file: the line of each table and of each key.

``tomllib`` returns plain data without positions, so this scanner reads the text once
more to remember, for the ``[bank]`` table and each ``[[questions]]`` table, the line
of its header and of each of its keys. It understands the subset of TOML that question
files use (tables, arrays of tables, bare and quoted keys, multi-line strings); for
anything fancier it falls back to the table's line, which is still close.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_ARRAY_TABLE = re.compile(r"^\s*\[\[\s*([A-Za-z0-9_.\"' -]+?)\s*\]\]")
_TABLE = re.compile(r"^\s*\[\s*([A-Za-z0-9_.\"' -]+?)\s*\]")
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
