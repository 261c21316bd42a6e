"""Where things are in a TOML file: the line of each table and of each key.

``tomllib`` returns plain data without positions, so this scanner reads the text once
more to remember, for the ``[bank]`` table and each ``[[questions]]`` table, the line
of its header, and the line of each of its keys when first asked. It understands the
subset of TOML that question files use (tables, arrays of tables, bare and quoted keys,
multi-line strings); for anything fancier it falls back to the table's line, which is
still close.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial

from desperado_quiz.table_lines import TableLines

# Greedy classes that exclude their own end: a hostile line costs one pass, never one
# pass per character (a lazy group before \s* would be quadratic on a line of spaces).
_ARRAY_TABLE = re.compile(r"^\s*\[\[([^\]\n]*)\]\]")
_TABLE = re.compile(r"^\s*\[([^\]\n]*)\]")
_KEY = re.compile(r"""^\s*("([^"\\]*)"|'([^']*)'|[A-Za-z0-9_-]+)\s*[.=]""")


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


def _significant(
    numbered: Iterable[tuple[int, str]], open_string: str | None = None
) -> Iterator[tuple[int, str]]:
    """The numbered lines that are neither blank, nor a comment, nor inside a multi-line
    string (``open_string`` is the delimiter of one open before the first line)."""
    for number, line in numbered:
        if open_string:
            if _toggles(line, open_string):
                open_string = None
            continue
        stripped = line.lstrip()
        if not stripped or stripped[0] == "#":
            continue
        yield number, line
        if '"""' in line or "'''" in line:
            for delimiter in ('"""', "'''"):
                if _toggles(line, delimiter):
                    open_string = delimiter
                    break


def _scan_lines(
    numbered: Iterable[str], first: int, lines: LineMap, open_string: str | None = None
) -> TableLines:
    """Walk lines numbered from ``first`` into ``lines``; the table the walk ends in."""
    current = lines.top
    for number, line in _significant(enumerate(numbered, start=first), open_string):
        if line.lstrip()[0] == "[":
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
    return current


# Line breaks of str.splitlines other than \n and \r\n.
_ODD_BREAK = re.compile("[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_ODD_ASCII_BREAKS = "\x0b\x0c\x1c\x1d\x1e"


def _plain_breaks(text: str) -> bool:
    """Whether \\n and \\r\\n are the only line breaks ``str.splitlines`` sees."""
    if text.count("\r") != text.count("\r\n"):
        return False
    if text.isascii():  # counting a few characters is faster than a search for them
        return not any(char in text for char in _ODD_ASCII_BREAKS)
    return _ODD_BREAK.search(text) is None


# The lines that can change what a walk over every line would see: those that may be
# a table header, and those that may open or close a multi-line string. Any other line
# holds a key at most, or sits inside a string, and leaves the walk's state as it is.
_EVENT = re.compile(r"^[^\S\n]*\[|\"\"\"|'''", re.MULTILINE)
# Without multi-line strings, the headers alone: a line whose first character is [,
# and its array or table name when it has one (``_ARRAY_TABLE``, else ``_TABLE``).
# Searched from the line break before it, which the regex engine finds fastest.
_HEADER = r"[^\S\n]*\[(?:\[([^\]\n]*)\]\]|([^\]\n]*)\])?"
_FIRST_HEADER = re.compile(_HEADER)
_NEXT_HEADER = re.compile("\n" + _HEADER)


def scan(text: str) -> LineMap:
    """The line of every table of ``text`` and of every key of each table.

    Tables are found at once; the keys of each table are read from its own lines when
    first asked for. Text whose lines ``str.splitlines`` would break elsewhere than at
    \\n (a lone \\r, a form feed, U+2028...) is read whole, line by line.
    """
    if not _plain_breaks(text):
        lines = LineMap()
        _scan_lines(text.splitlines(), 1, lines)
        return lines
    if '"""' in text or "'''" in text:
        return _scan_events(text)
    return _scan_headers(text)


class _Tables:
    """Each table's header, its name and its lines, as ``scan`` finds them: what the
    tables of a ``LineMap`` read their keys from when asked. It holds no reference to
    the map, so that nothing makes a cycle (validation runs without the collector)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.headers: list[tuple[int, int]] = []  # (offset, number) of each header line
        self.names: list[tuple[str, int]] = []
        self.sections: dict[str, list[int]] = {}  # a [table] named twice has both

    def line_map(self) -> LineMap:
        return LineMap(top=TableLines(1, find=self.top_keys))

    def array(self, lines: LineMap, name: str, start: int, number: int) -> None:
        table = TableLines(number, find=partial(self.keys, len(self.headers)))
        lines.arrays.setdefault(name, []).append(table)
        self.names.append((name, number))
        self.headers.append((start, number))

    def table(self, lines: LineMap, name: str, start: int, number: int) -> None:
        if name not in self.sections:
            self.sections[name] = []
            find = partial(self.keys, self.sections[name])
            lines.tables[name] = TableLines(number, find=find)
        self.sections[name].append(len(self.headers))
        self.names.append((name, number))
        self.headers.append((start, number))

    def keys(self, own: int | list[int]) -> dict[str, int]:
        """The keys of a table (or of each part of one), read from its header line up
        to the next table's."""
        keys: dict[str, int] = {}
        for index in [own] if isinstance(own, int) else own:
            start, number = self.headers[index]
            end = self.headers[index + 1][0] if index + 1 < len(self.headers) else None
            table = _scan_lines(self.text[start:end].splitlines(), number, LineMap())
            for key, line in table.keys.items():
                keys.setdefault(key, line)
        return keys

    def top_keys(self) -> dict[str, int]:
        """Keys before the first table, then each table's name (as ``_scan_lines``)."""
        end = self.headers[0][0] if self.headers else None
        keys = _scan_lines(self.text[:end].splitlines(), 1, LineMap()).keys
        for name, number in self.names:
            keys.setdefault(name, number)
        return keys


def _scan_headers(text: str) -> LineMap:
    """``scan`` of text without multi-line strings: only header lines change the walk."""
    tables = _Tables(text)
    lines = tables.line_map()
    first = _FIRST_HEADER.match(text)
    found = ((match.start() + 1, match) for match in _NEXT_HEADER.finditer(text))
    number, counted = 1, 0
    for start, match in itertools.chain([(0, first)] if first else [], found):
        array, table = match.group(1, 2)
        if array is None and table is None:  # a line that starts with [, but no header
            continue
        number += text.count("\n", counted, start)
        counted = start
        if array is not None:
            tables.array(lines, _unquote(array), start, number)
        else:
            tables.table(lines, _unquote(table), start, number)
    return lines


def _scan_events(text: str) -> LineMap:
    """``scan`` of text with multi-line strings: the walk of ``_scan_lines``, but only
    over the lines that may change its state (``_EVENT``)."""
    tables = _Tables(text)
    lines = tables.line_map()
    starts: dict[int, int] = {}  # the offset where each walked line starts: its number
    for number, line in _significant(_event_lines(text, starts)):
        if line.lstrip()[0] == "[":
            if match := _ARRAY_TABLE.match(line):
                tables.array(lines, _unquote(match.group(1)), starts[number], number)
            elif match := _TABLE.match(line):
                tables.table(lines, _unquote(match.group(1)), starts[number], number)
    return lines


def _event_lines(text: str, starts: dict[int, int]) -> Iterator[tuple[int, str]]:
    """Each line that holds an ``_EVENT``, once, numbered; ``starts`` gets its offset."""
    number, counted, seen = 1, 0, -1
    for event in _EVENT.finditer(text):
        start = text.rfind("\n", 0, event.start()) + 1
        if start == seen:  # a line with several events is walked once
            continue
        seen = start
        end = text.find("\n", start)
        number += text.count("\n", counted, start)
        counted = start
        starts[number] = start
        yield number, text[start : end if end >= 0 else len(text)].removesuffix("\r")


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
    # Multi-line strings as unrolled, possessive loops: runs of plain characters at once,
    # and nothing kept to backtrack into (a loop of one character at a time kept a
    # backtracking entry per character: 340 MB for 3 MB of spaces).
    r'"""[^"\\]*+(?:(?:\\[\s\S]|"(?!""))[^"\\]*+)*+(?:"{3,5}|\Z)'
    r"|'''[^']*+(?:'(?!'')[^']*+)*+(?:'{3,5}|\Z)"
    r'|"[^"\\\n]*+(?:\\.[^"\\\n]*+)*+"?'
    r"|'[^'\n]*'?"
    r"|#[^\n]*"
)
# More than MAX_KEY_PARTS parts: that many dots with no separator between them. Written
# to start with the dot itself, which the regex engine then looks for quickly (as a
# repeated group, it tried at every character: 40 times slower).
_PART = r"[^\n=,\[\]{}.]*"
_LONG_KEY = re.compile(rf"\.(?:{_PART}\.){{{MAX_KEY_PARTS - 1}}}{_PART}")
_BRACKETS = re.compile(r"[\[\]{}]")
# Anchored at a line's start, so that each line is read once: the first line, then
# each line break (which the engine finds faster than a ^ that it tries everywhere).
_LONG_FIRST_LINE = re.compile(f"[^\\n]{{{MAX_LINE_CHARS + 1}}}")
_LONG_LINE = re.compile(f"\\n[^\\n]{{{MAX_LINE_CHARS + 1}}}")


def beyond_limits(text: str) -> tuple[int, str, str, str] | None:
    """The first place where ``text`` goes beyond the limits, as (line, finding code,
    message, hint), or None. The regular expressions do the walking, so this costs a
    small fraction of the parse; line numbers are only worked out for a finding."""
    structure = _STRINGS.sub("", text)
    if not _LONG_KEY.search(structure) and _deepest(structure) is None:
        if _LONG_FIRST_LINE.match(text):
            return _too_long(1)
        long_line = _LONG_LINE.search(text)
        return _too_long(_line_at(text, long_line.start() + 1)) if long_line else None
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
