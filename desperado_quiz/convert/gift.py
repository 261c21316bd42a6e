"""GIFT, Moodle's text format for questions.

Escaping follows the Moodle GIFT documentation: ``~ = # { } :`` and the backslash
itself are written with a backslash before them, and a line break as ``\\n``. Text is
written in Moodle's default (auto) format, where HTML counts: ``& < >`` are written as
entities and read back as characters.

    ::score-band::Which band composed the score?{=Los Lobos =Lobos####Explanation}
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from desperado_quiz.convert.common import (
    BrokenInput,
    Builder,
    Exported,
    ExportReport,
    Imported,
    category_parts,
    category_path,
    each_question,
    from_html,
    number_text,
    to_html,
)
from desperado_quiz.model import (
    AnyQuestion,
    Bank,
    BooleanQuestion,
    ChoiceQuestion,
    MultiQuestion,
    NumberQuestion,
    TextQuestion,
)

_SPECIAL = "~=#{}:"


def escape(text: str) -> str:
    """Text safe inside GIFT: HTML's specials as entities, then GIFT's escapes."""
    text = to_html(text).replace("<br>", "\n")  # a line break is GIFT's own \n escape
    text = text.replace("\\", "\\\\")
    for char in _SPECIAL:
        text = text.replace(char, "\\" + char)
    return text.replace("\n", "\\n")


def export(banks: Sequence[Bank]) -> Exported:
    report = ExportReport()
    blocks: list[str] = []
    category = None
    for bank, question in each_question(banks):
        body, changes = _answers(question)
        if body is None:
            report.skipped(bank.bank.id, question.id, changes[0])
            continue
        path = category_path(bank.bank.title, question.category)
        if path != category:
            blocks.append(f"$CATEGORY: {path}")
            category = path
        feedback = f"\n####{escape(question.explanation)}" if question.explanation else ""
        blocks.append(
            f"// {bank.bank.id}:{question.id}\n"
            f"::{escape(question.id)}::[html]{escape(question.question)}{{\n{body}{feedback}\n}}"
        )
        report.exported(bank.bank.id, question.id, changes)
    return Exported(("\n\n".join(blocks) + "\n").encode("utf-8"), report)


def _answers(question: AnyQuestion) -> tuple[str | None, list[str]]:
    """The answer block's lines; None and the reason when GIFT cannot hold it."""
    match question:
        case ChoiceQuestion():
            lines = [("=" if c == question.answer else "~") + escape(c) for c in question.choices]
            return "\n".join(lines), []
        case MultiQuestion():
            right = _percent(100 / len(question.answer))
            lines = [
                f"~%{right if c in question.answer else '-100'}%{escape(c)}"
                for c in question.choices
            ]
            return "\n".join(lines), []
        case BooleanQuestion():
            return ("TRUE" if question.answer else "FALSE"), []
        case TextQuestion():
            return "\n".join(f"={escape(a)}" for a in question.accepted), []
        case NumberQuestion():
            body = f"{number_text(question.answer)}:{number_text(question.tolerance)}"
            if question.accept:  # GIFT's several right answers, each with its margin
                body = " ".join(
                    [f"={body}", *(f"={number_text(value)}:0" for value in question.accept)]
                )
            return f"#{body}", ["unit left out: GIFT numbers have none"] if question.unit else []
    return None, ["order questions cannot be expressed in GIFT"]


def _percent(value: float) -> str:
    return f"{value:.5f}".rstrip("0").rstrip(".")


# Reading -----------------------------------------------------------------------------

_ESCAPES = {"\\": "\\", "n": "\n", **{c: c for c in _SPECIAL}}
_FORMAT = re.compile(r"^\[(html|moodle|plain|markdown)\]")
_WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")
_NUMBER = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"


@dataclass
class _Block:
    """A question's lines (comments left out), and the line number of each."""

    lines: list[str]
    numbers: list[int]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    @property
    def line(self) -> int:
        return self.numbers[0]

    def line_at(self, offset: int) -> int:
        """The line of ``offset`` in ``text``."""
        return self.numbers[self.text.count("\n", 0, offset)]


def read(text: str) -> Imported:
    builder = Builder()
    category = ""
    for block in _blocks(text):
        if block.text.startswith("$CATEGORY:"):
            path = block.text.removeprefix("$CATEGORY:")
            parts = category_parts(path)
            category = parts[-1] if parts else ""
            if len(parts) > 1 and not builder.result.title:
                builder.result.title = parts[0]
            continue
        _question(block, category, builder)
    return builder.result


def _blocks(text: str) -> list[_Block]:
    """Questions are separated by blank lines; ``//`` starts a comment line; a
    ``$CATEGORY:`` line stands alone."""
    blocks: list[_Block] = []
    current = _Block([], [])
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if line.startswith("//"):
            continue
        if not line or line.startswith("$CATEGORY:"):
            if current.lines:
                blocks.append(current)
            current = _Block([], [])
            if line:
                blocks.append(_Block([line], [number]))
            continue
        current.lines.append(line)
        current.numbers.append(number)
    if current.lines:
        blocks.append(current)
    return blocks


# The marks of one question (braces, colons, `=` and `~`, `#`): a real question has a
# few dozen. A hostile file of millions of them (4.9 MB of nested braces) once kept a
# tuple for each, 1.0 GB, before it was refused: past this many, it is refused at once.
MAX_MARKS = 1_000


def _split_unescaped(text: str, stops: str) -> list[tuple[int, str]]:
    """(offset, char) of each unescaped character of ``stops`` in ``text``;
    ``BrokenInput`` past ``MAX_MARKS`` of them."""
    found, index = [], 0
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char in stops:
            found.append((index, char))
            if len(found) > MAX_MARKS:
                shown = " or ".join(f"`{stop}`" for stop in stops)
                raise BrokenInput(
                    None,
                    f"more than {MAX_MARKS:,} unescaped {shown} in one question; "
                    "no question has that many: escape them with `\\`",
                )
        index += 1
    return found


def unescape(text: str) -> str:
    out, index = [], 0
    while index < len(text):
        char = text[index]
        if char == "\\":
            following = text[index + 1 : index + 2]
            if following not in _ESCAPES:
                out.append(char)  # Moodle keeps a backslash that escapes nothing
                index += 1
                continue
            out.append(_ESCAPES[following])
            index += 2
            continue
        out.append(char)
        index += 1
    return "".join(out)


def _plain(text: str, html: bool) -> str:
    raw = unescape(text)
    return from_html(raw) if html else raw.strip()


def _question(block: _Block, category: str, builder: Builder) -> None:
    name, html, start = _head(block)
    braces = _answer_braces(block, start)
    if braces is None:
        untitled = name or "untitled"
        builder.skip(
            block.line, f"no answers in braces: a description, not a question ({untitled})"
        )
        return
    open_at, close_at = braces
    whole = block.text
    question_text = _plain(whole[start:open_at], html)
    if after := whole[close_at + 1 :].strip():  # the missing-word form: a blank
        question_text = f"{question_text} _____ {_plain(after, html)}".strip()
    data: dict[str, object] = {"question": question_text, "category": category}
    answers = whole[open_at + 1 : close_at]
    if skip := _answer_data(answers, block.line_at(open_at), html, data):
        builder.skip(block.line, skip)
        return
    builder.add(data, block.line, name)


def _head(block: _Block) -> tuple[str, bool, int]:
    """The ``::title::`` (or ""), whether the text is HTML, and where the text starts."""
    text, name = block.text, ""
    if text.startswith("::"):
        ends = [
            offset
            for offset, _ in _split_unescaped(text[2:], ":")
            if text[offset + 3 : offset + 4] == ":"
        ]
        if not ends:
            raise BrokenInput(block.line, "expected `::` to close the question's title")
        name = unescape(text[2 : ends[0] + 2]).strip()
        text = text[ends[0] + 4 :].lstrip()
    html = True
    if match := _FORMAT.match(text):
        html = match.group(1) in ("html", "moodle")
        text = text[match.end() :]
    return name, html, len(block.text) - len(text)


def _answer_braces(block: _Block, start: int) -> tuple[int, int] | None:
    """Where the one answer block opens and closes; None when there is none."""
    braces = [(start + at, char) for at, char in _split_unescaped(block.text[start:], "{}")]
    if not braces:
        return None
    if braces[0][1] != "{":
        raise BrokenInput(
            block.line_at(braces[0][0]), "found `}` before any `{`: escape it as `\\}`"
        )
    if len(braces) < 2 or braces[1][1] != "}":
        where = block.line_at(braces[0][0])
        raise BrokenInput(where, f"expected `}}` to close the answers opened on line {where}")
    if len(braces) > 2:
        raise BrokenInput(
            block.line_at(braces[2][0]),
            "expected one `{...}` answer block per question; escape other braces: `\\{`",
        )
    return braces[0][0], braces[1][0]


def _answer_data(answers: str, line: int, html: bool, data: dict[str, object]) -> str | None:
    """Fill ``data`` from the answer block; a reason to skip when we have no such type."""
    body = answers.strip()
    line += answers[: len(answers) - len(answers.lstrip())].count("\n")  # where it starts
    for offset, _ in _split_unescaped(body, "#"):
        if body[offset : offset + 4] == "####":  # the general feedback: our explanation
            data["explanation"] = _plain(body[offset + 4 :], html)
            body = body[:offset].strip()
            break
    if not body:
        return "an essay question (no answer to check) has no equivalent here"
    if re.fullmatch(r"(?i)(T|TRUE|F|FALSE)(\s*#.*)?", body, re.DOTALL):
        data.update(type="boolean", answer=body[0].upper() == "T")
        return None
    if body.startswith("#"):
        return _number(body[1:].strip(), data)
    options = _options(body, line, html)
    if any("->" in raw for _, _, _, raw in options):
        return "a matching question has no equivalent here"
    if all(mark == "=" for mark, _, _, _ in options):  # short answer: every form is right
        full = [text for _, weight, text, _ in options if weight in (None, 100.0)]
        full = full or [options[0][2]]
        data.update(type="text", answer=full[0], accept=full[1:])
        return None
    right = [
        text
        for mark, weight, text, _ in options
        if (weight is None and mark == "=") or (weight or 0) > 0
    ]
    if not right:
        raise BrokenInput(
            line, "expected a right answer: mark it with `=`, or give it a positive `%weight%`"
        )
    choices = [text for _, _, text, _ in options]
    # Weights on `~` alone mark the checkbox kind (several may be right); `=` one right.
    if any(mark == "=" for mark, _, _, _ in options) and len(right) == 1:
        data.update(type="choice", choices=choices, answer=right[0])
    else:
        data.update(type="multi", choices=choices, answer=right)
    return None


def _options(body: str, line: int, html: bool) -> list[tuple[str, float | None, str, str]]:
    """(mark, weight or None, text, the text as written) of each answer."""
    marks = _split_unescaped(body, "=~")
    if not marks or body[: marks[0][0]].strip():
        raise BrokenInput(line, "expected each answer to start with `=` (right) or `~` (wrong)")
    options = []
    for index, (offset, mark) in enumerate(marks):
        end = marks[index + 1][0] if index + 1 < len(marks) else len(body)
        chunk = body[offset + 1 : end]
        weight = None
        if match := _WEIGHT.match(chunk):
            weight = float(match.group(1))
            chunk = chunk[match.end() :]
        feedback = _split_unescaped(chunk, "#")
        if feedback:
            chunk = chunk[: feedback[0][0]]
        options.append((mark, weight, _plain(chunk, html), chunk))
    return options


_RIGHT_NUMBER = re.compile(rf"=\s*(?:%100%)?\s*({_NUMBER})(?::({_NUMBER}))?\s*(?:#[^=]*)?")


def _number(body: str, data: dict[str, object]) -> str | None:
    if body.startswith("="):
        return _numbers(body, data)
    body = body.split("#", 1)[0].strip()
    if match := re.fullmatch(rf"({_NUMBER})(?::({_NUMBER}))?", body):
        answer, tolerance = float(match.group(1)), float(match.group(2) or 0)
    elif match := re.fullmatch(rf"({_NUMBER})\.\.({_NUMBER})", body):
        low, high = float(match.group(1)), float(match.group(2))
        answer, tolerance = (low + high) / 2, (high - low) / 2
    else:
        return "a numeric question with several graded answers has no equivalent here"
    data.update(type="number", answer=answer, tolerance=abs(tolerance))
    return None


def _numbers(body: str, data: dict[str, object]) -> str | None:
    """``=1992:0 =1993:0``: several right numbers. The first keeps its margin; the
    others must be exact, as ``accept`` holds them."""
    parts = [part for part in re.split(r"\s+(?==)", body.strip()) if part]
    found = [_RIGHT_NUMBER.fullmatch(part) for part in parts]
    if not found or not all(found) or any(float(m.group(2) or 0) for m in found[1:] if m):
        return "a numeric question with several graded answers has no equivalent here"
    first, *others = [m for m in found if m]
    data.update(
        type="number",
        answer=float(first.group(1)),
        tolerance=abs(float(first.group(2) or 0)),
        accept=[float(m.group(1)) for m in others],
    )
    return None
