"""A Canvas quiz: QTI 1.2 as Canvas itself exports a quiz (a "QTI .zip"), which its
importer reads back whole.

Canvas's importer (canvas-lms ``gems/plugins/qti_exporter``) sends a package whose
manifest declares no QTI 2 namespace through Instructure's QTIMigrationTool, then reads
each item by the ``question_type`` that Canvas's own export writes in its metadata
(``lib/cc/qti/qti_items.rb``), and makes a quiz of the assessment, with the settings of
``assessment_meta.xml``. So the package is the one Canvas writes: an ``imsqti_xmlv1p2``
resource holding one assessment (one section, an item per question) and its
``assessment_meta.xml``.

Each question is its own Canvas type: choice ``multiple_choice_question``, boolean
``true_false_question``, multi ``multiple_answers_question`` (every right one and no
wrong one), text ``short_answer_question`` with every accepted form, number
``numerical_question``, an exact answer with its margin (and each other right number,
exact). The explanation and the evidence quotes are the general feedback. What Canvas
cannot hold is said per question: an order question is skipped (Canvas quizzes have no
ordering type), a number's unit is written in the question text.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from decimal import Decimal

from desperado_quiz.convert.common import (
    NO_OPTIONS,
    ChoiceDealer,
    Exported,
    ExportOptions,
    ExportReport,
    each_question,
    feedback_html,
    number_text,
    steady_zip,
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

QTI_1_2 = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
QTI_1_2_XSD = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2p1.xsd"
CP = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
IMSMD = "http://www.imsglobal.org/xsd/imsmd_v1p2"
CANVAS = "http://canvas.instructure.com/xsd/cccv1p0"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
QUIZ_TYPE = "imsqti_xmlv1p2"  # Canvas's QTI_ASSESSMENT_TYPE
META_TYPE = "associatedcontent/imscc_xmlv1p1/learning-application-resource"  # its LOR
QUIZ = "desperado-quiz"
TYPES = {
    ChoiceQuestion: "multiple_choice_question",
    BooleanQuestion: "true_false_question",
    MultiQuestion: "multiple_answers_question",
    TextQuestion: "short_answer_question",
    NumberQuestion: "numerical_question",
}
RESPONSE = "response1"


def export(banks: Sequence[Bank], options: ExportOptions = NO_OPTIONS) -> Exported:
    report = ExportReport()
    dealer = ChoiceDealer(options.seed)
    title = "Desperado quiz: " + ", ".join(bank.bank.title for bank in banks)
    section = ET.Element("section", ident="root_section")
    count = 0
    for bank, question in each_question(banks):
        kind = TYPES.get(type(question))
        if kind is None:
            reason = f"{question.type} questions have no Canvas quiz type"
            report.skipped(bank.bank.id, question.id, reason)
            continue
        count += 1
        item, changes = _item(bank, question, kind, dealer)
        section.append(item)
        report.exported(bank.bank.id, question.id, changes)
    files = [
        ("imsmanifest.xml", _document(_manifest(title))),
        (f"{QUIZ}/{QUIZ}.xml", _document(_assessment(title, section))),
        (f"{QUIZ}/assessment_meta.xml", _document(_meta(title, count))),
    ]
    return Exported(steady_zip(files), report)


def _document(root: ET.Element) -> bytes:
    ET.indent(root)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"
    ).encode()


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    element.text = text
    return element


def _manifest(title: str) -> ET.Element:
    """Canvas's manifest for a QTI export: no QTI 2 namespace, so that its converter
    (``Qti::Converter.is_qti_2``) takes the QTI 1.2 road."""
    manifest = ET.Element(
        "manifest",
        {
            "identifier": f"{QUIZ}-manifest",
            "xmlns": CP,
            "xmlns:imsmd": IMSMD,
            "xmlns:xsi": XSI,
            "xsi:schemaLocation": f"{CP} http://www.imsglobal.org/xsd/imscp_v1p1.xsd "
            f"{IMSMD} http://www.imsglobal.org/xsd/imsmd_v1p2p2.xsd",
        },
    )
    metadata = _sub(manifest, "metadata")
    _sub(metadata, "schema", "IMS Content")
    _sub(metadata, "schemaversion", "1.1.3")
    lom = _sub(_sub(_sub(metadata, "imsmd:lom"), "imsmd:general"), "imsmd:title")
    _sub(lom, "imsmd:string", title)
    _sub(manifest, "organizations")
    resources = _sub(manifest, "resources")
    quiz = _sub(resources, "resource", identifier=QUIZ, type=QUIZ_TYPE)
    _sub(quiz, "file", href=f"{QUIZ}/{QUIZ}.xml")
    _sub(quiz, "dependency", identifierref=f"{QUIZ}-meta")
    meta = _sub(
        resources,
        "resource",
        identifier=f"{QUIZ}-meta",
        type=META_TYPE,
        href=f"{QUIZ}/assessment_meta.xml",
    )
    _sub(meta, "file", href=f"{QUIZ}/assessment_meta.xml")
    return manifest


def _assessment(title: str, section: ET.Element) -> ET.Element:
    root = ET.Element(
        "questestinterop",
        {"xmlns": QTI_1_2, "xmlns:xsi": XSI, "xsi:schemaLocation": f"{QTI_1_2} {QTI_1_2_XSD}"},
    )
    assessment = _sub(root, "assessment", ident=QUIZ, title=title)
    _field(_sub(assessment, "qtimetadata"), "cc_maxattempts", "1")
    assessment.append(section)
    return root


def _meta(title: str, count: int) -> ET.Element:
    """The quiz's settings, as Canvas writes them beside its QTI; Canvas shuffles the
    answers of every question when ``shuffle_answers`` is true."""
    quiz = ET.Element("quiz", {"identifier": QUIZ, "xmlns": CANVAS})
    for tag, value in (
        ("title", title),
        ("description", ""),
        ("shuffle_answers", "true"),
        ("scoring_policy", "keep_highest"),
        ("quiz_type", "assignment"),
        ("points_possible", f"{count}.0"),
        ("show_correct_answers", "true"),
        ("allowed_attempts", "1"),
        ("one_question_at_a_time", "false"),
        ("cant_go_back", "false"),
        ("available", "false"),
    ):
        _sub(quiz, tag, value)
    return quiz


def _field(parent: ET.Element, label: str, entry: str) -> None:
    field = _sub(parent, "qtimetadatafield")
    _sub(field, "fieldlabel", label)
    _sub(field, "fieldentry", entry)


def _html(parent: ET.Element, html: str) -> None:
    _sub(_sub(parent, "material"), "mattext", html, texttype="text/html")


def _item(
    bank: Bank, question: AnyQuestion, kind: str, dealer: ChoiceDealer
) -> tuple[ET.Element, list[str]]:
    item = ET.Element("item", ident=f"{bank.bank.id}-{question.id}", title=question.id)
    labels = _labels(question, dealer)
    meta = _sub(_sub(item, "itemmetadata"), "qtimetadata")
    _field(meta, "question_type", kind)
    _field(meta, "points_possible", "1.0")
    if labels:  # Canvas keeps its answers' ids from here
        _field(meta, "original_answer_ids", ",".join(ident for ident, _ in labels))
    text, changes = question.question, []
    if isinstance(question, NumberQuestion) and question.unit:
        text = f"{text} ({question.unit})"
        changes.append("unit written in the question text: Canvas numbers have none")
    presentation = _sub(item, "presentation")
    _html(presentation, f"<div>{to_html(text)}</div>")
    _response(presentation, question, labels)
    processing = _sub(item, "resprocessing")
    _sub(
        _sub(processing, "outcomes"),
        "decvar",
        maxvalue="100",
        minvalue="0",
        varname="SCORE",
        vartype="Decimal",
    )
    feedback = feedback_html(question)
    if feedback:  # shown whatever the answer: Canvas's neutral comments
        condition = _sub(processing, "respcondition", **{"continue": "Yes"})
        _sub(_sub(condition, "conditionvar"), "other")
        _sub(condition, "displayfeedback", feedbacktype="Response", linkrefid="general_fb")
    _scoring(processing, question, labels)
    if feedback:
        _html(_sub(_sub(item, "itemfeedback", ident="general_fb"), "flow_mat"), feedback)
    return item, changes


def _labels(question: AnyQuestion, dealer: ChoiceDealer) -> list[tuple[str, str]]:
    """(answer id, text) of each choice in the order shown; Canvas wants numbers."""
    match question:
        case ChoiceQuestion():
            shown = dealer.order(question.choices, [question.answer])
        case MultiQuestion():
            shown = dealer.order(question.choices, question.answer)
        case BooleanQuestion():
            shown = ["True", "False"]  # Canvas's own order for true or false
        case _:
            return []
    return [(str(1000 + index), text) for index, text in enumerate(shown, start=1)]


def _response(
    presentation: ET.Element, question: AnyQuestion, labels: list[tuple[str, str]]
) -> None:
    if labels:
        cardinality = "Multiple" if isinstance(question, MultiQuestion) else "Single"
        lid = _sub(presentation, "response_lid", ident=RESPONSE, rcardinality=cardinality)
        choices = _sub(lid, "render_choice")
        for ident, text in labels:
            label = _sub(choices, "response_label", ident=ident)
            _sub(_sub(label, "material"), "mattext", text, texttype="text/plain")
        return
    response = _sub(presentation, "response_str", ident=RESPONSE, rcardinality="Single")
    if isinstance(question, NumberQuestion):
        _sub(_sub(response, "render_fib", fibtype="Decimal"), "response_label", ident="answer1")
    else:
        _sub(_sub(response, "render_fib"), "response_label", ident="answer1", rshuffle="No")


def _right(processing: ET.Element) -> ET.Element:
    """A condition that, when met, scores the question in full."""
    condition = _sub(processing, "respcondition", **{"continue": "No"})
    _sub(condition, "setvar", "100", action="Set", varname="SCORE")
    return condition


def _scoring(processing: ET.Element, question: AnyQuestion, labels: list[tuple[str, str]]) -> None:
    ids = {text: ident for ident, text in labels}
    match question:
        case ChoiceQuestion() | BooleanQuestion():
            answer = question.answer_text
            when = _conditions(_right(processing))
            _sub(when, "varequal", ids[answer], respident=RESPONSE)
        case MultiQuestion():
            both = _sub(_conditions(_right(processing)), "and")
            for text, ident in ids.items():  # every right one, and not one wrong one
                if text in question.answer:
                    _sub(both, "varequal", ident, respident=RESPONSE)
                else:
                    _sub(_sub(both, "not"), "varequal", ident, respident=RESPONSE)
        case TextQuestion():
            when = _conditions(_right(processing))
            for form in question.accepted:  # any of them: Canvas ignores case
                _sub(when, "varequal", form, respident=RESPONSE)
        case NumberQuestion():
            margins = [(question.answer, question.tolerance)] + [(v, 0.0) for v in question.accept]
            for value, margin in margins:
                either = _sub(_conditions(_right(processing)), "or")
                _sub(either, "varequal", number_text(value), respident=RESPONSE)
                within = _sub(either, "and")
                low, high = _bounds(value, margin)
                _sub(within, "vargte", low, respident=RESPONSE)
                _sub(within, "varlte", high, respident=RESPONSE)


def _bounds(value: float, margin: float) -> tuple[str, str]:
    """``value`` ± ``margin`` in decimal, as Canvas computes them (BigDecimal): never
    23.899999999999999 for 25.4 - 1.5."""
    exact, width = Decimal(repr(value)), Decimal(repr(margin))
    return _decimal(exact - width), _decimal(exact + width)


def _decimal(value: Decimal) -> str:
    return (
        number_text(float(value))
        if value == value.to_integral_value()
        else format(value.normalize(), "f")
    )


def _conditions(condition: ET.Element) -> ET.Element:
    """The condition's ``conditionvar``, made before its ``setvar`` as QTI orders them."""
    found = _sub(condition, "conditionvar")
    condition.remove(found)
    condition.insert(0, found)
    return found
