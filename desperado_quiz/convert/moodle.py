r"""Moodle XML: the format of Moodle's question bank.

A category per bank (``$course$/top/<bank title>/<category>``). choice and multi are
``multichoice`` (single or not; a wrong choice of a multi costs everything, as in our
game), boolean ``truefalse``, text ``shortanswer`` (every accepted form at 100%),
number ``numerical`` (tolerance and unit), order ``ordering`` (Moodle 4.4 and later,
or the plugin). The general feedback is the explanation, then the evidence quotes,
each a ``<blockquote>``, which import reads back as evidence.

Moodle compares a short answer with the stored text literally, and reads ``*`` in it
as a wildcard: so accepted forms are written as plain text (never HTML-escaped: a
student types ``&``, not ``&amp;``), with ``*`` written ``\*``. A number's unit is
written in the question text (Moodle shows no unit by itself) and as the unit of
multiplier 1, optional: a student may type it or not, as in our game.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence

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
from desperado_quiz.convert.xmltext import child_text, parse
from desperado_quiz.model import (
    AnyQuestion,
    Bank,
    BooleanQuestion,
    ChoiceQuestion,
    MultiQuestion,
    NumberQuestion,
    OrderQuestion,
    TextQuestion,
)

_TYPES = {
    ChoiceQuestion: "multichoice",
    MultiQuestion: "multichoice",
    BooleanQuestion: "truefalse",
    TextQuestion: "shortanswer",
    NumberQuestion: "numerical",
    OrderQuestion: "ordering",
}


def _text(parent: ET.Element, tag: str, html: str, form: str = "html", **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {"format": form, **attrs} if tag != "name" else {})
    ET.SubElement(element, "text").text = html
    return element


def _plain(parent: ET.Element, tag: str, value: str) -> None:
    ET.SubElement(parent, tag).text = value


def export(banks: Sequence[Bank], options: ExportOptions = NO_OPTIONS) -> Exported:
    report = ExportReport()
    quiz = ET.Element("quiz")
    category = None
    for bank, question in each_question(banks):
        path = category_path(bank.bank.title, question.category)
        if path != category:
            element = ET.SubElement(quiz, "question", {"type": "category"})
            ET.SubElement(ET.SubElement(element, "category"), "text").text = path
            category = path
        quiz.append(_question(question))
        report.exported(bank.bank.id, question.id)
    ET.indent(quiz)
    data = ET.tostring(quiz, encoding="unicode", xml_declaration=False)
    return Exported(f'<?xml version="1.0" encoding="UTF-8"?>\n{data}\n'.encode(), report)


def _question(question: AnyQuestion) -> ET.Element:
    element = ET.Element("question", {"type": _TYPES[type(question)]})
    _text(element, "name", question.id)
    _text(element, "questiontext", to_html(question_text(question)))
    _text(element, "generalfeedback", feedback_html(question))
    _plain(element, "defaultgrade", "1")
    _plain(element, "penalty", "0.3333333")
    _plain(element, "hidden", "0")
    _plain(element, "idnumber", question.id)
    _answers(element, question)
    if question.hint:
        _text(element, "hint", to_html(question.hint))
    if question.tags:
        tags = ET.SubElement(element, "tags")
        for tag in question.tags:
            ET.SubElement(ET.SubElement(tags, "tag"), "text").text = tag
    return element


def question_text(question: AnyQuestion) -> str:
    """The text a student reads: a number's unit is said in it, since Moodle shows none."""
    if isinstance(question, NumberQuestion) and question.unit:
        return f"{question.question} ({question.unit})"
    return question.question


def literal(form: str) -> str:
    r"""A short answer as Moodle's shortanswer compares it: ``*`` is its wildcard, ``\*``
    a star (qtype_shortanswer's compare_string_with_wildcard)."""
    return form.replace("*", "\\*")


def _answer(parent: ET.Element, fraction: str, html: str, form: str = "html") -> ET.Element:
    answer = _text(parent, "answer", html, form, fraction=fraction)
    ET.SubElement(ET.SubElement(answer, "feedback", {"format": "html"}), "text").text = ""
    return answer


def _answers(element: ET.Element, question: AnyQuestion) -> None:
    match question:
        case ChoiceQuestion() | MultiQuestion():
            right = [question.answer] if isinstance(question, ChoiceQuestion) else question.answer
            _plain(element, "single", "true" if isinstance(question, ChoiceQuestion) else "false")
            _plain(element, "shuffleanswers", "true")
            _plain(element, "answernumbering", "abc")
            share = _fraction(100 / len(right))
            for choice in question.choices:
                wrong = "0" if isinstance(question, ChoiceQuestion) else "-100"
                _answer(element, share if choice in right else wrong, to_html(choice))
        case BooleanQuestion():
            _answer(element, "100" if question.answer else "0", "true")
            _answer(element, "0" if question.answer else "100", "false")
        case TextQuestion():
            _plain(element, "usecase", "0")
            for form in question.accepted:  # plain text: compared as typed
                _answer(element, "100", literal(form), "moodle_auto_format")
        case NumberQuestion():
            answer = _answer(element, "100", number_text(question.answer))
            _plain(answer, "tolerance", number_text(question.tolerance))
            for other in question.accept:  # other right numbers, each exact
                _plain(_answer(element, "100", number_text(other)), "tolerance", "0")
            if question.unit:
                unit = ET.SubElement(ET.SubElement(element, "units"), "unit")
                _plain(unit, "multiplier", "1")
                _plain(unit, "unit_name", question.unit)
            # qtype_numerical: unitgradingtype 0 with showunits 0 (UNITINPUT) is "units
            # optional": a typed unit is read, a bare number is right too. 3 is UNITNONE.
            _plain(element, "unitgradingtype", "0")
            _plain(element, "unitpenalty", "0")
            _plain(element, "showunits", "0" if question.unit else "3")
            _plain(element, "unitsleft", "0")
        case OrderQuestion():
            for key, value in (
                ("layouttype", "VERTICAL"),
                ("selecttype", "ALL"),
                ("selectcount", "0"),
                ("gradingtype", "ABSOLUTE_POSITION"),
                ("showgrading", "SHOW"),
                ("numberingstyle", "none"),
            ):
                _plain(element, key, value)
            for item in question.answer:
                _answer(element, "1.0000000", to_html(item))


def _fraction(value: float) -> str:
    return f"{value:.5f}".rstrip("0").rstrip(".")


# Reading ---------------------------------------------------------------------------


def read(text: str) -> Imported:
    document = parse(text)
    if document.root.tag != "quiz":
        raise BrokenInput(
            1, f"expected <quiz> at the top of Moodle XML, found <{document.root.tag}>"
        )
    builder = Builder()
    category = ""
    for element in document.root:
        line = document.line(element)
        if element.tag != "question":
            raise BrokenInput(line, f"expected <question> inside <quiz>, found <{element.tag}>")
        kind = element.get("type", "")
        if kind == "category":
            parts = category_parts(child_text(element, "category/text"))
            category = parts[-1] if parts else ""
            if len(parts) > 1 and not builder.result.title:
                builder.result.title = parts[0]
            continue
        try:
            data = _read_question(element, kind)
        except ValueError:
            data = "a `fraction` or `multiplier` that is not a number"
        if isinstance(data, str):
            builder.skip(line, data)
            continue
        data["category"] = category
        builder.add(data, line, child_text(element, "idnumber") or child_text(element, "name/text"))
    return builder.result


def _html(element: ET.Element | None) -> str:
    """The text of a Moodle text field, as plain text."""
    if element is None:
        return ""
    text = child_text(element)
    if element.get("format") in ("plain_text", "markdown"):
        return text.strip()
    return from_html(text)


def _explanation(element: ET.Element) -> tuple[str, list[str]]:
    """The general feedback's explanation, and the quotes our export writes after it."""
    feedback = element.find("generalfeedback")
    if feedback is None:
        return "", []
    html = child_text(feedback)
    if feedback.get("format") in ("plain_text", "markdown"):
        return html.strip(), []
    return feedback_parts(html)


def _read_question(element: ET.Element, kind: str) -> dict[str, object] | str:
    answers = [(float(a.get("fraction") or 0), _html(a)) for a in element.findall("answer")]
    explanation, quotes = _explanation(element)
    data: dict[str, object] = {
        "question": _html(element.find("questiontext")),
        "explanation": explanation,
        "evidence": quotes,
        "hint": _html(element.find("hint")),
        "tags": [child_text(t) for t in element.findall("tags/tag") if child_text(t).strip()],
    }
    right = [text for fraction, text in answers if fraction > 0]
    if kind == "multichoice":
        single = child_text(element, "single").strip().lower() in ("true", "1")
        best = [text for fraction, text in answers if fraction >= 100]
        if single:
            data.update(type="choice", answer=(best or right or [""])[0])
        else:
            data.update(type="multi", answer=right)
        data["choices"] = [text for _, text in answers]
    elif kind == "truefalse":
        data.update(type="boolean", answer=bool(right) and right[0].strip().lower() == "true")
    elif kind == "shortanswer":
        return _shortanswer(element, data)
    elif kind == "numerical":
        return _numerical(element, data)
    elif kind == "ordering":
        data.update(type="order", answer=[text for _, text in answers])
    else:
        return f"Moodle's {kind or 'untyped'} questions have no equivalent here"
    return data


def _numerical(element: ET.Element, data: dict[str, object]) -> dict[str, object] | str:
    rights: list[tuple[float, float]] = []
    for answer in element.findall("answer"):
        if float(answer.get("fraction") or 0) >= 100:
            try:
                value = float(child_text(answer))
                tolerance = float(child_text(answer, "tolerance") or 0)
            except ValueError:
                return f"the right answer {child_text(answer)!r} is not a number"
            rights.append((value, abs(tolerance)))
    if not rights:
        return "a numerical question with no answer at 100%"
    (value, tolerance), *others = rights
    if any(margin for _, margin in others):
        return "several right numbers, each with its own tolerance, have no equivalent here"
    units = [
        child_text(u, "unit_name")
        for u in element.findall("units/unit")
        if float(child_text(u, "multiplier") or 1) == 1
    ]
    unit = (units or [""])[0]
    text = str(data["question"])
    if unit and text.endswith(f" ({unit})"):  # our export says the unit in the text
        data["question"] = text.removesuffix(f" ({unit})")
    data.update(
        type="number",
        answer=value,
        tolerance=tolerance,
        accept=[number for number, _ in others],
        unit=unit,
    )
    return data


def _shortanswer(element: ET.Element, data: dict[str, object]) -> dict[str, object] | str:
    """Short answers are stored and compared as plain text; ``*`` is a wildcard."""
    forms = []
    answers = [
        (float(a.get("fraction") or 0), child_text(a).strip()) for a in element.findall("answer")
    ]
    best = [text for fraction, text in answers if fraction >= 100]
    for text in best or [text for fraction, text in answers if fraction > 0]:
        if re.search(r"(?<!\\)\*", text):
            return f"the answer {text!r} has a wildcard (*), which has no equivalent here"
        forms.append(text.replace("\\*", "*"))
    data.update(type="text", answer=forms[0] if forms else "", accept=forms[1:])
    return data
