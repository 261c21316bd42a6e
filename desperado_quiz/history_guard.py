"""What keeps a history file from running code or work of its own. No terminal I/O.

A history is data that may come from anywhere (a quiz night's copy from a friend, a file
in a shared folder), and SQLite runs what a database holds: a trigger on every save, a
view on every read. So:

* **Exactly our schema.** ``check_schema`` compares every object of the file (tables,
  indexes, and any trigger or view) with what our migrations make for its schema
  version, by their SQL text with only its spacing normalised. A file with anything else
  is ``ForeignSchema``, which the history treats as damage: set aside, never used.
* **Every call bounded.** ``Watch`` is SQLite's progress handler: it stops a call on
  the history after ``MAX_STEPS`` steps of SQLite's virtual machine (far more than any
  history of ours needs), and soon after Ctrl-C, SIGTERM or SIGHUP, which ``watched``
  notes while a call runs and passes on once it is over. A save under way gets
  ``SIGNAL_GRACE_SECONDS`` to finish first: the game is then saved, or said not saved.
"""

from __future__ import annotations

import re
import signal
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing, contextmanager
from functools import cache
from types import FrameType

from desperado_quiz.text import visible

Migration = Callable[[sqlite3.Connection], None]
SchemaRow = tuple[str, str, str, str]  # type, name, table, normalised SQL

# 100,000 games (750,000 answers) take at most 13 million steps for any call (`stats`,
# every answer for `study`): a bound 75 times that, about ten seconds of SQLite's work.
MAX_STEPS = 1_000_000_000
CHECK_EVERY = 1_000  # steps between two calls of the progress handler
SIGNAL_GRACE_SECONDS = 1.0  # a save under way when a signal comes gets this long to end
_STOPPING = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


class ForeignSchema(sqlite3.DatabaseError):
    """The file holds objects our migrations never make (a trigger, a view, a table
    changed): not a history as desperado-quiz writes it."""


class Stopped(sqlite3.OperationalError):
    """A call on the history stopped by its ``Watch``; the message says why."""


class Watch:
    """The progress handler of every connection during one call on the history."""

    __slots__ = ("deadline", "grace", "signal", "steps")

    def __init__(self, grace: float = 0.0) -> None:
        self.steps = 0
        self.signal: int | None = None
        self.grace = grace
        self.deadline = float("inf")

    def note(self, number: int, _frame: FrameType | None = None) -> None:
        """A signal handler: note the first signal; the call stops after the grace."""
        if self.signal is None:
            self.signal = number
            self.deadline = time.monotonic() + self.grace

    def __call__(self) -> int:
        """SQLite's progress handler: non-zero stops the statement (and rolls back)."""
        self.steps += CHECK_EVERY
        if self.steps > MAX_STEPS:
            return 1
        return int(self.signal is not None and time.monotonic() >= self.deadline)

    def attach(self, connection: sqlite3.Connection) -> sqlite3.Connection:
        connection.set_progress_handler(self, CHECK_EVERY)
        return connection

    def why(self) -> str | None:
        """Why the watch stopped a call, in words; None when it did not."""
        if self.signal is not None:
            return f"stopped by {signal.Signals(self.signal).name} before it was done"
        if self.steps > MAX_STEPS:
            return (
                f"a query took more than {MAX_STEPS:,} steps, far more than any history "
                "needs: the file is not as desperado-quiz writes it"
            )
        return None

    def check(self) -> None:
        """Raise ``Stopped`` if a signal came (for waits outside SQLite's own steps)."""
        if (why := self.why()) is not None:
            raise Stopped(why)


@contextmanager
def watched(grace: float = 0.0) -> Iterator[Watch]:
    """A ``Watch`` for one call. While it runs, Ctrl-C, SIGTERM and SIGHUP are noted
    (where a handler of Python's own would have run: the default one, for SIGTERM,
    ends the process at once anyway); once it is over, the signal noted goes on to the
    handler it was meant for (``KeyboardInterrupt``, a game's own ending...)."""
    watch = Watch(grace)
    previous: dict[int, Callable[[int, FrameType | None], object]] = {}
    try:
        for number in _STOPPING:
            handler = signal.getsignal(number)
            if callable(handler):
                previous[number] = handler
                signal.signal(number, watch.note)
    except ValueError:  # not the main thread: no signals here, the steps still count
        pass
    try:
        yield watch
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        if watch.signal is not None and watch.signal in previous:
            previous[watch.signal](watch.signal, None)


# The schema ----------------------------------------------------------------------------


def normalised_sql(sql: str | None) -> str:
    """SQL text with its spacing made regular: what an older desperado-quiz wrote, or
    SQLite's edit of it (ALTER TABLE), compares equal to ours; anything more does not."""
    text = re.sub(r"\s+", " ", sql or "").strip().rstrip(";").strip()
    return re.sub(r" ?([(),]) ?", r"\1", text).casefold()


@cache
def expected_schema(version: int, migrations: Sequence[Migration]) -> frozenset[SchemaRow]:
    """Every object our first ``version`` migrations make, as ``check_schema`` reads it."""
    with closing(sqlite3.connect(":memory:", isolation_level=None)) as db:
        for migration in migrations[:version]:
            migration(db)
        return frozenset(_schema_rows(db))


def check_schema(db: sqlite3.Connection, version: int, migrations: Sequence[Migration]) -> None:
    """Raise ``ForeignSchema`` unless the file holds exactly what our migrations make
    for ``version``. The count and the size of its SQL are read first, so that a schema
    stuffed with megabytes of text is refused without reading it."""
    expected = expected_schema(version, tuple(migrations))
    count, size = db.execute("SELECT COUNT(*), TOTAL(LENGTH(sql)) FROM sqlite_master").fetchone()
    largest = sum(len(sql) for *_, sql in expected) * 4 + 4096
    if count != len(expected) or size > largest:
        raise ForeignSchema(_foreign(db, expected))
    found = set(_schema_rows(db))
    if found != expected:
        raise ForeignSchema(_foreign(db, expected, found))


def _schema_rows(db: sqlite3.Connection) -> Iterator[SchemaRow]:
    for kind, name, table, sql in db.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master"
    ).fetchall():
        yield str(kind), str(name), str(table), normalised_sql(sql)


def _foreign(
    db: sqlite3.Connection, expected: frozenset[SchemaRow], found: set[SchemaRow] | None = None
) -> str:
    """What is not ours, in words: the first object found that our schema lacks."""
    ours = {(kind, name) for kind, name, _, _ in expected}
    names = db.execute("SELECT type, name FROM sqlite_master ORDER BY rowid LIMIT 1000")
    for kind, name in names:
        if (kind, name) not in ours:
            return f"it holds a {kind} that desperado-quiz never makes: {visible(name[:80])!r}"
    changed = sorted({name for _, name, _, _ in (found or set()) ^ expected})
    if changed:
        return f"its {visible(changed[0][:80])!r} is not as desperado-quiz makes it"
    return "its schema is not as desperado-quiz makes it"
