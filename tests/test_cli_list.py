"""`desperado-quiz list`, `--version`, `python -m`, and the bundled banks in the wheel."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from desperado_quiz import __version__
from desperado_quiz.cli import app
from tests.conftest import columns as pin_columns
from tests.helpers import BUNDLED_QUESTIONS, CHOICE_QUESTION, REPO

runner = CliRunner()


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout == f"desperado-quiz {__version__}\n"


def test_python_dash_m_runs_the_same_cli() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "desperado_quiz", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0
    for command in ("play", "list"):
        assert command in done.stdout


def test_list_table_shows_every_bundled_bank() -> None:
    result = runner.invoke(app, ["list"])
    assert result.exit_code == 0, result.output
    for bank_id in (
        "desperado-story",
        "desperado-cast",
        "desperado-production",
        "desperado-music",
        "desperado-reception",
    ):
        assert bank_id in result.stdout
    assert "desperado-article.txt" in result.stdout
    assert "5 banks" in result.stdout


def test_list_json_is_machine_readable() -> None:
    result = runner.invoke(app, ["list", "--format", "json"])
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document["kind"] == "banks"
    banks = document["data"]
    assert {bank["id"] for bank in banks} >= {"desperado-music", "desperado-cast"}
    music = next(bank for bank in banks if bank["id"] == "desperado-music")
    assert music["questions"] == sum(music["difficulties"].values())
    assert music["source"] == "desperado-article.txt"
    assert music["categories"] == {"Music": music["questions"]}
    making = next(bank for bank in banks if bank["id"] == "desperado-production")
    assert making["tags"]["sequel"] == 2


@pytest.mark.parametrize("columns", ["50", "60", "80", "100"])
def test_list_fits_the_terminal_and_shows_what_the_filters_accept(
    columns: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    pin_columns(monkeypatch, int(columns))
    result = runner.invoke(app, ["list"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert max(len(line.rstrip()) for line in lines) <= int(columns)
    assert any(line.split() == ["source", "desperado-article.txt"] for line in lines)
    flat = " ".join(result.stdout.split())
    assert re.search(r"Rating fight \(\d+\)", flat)
    assert "sequel (2)" in flat
    assert f"5 banks, {BUNDLED_QUESTIONS} questions." in flat


def test_one_bank_is_one_bank(write_bank: Callable[..., Path]) -> None:
    result = runner.invoke(app, ["list", str(write_bank(CHOICE_QUESTION))])
    assert "1 bank, 1 question." in result.stdout


def test_list_of_a_broken_file_names_file_and_line(write_bank: Callable[..., Path]) -> None:
    path = write_bank(CHOICE_QUESTION.replace("answer =", "anwser ="))
    result = runner.invoke(app, ["list", str(path)])
    assert result.exit_code == 2
    assert f"{path}:13" in result.stderr
    assert "unknown key `anwser`" in result.stderr
    assert "did you mean `answer`?" in result.stderr
    assert "Traceback" not in result.output


def test_list_of_a_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["list", str(tmp_path / "nope.toml")])
    assert result.exit_code == 2
    assert "no such file or folder" in result.stderr


def test_unknown_format_is_a_usage_error() -> None:
    assert runner.invoke(app, ["list", "--format", "yaml"]).exit_code == 2


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out)],
        cwd=REPO,
        check=True,
        capture_output=True,
    )
    return next(out.glob("*.whl"))


def test_wheel_bundles_the_banks_and_their_source(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    for bank in ("story", "cast", "production", "music", "reception"):
        assert f"desperado_quiz/questions/{bank}.toml" in names
    assert "desperado_quiz/questions/desperado-article.txt" in names
    for page in ("index.html", "live.js", "live.css"):  # the live game's phone page
        assert f"desperado_quiz/live/static/{page}" in names


def test_installed_wheel_lists_banks_from_an_unrelated_directory(
    wheel: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site)}
    done = subprocess.run(
        [sys.executable, "-m", "desperado_quiz", "list", "--format", "json"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    paths = {Path(bank["path"]) for bank in json.loads(done.stdout)["data"]}
    assert len(paths) == 5
    assert all(path.is_relative_to(site) for path in paths)


def test_version_does_not_import_what_only_a_game_needs() -> None:
    code = (
        "import sys\n"
        "from desperado_quiz.cli import app\n"
        "try:\n"
        "    app(['--version'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = {'pydantic', 'rich.console', 'rapidfuzz', 'sqlite3', 'tomllib',\n"
        "         'desperado_quiz.game', 'desperado_quiz.model', 'importlib.metadata'}\n"
        "print(sorted(heavy & set(sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip().endswith("[]")
