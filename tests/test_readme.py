"""Every command example in the README does what the text beside it says.

Each `$ ` line of the README has a check here; a new example without one fails
`test_every_example_has_a_check`, so the README and this file cannot drift apart.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from desperado_quiz.cli import app
from tests.helpers import BUNDLED_QUESTIONS, QUESTIONS, REPO

runner = CliRunner()
SETUP = ("python -m pip install",)  # run by CI itself, on a fresh machine


def examples() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    found = re.findall(r"^\s*\$ (.+?)\s*$", text, re.MULTILINE)
    return [line for line in found if not line.startswith(SETUP)]


def command(line: str) -> tuple[list[str], str]:
    """The arguments of ``desperado-quiz`` in ``line``, and what is piped in."""
    stdin = ""
    if " | " in line:
        feed, line = line.split(" | ", 1)
        stdin = shlex.split(feed)[1].encode().decode("unicode_escape")
    words = shlex.split(line.split("  #")[0])
    assert words[0] == "desperado-quiz", line
    return words[1:], stdin


def game(result: Result) -> dict[str, Any]:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["data"]  # type: ignore[no-any-return]


def as_json(args: list[str], stdin: str = "") -> dict[str, Any]:
    return game(runner.invoke(app, [*args, "--json"], input=stdin or "skip\n" * 12))


def check_all_banks(args: list[str], _: str) -> None:
    data = as_json(args)
    assert len(data["questions"]) == 10
    assert len({q["bank"] for q in data["questions"]}) > 1


def check_five_hard(args: list[str], _: str) -> None:
    data = as_json(args)
    assert len(data["questions"]) == 5
    assert {a["difficulty"] for a in data["players"][0]["answers"]} == {"hard"}


def check_one_bank_and_seed(args: list[str], _: str) -> None:
    data = as_json(args)
    assert {q["bank"] for q in data["questions"]} == {"desperado-music"}
    assert data["seed"] == 42
    assert as_json(args)["questions"] == data["questions"]  # same seed, same game


def check_timer(args: list[str], _: str) -> None:
    assert as_json(args)["settings"]["timer"] == 20


def check_players(args: list[str], _: str) -> None:
    data = as_json(args, "skip\n" * 30)
    assert [p["player"] for p in data["players"]] == ["Ann", "Bob"]
    assert sorted(data["ranking"]) == ["Ann", "Bob"]


def check_script(args: list[str], stdin: str) -> None:
    data = game(runner.invoke(app, args, input=stdin))
    assert data["players"][0]["right"] == 2  # "Both answers here are right"


def check_history(args: list[str], _: str) -> None:
    runner.invoke(app, ["play", "-n", "2", "-p", "Ann"], input="skip\nskip\n")
    result = runner.invoke(app, args)
    assert result.exit_code == 0
    assert "Recent games" in result.stdout


def check_stats(args: list[str], _: str) -> None:
    runner.invoke(app, ["play", "-n", "2", "-p", "Ann"], input="skip\nskip\n")
    result = runner.invoke(app, args)
    assert result.exit_code == 0
    assert "Player" in result.stdout
    assert "Ann" in result.stdout


def check_review(args: list[str], _: str) -> None:
    runner.invoke(app, ["play", "-n", "2", "--seed", "3"], input="skip\nskip\n")
    data = as_json(args)
    assert len(data["questions"]) == 2  # the two that were missed


def check_clear(args: list[str], _: str) -> None:
    runner.invoke(app, ["play", "-n", "1"], input="skip\n")
    result = runner.invoke(app, args)
    assert result.exit_code == 0
    assert "A copy of it is kept at:" in result.stdout
    assert json.loads(runner.invoke(app, ["history", "-f", "json"]).stdout)["data"] == []


def check_list(args: list[str], _: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 0
    assert "categories" in result.stdout
    assert "tags" in result.stdout


def check_wizard(args: list[str], _: str) -> None:
    before = Path(args[-1]).read_bytes()
    result = runner.invoke(app, args, input="")
    assert "Type" in result.stdout  # the wizard asked its first question
    assert result.exit_code == 1
    assert Path(args[-1]).read_bytes() == before  # end of input: nothing written


def check_validate(args: list[str], _: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "No problems" in result.stdout


def check_coverage(args: list[str], _: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 0
    assert "sentences cited" in result.stdout


def check_schema(args: list[str], _: str) -> None:
    assert json.loads(runner.invoke(app, args).stdout)["title"] == "desperado-quiz question bank"


def check_github(args: list[str], _: str) -> None:
    result = runner.invoke(app, args)
    assert (result.exit_code, result.stdout) == (0, "")  # no annotation: nothing wrong


def check_junit(args: list[str], _: str) -> None:
    root = ET.fromstring(runner.invoke(app, args).stdout.encode())
    assert root.get("failures") == "0"


def check_validate_json(args: list[str], _: str) -> None:
    document = json.loads(runner.invoke(app, args).stdout)
    assert (document["kind"], document["data"]["summary"]["errors"]) == ("validation", 0)


def check_study(args: list[str], _: str) -> None:
    data = as_json(args)
    assert data["settings"]["mode"] == "study"
    assert len(data["questions"]) == 10  # ten new questions on a first day
    again = runner.invoke(app, args)
    assert again.exit_code == 0
    assert "Nothing is due" in again.stdout


def check_study_music(args: list[str], _: str) -> None:
    data = as_json(args)
    assert len(data["questions"]) == 3
    assert {q["category"] for q in data["players"][0]["answers"]} == {"Music"}


def check_cram(args: list[str], _: str) -> None:
    data = as_json(args, "skip\n" * 30)
    assert data["settings"]["mode"] == "cram"
    assert {a["difficulty"] for a in data["players"][0]["answers"]} == {"hard"}
    cards = runner.invoke(app, ["stats", "--format", "json"]).stdout
    assert json.loads(cards)["data"]["learning"] is None  # cramming made no card


def check_learning(args: list[str], _: str) -> None:
    runner.invoke(app, ["study", "--new", "2"], input="skip\nskip\n")
    result = runner.invoke(app, args)
    assert result.exit_code == 0
    assert "Learning" in result.stdout
    assert "Due now" in result.stdout


def check_question_stats(args: list[str], _: str) -> None:
    for _game in range(10):
        runner.invoke(
            app, ["play", "-b", "desperado-music", "-n", "3", "--seed", "1"], input="skip\n" * 3
        )
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "How each question works" in result.stdout
    assert "discrimination" in result.stdout


def check_validate_history(args: list[str], _: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "No problems" in result.stdout  # no play data yet: nothing to flag


def check_export_anki(args: list[str], _: str) -> None:
    import sqlite3
    import zipfile

    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert f"Exported {BUNDLED_QUESTIONS} questions" in result.stderr
    with zipfile.ZipFile(args[-1]) as package:  # the full check is tests/test_convert_anki.py
        assert "collection.anki2" in package.namelist()
        (Path("collection.anki2")).write_bytes(package.read("collection.anki2"))
    with sqlite3.connect("collection.anki2") as collection:
        assert collection.execute("select count(*) from notes").fetchone() == (BUNDLED_QUESTIONS,)


def check_export_kahoot(args: list[str], _: str) -> None:
    from openpyxl import load_workbook

    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    rows = list(
        load_workbook(args[args.index("-o") + 1]).active.iter_rows(min_row=9, values_only=True)
    )
    assert rows
    assert all(row[1] and row[7] for row in rows)


def check_export_kahoot_seeded(args: list[str], line: str) -> None:
    check_export_kahoot(args, line)
    first = Path(args[args.index("-o") + 1]).read_bytes()
    again = runner.invoke(app, args)  # the same seed: the same file, byte for byte
    assert again.exit_code == 0, again.output
    assert Path(args[args.index("-o") + 1]).read_bytes() == first
    assert "seed 7" in again.stderr


def check_export_canvas(args: list[str], _: str) -> None:
    import zipfile

    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "Exported 39 questions" in result.stderr  # the order question skipped
    with zipfile.ZipFile(args[-1]) as package:  # the full check: test_convert_canvas.py
        assert "imsmanifest.xml" in package.namelist()


def check_import(args: list[str], _: str) -> None:
    exported = runner.invoke(app, ["export", "gift", "-o", "quiz.gift"])
    assert exported.exit_code == 0, exported.output
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    # Our own GIFT carries each question's evidence, held to the source given.
    text = Path("questions/imported.toml").read_text(encoding="utf-8")
    assert 'source = "desperado-article.txt"' in text
    assert text.count("\nevidence = ") == text.count("[[questions]]")
    assert "evidence-not-in-source" not in result.stdout
    assert runner.invoke(app, ["validate", "questions/imported.toml"]).exit_code == 0


CHECKS: dict[str, Callable[[list[str], str], None]] = {
    "desperado-quiz study": check_study,
    "desperado-quiz study -c music --new 3": check_study_music,
    "desperado-quiz study --cram -d hard": check_cram,
    "desperado-quiz stats": check_learning,
    "desperado-quiz stats --questions -b questions/": check_question_stats,
    "desperado-quiz validate questions/ --history": check_validate_history,
    "desperado-quiz play": check_all_banks,
    "desperado-quiz play -n 5 -d hard": check_five_hard,
    "desperado-quiz play -b desperado-music --seed 42": check_one_bank_and_seed,
    "desperado-quiz play --timer 20": check_timer,
    "desperado-quiz play -p Ann -p Bob": check_players,
    "printf 'Los Lobos\\nRobert Rodriguez\\n' | desperado-quiz play -q score-band -q director "
    "--json": check_script,
    "desperado-quiz history": check_history,
    "desperado-quiz stats -p Ann": check_stats,
    "desperado-quiz play --review": check_review,
    "desperado-quiz history --clear --yes": check_clear,
    "desperado-quiz list": check_list,
    "desperado-quiz new questions/music.toml": check_wizard,
    "desperado-quiz validate questions/": check_validate,
    "desperado-quiz validate --coverage": check_coverage,
    "desperado-quiz schema": check_schema,
    "desperado-quiz validate questions/ --strict": check_validate,
    "desperado-quiz validate questions/ --format github": check_github,
    "desperado-quiz validate questions/ --format junit": check_junit,
    "desperado-quiz validate questions/ --format json": check_validate_json,
    "desperado-quiz export anki -o desperado.apkg": check_export_anki,
    "desperado-quiz export kahoot -b desperado-story -o story.xlsx --seed 7": (
        check_export_kahoot_seeded
    ),
    "desperado-quiz export canvas -o quiz.zip": check_export_canvas,
    "desperado-quiz import gift quiz.gift -o questions/imported.toml --source "
    "questions/desperado-article.txt": check_import,
}


def key(line: str) -> str:
    return line.split("  #")[0].strip()


def test_every_example_has_a_check() -> None:
    lines = {key(line) for line in examples() if not line.startswith("python -m pytest")}
    assert lines == set(CHECKS)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the bundled banks as `questions/`, in the current folder."""
    shutil.copytree(QUESTIONS, tmp_path / "questions")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("line", sorted(CHECKS))
def test_the_example_does_what_the_readme_says(line: str, project: Path) -> None:
    args, stdin = command(line)
    CHECKS[line](args, stdin)


def test_the_plugin_example_checks_only_the_banks(project: Path) -> None:
    (project / "tests").mkdir()
    (project / "tests" / "test_other.py").write_text("def test_other():\n    assert False\n")
    (project / "pyproject.toml").write_text('[tool.pytest.ini_options]\ntestpaths = ["tests"]\n')
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--quiz-banks",
            "questions/",
            "-q",
            "-p",
            "no:cacheprovider",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=project,
    )
    assert result.returncode == 0, result.stdout
    assert "test_other" not in result.stdout
    assert re.search(r"4[5-9] passed", result.stdout)
