"""`desperado-quiz validate` and `schema`: formats, exit codes, the committed schema."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from typer.testing import CliRunner

from desperado_quiz.cli import app
from tests.helpers import BUNDLED_QUESTIONS, FIXTURES, REPO

runner = CliRunner()
RULES = FIXTURES / "rules"
ANNOTATION = re.compile(
    r"^::(error|warning|notice) file=([^,]+)(?:,line=(\d+))?(?:,col=(\d+))?,"
    r"title=([a-z0-9-]+)::(.+)$"
)


def test_bundled_banks_pass() -> None:
    result = runner.invoke(app, ["validate"])
    assert result.exit_code == 0
    assert f"✓ No problems: 5 files, {BUNDLED_QUESTIONS} questions checked" in result.stdout
    assert "missing-hint" not in result.stdout  # notes only with --notes


def test_notes_are_shown_when_asked_and_never_fail() -> None:
    path = RULES / "missing-hint.toml"
    plain = runner.invoke(app, ["validate", "--strict", str(path)])
    assert plain.exit_code == 0
    assert "missing-hint" not in plain.stdout
    assert "(1 note, shown with --notes)." in plain.stdout
    noted = runner.invoke(app, ["validate", "--strict", "--notes", str(path)])
    assert noted.exit_code == 0
    assert "· note missing-hint [director-no-hint]: no hint to show" in noted.stdout
    github = runner.invoke(app, ["validate", "--notes", "-f", "github", str(path)])
    assert github.stdout.startswith("::notice file=tests/fixtures/rules/missing-hint.toml,line=9,")
    assert runner.invoke(app, ["validate", "-f", "github", str(path)]).stdout == ""
    junit = runner.invoke(app, ["validate", "--strict", "--notes", "-f", "junit", str(path)])
    assert 'failures="0"' in junit.stdout
    assert "missing-hint" in junit.stdout
    data = json.loads(runner.invoke(app, ["validate", "-f", "json", str(path)]).stdout)["data"]
    assert data["summary"]["notes"] == 1
    assert [f["severity"] for f in data["findings"]] == ["note"]


def test_errors_exit_1_with_file_line_and_hint() -> None:
    path = RULES / "unknown-key.toml"
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    assert "tests/fixtures/rules/unknown-key.toml:14" in result.stdout  # relative to here
    assert "unknown key `explaination`" in result.stdout
    assert "hint: did you mean `explanation`?" in result.stdout
    # Every rule runs on the question despite its error: it has no explanation either.
    assert "missing-explanation [typo-key]" in result.stdout
    assert "1 error, 1 warning: 1 file, 1 question checked (1 note, shown with --notes)." in (
        result.stdout
    )


def test_warnings_pass_unless_strict() -> None:
    path = RULES / "missing-explanation.toml"
    assert runner.invoke(app, ["validate", str(path)]).exit_code == 0
    assert runner.invoke(app, ["validate", "--strict", str(path)]).exit_code == 1


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    missing = runner.invoke(app, ["validate", str(tmp_path / "nope.toml")])
    assert missing.exit_code == 2
    assert "no such file or folder" in missing.stderr
    assert runner.invoke(app, ["validate", "--format", "yaml"]).exit_code == 2


def test_json_format_is_the_documented_schema() -> None:
    result = runner.invoke(app, ["validate", "--format", "json", str(RULES)])
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert (document["format_version"], document["kind"]) == (1, "validation")
    data = document["data"]
    assert set(data["summary"]) == {"files", "banks", "questions", "errors", "warnings", "notes"}
    assert data["summary"]["errors"] == sum(f["severity"] == "error" for f in data["findings"])
    for finding in data["findings"]:
        assert set(finding) == {
            "code",
            "severity",
            "path",
            "line",
            "column",
            "question_id",
            "message",
            "hint",
        }
    syntax = next(f for f in data["findings"] if f["code"] == "toml-syntax")
    assert (syntax["line"], syntax["column"]) == (10, 12)
    assert "coverage" not in data


def test_json_coverage() -> None:
    result = runner.invoke(app, ["validate", "--format", "json", "--coverage"])
    (item,) = json.loads(result.stdout)["data"]["coverage"]
    assert item["source"].endswith("desperado-article.txt")
    assert item["cited"] <= item["sentences"]
    assert item["share"] == round(item["cited"] / item["sentences"], 4)


def test_text_coverage() -> None:
    result = runner.invoke(app, ["validate", "--coverage"])
    assert result.exit_code == 0
    assert "sentences cited" in result.stdout
    assert "stellar cast" in result.stdout  # an opinion no question asks
    assert "Codpiece gun in Desperado" not in result.stdout  # a caption is not a claim


def test_github_annotations() -> None:
    result = runner.invoke(app, ["validate", "--format", "github", str(RULES)])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines
    parsed = [ANNOTATION.match(line) for line in lines]
    assert all(parsed), [line for line, m in zip(lines, parsed, strict=True) if not m]
    by_title = {m.group(5): m for m in parsed if m}
    key = by_title["unknown-key"]
    assert key.group(1) == "error"
    assert key.group(2).endswith("unknown-key.toml")
    assert key.group(3) == "14"
    assert by_title["toml-syntax"].group(4) == "12"
    assert by_title["missing-explanation"].group(1) == "warning"


def test_github_is_silent_without_findings() -> None:
    result = runner.invoke(app, ["validate", "--format", "github"])
    assert result.exit_code == 0
    assert result.stdout == ""


def test_junit_has_a_case_per_question_and_failures() -> None:
    result = runner.invoke(app, ["validate", "--format", "junit", str(RULES)])
    assert result.exit_code == 1
    root = ET.fromstring(result.stdout.encode())
    assert root.tag == "testsuites"
    suites = {Path(s.get("name", "")).name: s for s in root.iter("testsuite")}
    near = suites["near-duplicate.toml"]
    assert [c.get("name") for c in near.iter("testcase")] == [
        "(file)",
        "score-band",
        "score-band-again",
    ]
    assert near.get("failures") == "0"  # a warning is not a failure...
    assert near.find("testcase[@name='score-band-again']/system-out") is not None
    key = suites["unknown-key.toml"].find("testcase[@name='typo-key']")
    assert key is not None
    failure = key.find("failure")
    assert failure is not None
    assert failure.get("type") == "unknown-key"
    assert key.get("line") == "14"
    assert int(root.get("failures", "0")) >= 25
    strict = ET.fromstring(
        runner.invoke(
            app, ["validate", "--format", "junit", "--strict", str(RULES / "near-duplicate.toml")]
        ).stdout.encode()
    )
    assert strict.get("failures") == "1"  # ...unless --strict


def test_bundled_junit_all_pass() -> None:
    root = ET.fromstring(runner.invoke(app, ["validate", "-f", "junit"]).stdout.encode())
    assert root.get("failures") == "0"
    assert int(root.get("tests", "0")) >= 45


def test_schema_command_matches_the_committed_schema() -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    committed = (REPO / "schema" / "bank.schema.json").read_text(encoding="utf-8")
    assert json.loads(result.stdout) == json.loads(committed), (
        "schema/bank.schema.json is stale: run `desperado-quiz schema > schema/bank.schema.json`"
    )
    schema = json.loads(result.stdout)
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert {"bank", "questions"} <= set(schema["properties"])


def test_bundled_banks_point_editors_at_the_schema() -> None:
    for bank in (REPO / "questions").glob("*.toml"):
        first_line = bank.read_text(encoding="utf-8").splitlines()[0]
        assert first_line == "#:schema ../schema/bank.schema.json"
        assert (bank.parent / "../schema/bank.schema.json").resolve().is_file()


def test_a_reader_that_goes_away_ends_validate_with_141_not_an_internal_error(
    tmp_path: Path,
) -> None:
    """`validate | head` on a long report: once exit 70, "internal error (BrokenPipeError)"."""
    import subprocess
    import sys

    for n in range(12):  # 12 files of 100 findings shown each: more than a pipe holds
        (tmp_path / f"keys{n}.toml").write_text("".join(f"k{k} = 1\n" for k in range(200)))
    process = subprocess.Popen(
        [sys.executable, "-m", "desperado_quiz", "validate", str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None
    assert process.stderr is not None
    process.stdout.readline()
    process.stdout.close()  # the reader goes away
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=60) == 141
    assert "internal error" not in stderr
