"""Reading XML from strangers: no DTD (so no entity expansion), and the line of every
element, for messages that point at it."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from xml.parsers import expat

from desperado_quiz.convert.common import BrokenInput

_DOCTYPE = re.compile(r"<!DOCTYPE|<!ENTITY", re.IGNORECASE)


class Document:
    def __init__(self, root: ET.Element, lines: dict[int, int]) -> None:
        self.root = root
        self._lines = lines

    def line(self, element: ET.Element) -> int | None:
        return self._lines.get(id(element))


def parse(text: str) -> Document:
    """The document, or ``BrokenInput`` with the line of the first error. Built on
    expat directly, which tells the line of each element as it starts."""
    if match := _DOCTYPE.search(text):
        line = text.count("\n", 0, match.start()) + 1
        raise BrokenInput(line, "a DOCTYPE or ENTITY declaration is not accepted: remove it")
    parser = expat.ParserCreate()
    builder = ET.TreeBuilder()
    lines: dict[int, int] = {}

    def start(tag: str, attrs: dict[str, str]) -> None:
        lines[id(builder.start(tag, attrs))] = parser.CurrentLineNumber

    parser.StartElementHandler = start
    parser.EndElementHandler = builder.end
    parser.CharacterDataHandler = builder.data
    parser.buffer_text = True
    try:
        parser.Parse(text, True)
    except expat.ExpatError as error:
        reason = expat.errors.messages[error.code]
        raise BrokenInput(
            error.lineno, f"not well-formed XML ({reason}, column {error.offset + 1})"
        ) from None
    return Document(builder.close(), lines)


def child_text(element: ET.Element | None, path: str = "text") -> str:
    found = element.find(path) if element is not None else None
    return (found.text or "") if found is not None else ""
