"""A QTI 2.1 content package: a zip of one assessment item per question and the
``imsmanifest.xml`` that lists them, as Canvas, Blackboard and most learning systems
import it.

choice and boolean are a ``choiceInteraction`` with one answer, multi with several
(all right, nothing wrong, as in our game), text a ``textEntryInteraction`` whose
every accepted form scores (case ignored), number a ``textEntryInteraction`` graded
within the tolerance, order an ``orderInteraction``. Items carry no feedback.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Sequence

from desperado_quiz.convert.common import (
    NO_OPTIONS,
    Exported,
    ExportOptions,
    ExportReport,
    each_question,
    number_text,
)
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

QTI = "http://www.imsglobal.org/xsd/imsqti_v2p1"
CP = "http://www.imsglobal.org/xsd/imscp_v1p1"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
QTI_XSD = "http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1.xsd"
CP_XSD = "http://www.imsglobal.org/xsd/imscp_v1p1.xsd"
ITEM_TYPE = "imsqti_item_xmlv2p1"
_TEMPLATES = "http://www.imsglobal.org/question/qti_v2p1/rptemplates/"


def identifier(bank: Bank, question: AnyQuestion) -> str:
    """An XML name (a letter first) that is unique across banks."""
    return re.sub(r"[^A-Za-z0-9_.-]", "-", f"Q-{bank.bank.id}-{question.id}")


def export(banks: Sequence[Bank], options: ExportOptions = NO_OPTIONS) -> Exported:
    report = ExportReport()
    files: dict[str, bytes] = {}
    for bank, question in each_question(banks):
        name = f"items/{identifier(bank, question)}.xml"
        files[name] = _document(_item(identifier(bank, question), question))
        report.exported(bank.bank.id, question.id)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("imsmanifest.xml", _document(_manifest(files)))
        for name, data in files.items():
            archive.writestr(name, data)
    return Exported(buffer.getvalue(), report)


def _document(root: ET.Element) -> bytes:
    ET.indent(root)
    text = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{text}\n'.encode()


def _manifest(files: dict[str, bytes]) -> ET.Element:
    manifest = ET.Element(
        "manifest",
        {
            "xmlns": CP,
            "xmlns:xsi": XSI,
            "identifier": "desperado-quiz-manifest",
            "xsi:schemaLocation": f"{CP} {CP_XSD}",
        },
    )
    ET.SubElement(manifest, "organizations")
    resources = ET.SubElement(manifest, "resources")
    for name in files:
        ident = name.removeprefix("items/").removesuffix(".xml")
        resource = ET.SubElement(
            resources, "resource", {"identifier": f"R-{ident}", "type": ITEM_TYPE, "href": name}
        )
        ET.SubElement(resource, "file", {"href": name})
    return manifest


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    element.text = text
    return element


def _paragraphs(parent: ET.Element, text: str) -> None:
    """Text in <p> elements, a line break as <br/>."""
    paragraph = _sub(parent, "p")
    lines = text.split("\n")
    paragraph.text = lines[0]
    for line in lines[1:]:
        _sub(paragraph, "br").tail = line


def _item(ident: str, question: AnyQuestion) -> ET.Element:
    item = ET.Element(
        "assessmentItem",
        {
            "xmlns": QTI,
            "xmlns:xsi": XSI,
            "xsi:schemaLocation": f"{QTI} {QTI_XSD}",
            "identifier": ident,
            "title": question.id,
            "adaptive": "false",
            "timeDependent": "false",
        },
    )
    response = _sub(item, "responseDeclaration", identifier="RESPONSE")
    outcome = _sub(item, "outcomeDeclaration", identifier="SCORE")
    outcome.attrib.update(cardinality="single", baseType="float")
    _sub(_sub(outcome, "defaultValue"), "value", "0")
    body = _sub(item, "itemBody")
    template = _interaction(question, response, body)
    if template:
        _sub(item, "responseProcessing", template=_TEMPLATES + template)
    else:
        _tolerance_processing(item, question)
    return item


def _choices(
    response: ET.Element,
    body: ET.Element,
    question: AnyQuestion,
    options: list[str],
    right: list[str],
    cardinality: str,
    tag: str,
    **attrs: str,
) -> None:
    response.attrib.update(cardinality=cardinality, baseType="identifier")
    correct = _sub(response, "correctResponse")
    ids = {option: f"C{index}" for index, option in enumerate(options, start=1)}
    for option in right:
        _sub(correct, "value", ids[option])
    interaction = _sub(body, tag, responseIdentifier="RESPONSE", shuffle="true", **attrs)
    prompt = _sub(interaction, "prompt")
    prompt.text = question.question.split("\n")[0]
    for line in question.question.split("\n")[1:]:
        _sub(prompt, "br").tail = line
    for option in options:
        _sub(interaction, "simpleChoice", option, identifier=ids[option])


def _interaction(question: AnyQuestion, response: ET.Element, body: ET.Element) -> str:
    """Fill the response and the body; the response-processing template, or "" when the
    item grades itself (a number within a tolerance)."""
    match question:
        case ChoiceQuestion():
            _choices(
                response,
                body,
                question,
                question.choices,
                [question.answer],
                "single",
                "choiceInteraction",
                maxChoices="1",
            )
        case BooleanQuestion():
            right = "True" if question.answer else "False"
            _choices(
                response,
                body,
                question,
                ["True", "False"],
                [right],
                "single",
                "choiceInteraction",
                maxChoices="1",
            )
        case MultiQuestion():
            _choices(
                response,
                body,
                question,
                question.choices,
                question.answer,
                "multiple",
                "choiceInteraction",
                maxChoices="0",
            )
        case OrderQuestion():
            _choices(
                response,
                body,
                question,
                question.answer,
                question.answer,
                "ordered",
                "orderInteraction",
            )
        case TextQuestion():
            response.attrib.update(cardinality="single", baseType="string")
            _sub(_sub(response, "correctResponse"), "value", question.answer)
            mapping = _sub(response, "mapping", defaultValue="0")
            for form in question.accepted:
                _sub(mapping, "mapEntry", mapKey=form, mappedValue="1", caseSensitive="false")
            _entry(body, question.question)
            return "map_response"
        case NumberQuestion():
            response.attrib.update(cardinality="single", baseType="float")
            _sub(_sub(response, "correctResponse"), "value", number_text(question.answer))
            _entry(body, question.question, question.unit)
            return ""
    return "match_correct"


def _entry(body: ET.Element, text: str, unit: str = "") -> None:
    _paragraphs(body, text)
    paragraph = _sub(body, "p")
    _sub(paragraph, "textEntryInteraction", responseIdentifier="RESPONSE", expectedLength="20")
    if unit:
        paragraph[-1].tail = f" {unit}"


def _tolerance_processing(item: ET.Element, question: AnyQuestion) -> None:
    assert isinstance(question, NumberQuestion)
    tolerance = number_text(question.tolerance)
    processing = _sub(item, "responseProcessing")
    branch = _sub(_sub(processing, "responseCondition"), "responseIf")
    # Right within the tolerance, or (``accept``) exactly one of the other numbers.
    condition = _sub(branch, "or") if question.accept else branch
    equal = _sub(condition, "equal", toleranceMode="absolute", tolerance=f"{tolerance} {tolerance}")
    _sub(equal, "variable", identifier="RESPONSE")
    _sub(equal, "correct", identifier="RESPONSE")
    for value in question.accept:
        exact = _sub(condition, "equal", toleranceMode="exact")
        _sub(exact, "variable", identifier="RESPONSE")
        _sub(exact, "baseValue", number_text(value), baseType="float")
    score = _sub(branch, "setOutcomeValue", identifier="SCORE")
    _sub(score, "baseValue", "1", baseType="float")
