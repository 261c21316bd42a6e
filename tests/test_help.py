"""Every command has help that reads like a good CLI's, and a place in the README."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
import typer
from typer.testing import CliRunner

from desperado_quiz.cli import Difficulty, app
from desperado_quiz.vocabulary import DIFFICULTIES
from tests.helpers import REPO

runner = CliRunner()
COMMANDS = [
    info.name or info.callback.__name__ for info in app.registered_commands if info.callback
]


def test_the_commands_are_the_ones_expected() -> None:
    assert sorted(COMMANDS) == [
        "export",
        "history",
        "host",
        "import",
        "join",
        "list",
        "new",
        "play",
        "schema",
        "stats",
        "study",
        "validate",
    ]


@pytest.mark.parametrize("name", ["", *COMMANDS])
def test_help_has_text_and_no_internal_type_labels(name: str) -> None:
    result = runner.invoke(app, [*([name] if name else []), "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.stdout
    for label in ("<bool>", "<list", "<int", "<float", "<path", "range]", "<str>"):
        assert label not in result.stdout, f"{label} in `{name} --help`"


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_text_and_a_readme_entry(name: str) -> None:
    command = typer.main.get_command(app)
    assert isinstance(command, typer.core.TyperGroup)
    help_text = command.commands[name].help or ""
    assert len(help_text.split()) >= 5, name
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert re.search(rf"desperado-quiz {name}\b", readme), f"the README never shows `{name}`"


def test_the_difficulty_option_follows_the_vocabulary() -> None:
    assert tuple(level.value for level in Difficulty) == DIFFICULTIES


def test_importing_the_engine_loads_neither_rich_nor_typer() -> None:
    probe = (
        "import sys, desperado_quiz.game\n"
        "print(sorted(m for m in ('rich', 'typer') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["play", "-d", "extreme"], "'extreme' is not one of 'easy', 'medium', 'hard'."),
        (["validate", "--format", "yaml"], "'yaml' is not one of"),
        (["play", "--count"], "Option '--count' requires an argument."),
        (["nope"], "No such command 'nope'."),
    ],
)
def test_usage_errors_read_like_the_programs_own(args: list[str], said: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    first, hint = result.stderr.splitlines()[:2]
    assert first.startswith("Error: ")
    assert said in first
    assert "Value error" not in first
    assert hint.startswith("Try 'desperado-quiz")
    assert hint.endswith(" --help' for help.")
    assert "╭" not in result.stderr  # no box


def test_a_games_option_before_play_says_where_it_goes() -> None:
    result = runner.invoke(app, ["--no-save"])
    assert result.exit_code == 2
    assert "A game's options go after `play`: desperado-quiz play --no-save" in result.stderr


def test_a_usage_error_with_json_asked_for_is_a_json_document() -> None:
    result = runner.invoke(app, ["stats", "--questions", "-f", "json", "--player"])
    assert result.exit_code == 2
    document = json.loads(result.stdout)
    assert (document["kind"], document["data"]) == ("questions", None)
    assert "requires an argument" in document["errors"][0]["message"]


def test_a_bug_is_one_line_and_status_70(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from desperado_quiz import cli

    def broken() -> None:
        raise KeyError("oops")

    monkeypatch.setattr(cli, "app", broken)
    monkeypatch.delenv("DESPERADO_QUIZ_DEBUG", raising=False)
    with pytest.raises(SystemExit) as stopped:
        cli.main()
    assert stopped.value.code == 70
    error = capsys.readouterr().err
    assert error.count("\n") == 1
    assert "internal error (KeyError: 'oops')" in error
    assert "Traceback" not in error
    monkeypatch.setenv("DESPERADO_QUIZ_DEBUG", "1")
    with pytest.raises(KeyError):
        cli.main()


def test_ctrl_c_while_starting_up_ends_quietly_with_130(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from desperado_quiz import __main__ as entry
    from desperado_quiz import cli

    def interrupted(*_: object) -> None:
        raise KeyboardInterrupt

    # While Typer builds the commands, before Click's own guard is in place.
    monkeypatch.setattr(cli, "app", interrupted)
    with pytest.raises(SystemExit) as stopped:
        entry.main()
    assert stopped.value.code == 130
    # While the CLI itself is still being imported.
    monkeypatch.delitem(sys.modules, "desperado_quiz.cli")
    monkeypatch.setattr("builtins.__import__", interrupted)
    with pytest.raises(SystemExit) as stopped:
        entry.main()
    monkeypatch.undo()
    assert stopped.value.code == 130
    assert capsys.readouterr().err == ""


FORMATS = "desperado_quiz.convert."  # every format module; the registry alone is light
HEAVY = ("genanki", "openpyxl", "yaml", "anki", "xml.etree.ElementTree", "zipfile")


@pytest.mark.parametrize(
    "probe",
    [
        "import desperado_quiz.cli",  # what --help and --version load
        "import desperado_quiz.cli, desperado_quiz.ui.game",  # what play loads
    ],
)
def test_the_format_libraries_load_only_for_export_and_import(probe: str) -> None:
    code = (
        f"import sys\n{probe}\n"
        f'print(sorted(m for m in sys.modules if m in {HEAVY!r} or m.startswith("{FORMATS}")))'
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "['desperado_quiz.convert.registry']"


def test_the_cli_and_play_load_no_network_library() -> None:
    """The live game's libraries are imported by host and join only: play's start-up
    must not pay for them."""
    probe = (
        "import sys, desperado_quiz.cli, desperado_quiz.ui.game\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('websockets', 'segno')"
        " or m.startswith('desperado_quiz.live')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
