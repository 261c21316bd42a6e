"""The history: storage, migrations, corruption, concurrency, and the commands on it."""

from __future__ import annotations

import json
import multiprocessing
import os
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from desperado_quiz.cli import app
from desperado_quiz.game import GameSettings, Session, Turn, select_questions
from desperado_quiz.history import (
    MIGRATIONS,
    History,
    HistoryUnavailable,
    record_turns,
)
from desperado_quiz.loader import load_banks
from tests.conftest import (
    BOOLEAN_QUESTION,
    CHOICE_QUESTION,
    FIXTURES,
    TEXT_QUESTION,
    right_answers,
)

runner = CliRunner()
BANKS = load_banks([FIXTURES / "history"]).banks


def played(answers: dict[str, str], player: str = "Ann", seed: int = 1) -> Turn:
    """A finished turn over the questions named in ``answers``, answered as given."""
    keys = {(b.id, q.id) for b in BANKS for q in b.questions if q.id in answers}
    session = Session(select_questions(BANKS, seed=seed, count=None, only=keys), player=player)
    while (asked := session.show()) is not None:
        session.answer(answers[asked.question.id])
    now = datetime.now(UTC)
    return Turn(session.summary(), now, now)


def save(history: History, turn: Turn, seed: int = 1) -> int | None:
    settings = GameSettings(seed=seed, players=(turn.summary.player,))
    ((_, previous),) = record_turns(history, [turn], settings, ["desperado-cast"])
    return previous


def test_a_game_and_its_answers_are_recorded(tmp_path: Path) -> None:
    history = History(tmp_path / "history.sqlite3")
    assert save(history, played({"director": "Rodriguez", "bucho-actor": "Bucho"})) is None
    (game,) = history.recent()
    assert (game["player"], game["answered"], game["right_answers"]) == ("Ann", 2, 1)
    assert game["status"] == "finished"
    assert game["finished"] is True
    assert game["banks"] == ["desperado-cast"]
    with sqlite3.connect(history.path) as db:
        rows = db.execute(
            "SELECT question_id, given, correct, hinted, seconds FROM answers ORDER BY question_id"
        ).fetchall()
    assert [(r[0], r[1], r[2]) for r in rows] == [
        ("bucho-actor", "Bucho", 0),
        ("director", "Rodriguez", 1),
    ]


def test_schema_version_wal_and_migrations_run_once(tmp_path: Path) -> None:
    history = History(tmp_path / "history.sqlite3")
    save(history, played({"director": "Rodriguez"}))
    save(history, played({"director": "Rodriguez"}))
    with sqlite3.connect(history.path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert len(history.recent()) == 2


def test_a_newer_schema_is_refused_not_damaged(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    with pytest.raises(HistoryUnavailable, match="newer desperado-quiz"):
        History(path).recent()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS) + 1


def test_personal_best_is_per_player_and_settings(tmp_path: Path) -> None:
    history = History(tmp_path / "history.sqlite3")
    assert save(history, played({"director": "nobody"})) is None
    assert save(history, played({"director": "Rodriguez"})) == 0
    assert save(history, played({"director": "nobody"})) == 100
    assert save(history, played({"director": "Rodriguez"}, player="Bob")) is None


def test_missed_questions_until_answered_right(tmp_path: Path) -> None:
    history = History(tmp_path / "history.sqlite3")
    save(history, played({"director": "nobody", "score-band": "Los Lobos"}))
    assert history.missed("Ann") == {("desperado-cast", "director")}
    assert history.missed("Bob") == set()
    save(history, played({"director": "Robert Rodriguez"}))
    assert history.missed("Ann") == set()


def test_stats(tmp_path: Path) -> None:
    history = History(tmp_path / "history.sqlite3")
    save(history, played({"director": "nobody", "score-band": "Los Lobos"}))
    save(history, played({"director": "nobody"}))
    stats = history.stats()
    assert (stats["games"], stats["answers"], stats["right"]) == (2, 3, 1)
    assert stats["by_category"]["Music"] == {"answered": 1, "right": 1, "accuracy": 1.0}
    assert stats["by_difficulty"]["easy"]["answered"] == 3
    assert stats["best_score_by_bank"] == {"desperado-cast": 0, "desperado-music": 100}
    assert stats["most_missed"][0] == {
        "bank_id": "desperado-cast",
        "question_id": "director",
        "misses": 2,
    }


def test_an_empty_history_reads_as_empty_without_creating_a_file(tmp_path: Path) -> None:
    history = History(tmp_path / "nowhere" / "history.sqlite3")
    assert history.recent() == []
    assert history.stats()["games"] == 0
    assert not history.path.parent.exists()


def test_a_corrupt_file_is_moved_aside_and_a_new_history_started(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    garbage = b"this is not a database, it is a shopping list\n" * 100
    path.write_bytes(garbage)
    history = History(path)
    save(history, played({"director": "Rodriguez"}))
    assert len(history.recent()) == 1
    (moved,) = tmp_path.glob("history.sqlite3.corrupt-*")
    assert moved.read_bytes() == garbage  # never deleted, never changed
    (warning,) = history.warnings
    assert str(path) in warning
    assert str(moved) in warning


def test_an_unusable_data_folder_is_a_warning(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(HistoryUnavailable, match="cannot create"):
        save(History(blocker / "history.sqlite3"), played({"director": "Rodriguez"}))


def _record_in_process(
    path: str,
    player: str,
    barrier: multiprocessing.synchronize.Barrier,
) -> None:
    turn = played({"director": "Rodriguez", "bucho-actor": "de Almeida"}, player=player)
    barrier.wait()  # all processes write at the same moment
    save(History(Path(path)), turn)


def test_games_finishing_at_once_in_several_processes_are_all_recorded(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    History(path).recent()  # no file yet: the processes also race to create the schema
    context = multiprocessing.get_context("spawn")
    count = 6
    barrier = context.Barrier(count)
    processes = [
        context.Process(target=_record_in_process, args=(str(path), f"P{n}", barrier))
        for n in range(count)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(60)
        assert process.exitcode == 0
    games = History(path).recent(limit=100)
    assert sorted(g["player"] for g in games) == [f"P{n}" for n in range(count)]
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT COUNT(*) FROM answers").fetchone()[0] == 2 * count


# The commands ----------------------------------------------------------------------


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "quiz-home"
    monkeypatch.setenv("DESPERADO_QUIZ_HOME", str(folder))
    return folder


@pytest.fixture
def small_bank(write_bank: Callable[..., Path]) -> Path:
    return write_bank(CHOICE_QUESTION + BOOLEAN_QUESTION + TEXT_QUESTION)


def history_json(*args: str) -> list[dict]:
    result = runner.invoke(app, ["history", "--format", "json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_play_saves_and_no_save_does_not(home: Path, small_bank: Path) -> None:
    args = ["play", "-b", str(small_bank), "--seed", "1"]
    result = runner.invoke(app, args, input="skip\nskip\nskip\n")
    assert "First game with these banks and settings for Player" in result.stdout
    assert (home / "history.sqlite3").exists()
    runner.invoke(app, [*args, "--no-save"], input="skip\nskip\nskip\n")
    assert len(history_json()) == 1
    right = runner.invoke(
        app, args, input="".join(f"{a}\n" for a in right_answers(1, 3, [small_bank]))
    )
    assert "★ New personal best for Player" in right.stdout


def test_an_aborted_game_is_kept_as_aborted(home: Path, small_bank: Path) -> None:
    runner.invoke(app, ["play", "-b", str(small_bank), "--seed", "1"], input="skip\n")
    (game,) = history_json()
    assert (game["status"], game["finished"], game["answered"]) == ("end-of-input", False, 1)
    table = runner.invoke(app, ["history"])
    assert "aborted (end-of-input)" in table.stdout


def test_data_dir_option_overrides_the_environment(
    home: Path, small_bank: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    runner.invoke(
        app, ["play", "-b", str(small_bank), "--data-dir", str(elsewhere)], input="quit\n"
    )
    assert (elsewhere / "history.sqlite3").exists()
    assert not home.exists()
    assert len(history_json("--data-dir", str(elsewhere))) == 1


def test_history_formats_and_limit(home: Path, small_bank: Path) -> None:
    for _ in range(3):
        runner.invoke(app, ["play", "-b", str(small_bank)], input="skip\nskip\nskip\n")
    assert len(history_json("--limit", "2")) == 2
    csv = runner.invoke(app, ["history", "--format", "csv"]).stdout.splitlines()
    assert csv[0].startswith("id,started_at,ended_at,player,banks")
    assert len(csv) == 4
    assert "Recent games" in runner.invoke(app, ["history"]).stdout


def test_empty_history_and_stats(home: Path) -> None:
    assert "No games yet" in runner.invoke(app, ["history"]).stdout
    assert "No games yet" in runner.invoke(app, ["stats"]).stdout
    assert json.loads(runner.invoke(app, ["stats", "-f", "json"]).stdout)["games"] == 0


def test_clear_asks_and_keeps_a_backup(home: Path, small_bank: Path) -> None:
    runner.invoke(app, ["play", "-b", str(small_bank)], input="quit\n")
    declined = runner.invoke(app, ["history", "--clear"], input="n\n")
    assert declined.exit_code == 1
    assert len(history_json()) == 1
    cleared = runner.invoke(app, ["history", "--clear"], input="y\n")
    assert cleared.exit_code == 0
    assert history_json() == []
    (backup,) = home.glob("history-backup-*.sqlite3")
    assert len(History(backup).recent()) == 1
    assert runner.invoke(app, ["history", "--clear", "--yes"]).exit_code == 0


def test_review_plays_the_missed_questions_only(home: Path) -> None:
    first = runner.invoke(
        app,
        ["play", "-b", "desperado-music", "-n", "4", "--seed", "3", "--json"],
        input="skip\n" * 4,
    )
    missed = {a["id"] for a in json.loads(first.stdout)["players"][0]["answers"]}
    review = runner.invoke(app, ["play", "--review", "--json"], input="skip\n" * 10)
    assert review.exit_code == 0, review.output
    reviewed = {a["id"] for a in json.loads(review.stdout)["players"][0]["answers"]}
    assert reviewed == missed


def test_review_skips_questions_no_longer_in_any_bank(home: Path, small_bank: Path) -> None:
    runner.invoke(app, ["play", "-b", str(small_bank), "--seed", "1"], input="skip\n" * 3)
    review = runner.invoke(app, ["play", "--review"])  # bundled banks: none of those ids
    assert review.exit_code == 0
    assert "Nothing to review" in review.stdout
    stats = runner.invoke(app, ["stats"])
    assert "bank:trejo-role (no longer in any bank)" in stats.stdout


def test_practice_repeats_missed_questions_and_counts_tries(home: Path, small_bank: Path) -> None:
    right = right_answers(8, 3, [small_bank])
    script = ["skip", right[1], right[2], right[0]]  # the first comes back at the end
    result = runner.invoke(
        app,
        ["play", "-b", str(small_bank), "--seed", "8", "--practice"],
        input="".join(f"{line}\n" for line in script),
    )
    assert result.exit_code == 0, result.output
    assert "Question 4 of 4 · try 2" in result.stdout
    assert "(2 tries)" in result.stdout
    assert "(first try)" in result.stdout


def test_stats_command(home: Path, small_bank: Path) -> None:
    runner.invoke(
        app,
        ["play", "-b", str(small_bank), "--seed", "1"],
        input="".join(f"{a}\n" for a in right_answers(1, 3, [small_bank])),
    )
    result = runner.invoke(app, ["stats"])
    assert result.exit_code == 0
    assert "Games played  1 (1 finished)" in result.stdout
    assert "100% (3/3)" in result.stdout
    data = json.loads(runner.invoke(app, ["stats", "--format", "json"]).stdout)
    assert data["best_score_by_bank"]["bank"] > 0


def test_corrupt_history_warns_and_the_game_still_plays(home: Path, small_bank: Path) -> None:
    home.mkdir()
    (home / "history.sqlite3").write_text("garbage " * 500)
    result = runner.invoke(app, ["play", "-b", str(small_bank)], input="quit\n")
    assert result.exit_code == 0
    assert "Warning:" in result.stderr
    assert "was not a readable history database" in result.stderr
    assert list(home.glob("history.sqlite3.corrupt-*"))
    assert len(history_json()) == 1


def test_unwritable_history_warns_and_the_game_still_plays(
    tmp_path: Path, small_bank: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    result = runner.invoke(
        app, ["play", "-b", str(small_bank), "--data-dir", str(blocker)], input="quit\n"
    )
    assert result.exit_code == 0
    assert "this game was not saved" in result.stderr
    assert "Player: no answers." in result.stdout


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write to read-only folders")
def test_read_only_data_folder_warns(tmp_path: Path, small_bank: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        result = runner.invoke(
            app, ["play", "-b", str(small_bank), "--data-dir", str(folder)], input="quit\n"
        )
    finally:
        folder.chmod(0o755)
    assert result.exit_code == 0
    assert "this game was not saved" in result.stderr


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux's /proc")
def test_read_only_data_folder_warns_even_for_root(small_bank: Path) -> None:
    # /proc exists and refuses new files to everyone, root included.
    result = runner.invoke(
        app, ["play", "-b", str(small_bank), "--data-dir", "/proc"], input="quit\n"
    )
    assert result.exit_code == 0
    assert "/proc" in result.stderr
    assert "this game was not saved" in result.stderr


def test_a_game_quit_at_once_still_names_its_banks(home: Path, small_bank: Path) -> None:
    runner.invoke(app, ["play", "-b", str(small_bank)], input="quit\n")
    (game,) = history_json()
    assert (game["answered"], game["banks"]) == (0, ["bank"])
