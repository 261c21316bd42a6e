"""Every machine output shares one envelope, and matches its kind's JSON Schema."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from typer.testing import CliRunner

from desperado_quiz.cli import app
from desperado_quiz.envelope import KINDS, json_schema
from tests.helpers import CHOICE_QUESTION, REPO, TEXT_QUESTION

runner = CliRunner()
SCHEMAS = REPO / "schema" / "json"


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_the_committed_schemas_are_the_generated_ones(kind: str) -> None:
    committed = json.loads((SCHEMAS / f"{kind}.schema.json").read_text(encoding="utf-8"))
    assert committed == json_schema(kind), f"run: desperado-quiz schema {kind} > {kind}.schema.json"
    cli = json.loads(runner.invoke(app, ["schema", kind]).stdout)
    assert cli == committed


def conforms(output: str, kind: str) -> dict[str, Any]:
    document = json.loads(output)
    schema = json.loads((SCHEMAS / f"{kind}.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(document, schema)
    assert (document["format_version"], document["kind"]) == (1, kind)
    return document  # type: ignore[no-any-return]


def test_every_command_writes_a_document_that_conforms(write_bank: Callable[..., Path]) -> None:
    bank = write_bank(CHOICE_QUESTION + TEXT_QUESTION)
    played = runner.invoke(
        app, ["play", "-b", str(bank), "--seed", "1", "--json"], input="skip\n?\nskip\n"
    )
    assert conforms(played.stdout, "game")["data"]["players"][0]["answered"] == 2
    several = runner.invoke(
        app, ["play", "-b", str(bank), "-p", "A", "-p", "B", "--json"], input="skip\n" * 4
    )
    conforms(several.stdout, "game")
    listed = runner.invoke(app, ["list", "--format", "json"])
    assert len(conforms(listed.stdout, "banks")["data"]) == 5
    history = runner.invoke(app, ["history", "--format", "json"])
    assert len(conforms(history.stdout, "history")["data"]) == 3  # a row per player
    studied = runner.invoke(
        app, ["study", "-b", str(bank), "-p", "Cara", "--json"], input="skip\nskip\n"
    )
    assert conforms(studied.stdout, "game")["data"]["settings"]["mode"] == "study"
    stats = runner.invoke(app, ["stats", "-b", str(bank), "-p", "Cara", "--format", "json"])
    figures = conforms(stats.stdout, "stats")["data"]
    assert (figures["games"], figures["learning"]["cards"]) == (1, 2)
    for _game in range(10):
        runner.invoke(app, ["play", "-b", str(bank), "--seed", "1"], input="skip\nskip\n")
    questions = runner.invoke(app, ["stats", "--questions", "-b", str(bank), "--format", "json"])
    assert len(conforms(questions.stdout, "questions")["data"]) == 2
    good = runner.invoke(app, ["validate", "--format", "json", "--coverage"])
    assert conforms(good.stdout, "validation")["data"]["coverage"]
    bad = runner.invoke(app, ["validate", "--format", "json", str(REPO / "tests/fixtures/rules")])
    assert bad.exit_code == 1
    assert conforms(bad.stdout, "validation")["data"]["findings"]


def test_export_and_import_write_documents_that_conform(tmp_path: Path) -> None:
    out = tmp_path / "quiz.gift"
    game = str(REPO / "tests" / "fixtures" / "game")  # frozen: four questions and an order
    exported = runner.invoke(app, ["export", "gift", game, "-o", str(out), "--json"])
    assert exported.exit_code == 0, exported.output
    data = conforms(exported.stdout, "export")["data"]
    assert (data["exported"], data["changed"], data["skipped"]) == (4, 0, 1)
    assert data["skipped_reasons"] == {"order questions cannot be expressed in GIFT": 1}
    assert len(data["questions"]) == 5
    imported = runner.invoke(
        app, ["import", "gift", str(out), "-o", str(tmp_path / "back.toml"), "--json"]
    )
    assert imported.exit_code == 0, imported.output
    data = conforms(imported.stdout, "import")["data"]
    assert data["imported"] == 4
    # Our own GIFT carries the evidence; with no source, validate warns: not grounded.
    assert data["summary"]["errors"] == 0
    assert {f["code"] for f in data["findings"]} >= {"not-grounded"}


@pytest.mark.parametrize(
    ("args", "kind", "code"),
    [
        (["play", "-b", "no-such-bank", "--json"], "game", 2),
        (["play", "--review", "--json"], "game", 0),  # nothing to review: a reason
        (["validate", "/no/such/path", "--format", "json"], "validation", 2),
        (["list", "/no/such/path", "--format", "json"], "banks", 2),
        (["study", "--new", "0", "--json"], "game", 0),  # nothing due: a reason
        (["stats", "--questions", "-b", "/no/such/path", "--format", "json"], "questions", 2),
        (["export", "gift", "-o", "x.gift", "-t", "none", "--json"], "export", 2),
        (["import", "gift", "/no/such/file", "-o", "x.toml", "--json"], "import", 2),
    ],
)
def test_errors_and_empty_results_are_documents_too(args: list[str], kind: str, code: int) -> None:
    result = runner.invoke(app, args, input="")
    assert result.exit_code == code
    document = conforms(result.stdout, kind)
    assert document["data"] is None
    assert document["errors"] or document["warnings"]


def test_schema_descriptions_read_as_markdown() -> None:
    from desperado_quiz.model import json_schema as bank_schema

    for schema in (bank_schema(), *(json_schema(kind) for kind in KINDS)):
        assert "``" not in json.dumps(schema)
    assert bank_schema()["$defs"]["BankInfo"]["description"] == "The `[bank]` table."
