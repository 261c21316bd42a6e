"""The QTI 2.1 content package, read with lxml (an XML parser written by others).

The QTI 2.1 XML Schema could not be had from a package registry on this machine (no
PyPI or npm package ships imsqti_v2p1.xsd), so this is the weaker check the issue
allows: every file is well-formed XML in the QTI and content-packaging namespaces,
the manifest lists every item and only those, and each item holds the interaction and
the correct response its question needs.
"""

from __future__ import annotations

import io
import zipfile

from lxml import etree

from desperado_quiz.convert import qti
from desperado_quiz.model import NumberQuestion, TextQuestion
from tests.convert_support import bundled

NS = {"q": qti.QTI, "cp": qti.CP}
INTERACTIONS = {
    "choice": "choiceInteraction",
    "boolean": "choiceInteraction",
    "multi": "choiceInteraction",
    "order": "orderInteraction",
    "text": "textEntryInteraction",
    "number": "textEntryInteraction",
}


def package() -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(qti.export(bundled()).data))


def test_every_file_is_well_formed_and_the_manifest_lists_every_item() -> None:
    archive = package()
    documents = {name: etree.fromstring(archive.read(name)) for name in archive.namelist()}
    manifest = documents.pop("imsmanifest.xml")
    assert manifest.tag == f"{{{qti.CP}}}manifest"
    listed = manifest.xpath("//cp:resource", namespaces=NS)
    assert {r.get("href") for r in listed} == set(documents)
    assert all(r.get("type") == "imsqti_item_xmlv2p1" for r in listed)
    assert all(r.find("cp:file", NS).get("href") == r.get("href") for r in listed)
    questions = [(bank, q) for bank in bundled() for q in bank.questions]
    assert len(documents) == len(questions)
    assert len({r.get("identifier") for r in listed}) == len(listed)


def test_each_item_has_the_interaction_and_answer_of_its_question() -> None:
    archive = package()
    for bank in bundled():
        for question in bank.questions:
            item = etree.fromstring(archive.read(f"items/{qti.identifier(bank, question)}.xml"))
            assert item.tag == f"{{{qti.QTI}}}assessmentItem"
            assert item.get("title") == question.id
            found = item.xpath(f"//q:{INTERACTIONS[question.type]}", namespaces=NS)
            assert len(found) == 1, question.id
            assert found[0].get("responseIdentifier") == "RESPONSE"
            values = item.xpath("//q:correctResponse/q:value/text()", namespaces=NS)
            if isinstance(question, TextQuestion):
                keys = item.xpath("//q:mapEntry/@mapKey", namespaces=NS)
                assert values == [question.answer]
                assert keys == list(question.accepted)
            elif isinstance(question, NumberQuestion):
                assert float(values[0]) == question.answer
                equal = item.xpath("//q:equal", namespaces=NS)[0]
                assert (
                    equal.get("tolerance").split()
                    == [str(question.tolerance).removesuffix(".0")] * 2
                )
            else:
                labels = {
                    c.get("identifier"): c.text
                    for c in item.xpath("//q:simpleChoice", namespaces=NS)
                }
                right = [labels[value] for value in values]
                answer = question.answer
                if question.type == "boolean":
                    answer = "True" if answer else "False"
                assert right == (answer if isinstance(answer, list) else [answer])
