"""The game history: SQLite through the standard library. No terminal I/O.

* One database file in the user data folder (see ``paths``), in WAL mode so that
  readers never block a game being saved, with a busy timeout so that two games
  finishing at once are both written.
* The schema version lives in ``PRAGMA user_version``; ``MIGRATIONS`` upgrade it forward.
* Each game (one player's session) is written in one transaction with its answers.
* A file that is not a database is moved aside (never deleted) and a new one started;
  a folder that cannot be written means the game is not saved. Both are reported as
  ``HistoryWarning`` for the CLI to show, never as a crash.
"""

from __future__ import annotations

import json
import random
import sqlite3
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # `history` and `stats` need no game, nor the pydantic models under it
    from desperado_quiz.game import GameSettings, Summary, Turn

BUSY_TIMEOUT_SECONDS = 30.0

MIGRATIONS: tuple[str, ...] = (
    # 1: games and answers
    """
    CREATE TABLE games (
        id INTEGER PRIMARY KEY,
        match_id TEXT NOT NULL,
        player TEXT NOT NULL,
        players TEXT NOT NULL,
        started_at TEXT NOT NULL,
        ended_at TEXT NOT NULL,
        seed INTEGER NOT NULL,
        options TEXT NOT NULL,
        settings_key TEXT NOT NULL,
        banks TEXT NOT NULL,
        questions INTEGER NOT NULL,
        answered INTEGER NOT NULL,
        right_answers INTEGER NOT NULL,
        score INTEGER NOT NULL,
        accuracy REAL NOT NULL,
        best_streak INTEGER NOT NULL,
        seconds REAL NOT NULL,
        status TEXT NOT NULL,
        finished INTEGER NOT NULL
    );
    CREATE TABLE answers (
        id INTEGER PRIMARY KEY,
        game_id INTEGER NOT NULL REFERENCES games(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        bank_id TEXT NOT NULL,
        question_id TEXT NOT NULL,
        category TEXT NOT NULL,
        difficulty TEXT NOT NULL,
        attempt INTEGER NOT NULL,
        given TEXT NOT NULL,
        verdict TEXT NOT NULL,
        correct INTEGER NOT NULL,
        points INTEGER NOT NULL,
        seconds REAL NOT NULL,
        hinted INTEGER NOT NULL
    );
    CREATE INDEX answers_by_question ON answers(bank_id, question_id);
    CREATE INDEX answers_by_game ON answers(game_id);
    CREATE INDEX games_by_settings ON games(settings_key, player);
    """,
)


class HistoryWarning(Exception):
    """Something the player should know about their history; the game goes on."""


class HistoryUnavailable(HistoryWarning):
    """The history cannot be written (or read) at all."""


@dataclass(frozen=True)
class GameRecord:
    """What is kept of one player's game."""

    summary: Summary
    match_id: str
    players: Sequence[str]
    seed: int
    options: dict[str, Any]
    settings_key: str
    started_at: datetime
    ended_at: datetime
    banks: Sequence[str] = ()  # the banks the game drew from


def settings_key(options: dict[str, Any], banks: Sequence[str]) -> str:
    """Games with the same key are comparable for personal bests (any seed)."""
    keep = {
        k: options.get(k)
        for k in ("categories", "difficulties", "tags", "count", "timer", "practice", "review")
    }
    return json.dumps({"banks": sorted(banks), **keep}, sort_keys=True)


@dataclass
class History:
    path: Path
    warnings: list[str] = field(default_factory=list)

    # Opening ------------------------------------------------------------------------

    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        """A migrated connection; a corrupt file is moved aside and a new one started."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise HistoryUnavailable(
                f"cannot create {self.path.parent}: {error.strerror}"
            ) from error
        try:
            connection = self._open()
        except sqlite3.DatabaseError as error:
            if not _is_corruption(error):
                raise HistoryUnavailable(f"cannot use {self.path}: {error}") from error
            moved = self._move_aside()
            self.warnings.append(
                f"{self.path} was not a readable history database ({error}); it was moved "
                f"to {moved} and a new history started."
            )
            try:
                connection = self._open()
            except sqlite3.DatabaseError as again:
                raise HistoryUnavailable(f"cannot use {self.path}: {again}") from again
        with closing(connection):
            try:
                yield connection
            except sqlite3.Error as error:  # locked past the timeout, disk full, ...
                raise HistoryUnavailable(f"cannot use {self.path}: {error}") from error

    def _open(self) -> sqlite3.Connection:
        """Open, switch to WAL and migrate, waiting while another process does the same.

        Switching a new file to WAL takes a lock that SQLite's busy timeout does not
        wait for, so two games saved at once into a new history retry here instead.
        """
        deadline = time.monotonic() + BUSY_TIMEOUT_SECONDS
        while True:
            try:
                return self._open_once()
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or time.monotonic() > deadline:
                    raise
                time.sleep(random.uniform(0.01, 0.05))

    def _open_once(self) -> sqlite3.Connection:
        try:
            connection = sqlite3.connect(
                self.path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None
            )
        except sqlite3.OperationalError as error:
            raise HistoryUnavailable(f"cannot open {self.path}: {error}") from error
        try:
            connection.row_factory = sqlite3.Row
            connection.execute("PRAGMA foreign_keys = ON")
            mode = connection.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode != "wal":  # e.g. a read-only folder
                connection.execute("PRAGMA query_only = ON")
            self._migrate(connection)
        except BaseException:
            connection.close()
            raise
        return connection

    @staticmethod
    def _migrate(connection: sqlite3.Connection) -> None:
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        if version > len(MIGRATIONS):
            raise HistoryUnavailable(
                f"the history was written by a newer desperado-quiz (schema {version})"
            )
        if version == len(MIGRATIONS):
            return
        connection.execute("BEGIN IMMEDIATE")
        try:
            # Read again inside the write lock: another process may have migrated.
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
                for statement in script.split(";"):
                    if statement.strip():
                        connection.execute(statement)
                connection.execute(f"PRAGMA user_version = {number}")
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise

    def _move_aside(self) -> Path:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        target = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        number = 1
        while target.exists():
            number += 1
            target = self.path.with_name(f"{self.path.name}.corrupt-{stamp}-{number}")
        self.path.replace(target)
        for suffix in ("-wal", "-shm"):  # their pages belong to the bad file
            sidecar = self.path.with_name(self.path.name + suffix)
            if sidecar.exists():
                sidecar.replace(target.with_name(target.name + suffix))
        return target

    # Writing -------------------------------------------------------------------------

    def record(self, game: GameRecord) -> int:
        """Save a game and its answers in one transaction; returns the game's id."""
        summary = game.summary
        banks = sorted(game.banks or {o.asked.bank_id for o in summary.outcomes})
        with self.connect() as db:
            _writable(db, self.path)
            db.execute("BEGIN IMMEDIATE")
            try:
                cursor = db.execute(
                    """INSERT INTO games (match_id, player, players, started_at, ended_at, seed,
                    options, settings_key, banks, questions, answered, right_answers, score,
                    accuracy, best_streak, seconds, status, finished)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                    (
                        game.match_id,
                        summary.player,
                        json.dumps(list(game.players)),
                        game.started_at.isoformat(),
                        game.ended_at.isoformat(),
                        game.seed,
                        json.dumps(game.options, sort_keys=True),
                        game.settings_key,
                        json.dumps(banks),
                        summary.planned,
                        len(summary.outcomes),
                        summary.right,
                        summary.score,
                        summary.accuracy,
                        summary.best_streak,
                        summary.seconds,
                        str(summary.status),
                        int(summary.finished),
                    ),
                )
                game_id = int(cursor.lastrowid or 0)
                db.executemany(
                    """INSERT INTO answers (game_id, position, bank_id, question_id, category,
                    difficulty, attempt, given, verdict, correct, points, seconds, hinted)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                    [
                        (
                            game_id,
                            n,
                            o.asked.bank_id,
                            o.asked.question.id,
                            o.asked.question.category,
                            o.asked.question.difficulty,
                            o.asked.attempt,
                            o.given,
                            str(o.verdict),
                            int(o.correct),
                            o.points.total,
                            o.seconds,
                            int(o.hinted),
                        )
                        for n, o in enumerate(summary.outcomes, start=1)
                    ],
                )
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        return game_id

    def clear(self) -> Path | None:
        """Delete every game, after copying the database beside it; returns the copy."""
        if not self.path.exists():
            return None
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        backup = self.path.with_name(f"{self.path.stem}-backup-{stamp}.sqlite3")
        with self.connect() as db, closing(sqlite3.connect(backup)) as copy:
            _writable(db, self.path)
            db.backup(copy)
            db.execute("BEGIN IMMEDIATE")
            db.execute("DELETE FROM answers")
            db.execute("DELETE FROM games")
            db.execute("COMMIT")
        return backup

    # Reading -------------------------------------------------------------------------

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        if not self.path.exists():
            return []
        with self.connect() as db:
            return db.execute(sql, params).fetchall()

    def recent(self, limit: int = 20) -> list[dict[str, Any]]:
        rows = self._query(
            """SELECT id, started_at, ended_at, player, players, seed, banks, questions,
            answered, right_answers, score, accuracy, best_streak, seconds, status, finished
            FROM games ORDER BY started_at DESC, id DESC LIMIT ?""",
            (limit,),
        )
        games = []
        for row in rows:
            game = dict(row)
            game["banks"] = json.loads(game["banks"])
            game["players"] = json.loads(game["players"])
            game["finished"] = bool(game["finished"])
            game["seconds"] = round(game["seconds"], 2)
            games.append(game)
        return games

    def best_score(self, key: str, player: str, before_game: int | None = None) -> int | None:
        rows = self._query(
            "SELECT MAX(score) AS best FROM games WHERE settings_key = ? AND player = ? "
            "AND id != ?",
            (key, player, before_game or -1),
        )
        return rows[0]["best"] if rows else None

    def missed(self, player: str) -> set[tuple[str, str]]:
        """Questions whose latest answer by ``player`` was not right."""
        rows = self._query(
            """SELECT a.bank_id, a.question_id, a.correct FROM answers a
            JOIN games g ON g.id = a.game_id WHERE g.player = ?
            ORDER BY g.started_at, a.game_id, a.position""",
            (player,),
        )
        latest: dict[tuple[str, str], bool] = {}
        for row in rows:
            latest[(row["bank_id"], row["question_id"])] = bool(row["correct"])
        return {key for key, right in latest.items() if not right}

    def stats(self, most_missed: int = 10) -> dict[str, Any]:
        games = self._query(
            "SELECT COUNT(*) AS n, MAX(best_streak) AS streak, SUM(finished) AS finished FROM games"
        )
        answers = self._query("SELECT COUNT(*) AS n, SUM(correct) AS right_answers FROM answers")
        n_answers = answers[0]["n"] if answers else 0
        right = (answers[0]["right_answers"] or 0) if answers else 0

        def share(column: str) -> dict[str, dict[str, Any]]:
            assert column in ("category", "difficulty")  # a column name, never user input
            rows = self._query(
                f"SELECT {column} AS key, COUNT(*) AS n, SUM(correct) AS r FROM answers "
                f"GROUP BY {column} ORDER BY {column}"
            )
            return {
                row["key"]: {
                    "answered": row["n"],
                    "right": row["r"],
                    "accuracy": round(row["r"] / row["n"], 4),
                }
                for row in rows
            }

        best = self._query(
            """SELECT bank_id, MAX(points) AS best FROM (
                SELECT game_id, bank_id, SUM(points) AS points FROM answers
                GROUP BY game_id, bank_id) GROUP BY bank_id ORDER BY bank_id"""
        )
        missed = self._query(
            """SELECT bank_id, question_id, COUNT(*) AS misses FROM answers WHERE correct = 0
            GROUP BY bank_id, question_id ORDER BY misses DESC, bank_id, question_id
            LIMIT ?""",
            (most_missed,),
        )
        return {
            "games": games[0]["n"] if games else 0,
            "finished": (games[0]["finished"] or 0) if games else 0,
            "answers": n_answers,
            "right": right,
            "accuracy": round(right / n_answers, 4) if n_answers else 0.0,
            "best_streak": (games[0]["streak"] or 0) if games else 0,
            "by_category": share("category"),
            "by_difficulty": share("difficulty"),
            "best_score_by_bank": {row["bank_id"]: row["best"] for row in best},
            "most_missed": [dict(row) for row in missed],
        }


def _writable(db: sqlite3.Connection, path: Path) -> None:
    if db.execute("PRAGMA query_only").fetchone()[0]:
        raise HistoryUnavailable(f"{path.parent} is read-only")


def _is_corruption(error: sqlite3.DatabaseError) -> bool:
    text = str(error).lower()
    return "not a database" in text or "malformed" in text or "corrupt" in text


def record_turns(
    history: History, turns: Sequence[Turn], settings: GameSettings, bank_ids: Sequence[str]
) -> list[tuple[Turn, int | None]]:
    """Save each player's game; pair it with that player's best score before it.

    ``bank_ids`` are the banks the game drew from: with the filters, they make the
    settings under which scores are compared.
    """
    match_id = uuid.uuid4().hex
    options = settings.to_dict()
    key = settings_key(options, bank_ids)
    saved = []
    for turn in turns:
        game_id = history.record(
            GameRecord(
                turn.summary,
                match_id,
                settings.players,
                settings.seed,
                options,
                key,
                turn.started_at,
                turn.ended_at,
                bank_ids,
            )
        )
        saved.append((turn, history.best_score(key, turn.summary.player, before_game=game_id)))
    return saved
