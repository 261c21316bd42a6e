"""GIFT, Moodle's text format for questions, as Moodle's own parser reads it
(``question/format/gift/format.php``).

What that parser treats specially, and how it is written here:

* ``~ = # { } :`` and the backslash: a backslash before them (its escapedchar_pre);
* a text that starts with ``%N%`` (a weight) or ``[name]`` (a format): in HTML texts
  the first character is written as an entity (``&#37;``, ``&#91;``); a short answer
  (plain text) gets an explicit ``%100%`` or ``[plain]`` before it;
* ``*`` in a short answer is Moodle's wildcard: written ``\\*``;
* ``->`` in a short answer makes Moodle read a matching question: such a question is
  skipped, with the reason.

Question text, choices and feedback are HTML (``[html]``): ``& < >`` as entities, a
line break as ``<br>``. Short answers are plain text, since Moodle compares them with
what a student types, literally. The general feedback is the explanation, then each
evidence quote as a ``<blockquote>``, which import reads back as evidence.

    ::score-band::[html]Which band composed the score?{=Los Lobos =Lobos####Explanation}
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from desperado_quiz.convert.common import (
    NO_OPTIONS,
    BrokenInput,
    Builder,
    Exported,
    ExportOptions,
    ExportReport,
    Imported,
    category_parts,
    category_path,
    each_question,
    feedback_html,
    feedback_parts,
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
# At the start of a text, Moodle's parser reads a weight (%50%) or a format ([html]).
_LEADING = {"%": "&#37;", "[": "&#91;"}


def _gift_escapes(text: str) -> str:
    text = text.replace("\\", "\\\\")
    for char in _SPECIAL:
        text = text.replace(char, "\\" + char)
    return text.replace("\n", "\\n")


def escape(text: str) -> str:
    """HTML text safe inside GIFT: HTML's specials as entities, a line break as
    ``<br>``, a leading ``%`` or ``[`` as an entity, then GIFT's escapes."""
    html = to_html(text)
    if html[:1] in _LEADING:
        html = _LEADING[html[0]] + html[1:]
    return _gift_escapes(html)


def escape_answer(form: str) -> str:
    """A short answer, plain text as Moodle compares it: ``*`` (its wildcard) as
    ``\\*``; an explicit weight or format before a text that would read as one."""
    text = _gift_escapes(form).replace("*", "\\*")
    if form.startswith("%"):
        return "%100%" + text
    if form.startswith("["):
        return "[plain]" + text
    return text


def export(banks: Sequence[Bank], options: ExportOptions = NO_OPTIONS) -> Exported:
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
        feedback = f"\n####{_gift_escapes(feedback_html(question))}" if _fed(question) else ""
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
            if any("->" in form for form in question.accepted):
                return None, ["an accepted form with '->', which Moodle's GIFT reads as matching"]
            return "\n".join(f"={escape_answer(a)}" for a in question.accepted), []
        case NumberQuestion():
            body = f"{number_text(question.answer)}:{number_text(question.tolerance)}"
            if question.accept:  # GIFT's several right answers, each with its margin
                body = " ".join(
                    [f"={body}", *(f"={number_text(value)}:0" for value in question.accept)]
                )
            return f"#{body}", ["unit left out: GIFT numbers have none"] if question.unit else []
    return None, ["order questions cannot be expressed in GIFT"]


def _fed(question: AnyQuestion) -> bool:
    return bool(question.explanation or question.evidence)


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
    """Fill ``data`` from the answer block as Moodle's parser reads it; a reason to skip
    when we have no such type. The order of the tests is Moodle's: numerical (``#``),
    multiple choice (any ``~``), matching (``=`` and ``->``), true-false, short answer."""
    body = answers.strip()
    line += answers[: len(answers) - len(answers.lstrip())].count("\n")  # where it starts
    body = _general_feedback(body, html, data)
    if not body:
        return "an essay question (no answer to check) has no equivalent here"
    if body.startswith("#"):
        return _number(body[1:].strip(), data)
    if body.startswith(">"):  # qtype_ordering's own GIFT syntax, which we do not read
        return "an ordering question in qtype_ordering's GIFT form is not read here"
    marks = _split_unescaped(body, "=~")
    if re.fullmatch(r"(T|TRUE|F|FALSE)(\s*#.*)?", body, re.DOTALL):
        data.update(type="boolean", answer=body[0] == "T")
        return None
    if not marks:  # Moodle: the whole block is the one short answer
        marks = [(-1, "=")]
    elif body[: marks[0][0]].strip():
        raise BrokenInput(line, "expected each answer to start with `=` (right) or `~` (wrong)")
    multichoice = any(mark == "~" for _, mark in marks)
    options = _options(body, marks, html, multichoice)
    if multichoice:
        return _multichoice(options, line, data)
    if any("->" in raw for _, _, _, raw in options):
        return "a matching question has no equivalent here"
    return _short_answers(options, data)


def _general_feedback(body: str, html: bool, data: dict[str, object]) -> str:
    """The answers without the general feedback (after the last ``####``, as Moodle's
    strrpos), which gives the explanation and, as our export writes them, the quotes."""
    found = [at for at, _ in _split_unescaped(body, "#") if body[at : at + 4] == "####"]
    if not found:
        return body
    text, is_html = _marked(body[found[-1] + 4 :].strip(), html)
    if is_html:
        data["explanation"], data["evidence"] = feedback_parts(unescape(text))
    else:
        data["explanation"] = unescape(text).strip()
    return body[: found[-1]].strip()


def _multichoice(
    options: list[tuple[str, float | None, str, str]], line: int, data: dict[str, object]
) -> str | None:
    """Moodle: any ``=`` makes it single-answer (the ``=`` one is right; partial credit
    is not ours: those count as wrong); else several may be right, those above 0%."""
    choices = [text for _, _, text, _ in options]
    single = [text for mark, _, text, _ in options if mark == "="]
    if single:
        data.update(type="choice", choices=choices, answer=single[0])
        return None
    right = [text for _, weight, text, _ in options if (weight or 0) > 0]
    if not right:
        raise BrokenInput(
            line, "expected a right answer: mark it with `=`, or give it a positive `%weight%`"
        )
    data.update(type="multi", choices=choices, answer=right)
    return None


def _short_answers(
    options: list[tuple[str, float | None, str, str]], data: dict[str, object]
) -> str | None:
    """Every form at 100% (no weight means 100%), as plain text: Moodle compares it as
    typed, ``*`` being its wildcard and ``\\*`` a star."""
    forms = []
    for _, weight, _, raw in options:
        if weight not in (None, 100.0):
            continue
        text, _ = _marked(raw.strip(), html=False)
        if re.search(r"(?<!\\)\*", text):
            return f"the answer {unescape(text)!r} has a wildcard (*), which has no equivalent here"
        forms.append(unescape(text).replace("\\*", "*").strip())
    if not forms:
        return "a short answer with no answer at 100% has no equivalent here"
    data.update(type="text", answer=forms[0], accept=forms[1:])
    return None


def _marked(text: str, html: bool) -> tuple[str, bool]:
    """A text without its leading format marker, and whether it is HTML (the question's
    format unless the marker says otherwise), as Moodle's parse_text_with_format."""
    if match := _FORMAT.match(text):
        return text[match.end() :], match.group(1) in ("html", "moodle")
    return text, html


def _options(
    body: str, marks: list[tuple[int, str]], html: bool, multichoice: bool
) -> list[tuple[str, float | None, str, str]]:
    """(mark, weight or None, text, the text as written after its weight) of each
    answer. In multiple choice, Moodle reads a weight after ``~`` only."""
    options = []
    for index, (offset, mark) in enumerate(marks):
        end = marks[index + 1][0] if index + 1 < len(marks) else len(body)
        chunk = body[offset + 1 : end].strip()
        weight = None
        if (mark == "~" or not multichoice) and (match := _WEIGHT.match(chunk)):
            weight = float(match.group(1))
            chunk = chunk[match.end() :]
        if feedback := _split_unescaped(chunk, "#"):
            chunk = chunk[: feedback[0][0]]
        text, is_html = _marked(chunk.strip(), html)
        options.append((mark, weight, _plain(text, is_html), chunk))
    return options


_RIGHT_NUMBER = re.compile(
    rf"=\s*(?:%(-?\d+(?:\.\d+)?)%)?\s*({_NUMBER})(?::({_NUMBER}))?\s*(?:#.*)?", re.DOTALL
)


def _number(body: str, data: dict[str, object]) -> str | None:
    """As Moodle: feedback for any other answer (``~...``) is left out first; then one
    answer ``a:t`` or ``low..high``, or several ``=``, each maybe weighted."""
    wrong = _split_unescaped(body, "~")
    body = body[: wrong[0][0]].strip() if wrong else body
    if body.startswith("="):
        return _numbers(body, data)
    body = body.split("#", 1)[0].strip()
    if match := re.fullmatch(rf"({_NUMBER})(?::({_NUMBER}))?", body):
        answer, tolerance = float(match.group(1)), float(match.group(2) or 0)
    elif match := re.fullmatch(rf"({_NUMBER})\.\.({_NUMBER})", body):
        low, high = float(match.group(1)), float(match.group(2))
        answer, tolerance = (low + high) / 2, (high - low) / 2
    else:
        return f"a numerical answer {body!r} that is not a number"
    data.update(type="number", answer=answer, tolerance=abs(tolerance))
    return None


def _numbers(body: str, data: dict[str, object]) -> str | None:
    """``=1992:0 =1993:0``: several answers. Those at 100% (no weight means 100%) are
    right; the first keeps its margin, the others must be exact, as ``accept`` holds
    them; partial credit is not ours, so those answers count as wrong."""
    parts = [part for part in re.split(r"\s+(?==)", body.strip()) if part]
    found = [_RIGHT_NUMBER.fullmatch(part) for part in parts]
    if not found or not all(found):
        return "a numerical answer that is not a number"
    right = [m for m in found if m and float(m.group(1) or 100) == 100]
    if not right:
        return "a numerical question with no answer at 100% has no equivalent here"
    if any(float(m.group(3) or 0) for m in right[1:]):
        return "several right numbers, each with its own margin, have no equivalent here"
    first, *others = right
    data.update(
        type="number",
        answer=float(first.group(2)),
        tolerance=abs(float(first.group(3) or 0)),
        accept=[float(m.group(2)) for m in others],
    )
    return None
