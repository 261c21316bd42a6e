"""Every import format reads a real-world-shaped sample, written for these tests from
the format's public documentation (tests/fixtures/formats/), into a bank file that
`validate` holds to the usual standard when it is given a source: each question lacks
evidence until an author adds it (unless the file quoted some, as our CSV does), and
once the suggested passages are confirmed as evidence the bank passes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from desperado_quiz.cli import app
from desperado_quiz.convert.registry import FORMATS
from desperado_quiz.findings import Severity
from desperado_quiz.validator import validate
from tests.helpers import ARTICLE, FIXTURES

runner = CliRunner()
SAMPLES = FIXTURES / "formats"
# format, sample, questions read, questions skipped (a type we do not have)
QUOTED = {"csv": 2}  # questions whose evidence the file itself carries
CASES = [
    ("moodle", "moodle.xml", 5, 1),  # the essay
    ("gift", "gift.txt", 7, 0),
    ("opentdb", "opentdb.json", 4, 0),
    ("red", "red.yaml", 5, 0),
    ("aiken", "aiken.txt", 3, 0),
    ("csv", "csv.csv", 6, 0),
]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "questions").mkdir()
    shutil.copy(ARTICLE, tmp_path / "questions" / "article.txt")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def confirm_suggestions(path: Path) -> None:
    """What an author does: quote each suggested passage as the question's evidence."""
    lines, pending = [], None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#   ") and pending is None:
            pending = line.removeprefix("#   ")
        elif line == "[[questions]]":
            lines.append(line)
            if pending is not None:
                lines.append(f"evidence = {json.dumps(pending, ensure_ascii=False)}")
            pending = None
            continue
        lines.append(line)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.parametrize(("name", "sample", "count", "skipped"), CASES)
def test_a_sample_imports_into_a_bank_that_validates_once_evidence_is_added(
    project: Path, name: str, sample: str, count: int, skipped: int
) -> None:
    output = project / "questions" / f"{name}.toml"
    result = runner.invoke(
        app,
        ["import", name, str(SAMPLES / sample), "-o", str(output), "--source",
         str(project / "questions" / "article.txt")],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert f"Imported {count} question" in result.stdout
    before = validate([output])
    missing = [f for f in before.findings if f.code == "missing-key" and "evidence" in f.message]
    unquoted = count - QUOTED.get(name, 0)
    assert len(missing) == unquoted  # every question without a quote, nothing else
    assert before.errors == unquoted
    assert (output.read_text(encoding="utf-8").count("# Evidence to confirm")) >= unquoted
    assert len([line for line in result.stderr.splitlines() if "skipped:" in line]) == skipped
    confirm_suggestions(output)
    after = validate([output])
    assert [f.describe() for f in after.findings if f.severity is Severity.ERROR] == []
    checked = runner.invoke(app, ["validate", str(output)])
    assert checked.exit_code == 0, checked.output


def test_the_sample_keys_come_through(project: Path) -> None:
    """A few values of each sample, as the format's documentation gives them."""
    from desperado_quiz.convert.registry import FORMATS

    moodle = FORMATS["moodle"].importer()((SAMPLES / "moodle.xml").read_text(encoding="utf-8"))
    first = moodle.questions[0].question
    assert first.question == "Who plays Carolina, the bookstore owner?"  # tags and &nbsp; gone
    assert first.explanation == "Salma Hayek had her Hollywood breakthrough in this film."
    assert first.hint.startswith("She was later nominated")
    assert (first.category, first.tags, moodle.title) == ("Cast", ["cast"], "Desperado (1995)")
    opentdb = FORMATS["opentdb"].importer()((SAMPLES / "opentdb.json").read_text(encoding="utf-8"))
    assert opentdb.questions[0].question.question == 'Who directed the 1995 film "Desperado"?'
    gift = FORMATS["gift"].importer()((SAMPLES / "gift.txt").read_text(encoding="utf-8"))
    assert gift.questions[0].question.question.endswith("_____ turned vengeful vigilante.")
    assert gift.questions[1].question.id == "villain-name"
    csv = FORMATS["csv"].importer()((SAMPLES / "csv.csv").read_text(encoding="utf-8"))
    assert csv.questions[0].question.evidence == ["composed and performed by Los Lobos"]


@pytest.mark.parametrize("wrapped", [True, False])
def test_opentdb_skips_name_the_line_of_their_result(wrapped: bool) -> None:
    good = (
        '{"type": "boolean", "category": "Film", "difficulty": "easy",\n'
        ' "question": "Desperado came out in 1995.", "correct_answer": "True",\n'
        ' "incorrect_answers": ["False"]}'
    )
    essay = (
        '{"type": "essay", "question": "Why?", "correct_answer": "x",\n "incorrect_answers": []}'
    )
    results = f"[\n{good},\n{essay},\n{good},\n{essay}\n]"
    text = f'{{"response_code": 0, "tags": ["a"],\n"results": {results}}}' if wrapped else results
    imported = FORMATS["opentdb"].importer()(text)
    first = 3 if wrapped else 2
    assert [skip.line for skip in imported.skipped] == [first + 3, first + 8]
    assert [item.line for item in imported.questions] == [first, first + 5]


def test_opentdb_lines_count_every_entry_and_the_last_results_key() -> None:
    good = (
        '{"type": "boolean", "category": "Film", "difficulty": "easy",'
        ' "question": "Desperado came out in 1995.", "correct_answer": "True",'
        ' "incorrect_answers": ["False"]}'
    )
    text = (
        '{"results": [{}],\n'  # a repeated key: json keeps the last, and so do the lines
        '"results": [\n'
        "1,\n"
        f"{good},\n"
        '"not an object"\n'
        "]}"
    )
    imported = FORMATS["opentdb"].importer()(text)
    assert [skip.line for skip in imported.skipped] == [3, 5]
    assert [item.line for item in imported.questions] == [4]
