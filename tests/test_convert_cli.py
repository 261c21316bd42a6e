"""`export` and `import` as a user meets them: formats that complete in the shell,
filters, stdout, a broken input file (its line, exit 2, nothing written), --force, an
atomic write, and a source document that must stay inside the bank's tree."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from desperado_quiz.cli import app
from tests.helpers import ARTICLE, FIXTURES

runner = CliRunner()
SAMPLES = FIXTURES / "formats"


def complete(line: str) -> list[str]:
    words = line.split(" ")
    env = {
        "_DESPERADO_QUIZ_COMPLETE": "complete_bash",
        "COMP_WORDS": line,
        "COMP_CWORD": str(len(words) - 1),
    }
    result = runner.invoke(app, [], env=env, prog_name="desperado-quiz")
    return result.output.split()


def test_the_format_completes_in_the_shell() -> None:
    assert complete("desperado-quiz export mo") == ["moodle"]
    assert complete("desperado-quiz export ") == [
        "anki", "moodle", "gift", "canvas", "qti", "kahoot", "opentdb", "red", "aiken", "csv",
    ]  # fmt: skip
    assert complete("desperado-quiz import ") == [
        "moodle",
        "gift",
        "opentdb",
        "red",
        "aiken",
        "csv",
    ]


@pytest.mark.parametrize("command", ["export", "import"])
def test_help_lists_the_formats_with_a_line_each(command: str) -> None:
    from desperado_quiz.convert.registry import FORMATS

    shown = runner.invoke(app, [command, "--help"]).stdout
    for form in FORMATS.values():
        if form.can_import or command == "export":
            assert f"{form.name} " in shown
            assert form.description[:30] in shown


def exported_rows(args: list[str]) -> list[dict[str, str]]:
    result = runner.invoke(app, ["export", "csv", *args, "-o", "-"])
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout.removeprefix("\ufeff"))))


def test_export_takes_the_filters_of_play() -> None:
    assert {row["difficulty"] for row in exported_rows(["-d", "HARD"])} == {"hard"}
    assert {row["bank"] for row in exported_rows(["-b", "desperado-music"])} == {"desperado-music"}
    assert {row["category"] for row in exported_rows(["-c", "music"])} == {"Music"}
    tagged = exported_rows(["-t", "sequel"])
    assert tagged
    assert all("sequel" in row["tags"].split("|") for row in tagged)
    given = exported_rows([str(FIXTURES / "sample" / "music.toml")])
    assert given
    assert {row["bank"] for row in given} != {"desperado-music", "desperado-cast"}


def test_the_end_of_an_export_counts_each_reason() -> None:
    items = str(FIXTURES / "items")  # frozen: two choices, a boolean and two texts
    result = runner.invoke(app, ["export", "aiken", items, "-o", "-"])
    assert result.exit_code == 0
    assert "ANSWER: " in result.stdout
    assert "items:navajas-actor skipped: text questions cannot be expressed in Aiken" in (
        result.stderr
    )
    assert "Exported 3 questions to stdout (aiken): 2 as they are, 1 changed, 2 skipped." in (
        result.stderr
    )
    assert "skipped 2: text questions cannot be expressed in Aiken" in result.stderr
    assert "changed 1: written as a choice between True and False" in result.stderr
    bundled = runner.invoke(app, ["export", "aiken", "-o", "-"])
    assert "skipped: order questions cannot be expressed in Aiken" in bundled.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["export", "anki", "-o", "-"], "binary file"),
        (["export", "pdf", "-o", "x.pdf"], "cannot export to 'pdf'"),
        (["export", "gift"], "-o OUT"),
        (["export", "gift", "-o", "-", "--json"], "both want stdout"),
        (["export", "gift", "-o", "x.gift", "-t", "no-such-tag"], "no question matches"),
        (["export", "gift", "-o", "/no/such/folder/x.gift"], "there is no folder"),
        (["import", "kahoot", "x.xlsx", "-o", "x.toml"], "cannot import from 'kahoot'"),
    ],
)
def test_usage_errors_exit_2(args: list[str], message: str, tmp_path: Path) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert message in result.output


BROKEN = [
    ("moodle", "<quiz>\n  <question type='truefalse'>\n    <name><text>x</name>\n</quiz>\n", 3),
    ("moodle", "<?xml version='1.0'?>\n<!DOCTYPE quiz [<!ENTITY a 'b'>]>\n<quiz/>\n", 2),
    ("red", "AUTHOR: me\nWho?:\n  - a\n - b\n", 4),
    ("gift", "::a::Who?{=x ~y\n\n::b::Why?{=z}\n", 1),
    ("opentdb", '{"response_code": 0, "results": [\n  {"type": "boolean",\n', 3),
    ("csv", 'type,question,answer\ntext,"Who?,Navajas\n', 2),
    ("aiken", "Who?\nA. One\nB. Two\nANSWER: E\n", 4),
]


@pytest.mark.parametrize(("name", "text", "line"), BROKEN)
def test_a_broken_input_gives_the_line_exit_2_and_writes_nothing(
    name: str, text: str, line: int, tmp_path: Path
) -> None:
    source = tmp_path / f"broken.{name}"
    source.write_text(text, encoding="utf-8")
    output = tmp_path / "new.toml"
    result = runner.invoke(app, ["import", name, str(source), "-o", str(output)])
    assert result.exit_code == 2, result.output
    assert f"broken.{name}:{line}: " in result.stderr
    assert "expected" in result.stderr or "not" in result.stderr
    assert "Traceback" not in result.output
    assert not output.exists()
    assert list(tmp_path.iterdir()) == [source]


@pytest.mark.parametrize(
    ("count", "padding", "told"),
    [
        (10_001, 0, "10,001 questions, over the 10,000 a question file may hold"),
        (9_000, 450, "MB, over the 5 MB a question file may hold"),
        (1, 150_000, "a line of more than 100,000 characters (its line 6)"),
    ],
)
def test_a_bank_too_large_to_load_is_never_written(
    count: int, padding: int, told: str, tmp_path: Path
) -> None:
    source = tmp_path / "many.aiken"
    source.write_text(
        "".join(
            f"Question {n}? {'x' * padding}\nA. Yes\nB. No\nANSWER: A\n\n" for n in range(count)
        ),
        encoding="utf-8",
    )
    assert source.stat().st_size < 5 * 1024 * 1024  # an input the importer reads
    output = tmp_path / "many.toml"
    result = runner.invoke(app, ["import", "aiken", str(source), "-o", str(output)])
    assert result.exit_code == 2, result.output
    assert told in result.stderr
    assert "nothing was written" in result.stderr
    assert not output.exists()


def test_errors_on_the_json_path_come_out_as_json(tmp_path: Path) -> None:
    import json

    source = tmp_path / "broken.json"
    source.write_text('{"results": [', encoding="utf-8")
    result = runner.invoke(
        app, ["import", "opentdb", str(source), "-o", str(tmp_path / "x.toml"), "--json"]
    )
    assert result.exit_code == 2
    document = json.loads(result.stdout)
    assert document["kind"] == "import"
    assert document["data"] is None
    assert "broken.json:1:" in document["errors"][0]["message"]


def test_an_existing_file_is_replaced_only_with_force(tmp_path: Path) -> None:
    output = tmp_path / "bank.toml"
    output.write_text("keep me\n", encoding="utf-8")
    args = ["import", "aiken", str(SAMPLES / "aiken.txt"), "-o", str(output)]
    refused = runner.invoke(app, args)
    assert refused.exit_code == 2
    assert "--force" in refused.stderr
    assert output.read_text(encoding="utf-8") == "keep me\n"
    forced = runner.invoke(app, [*args, "--force"])
    assert forced.exit_code == 0, forced.output
    assert output.read_text(encoding="utf-8").startswith('[bank]\nid = "bank"')


def test_the_write_is_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure while writing leaves the old file as it was, and no half file."""
    output = tmp_path / "bank.toml"
    output.write_text("old\n", encoding="utf-8")

    def fail(_fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", fail)
    args = ["import", "aiken", str(SAMPLES / "aiken.txt"), "-o", str(output), "--force"]
    result = runner.invoke(app, args)
    assert result.exit_code != 0
    assert output.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["bank.toml"]


def test_the_target_is_checked_before_reading(tmp_path: Path) -> None:
    """A target that cannot be written is refused before the input is read (here the
    input does not even exist); a folder holds for root as well as for anyone."""
    target = tmp_path / "a.toml"
    target.mkdir()
    missing = tmp_path / "missing.txt"
    result = runner.invoke(app, ["import", "aiken", str(missing), "-o", str(target), "--force"])
    assert result.exit_code == 2
    assert "is not a regular file" in result.stderr


def test_a_source_outside_the_banks_tree_is_refused(tmp_path: Path) -> None:
    (tmp_path / "bank").mkdir()
    (tmp_path / "elsewhere").mkdir()
    document = tmp_path / "elsewhere" / "article.txt"
    document.write_text(ARTICLE.read_text(encoding="utf-8"), encoding="utf-8")
    output = tmp_path / "bank" / "new.toml"
    result = runner.invoke(
        app,
        ["import", "aiken", str(SAMPLES / "aiken.txt"), "-o", str(output), "--source",
         str(document)],
    )  # fmt: skip
    assert result.exit_code == 2
    assert "leads outside" in result.stderr
    assert not output.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--bank-id", "Not A Slug"], "is not a slug"),
        (["-o", "new.txt"], "ends in .toml"),
    ],
)
def test_import_usage_errors(
    args: list[str], message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(
        app, ["import", "aiken", str(SAMPLES / "aiken.txt"), "-o", "new.toml", *args]
    )
    assert result.exit_code == 2
    assert message in result.stderr
    assert list(tmp_path.iterdir()) == []
