"""Findings for machines: JSON, GitHub workflow annotations and JUnit XML. Pure data.

The JSON shape is a stable interface (see docs/json.md), inside the common envelope.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Sequence

from typing_extensions import TypedDict

from desperado_quiz.findings import Finding, FindingJSON, Severity, SummaryJSON
from desperado_quiz.text import display_path, visible
from desperado_quiz.validator import Coverage, CoverageJSON, Report


class ValidationJSON(TypedDict, total=False):
    summary: SummaryJSON
    findings: list[FindingJSON]
    coverage: list[CoverageJSON]  # only with --coverage


def validation_json(report: Report, coverage: Sequence[Coverage] | None = None) -> ValidationJSON:
    data: ValidationJSON = {
        "summary": report.summary(),
        "findings": [finding.to_dict() for finding in report.findings],
    }
    if coverage is not None:
        data["coverage"] = [item.to_dict() for item in coverage]
    return data


def _escape_data(text: str) -> str:
    # visible() first: an ESC in a message would colour or rewrite the CI log.
    return visible(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


_GITHUB_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "notice"}


def github_annotation(finding: Finding) -> str:
    """``::error file=F,line=L,col=C,title=CODE::message``, escaped as GitHub requires."""
    props = [f"file={_escape_property(display_path(finding.path))}"]
    if finding.line is not None:
        props.append(f"line={finding.line}")
    if finding.column is not None:
        props.append(f"col={finding.column}")
    props.append(f"title={_escape_property(finding.code)}")
    level = _GITHUB_LEVELS[finding.severity]
    who = f"[{finding.question_id}] " if finding.question_id else ""
    hint = f" ({finding.hint})" if finding.hint else ""
    return f"::{level} {','.join(props)}::{_escape_data(who + finding.message + hint)}"


def to_github(report: Report) -> str:
    return "\n".join(github_annotation(finding) for finding in report.findings)


def to_junit(report: Report, strict: bool = False) -> str:
    """One test suite per file, one test case per question (and one for the file itself).

    A question's errors are failures; with ``strict``, so are its warnings (never its
    notes). Every name
    and message goes through ``visible``: XML 1.0 cannot hold control characters.
    """
    by_case: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for finding in report.findings:
        by_case[(display_path(finding.path), finding.question_id or "")].append(finding)
    cases: dict[str, dict[str, None]] = defaultdict(dict)  # file -> case names, in order
    for file in report.files:
        cases[display_path(file)][""] = None
    for bank in report.banks:
        cases[display_path(bank.path)].update(dict.fromkeys(q.id for q in bank.questions))
    for path, question_id in by_case:  # questions that failed to load still get a case
        cases[path].setdefault(question_id)

    root = ET.Element("testsuites", name="desperado-quiz validate")
    total = failed = 0
    for path, names in cases.items():
        suite = ET.SubElement(root, "testsuite", name=path)
        suite_failed = 0
        for name in names:
            case = ET.SubElement(
                suite, "testcase", classname=path, name=visible(name) or "(file)", file=path
            )
            problems = by_case.get((path, name), [])
            failing = [f for f in problems if f.severity.fails(strict)]
            first = next(iter(failing or problems), None)
            if first is not None and first.line is not None:
                case.set("line", str(first.line))
            if failing:
                suite_failed += 1
                failure = ET.SubElement(
                    case, "failure", type=failing[0].code, message=visible(failing[0].message)
                )
                failure.text = "\n".join(f.describe() for f in failing)
            elif problems:
                ET.SubElement(case, "system-out").text = "\n".join(f.describe() for f in problems)
        suite.set("tests", str(len(names)))
        suite.set("failures", str(suite_failed))
        total += len(names)
        failed += suite_failed
    root.set("tests", str(total))
    root.set("failures", str(failed))
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True)
