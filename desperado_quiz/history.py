"""The game history: SQLite through the standard library. No terminal I/O.

* One database file in the user data folder (see ``paths``), in WAL mode so that
  readers never block a game being saved, with a busy timeout so that two games
  finishing at once are both written.
* The schema version lives in ``PRAGMA user_version``; ``MIGRATIONS`` are named
  functions, run in order, each in the transaction that sets its version.
* A game (every player's part of it) is written in one transaction with its answers.
* Reading never writes: the file is opened read-only, so a history in a read-only
  folder, or a read-only file, can always be read.
* Damage of any form SQLite reports (a file that is not a database, a malformed page)
  is confirmed with ``PRAGMA quick_check``; the file is then moved aside, never
  deleted, and a new history started. What the player should know comes back as
  notices beside the result; ``HistoryError`` means the history cannot be used at all.
* A database that another program made (tables, but no schema version of ours) is
  refused and never touched: migrating it would change somebody else's file.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import closing, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, TypeVar
from urllib.parse import quote

from typing_extensions import TypedDict

from desperado_quiz import history_values as checked
from desperado_quiz.history_guard import (
    SIGNAL_GRACE_SECONDS,
    ForeignSchema,
    Watch,
    check_schema,
    watched,
)
from desperado_quiz.text import display_path, plural, visible

if TYPE_CHECKING:  # `history` and `stats` need no game, nor the pydantic models under it
    from desperado_quiz.game import GameResult

T = TypeVar("T")
BUSY_TIMEOUT_SECONDS = 30.0
SIDECARS = ("", "-wal", "-shm", "-journal")  # the file, and the journals SQLite keeps beside it
Migration = Callable[[sqlite3.Connection], None]


def _games_and_answers(db: sqlite3.Connection) -> None:
    db.execute(
        """CREATE TABLE games (
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
        finished INTEGER NOT NULL)"""
    )
    db.execute(
        """CREATE TABLE answers (
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
        hinted INTEGER NOT NULL)"""
    )
    db.execute("CREATE INDEX answers_by_question ON answers(bank_id, question_id)")
    db.execute("CREATE INDEX answers_by_game ON answers(game_id)")
    db.execute("CREATE INDEX games_by_settings ON games(settings_key, player)")


def _study_cards(db: sqlite3.Connection) -> None:
    """One spaced-repetition card per player and question (see study.py), and the mark
    that a player's earlier answers have been replayed into cards."""
    db.execute(
        """CREATE TABLE cards (
        player TEXT NOT NULL,
        bank_id TEXT NOT NULL,
        question_id TEXT NOT NULL,
        card TEXT NOT NULL,
        due TEXT NOT NULL,
        state INTEGER NOT NULL,
        introduced TEXT NOT NULL,
        reviews INTEGER NOT NULL,
        PRIMARY KEY (player, bank_id, question_id)) WITHOUT ROWID"""
    )
    db.execute("CREATE INDEX cards_by_due ON cards(player, due)")
    db.execute("CREATE TABLE card_seeds (player TEXT PRIMARY KEY, seeded_at TEXT NOT NULL)")


def _requested_settings_key(db: sqlite3.Connection) -> None:
    """Personal bests compare games by the banks asked for, no longer by the banks a draw
    picked: every game's key is worked out again from its options."""
    rows = db.execute("SELECT id, options FROM games").fetchall()
    db.executemany(
        "UPDATE games SET settings_key = ? WHERE id = ?",
        [(settings_key(json.loads(options)), game_id) for game_id, options in rows],
    )


def _flat_queries(db: sqlite3.Connection) -> None:
    """Covering indexes, so that `stats` and `--review` read indexes in the order they
    group by, whatever the size of the history: each answer carries its player, and
    each index holds every column its query reads."""
    db.execute("ALTER TABLE answers ADD COLUMN player TEXT NOT NULL DEFAULT ''")
    db.execute("UPDATE answers SET player = (SELECT player FROM games WHERE id = game_id)")
    db.execute("DROP INDEX answers_by_question")
    db.execute(
        "CREATE INDEX answers_by_question"
        " ON answers(bank_id, question_id, category, difficulty, correct)"
    )
    db.execute(
        "CREATE INDEX answers_by_player"
        " ON answers(player, bank_id, question_id, category, difficulty, correct)"
    )
    db.execute("DROP INDEX games_by_settings")
    db.execute("CREATE INDEX games_by_settings ON games(settings_key, player, score)")
    db.execute("CREATE INDEX games_by_player ON games(player, settings_key, score)")


MIGRATIONS: tuple[Migration, ...] = (
    _games_and_answers,
    _study_cards,
    _requested_settings_key,
    _flat_queries,
)


class HistoryError(Exception):
    """The history cannot be used at all; the message says why and where."""


# The records of this module are named tuples, not dataclasses: `history` and `stats`
# start faster without the code that dataclasses generate at import.
class Noted(NamedTuple, Generic[T]):
    """A result, and what the player should know about how it was had (a damaged
    file moved aside, say)."""

    value: T
    notices: tuple[str, ...] = ()


class GameRow(TypedDict):
    """One player's game, as `history` lists it."""

    id: int
    started_at: str
    ended_at: str
    player: str
    players: list[str]
    seed: int
    banks: list[str]
    questions: int
    answered: int
    right_answers: int
    score: int
    accuracy: float
    best_streak: int
    seconds: float
    status: str
    finished: bool
    mode: str  # play, or study or cram for a study session
    all_banks: bool  # no bank was named: the game drew from every bundled bank


GameList = list[GameRow]


class Share(TypedDict):
    answered: int
    right: int
    accuracy: float


class BestGame(TypedDict):
    """The best score of one player under one set of banks and settings."""

    player: str
    banks: list[str]
    options: dict[str, Any]
    score: int
    games: int
    started_at: str


class CardRow(TypedDict):
    """A player's card for a question: FSRS's own fields (as ``Card.to_dict`` gives
    them), stored as they are, with when it is due and when it was first seen."""

    bank_id: str
    question_id: str
    card: dict[str, Any]
    due: str
    state: int
    introduced: str  # when a study session first asked it (UTC); "" if replayed from games
    reviews: int


class AnswerRow(TypedDict):
    """An answer as the study and analytics read it back."""

    game_id: int
    player: str
    bank_id: str
    question_id: str
    attempt: int
    given: str
    verdict: str
    correct: bool
    hinted: bool
    seconds: float
    ended_at: str


class Missed(TypedDict):
    bank_id: str
    question_id: str
    misses: int


class Stats(TypedDict):
    player: str | None
    games: int
    finished: int
    answers: int
    right: int
    accuracy: float
    best_streak: int
    by_category: dict[str, Share]
    by_difficulty: dict[str, Share]
    best_games: list[BestGame]
    most_missed: list[Missed]


class GameRecord(NamedTuple):
    """What is kept of one player's game."""

    player: str
    players: Sequence[str]
    match_id: str
    seed: int
    options: dict[str, Any]
    settings_key: str
    banks: Sequence[str]
    started_at: datetime
    ended_at: datetime
    planned: int
    answered: int  # questions answered at their first asking (practice asks some again)
    score: int
    right: int
    accuracy: float
    best_streak: int
    seconds: float
    status: str
    finished: bool
    answers: Sequence[tuple[Any, ...]]  # rows for the answers table, without game_id


def settings_key(options: dict[str, Any]) -> str:
    """Games with the same key are comparable for personal bests (any seed): the banks
    and questions asked for (not the ones a draw happened to pick) and the filters."""
    keep: dict[str, Any] = {k: options.get(k) or [] for k in ("categories", "difficulties", "tags")}
    keep |= {k: bool(options.get(k)) for k in ("practice", "review")}
    keep |= {"count": options.get("count"), "timer": options.get("timer")}
    if options.get("questions"):  # a game of chosen questions: their number is what counts
        keep |= {"questions": sorted(options["questions"]), "count": None}
    if options.get("mode", "play") != "play":  # a study session is not a game to beat
        keep["mode"] = options["mode"]
    return json.dumps({"banks": sorted(options.get("banks") or []), **keep}, sort_keys=True)


class History:
    """The history file at ``path``: games, answers and study cards."""

    __slots__ = ("_watch", "path")

    def __init__(self, path: Path) -> None:
        self.path = path
        self._watch: Watch | None = None  # of the call under way

    def __repr__(self) -> str:
        return f"History({self.path!r})"

    # Using the file ------------------------------------------------------------------

    def _use(self, action: Callable[[sqlite3.Connection], T], *, write: bool) -> Noted[T]:
        """Run ``action`` on a connection, watched (see ``history_guard``): bounded in
        steps, and stopped by a signal (after a grace, for a write). A damaged file, or
        one whose schema is not ours, is moved aside and ``action`` run once more on a
        new history (empty, for a read)."""
        with watched(SIGNAL_GRACE_SECONDS if write else 0.0) as watch:
            self._watch = watch
            try:
                return self._attempt(action, write, watch)
            finally:
                self._watch = None

    def _attempt(
        self, action: Callable[[sqlite3.Connection], T], write: bool, watch: Watch
    ) -> Noted[T]:
        notices: list[str] = []
        for attempt in (1, 2):
            try:
                with self._connect(write) as db:
                    return Noted(action(db), tuple(notices))
            # A row it cannot make sense of (see ``history_values``); or a game's settings
            # that an upgrade cannot read (a list, JSON nested beyond the stack...).
            except (TypeError, ValueError, KeyError, AttributeError, RecursionError) as error:
                raise HistoryError(
                    f"{display_path(self.path)} holds a row it cannot read "
                    f"({type(error).__name__}); `history --clear` keeps a copy and starts anew"
                ) from error
            except OSError as error:  # a folder or file the system will not open for us
                reason = error.strerror or type(error).__name__
                raise HistoryError(f"cannot use {display_path(self.path)}: {reason}") from error
            except sqlite3.DatabaseError as error:
                if (why := watch.why()) is not None:  # stopped: nothing was written
                    raise HistoryError(f"{display_path(self.path)}: {why}") from error
                if attempt == 2 or not self._damaged(error):
                    raise HistoryError(f"cannot use {display_path(self.path)}: {error}") from error
                notices.append(self._set_aside(error))
                if not write:  # nothing left to read
                    with self._connect(write=True) as db:
                        return Noted(action(db), tuple(notices))
        raise AssertionError("unreachable")  # pragma: no cover

    @contextmanager
    def _connect(self, write: bool) -> Iterator[sqlite3.Connection]:
        self._check_files()
        connection = self._open_for_writing() if write else self._open_for_reading()
        with closing(connection):
            yield connection

    def _check_files(self) -> None:
        """Refuse a history that is not a regular file (a pipe or a device would make
        SQLite wait forever), and one whose file or journals are symbolic links: as for
        every file desperado-quiz writes, a link is never written through."""
        for suffix in SIDECARS:
            path = self.path.with_name(self.path.name + suffix)
            try:
                mode = path.lstat().st_mode
            except (FileNotFoundError, NotADirectoryError):
                continue
            except OSError as error:
                raise HistoryError(f"cannot use {display_path(path)}: {error.strerror}") from None
            if stat.S_ISLNK(mode):
                raise HistoryError(
                    f"{display_path(path)} is a symbolic link; the history is never read or "
                    "written through one: move the file itself there, or point --data-dir "
                    "at its folder"
                )
            if not stat.S_ISREG(mode):
                raise HistoryError(f"{display_path(path)} is not a regular file")

    def _open_for_writing(self) -> sqlite3.Connection:
        """Open, switch to WAL and migrate, waiting while another process does the same.

        Switching a new file to WAL takes a lock that SQLite's busy timeout does not
        wait for, so two games saved at once into a new history retry here instead.
        """
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise HistoryError(
                f"cannot create {display_path(self.path.parent)}: {error.strerror}"
            ) from error
        deadline = time.monotonic() + BUSY_TIMEOUT_SECONDS
        while True:
            if self._watch is not None:
                self._watch.check()  # a signal while waiting for the other process
            try:
                return self._open_once()
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or time.monotonic() > deadline:
                    raise
                time.sleep(0.01 + (os.getpid() % 5) / 100)  # apart from the other process

    def _open_once(self) -> sqlite3.Connection:
        connection = self._sqlite(self.path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
        try:
            connection.row_factory = sqlite3.Row
            _check_version(connection)  # before WAL: another program's file is left as it is
            connection.execute("PRAGMA foreign_keys = ON")
            mode = connection.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode != "wal" or not os.access(self.path, os.W_OK):  # a read-only place
                raise HistoryError(f"{display_path(self.path.parent)} is read-only")
            _migrate(connection)
        except BaseException:
            connection.close()
            raise
        return connection

    def _open_for_reading(self) -> sqlite3.Connection:
        """A read-only connection: reading never writes, not even to upgrade the schema
        when the file cannot be written (the queries read what the old schema has)."""
        if self._needs_upgrade() and os.access(self.path.parent, os.W_OK):
            self._open_for_writing().close()
        uri = f"file:{quote(str(self.path))}?mode=ro"
        try:
            connection = self._sqlite(uri, uri=True, timeout=BUSY_TIMEOUT_SECONDS)
            connection.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        except sqlite3.OperationalError as error:
            if "unable to open" not in str(error) and "readonly" not in str(error):
                raise
            # WAL needs its -shm file, which a read-only folder cannot get: with nobody
            # able to write there, reading the file as immutable is safe.
            connection = self._sqlite(f"{uri}&immutable=1", uri=True)
        try:
            connection.row_factory = sqlite3.Row
            _check_version(connection)  # and the schema: no query before it
        except BaseException:
            connection.close()
            raise
        return connection

    def _sqlite(self, target: Path | str, **options: Any) -> sqlite3.Connection:
        """A connection whose every statement the call's watch bounds."""
        return (self._watch or Watch()).attach(sqlite3.connect(target, **options))

    def _needs_upgrade(self) -> bool:
        try:
            with closing(self._sqlite(f"file:{quote(str(self.path))}?mode=ro", uri=True)) as db:
                return int(db.execute("PRAGMA user_version").fetchone()[0]) < len(MIGRATIONS)
        except sqlite3.DatabaseError:
            return False  # the reading itself will find out what is wrong

    def _damaged(self, error: sqlite3.DatabaseError) -> bool:
        """Whether the file itself is damaged, as ``PRAGMA quick_check`` confirms, or is
        not a history as we write it."""
        if isinstance(error, ForeignSchema):
            return True
        text = str(error).lower()
        if "not a database" in text or "malformed" in text or "corrupt" in text:
            return True
        if isinstance(error, sqlite3.OperationalError) or not self.path.exists():
            return False  # locked, read-only, unable to open: not damage
        try:
            uri = f"file:{quote(str(self.path))}?mode=ro"
            with closing(self._sqlite(uri, uri=True)) as db:
                return bool(db.execute("PRAGMA quick_check").fetchone()[0] != "ok")
        except sqlite3.DatabaseError:
            return True

    def _set_aside(self, error: sqlite3.DatabaseError) -> str:
        """Move the damaged file (and its WAL files) aside; the notice that says so."""
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        try:
            target = _unique(self.path.with_name(f"{self.path.name}.corrupt-{stamp}"))
            self.path.replace(target)
        except OSError as problem:
            raise HistoryError(
                f"{display_path(self.path)} is damaged ({error}) and cannot be moved aside "
                f"({problem.strerror}); move it yourself to start a new history"
            ) from problem
        for suffix in ("-wal", "-shm"):  # their pages belong to the damaged file
            sidecar = self.path.with_name(self.path.name + suffix)
            if sidecar.exists():
                sidecar.replace(target.with_name(target.name + suffix))
        what = (
            "was not a history as desperado-quiz writes it"
            if isinstance(error, ForeignSchema)
            else "was damaged"
        )
        return (
            f"{display_path(self.path)} {what} ({error}); it was moved to "
            f"{display_path(target)} and a new history started."
        )

    # Writing -------------------------------------------------------------------------

    def record(self, games: Sequence[GameRecord]) -> Noted[list[int | None]]:
        """Save the players' games of one match in one transaction. Returns each
        player's best score before it, under the same banks and settings."""

        def write(db: sqlite3.Connection) -> list[int | None]:
            with _write_transaction(db):
                bests = [_best(db, game.settings_key, game.player) for game in games]
                for game in games:
                    _insert(db, game)
            return bests

        return self._use(write, write=True)

    def clear(self) -> Noted[Path | None]:
        """Delete every game, after copying the database to a new file beside it;
        returns the copy. A copy is never overwritten: its name is reserved first."""
        if not self.exists():
            return Noted(None)

        def clear(db: sqlite3.Connection) -> Path:
            backup = _reserve(self.path.with_name(f"{self.path.stem}-backup.sqlite3"))
            with closing(self._sqlite(backup)) as copy:
                db.backup(copy, pages=1024, progress=lambda *_: self._check_watch())
            with _write_transaction(db):
                db.execute("DELETE FROM answers")
                db.execute("DELETE FROM games")
            return backup

        return self._use(clear, write=True)

    def _check_watch(self) -> None:
        if self._watch is not None:
            self._watch.check()

    # Reading -------------------------------------------------------------------------

    def exists(self) -> bool:
        try:
            return self.path.exists()
        except OSError as error:  # a folder we may not look into
            raise HistoryError(f"cannot use {display_path(self.path)}: {error.strerror}") from None

    def _read(self, action: Callable[[sqlite3.Connection], T], empty: T) -> Noted[T]:
        if not self.exists():  # no history yet: nothing to read, nothing created
            return Noted(empty)
        return self._use(action, write=False)

    def recent(self, limit: int = 20, player: str | None = None) -> Noted[list[GameRow]]:
        def query(db: sqlite3.Connection) -> list[GameRow]:
            rows = db.execute(
                """SELECT id, started_at, ended_at, player, players, seed, banks, questions,
                answered, right_answers, score, accuracy, best_streak, seconds, status,
                finished, options FROM games WHERE (:player IS NULL OR player = :player)
                ORDER BY started_at DESC, id DESC LIMIT :limit""",
                {"player": player, "limit": limit},
            ).fetchall()
            return [_game_row(row) for row in rows]

        return self._read(query, [])

    def spelling(self, name: str) -> Noted[str]:
        """The spelling the history already knows ``name`` by, whatever its case
        ("player" is "Player", and keeps their bests, cards and statistics); the name
        itself when it is new."""

        def query(db: sqlite3.Connection) -> str:
            wanted = name.casefold()
            rows = db.execute(
                "SELECT player FROM games UNION SELECT player FROM cards ORDER BY 1"
            ).fetchall()
            # A stored name that is not a text is someone else's row: never this player.
            spellings = (row[0] for row in rows if isinstance(row[0], str))
            return next((known for known in spellings if known.casefold() == wanted), name)

        return self._read(query, name)

    def missed(self, player: str) -> Noted[set[tuple[str, str]]]:
        """Questions whose latest answer by ``player`` (the last one saved) was not
        right."""

        def query(db: sqlite3.Connection) -> set[tuple[str, str]]:
            # A bare column beside MAX() comes from the row with the maximum: SQLite's
            # documented rule. The index on (player, bank, question...) gives the groups
            # in order, with no sort and no table read.
            rows = db.execute(
                """SELECT bank_id, question_id, correct, MAX(id) FROM answers
                WHERE player = ? GROUP BY bank_id, question_id""",
                (player,),
            ).fetchall()
            return {(checked.key(row[0]), checked.key(row[1])) for row in rows if not row[2]}

        return self._read(query, set())

    def stats(self, player: str | None = None, most_missed: int = 10) -> Noted[Stats]:
        return self._read(lambda db: _stats(db, player, most_missed), _empty_stats(player))

    # Study cards -----------------------------------------------------------------------

    def cards(self, player: str) -> Noted[tuple[list[CardRow], bool]]:
        """The player's cards, and whether their earlier answers were replayed into
        them yet."""

        def query(db: sqlite3.Connection) -> tuple[list[CardRow], bool, int]:
            rows = db.execute(
                "SELECT * FROM cards WHERE player = ? ORDER BY bank_id, question_id", (player,)
            ).fetchall()
            seeded = db.execute("SELECT 1 FROM card_seeds WHERE player = ?", (player,)).fetchone()
            readable, unreadable = _readable_cards(rows)
            return readable, seeded is not None, unreadable

        empty: tuple[list[CardRow], bool, int] = ([], False, 0)
        (cards, seeded, unreadable), notices = self._read(query, empty)
        if unreadable:
            notices += (
                f"{plural(unreadable, 'study card')} of {visible(player)} in "
                f"{display_path(self.path)} could not be read (a date that is not one, say); "
                "those questions start again as new ones.",
            )
        return Noted((cards, seeded), notices)

    def update_cards(
        self, player: str, change: Callable[[dict[tuple[str, str], CardRow]], list[CardRow]]
    ) -> Noted[list[CardRow]]:
        """Apply ``change`` to the player's current cards inside one write transaction,
        so that two study sessions at once each see the other's reviews: none is lost.
        ``change`` gets the cards by (bank, question) and returns those to store."""

        def write(db: sqlite3.Connection) -> list[CardRow]:
            with _write_transaction(db):
                readable, _ = _readable_cards(
                    db.execute("SELECT * FROM cards WHERE player = ?", (player,))
                )  # (`cards` told of the others: an answer now writes a good one over them)
                current = {(row["bank_id"], row["question_id"]): row for row in readable}
                changed = change(current)
                db.executemany(
                    """INSERT OR REPLACE INTO cards (player, bank_id, question_id, card, due,
                    state, introduced, reviews) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
                    [
                        (
                            player,
                            row["bank_id"],
                            row["question_id"],
                            json.dumps(row["card"]),
                            row["due"],
                            row["state"],
                            row["introduced"],
                            row["reviews"],
                        )
                        for row in changed
                    ],
                )
                db.execute(
                    "INSERT OR IGNORE INTO card_seeds (player, seeded_at) VALUES (?, ?)",
                    (player, datetime.now(UTC).isoformat()),
                )
            return changed

        return self._use(write, write=True)

    def answers(self, player: str | None = None) -> Noted[list[AnswerRow]]:
        """Every answer (of ``player``, or of everyone) in the order they were given."""

        def query(db: sqlite3.Connection) -> list[AnswerRow]:
            rows = db.execute(
                """SELECT a.game_id, g.player, a.bank_id, a.question_id, a.attempt, a.given,
                a.verdict, a.correct, a.hinted, a.seconds, g.ended_at FROM answers a
                JOIN games g ON g.id = a.game_id WHERE (:player IS NULL OR a.player = :player)
                ORDER BY a.id""",
                {"player": player},
            ).fetchall()
            return [
                {
                    "game_id": checked.integer(row["game_id"]),
                    "player": checked.text(row["player"]),
                    "bank_id": checked.key(row["bank_id"]),
                    "question_id": checked.key(row["question_id"]),
                    "attempt": checked.integer(row["attempt"]),
                    "given": checked.text(row["given"], checked.MAX_GIVEN_CHARS),
                    "verdict": checked.text(row["verdict"]),
                    "correct": bool(checked.integer(row["correct"])),
                    "hinted": bool(checked.integer(row["hinted"])),
                    "seconds": checked.real(row["seconds"]),
                    "ended_at": checked.moment(row["ended_at"]),
                }
                for row in rows
            ]

        return self._read(query, [])


def _migrate(connection: sqlite3.Connection) -> None:
    version = _check_version(connection)
    if version == len(MIGRATIONS):
        return
    with _write_transaction(connection):
        # Read again inside the write lock: another process may have migrated.
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        for number, migration in enumerate(MIGRATIONS[version:], start=version + 1):
            migration(connection)
            connection.execute(f"PRAGMA user_version = {number}")


@contextmanager
def _write_transaction(db: sqlite3.Connection) -> Iterator[None]:
    """A transaction that takes the write lock at once (IMMEDIATE: two processes never
    both read and then both fail to write), committed whole or rolled back."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        # A statement stopped by the watch has rolled back already; and the rollback
        # itself must never be stopped.
        db.set_progress_handler(None, 0)
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def _check_version(connection: sqlite3.Connection) -> int:
    """The schema version; refuses a newer schema, and a database some other program
    made (tables, but no version of ours), which migrating would change; and raises
    ``ForeignSchema`` unless the schema is exactly what our migrations make."""
    # One read transaction, one snapshot: another process may be creating the schema,
    # and a version read before its tables would take a good history for a foreign one.
    began = not connection.in_transaction
    if began:
        connection.execute("BEGIN")
    try:
        version, has_tables = connection.execute(
            "SELECT user_version, EXISTS (SELECT 1 FROM sqlite_master) FROM pragma_user_version"
        ).fetchone()
        if version > len(MIGRATIONS):
            raise HistoryError(
                f"the history was written by a newer desperado-quiz (schema {version})"
            )
        if version == 0 and has_tables:
            path = connection.execute("PRAGMA database_list").fetchone()[2]
            raise HistoryError(
                f"{display_path(Path(path))} is not a desperado-quiz history (another "
                "program's database?); it was left as it is: use another --data-dir"
            )
        check_schema(connection, int(version), MIGRATIONS)  # no trigger, no view: only ours
    finally:
        if began and connection.in_transaction:
            connection.execute("COMMIT")
    return int(version)


def _unique(path: Path) -> Path:
    number, candidate = 1, path
    while candidate.exists():
        number += 1
        candidate = path.with_name(f"{path.name}-{number}")
    return candidate


def _reserve(base: Path) -> Path:
    """A new, empty file named after ``base`` and the time, created exclusively, so
    that two backups made in the same instant can never share a name."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    for number in range(1, 10_000):
        suffix = f"-{stamp}" if number == 1 else f"-{stamp}-{number}"
        candidate = base.with_name(f"{base.stem}{suffix}{base.suffix}")
        try:
            os.close(os.open(candidate, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        except FileExistsError:
            continue
        return candidate
    raise HistoryError(f"no free name for a backup beside {display_path(base)}")


def _best(db: sqlite3.Connection, key: str, player: str) -> int | None:
    row = db.execute(
        "SELECT MAX(score) FROM games WHERE settings_key = ? AND player = ?", (key, player)
    ).fetchone()
    return None if row[0] is None else int(row[0])


def _insert(db: sqlite3.Connection, game: GameRecord) -> None:
    cursor = db.execute(
        """INSERT INTO games (match_id, player, players, started_at, ended_at, seed,
        options, settings_key, banks, questions, answered, right_answers, score,
        accuracy, best_streak, seconds, status, finished)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        (
            game.match_id,
            game.player,
            json.dumps(list(game.players)),
            game.started_at.isoformat(),
            game.ended_at.isoformat(),
            game.seed,
            json.dumps(game.options, sort_keys=True),
            game.settings_key,
            json.dumps(sorted(game.banks)),
            game.planned,
            game.answered,
            game.right,
            game.score,
            game.accuracy,
            game.best_streak,
            game.seconds,
            game.status,
            int(game.finished),
        ),
    )
    db.executemany(
        """INSERT INTO answers (game_id, player, position, bank_id, question_id, category,
        difficulty, attempt, given, verdict, correct, points, seconds, hinted)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [(cursor.lastrowid, game.player, *row) for row in game.answers],
    )


def _card_row(row: sqlite3.Row) -> CardRow:
    """A card as the study reads it; ``ValueError`` or ``TypeError`` when a field is not
    what desperado-quiz writes (a due date of 9999-99-99, say)."""
    return {
        "bank_id": checked.key(row["bank_id"]),
        "question_id": checked.key(row["question_id"]),
        "card": checked.card(row["card"]),
        "due": checked.moment(row["due"]),
        "state": checked.integer(row["state"]),
        "introduced": "" if row["introduced"] == "" else checked.moment(row["introduced"]),
        "reviews": checked.integer(row["reviews"]),
    }


def _readable_cards(rows: Iterable[sqlite3.Row]) -> tuple[list[CardRow], int]:
    """The cards that can be read, and how many cannot: those start again as new ones
    (the next answer writes a good card in their place)."""
    cards, unreadable = [], 0
    for row in rows:
        try:
            cards.append(_card_row(row))
        except (TypeError, ValueError, KeyError):
            unreadable += 1
    return cards, unreadable


def _game_row(row: sqlite3.Row) -> GameRow:
    """A game as `history` shows it, every value checked (see ``history_values``)."""
    options = checked.options(row["options"])
    return {
        "id": checked.integer(row["id"]),
        "started_at": checked.text(row["started_at"]),
        "ended_at": checked.text(row["ended_at"]),
        "player": checked.text(row["player"]),
        "players": checked.texts(row["players"]),
        "seed": checked.integer(row["seed"]),
        "banks": checked.texts(row["banks"]),
        "questions": checked.integer(row["questions"]),
        "answered": checked.integer(row["answered"]),
        "right_answers": checked.integer(row["right_answers"]),
        "score": checked.integer(row["score"]),
        "accuracy": checked.real(row["accuracy"]),
        "best_streak": checked.integer(row["best_streak"]),
        "seconds": round(checked.real(row["seconds"]), 2),
        "status": checked.text(row["status"]),
        "finished": bool(checked.integer(row["finished"])),
        "mode": options.get("mode", "play"),
        "all_banks": not options.get("banks"),
    }


def _empty_stats(player: str | None) -> Stats:
    return {
        "player": player,
        "games": 0,
        "finished": 0,
        "answers": 0,
        "right": 0,
        "accuracy": 0.0,
        "best_streak": 0,
        "by_category": {},
        "by_difficulty": {},
        "best_games": [],
        "most_missed": [],
    }


def _stats(db: sqlite3.Connection, player: str | None, most_missed: int) -> Stats:
    """Every figure from two passes over covering indexes: one over the answers, grouped
    by question (all the shares and the misses are sums of those groups), and one over
    the games."""
    if player is None:
        games = db.execute("SELECT COUNT(*), MAX(best_streak), SUM(finished) FROM games").fetchone()
        groups = db.execute(
            """SELECT bank_id, question_id, category, difficulty, COUNT(*), SUM(correct)
            FROM answers GROUP BY bank_id, question_id, category, difficulty"""
        ).fetchall()
        best = db.execute(
            """SELECT player, settings_key, MAX(score), COUNT(*), banks, options, started_at
            FROM games GROUP BY player, settings_key"""
        ).fetchall()
    else:
        games = db.execute(
            "SELECT COUNT(*), MAX(best_streak), SUM(finished) FROM games WHERE player = ?",
            (player,),
        ).fetchone()
        groups = db.execute(
            """SELECT bank_id, question_id, category, difficulty, COUNT(*), SUM(correct)
            FROM answers WHERE player = ? GROUP BY bank_id, question_id, category, difficulty""",
            (player,),
        ).fetchall()
        best = db.execute(
            """SELECT player, settings_key, MAX(score), COUNT(*), banks, options, started_at
            FROM games WHERE player = ? GROUP BY settings_key""",
            (player,),
        ).fetchall()
    return _figures(player, games, [_group(row) for row in groups], best, most_missed)


Group = tuple[str, str, str, str, int, int]  # bank, question, category, difficulty, count, right


def _group(row: sqlite3.Row) -> Group:
    bank_id, question_id, category, difficulty, count, right = row
    return (
        checked.key(bank_id),
        checked.key(question_id),
        checked.key(category),
        checked.key(difficulty),
        checked.integer(count),
        checked.integer(right),
    )


# A player's best under one settings key: player, key, score, games, banks, options, start.
BestRow = tuple[str, str, int, int, object, object, object]


def _best_row(row: sqlite3.Row) -> BestRow:
    player, key, score, games, banks, options, started = row
    return (
        checked.text(player),
        checked.text(key, checked.MAX_JSON_CHARS),
        checked.integer(score),
        checked.integer(games),
        banks,  # checked below, for the ten shown only
        options,
        started,
    )


def _optional(value: object) -> int:
    return 0 if value is None else checked.integer(value)


def _figures(
    player: str | None,
    games: sqlite3.Row,
    groups: Sequence[Group],
    best: Sequence[sqlite3.Row],
    most_missed: int,
) -> Stats:
    answered = sum(group[4] for group in groups)
    right = sum(group[5] for group in groups)
    misses: dict[tuple[str, str], int] = defaultdict(int)
    for bank_id, question_id, _category, _difficulty, count, correct in groups:
        misses[(bank_id, question_id)] += count - correct
    bests = [_best_row(row) for row in best]
    top_best = sorted(bests, key=lambda row: (-row[2], row[0], -row[3], row[1]))[:10]
    top_missed = sorted(
        ((key, n) for key, n in misses.items() if n), key=lambda item: (-item[1], item[0])
    )[:most_missed]
    return {
        "player": player,
        "games": checked.integer(games[0]),
        "finished": _optional(games[2]),
        "answers": answered,
        "right": right,
        "accuracy": round(right / answered, 4) if answered else 0.0,
        "best_streak": _optional(games[1]),
        "by_category": _shares(groups, lambda group: group[2]),
        "by_difficulty": _shares(groups, lambda group: group[3]),
        "best_games": [
            {
                "player": row[0],
                "banks": checked.texts(row[4]),
                "options": checked.options(row[5]),
                "score": row[2],
                "games": row[3],
                "started_at": checked.text(row[6]),
            }
            for row in top_best
        ],
        "most_missed": [
            {"bank_id": bank_id, "question_id": question_id, "misses": n}
            for (bank_id, question_id), n in top_missed
        ],
    }


def _shares(groups: Sequence[Group], label: Callable[[Group], str]) -> dict[str, Share]:
    """Answered, right and accuracy by the ``label`` of the question groups."""
    answered: dict[str, int] = defaultdict(int)
    right: dict[str, int] = defaultdict(int)
    for group in groups:
        answered[label(group)] += group[4]
        right[label(group)] += group[5]
    return {
        key: {
            "answered": answered[key],
            "right": right[key],
            "accuracy": round(right[key] / answered[key], 4),
        }
        for key in sorted(answered)
    }


def game_records(result: GameResult, started: datetime, ended: datetime) -> list[GameRecord]:
    """What the history keeps of a game: one record per player, with the banks its
    questions were drawn from."""
    match_id = os.urandom(16).hex()  # uuid would cost `history` and `stats` its imports
    options = result.settings.to_dict()
    banks = sorted({asked.bank_id for asked in result.asked})
    key = settings_key(options)
    records = []
    for summary in result.players:
        answers = [
            (
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
        ]
        records.append(
            GameRecord(
                player=summary.player,
                players=result.settings.players,
                match_id=match_id,
                seed=result.settings.seed,
                options=options,
                settings_key=key,
                banks=banks,
                started_at=started,
                ended_at=ended,
                planned=summary.planned,
                answered=len(summary.first_tries),
                score=summary.score,
                right=summary.right,
                accuracy=summary.accuracy,
                best_streak=summary.best_streak,
                seconds=summary.seconds,
                status=str(summary.status),
                finished=summary.finished,
                answers=answers,
            )
        )
    return records
