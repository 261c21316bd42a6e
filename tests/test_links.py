"""Symbolic links where desperado-quiz writes (issue 24, item 7): one rule for every file
it writes, a bank, an import, an export, a quiz night's report, the history, the bank
cache and the live seats. The file itself is never a link: a link is refused, never
written through, and a link that appears after the check is replaced itself, never its
target. Folders on the way may be links.

Every "victim" below is a file of the test's own temporary folder.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from desperado_quiz import authoring, bank_cache
from desperado_quiz.app.errors import CommandError
from desperado_quiz.app.hosting import open_quiz_night
from desperado_quiz.authoring import TargetRefused, write_atomic
from desperado_quiz.cli import app
from desperado_quiz.game import GameSettings, TurnOrder
from desperado_quiz.live import seats
from desperado_quiz.store import load_banks
from tests.helpers import FIXTURES, QUESTIONS

runner = CliRunner()
PRECIOUS = "precious: must never change\n"
AIKEN = FIXTURES / "formats" / "aiken.txt"


@pytest.fixture
def victim(tmp_path: Path) -> Path:
    """A file that a link points to: what an attacker wants replaced."""
    path = tmp_path / "elsewhere" / "victim.txt"
    path.parent.mkdir()
    path.write_text(PRECIOUS, encoding="utf-8")
    return path


def untouched(victim: Path, link: Path) -> None:
    assert victim.read_text(encoding="utf-8") == PRECIOUS
    assert link.is_symlink()
    assert link.resolve() == victim.resolve()


def test_import_with_force_never_writes_through_a_link(tmp_path: Path, victim: Path) -> None:
    link = tmp_path / "imported.toml"
    link.symlink_to(victim)
    result = runner.invoke(app, ["import", "aiken", str(AIKEN), "-o", str(link), "--force"])
    assert result.exit_code == 2, result.output
    assert "imported.toml is a symbolic link" in result.stderr
    assert "never writes through a link" in result.stderr
    assert "nothing was written" in result.stderr
    untouched(victim, link)


def test_export_never_writes_through_a_link(tmp_path: Path, victim: Path) -> None:
    link = tmp_path / "questions.csv"
    link.symlink_to(victim)
    result = runner.invoke(app, ["export", "csv", "-o", str(link)])
    assert result.exit_code == 2, result.output
    assert "questions.csv is a symbolic link" in result.stderr
    assert "nothing was exported" in result.stderr
    untouched(victim, link)


def test_a_dangling_link_is_refused_too(tmp_path: Path) -> None:
    """A link to a file that does not exist yet would create it wherever it points."""
    link = tmp_path / "out.csv"
    link.symlink_to(tmp_path / "elsewhere" / "created.csv")
    result = runner.invoke(app, ["export", "csv", "-o", str(link)])
    assert result.exit_code == 2
    assert "is a symbolic link" in result.stderr
    assert not (tmp_path / "elsewhere").exists()


def test_new_refuses_a_bank_that_is_a_link(tmp_path: Path) -> None:
    bank = tmp_path / "real" / "music.toml"
    bank.parent.mkdir()
    shutil.copy(QUESTIONS / "music.toml", bank)
    shutil.copy(QUESTIONS / "desperado-article.txt", bank.parent)
    before = bank.read_bytes()
    link = tmp_path / "music.toml"
    link.symlink_to(bank)
    result = runner.invoke(app, ["new", str(link)], input="")
    assert result.exit_code == 2
    assert "music.toml is a symbolic link" in result.stderr
    assert "name the file itself" in result.stderr
    assert "nothing was asked" in result.stderr
    assert bank.read_bytes() == before
    assert link.is_symlink()


def test_a_quiz_nights_report_that_is_a_link_is_refused_before_the_night(
    tmp_path: Path, victim: Path
) -> None:
    link = tmp_path / "night.json"
    link.symlink_to(victim)
    settings = GameSettings(seed=1, count=2, turns=TurnOrder.TOGETHER)
    with pytest.raises(CommandError) as refused:
        open_quiz_night(settings, port=0, report=link, save=False, keyboard=False)
    assert "--report: " in refused.value.message
    assert "night.json is a symbolic link" in refused.value.message
    assert "not started" in refused.value.message
    untouched(victim, link)


def test_the_last_write_replaces_a_link_that_appeared_never_its_target(
    tmp_path: Path, victim: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A link planted between the check and the rename: rename(2) replaces the link."""
    link = tmp_path / "report.json"
    link.symlink_to(victim)
    monkeypatch.setattr(authoring, "refuse_link", lambda _path: None)  # the check missed it
    write_atomic(link, "{}\n")
    assert victim.read_text(encoding="utf-8") == PRECIOUS
    assert not link.is_symlink()
    assert link.read_text(encoding="utf-8") == "{}\n"


def test_write_atomic_refuses_a_link_with_an_os_error(tmp_path: Path, victim: Path) -> None:
    link = tmp_path / "x.json"
    link.symlink_to(victim)
    with pytest.raises(OSError, match="is a symbolic link") as refused:
        write_atomic(link, "x")
    assert isinstance(refused.value, TargetRefused)
    untouched(victim, link)


def test_folders_on_the_way_may_be_links(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "via").symlink_to(real, target_is_directory=True)
    result = runner.invoke(app, ["export", "csv", "-o", str(tmp_path / "via" / "out.csv")])
    assert result.exit_code == 0, result.output
    assert (real / "out.csv").is_file()
    assert not (real / "out.csv").is_symlink()


# The history -----------------------------------------------------------------------------


def play_one(home: Path) -> Result:
    return runner.invoke(
        app,
        ["play", "-q", "director", "--data-dir", str(home)],
        input="Robert Rodriguez\n",
    )


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm", "-journal"])
def test_a_history_or_a_journal_that_is_a_link_is_refused(
    tmp_path: Path, victim: Path, suffix: str
) -> None:
    home = tmp_path / "data"
    home.mkdir()
    link = home / f"history.sqlite3{suffix}"
    link.symlink_to(victim)
    played = play_one(home)
    assert played.exit_code == 0, played.output
    assert "is a symbolic link" in played.stderr
    assert "this game was not saved" in played.stderr
    if not suffix:  # (a journal without its history: there is no history to read)
        listed = runner.invoke(app, ["history", "--data-dir", str(home)])
        assert listed.exit_code == 1
        assert "history.sqlite3 is a symbolic link" in listed.stderr
    untouched(victim, link)


def test_a_history_folder_that_is_a_link_is_followed(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "data").symlink_to(real, target_is_directory=True)
    played = play_one(tmp_path / "data")
    assert played.exit_code == 0, played.output
    assert "not saved" not in played.stderr
    assert (real / "history.sqlite3").is_file()


# The bank cache and the live seats -------------------------------------------------------


def test_a_seat_is_never_written_or_read_through_a_link(victim: Path) -> None:
    path = seats._path("ws://h:1", "ABCDE", "Bob")
    path.parent.mkdir(parents=True, exist_ok=True)
    victim.write_text(json.dumps({"token": "planted", "at": 9e99}), encoding="utf-8")
    path.symlink_to(victim)
    assert seats.remembered("ws://h:1", "ABCDE", "Bob") is None  # not read through it
    seats.remember("ws://h:1", "ABCDE", "Bob", "t0ken")  # not written through it
    assert json.loads(victim.read_text(encoding="utf-8"))["token"] == "planted"
    assert path.is_symlink()


def test_a_seat_is_never_readable_by_others(tmp_path: Path) -> None:
    seats.remember("ws://h:1", "ABCDE", "Bob", "t0ken")
    path = seats._path("ws://h:1", "ABCDE", "Bob")
    assert oct(path.stat().st_mode & 0o777) == "0o600"


def test_the_bank_cache_is_never_written_or_read_through_a_link(
    tmp_path: Path, victim: Path
) -> None:
    folder = tmp_path / "banks"
    shutil.copytree(QUESTIONS, folder)
    load_banks([folder])  # writes the cache
    entry = next(
        e for e in bank_cache.entries_dir().glob("*.bank") if b"Carolina?" in e.read_bytes()
    )
    victim.write_bytes(entry.read_bytes().replace(b"Who plays Carolina?", b"Planted via link?"))
    victim.chmod(0o600)
    planted = victim.read_bytes()
    entry.unlink()
    entry.symlink_to(victim)
    texts = [q.question for b in load_banks([folder]).banks for q in b.questions]
    assert "Planted via link?" not in texts  # not read through the link...
    assert victim.read_bytes() == planted  # ...nor written through it
    assert entry.is_symlink()
    assert entry.readlink() == victim
