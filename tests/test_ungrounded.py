"""Imported banks play (issue 21): a bank that names no source, and so has no evidence
to check, loads, plays, studies, hosts and exports; its feedback gives the explanation
and never a quote; `validate` warns that it is not grounded, so that `--strict` (and
so CI) still fails it. A bank that names a source is held to it as before."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import desperado_quiz as dq
from desperado_quiz.cli import app
from desperado_quiz.game import GameSettings, Status
from tests.helpers import FIXTURES

runner = CliRunner()

UNGROUNDED = """\
[bank]
id = "imported"
title = "Imported"

[[questions]]
id = "band"
type = "text"
question = "Which band wrote the score?"
category = "Music"
difficulty = "easy"
answer = "Los Lobos"
explanation = "An East Los Angeles band."
evidence = "Los Lobos: a quote that no source backs"

[[questions]]
id = "sequel"
type = "boolean"
question = "Desperado is a sequel."
category = "Story"
difficulty = "easy"
answer = true
explanation = "El Mariachi came first."
"""


@pytest.fixture
def bank(tmp_path: Path) -> Path:
    path = tmp_path / "imported.toml"
    path.write_text(UNGROUNDED, encoding="utf-8")
    return path


def test_validate_warns_that_it_is_not_grounded_and_strict_fails_it(bank: Path) -> None:
    result = runner.invoke(app, ["validate", str(bank), "--format", "json"])
    assert result.exit_code == 0, result.output
    findings = json.loads(result.stdout)["data"]["findings"]
    assert [(f["code"], f["severity"], f["line"]) for f in findings if f["severity"] != "note"] == [
        ("not-grounded", "warning", 1)
    ]
    assert runner.invoke(app, ["validate", "--strict", str(bank)]).exit_code == 1


def test_it_plays_and_its_feedback_has_the_explanation_and_no_quote(bank: Path) -> None:
    result = runner.invoke(
        app,
        ["play", "-b", str(bank), "-q", "band", "-q", "sequel", "--no-save"],
        input="Los Lobos\ntrue\n",
    )
    assert result.exit_code == 0, result.output
    assert "An East Los Angeles band." in result.output
    assert "El Mariachi came first." in result.output
    assert "no source backs" not in result.output
    assert "(the article)" not in result.output


def test_it_studies_and_exports(bank: Path, tmp_path: Path) -> None:
    studied = runner.invoke(
        app,
        ["study", "-b", str(bank), "--seed", "1", "--data-dir", str(tmp_path / "home")],
        input="Los Lobos\ntrue\n",
    )
    assert studied.exit_code == 0, studied.output
    exported = runner.invoke(app, ["export", "csv", "-b", str(bank), "-o", "-"])
    assert exported.exit_code == 0, exported.output
    assert "a quote that no source backs" in exported.stdout  # the data is kept


def test_it_hosts_with_no_quote_in_the_reveal(bank: Path) -> None:
    settings = GameSettings(seed=3, banks=(str(bank),), players=(), turns="together")  # type: ignore[arg-type]
    night = dq.open_quiz_night(settings, bind="127.0.0.1", port=0, save=False)
    assert night.room.total == 2
    assert all(not asked.question.evidence for asked in night.room.engine.asked)
    night.finish(night.stop(Status.INTERRUPTED))


def test_a_bank_that_names_a_source_is_still_held_to_it(tmp_path: Path) -> None:
    (tmp_path / "article.txt").write_text("The band Los Lobos wrote it.\n", encoding="utf-8")
    path = tmp_path / "grounded.toml"
    path.write_text(
        UNGROUNDED.replace('title = "Imported"', 'title = "G"\nsource = "article.txt"'),
        encoding="utf-8",
    )
    checked = runner.invoke(app, ["validate", str(path), "--format", "json"])
    assert checked.exit_code == 1
    codes = {(f["code"], f["question_id"]) for f in json.loads(checked.stdout)["data"]["findings"]}
    assert ("missing-key", "sequel") in codes  # no evidence: an error, as before
    assert ("evidence-not-in-source", "band") in codes
    assert ("not-grounded", None) not in codes
    played = runner.invoke(app, ["play", "-b", str(path), "--seed", "1"], input="x\n")
    assert played.exit_code == 2  # a broken question file, as before


def test_an_import_without_a_source_plays_at_once(tmp_path: Path) -> None:
    output = tmp_path / "aiken.toml"
    result = runner.invoke(
        app, ["import", "aiken", str(FIXTURES / "formats" / "aiken.txt"), "-o", str(output)]
    )
    assert result.exit_code == 0, result.output
    assert "source" not in output.read_text(encoding="utf-8").split("[[questions]]")[0]
    assert "not-grounded" in result.stdout
    assert "missing key" not in result.stdout
    played = runner.invoke(
        app, ["play", "-b", str(output), "--seed", "1", "--no-save"], input="A\n" * 3
    )
    assert played.exit_code == 0, played.output
