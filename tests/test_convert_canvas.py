"""The Canvas quiz package, checked against what Canvas's importer reads.

Canvas's importer cannot be run here (a Rails application, and Instructure's
QTIMigrationTool, which it runs on QTI 1.2 packages, is Python 2), so these tests hold
the package to Canvas's code as read from its source: `Qti::Converter.is_qti_2`
(gems/plugins/qti_exporter/lib/qti/converter.rb) must say no, so that the QTI 1.2 road
is taken; the quiz is one `imsqti_xmlv1p2` resource with its `assessment_meta.xml`, as
Canvas's own QTI export writes it (lib/cc/qti/qti_generator.rb); and each item has the
shape of the item Canvas's own export writes for its type (lib/cc/qti/qti_items.rb),
compared with tests/fixtures/canvas/quiz.xml, written from that code, and the answers
each condition names are the question's, every accepted form and the number's margin.
"""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal
from typing import Any

from lxml import etree

from desperado_quiz.convert import canvas
from desperado_quiz.model import MultiQuestion, NumberQuestion, TextQuestion
from tests.convert_support import bundled
from tests.helpers import FIXTURES

NS = {"q": canvas.QTI_1_2, "cp": canvas.CP, "c": canvas.CANVAS}
# converter.rb: a manifest with any of these namespaces is read as QTI 2.
QTI_2_NAMESPACES = (
    "http://www.imsglobal.org/xsd/imsqti_v2p0",
    "http://www.imsglobal.org/xsd/imsqti_v2p1",
    "http://www.imsglobal.org/xsd/qti/qtiv2p0",
    "http://www.imsglobal.org/xsd/qti/qtiv2p1",
)


def package() -> tuple[zipfile.ZipFile, canvas.Exported]:
    exported = canvas.export(bundled())
    return zipfile.ZipFile(io.BytesIO(exported.data)), exported


def xml(archive: zipfile.ZipFile, name: str) -> etree._Element:
    return etree.fromstring(archive.read(name))


def test_canvas_takes_the_qti_1_2_road_and_finds_the_quiz_and_its_settings() -> None:
    archive, _ = package()
    manifest = xml(archive, "imsmanifest.xml")
    namespaces = set(manifest.nsmap.values())
    assert not any(ns.startswith(QTI_2_NAMESPACES) for ns in namespaces)  # is_qti_2: no
    schema = manifest.findtext("cp:metadata/cp:schema", namespaces=NS) or ""
    assert not re.search(r"QTIv2\.", schema, re.IGNORECASE)
    quizzes = manifest.xpath("//cp:resource[@type='imsqti_xmlv1p2']", namespaces=NS)
    assert len(quizzes) == 1
    href = quizzes[0].find("cp:file", NS).get("href")
    dependency = quizzes[0].find("cp:dependency", NS).get("identifierref")
    meta = manifest.xpath(f"//cp:resource[@identifier='{dependency}']", namespaces=NS)[0]
    assert meta.get("type") == "associatedcontent/imscc_xmlv1p1/learning-application-resource"
    settings = xml(archive, meta.get("href"))
    assert settings.findtext("c:shuffle_answers", namespaces=NS) == "true"
    assessment = xml(archive, href)
    assert assessment.tag == f"{{{canvas.QTI_1_2}}}questestinterop"
    assert len(assessment.xpath("q:assessment/q:section", namespaces=NS)) == 1


def shape(element: etree._Element, prefix: str = "") -> set[str]:
    """Every path of elements and attribute names under ``element``."""
    name = etree.QName(element).localname
    here = f"{prefix}/{name}"
    paths = {here} | {f"{here}@{attr}" for attr in element.attrib if "}" not in attr}
    for child in element:
        if isinstance(child.tag, str):
            paths |= shape(child, here)
    return paths


def kind(item: etree._Element) -> str:
    fields = item.xpath(".//q:qtimetadatafield", namespaces=NS)
    return next(f.findtext("q:fieldentry", namespaces=NS) for f in fields
                if f.findtext("q:fieldlabel", namespaces=NS) == "question_type")  # fmt: skip


def test_every_item_has_the_shape_of_the_item_canvas_writes_for_its_type() -> None:
    fixture = etree.parse(str(FIXTURES / "canvas" / "quiz.xml")).getroot()
    expected = {kind(item): shape(item) for item in fixture.iter(f"{{{canvas.QTI_1_2}}}item")}
    archive, exported = package()
    items = list(
        xml(archive, "desperado-quiz/desperado-quiz.xml").iter(f"{{{canvas.QTI_1_2}}}item")
    )
    assert len(items) == exported.report.written
    assert {kind(item) for item in items} == set(expected)
    for item in items:
        assert shape(item) == expected[kind(item)], item.get("title")


def labels(item: etree._Element) -> dict[str, str]:
    found = item.xpath(".//q:response_label", namespaces=NS)
    return {label.get("ident"): label.findtext(".//q:mattext", namespaces=NS) for label in found}


def test_each_item_holds_its_questions_answers_all_forms_and_margin() -> None:
    archive, _ = package()
    items = {
        item.get("title"): item
        for item in xml(archive, "desperado-quiz/desperado-quiz.xml").iter(
            f"{{{canvas.QTI_1_2}}}item"
        )
    }
    for bank in bundled():
        for question in bank.questions:
            if question.type == "order":
                assert question.id not in items
                continue
            item = items[question.id]
            scoring = item.xpath(".//q:respcondition[@continue='No']", namespaces=NS)
            if isinstance(question, TextQuestion):
                forms = [v.text for v in scoring[0].xpath(".//q:varequal", namespaces=NS)]
                assert forms == list(question.accepted)
            elif isinstance(question, NumberQuestion):
                rights = [(question.answer, question.tolerance)] + [(v, 0) for v in question.accept]
                assert len(scoring) == len(rights)
                for condition, (value, margin) in zip(scoring, rights, strict=True):
                    exact = condition.findtext(".//q:or/q:varequal", namespaces=NS)
                    low = condition.findtext(".//q:and/q:vargte", namespaces=NS)
                    high = condition.findtext(".//q:and/q:varlte", namespaces=NS)
                    # Canvas: margin = varlte - exact, in BigDecimal
                    assert Decimal(high) - Decimal(exact) == Decimal(repr(float(margin)))
                    assert Decimal(exact) - Decimal(low) == Decimal(repr(float(margin)))
                    assert float(exact) == value
            else:
                shown = labels(item)
                right = [shown[v.text] for v in scoring[0].xpath(
                    ".//q:varequal[not(parent::q:not)]", namespaces=NS)]  # fmt: skip
                wrong = [shown[v.text] for v in scoring[0].xpath(
                    ".//q:not/q:varequal", namespaces=NS)]  # fmt: skip
                if isinstance(question, MultiQuestion):
                    assert sorted(right) == sorted(question.answer)
                    assert sorted(right + wrong) == sorted(question.choices)
                else:
                    assert right == [question.answer_text]


def bundled_banks() -> list[Any]:
    from desperado_quiz.store import load_banks

    return load_banks().banks


def test_what_canvas_cannot_hold_is_said_per_question() -> None:
    _, exported = package()
    report = exported.report
    assert report.reasons("skipped") == {"order questions have no Canvas quiz type": 1}
    assert report.reasons("changed") == {
        "unit written in the question text: Canvas numbers have none": sum(
            bool(getattr(q, "unit", "")) for bank in bundled_banks() for q in bank.questions
        )
    }
