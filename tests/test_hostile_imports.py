"""Hostile files and data against the newer commands: import, export, history, names
(a second red-team pass). Each test failed before its fix."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import zipfile
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

import pytest
from typer.testing import CliRunner

from desperado_quiz.cli import app
from desperado_quiz.game.settings import SettingsError, check_name
from tests.helpers import CHOICE_QUESTION

runner = CliRunner()


def test_a_flood_of_angle_brackets_imports_in_linear_time(tmp_path: Path) -> None:
    flood = tmp_path / "flood.gift"
    flood.write_text("::q1:: " + "<" * 400_000 + " {=yes ~no}\n", encoding="utf-8")
    result = runner.invoke(app, ["import", "gift", str(flood), "-o", str(tmp_path / "b.toml")])
    assert result.exit_code in (0, 2)  # done, not still running an hour later
    assert "internal error" not in result.output


def test_an_import_that_defeats_the_reader_is_a_message_not_a_bug(tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    result = runner.invoke(app, ["import", "opentdb", str(deep), "-o", str(tmp_path / "b.toml")])
    assert result.exit_code == 2
    assert "cannot be read as" in result.stderr or "deep.json" in result.stderr
    assert not (tmp_path / "b.toml").exists()


def test_an_imported_del_character_is_escaped_in_the_bank(tmp_path: Path) -> None:
    aiken = tmp_path / "quiz.txt"
    aiken.write_text("Who\x7f plays?\nA. Banderas\nB. Bardem\nANSWER: A\n", encoding="utf-8")
    out = tmp_path / "b.toml"
    runner.invoke(app, ["import", "aiken", str(aiken), "-o", str(out)])
    if out.exists():  # imported (or the question refused): never an unreadable bank
        assert "\x7f" not in out.read_text(encoding="utf-8")
        checked = runner.invoke(app, ["validate", str(out)])
        assert "toml-syntax" not in checked.output


def test_kahoot_cells_that_look_like_formulas_stay_text(
    write_bank: Callable[..., Path], tmp_path: Path
) -> None:
    bank = write_bank(
        CHOICE_QUESTION.replace('"Antonio Banderas", "Javier Bardem"', '"Antonio Banderas", "=1+1"')
    )
    out = tmp_path / "k.xlsx"
    result = runner.invoke(app, ["export", "kahoot", str(bank), "-o", str(out)])
    assert result.exit_code == 0, result.output
    sheet = zipfile.ZipFile(BytesIO(out.read_bytes())).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet


def test_export_never_overwrites_a_bank_it_reads(write_bank: Callable[..., Path]) -> None:
    bank = write_bank(CHOICE_QUESTION)
    before = bank.read_bytes()
    result = runner.invoke(app, ["export", "csv", str(bank), "-o", str(bank)])
    assert result.exit_code == 2
    assert bank.read_bytes() == before


def test_history_rows_never_reach_the_terminal_raw(tmp_path: Path) -> None:
    runner.invoke(app, ["play", "-n", "1", "--data-dir", str(tmp_path)], input="skip\n")
    with sqlite3.connect(tmp_path / "history.sqlite3") as db:
        db.execute("UPDATE games SET status = 'x\x1b]0;PWNED\x07', finished = 0")
        db.execute("UPDATE games SET started_at = '2026\x1b[2J-01-01T00:00:00+00:00'")
    for form in ("table", "csv", "json"):
        result = runner.invoke(app, ["history", "--data-dir", str(tmp_path), "-f", form])
        assert "\x1b" not in result.output, form
        assert "\x07" not in result.output, form


def test_a_pipe_in_place_of_the_history_is_an_error_not_a_hang(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "history.sqlite3")
    for args in (["stats"], ["validate", "--history"]):
        done = subprocess.run(
            [sys.executable, "-m", "desperado_quiz", *args, "--data-dir", str(tmp_path)],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        assert done.returncode in (1, 2), args
        assert "not a regular file" in done.stderr


@pytest.mark.parametrize("name", ["Ann\u200b", "\u200bAnn", "\u0301Ann", "\ufeffAnn"])
def test_invisible_characters_cannot_make_a_second_ann(name: str) -> None:
    with pytest.raises(SettingsError):
        check_name(name)


def test_a_fullwidth_name_is_the_plain_name() -> None:
    assert check_name("\uff21nn") == "Ann"


# Issue 24, item 13: half a character, a folder as the input --------------------------

GOOD_OPENTDB = (
    '{"type": "boolean", "category": "Film", "difficulty": "easy", '
    '"question": "Good one", "correct_answer": "True", "incorrect_answers": ["False"]}'
)
BAD_OPENTDB = GOOD_OPENTDB.replace("Good one", "Bad \\ud800 one")
SURROGATES = [
    ("opentdb", "in.json", f'{{"results": [\n{BAD_OPENTDB},\n{GOOD_OPENTDB}\n]}}'),
    ("red", "in.yaml", 'AUTHOR: "x\\ud800"\n"Bad \\ud800?": [a]\n"Good one?": [b]\n'),
]


@pytest.mark.parametrize(("name", "file", "text"), SURROGATES, ids=["opentdb", "red"])
def test_a_lone_surrogate_skips_its_question_and_keeps_the_good_one(
    name: str, file: str, text: str, tmp_path: Path
) -> None:
    source = tmp_path / file
    source.write_text(text, encoding="utf-8")
    output = tmp_path / "out.toml"
    result = runner.invoke(app, ["import", name, str(source), "-o", str(output)])
    assert result.exit_code == 0, result.output
    assert "lone surrogate" in result.stderr
    written = output.read_text(encoding="utf-8")
    assert "Good one" in written
    assert "Bad" not in written


@pytest.mark.parametrize(("name", "file", "text"), SURROGATES, ids=["opentdb", "red"])
def test_a_file_of_only_broken_text_is_exit_2_and_nothing_written(
    name: str, file: str, text: str, tmp_path: Path
) -> None:
    source = tmp_path / file
    source.write_text(text.replace("Good one", "Bad \\udc00 one"), encoding="utf-8")
    output = tmp_path / "out.toml"
    result = runner.invoke(app, ["import", name, str(source), "-o", str(output)])
    assert result.exit_code == 2, result.output
    assert "internal error" not in result.output
    assert "could be imported" in result.stderr
    assert not output.exists()


def test_a_folder_as_the_input_is_exit_2_and_nothing_written(tmp_path: Path) -> None:
    (tmp_path / "folder").mkdir()
    output = tmp_path / "out.toml"
    result = runner.invoke(app, ["import", "csv", str(tmp_path / "folder"), "-o", str(output)])
    assert result.exit_code == 2
    assert "is a folder" in result.stderr
    assert not output.exists()
