"""Every command has help that reads like a good CLI's, and a place in the README."""

from __future__ import annotations

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
        "history",
        "host",
        "join",
        "list",
        "new",
        "play",
        "schema",
        "stats",
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
