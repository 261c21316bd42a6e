"""A quiz night as calls: the game drawn as for `play`, a live server that plays it with
the screen the caller gives (``live.server.HostView``), then every player's game saved
and the report written."""

from __future__ import annotations

import asyncio
import csv
import io
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from desperado_quiz.app.banks import load
from desperado_quiz.app.errors import CommandError
from desperado_quiz.app.games import STATUS_EXIT, Saved, choose, save_game
from desperado_quiz.authoring import TargetRefused, writable_target, write_atomic
from desperado_quiz.envelope import document, dumps
from desperado_quiz.exitcodes import ExitCode
from desperado_quiz.game import Engine, GameResult, GameSettings, SettingsError, Status
from desperado_quiz.game.results import game_json
from desperado_quiz.history import History
from desperado_quiz.live.limits import Limits
from desperado_quiz.live.protocol import StandingJSON
from desperado_quiz.live.room import MAX_PLAYERS, Room, check_code, new_code
from desperado_quiz.live.server import Host, HostError, HostSettings, HostView
from desperado_quiz.paths import history_path
from desperado_quiz.tables import spreadsheet_safe
from desperado_quiz.text import display_path

# As `play --json` names them: `right` of the game's `planned` questions; `accuracy`,
# right out of the questions `answered` (a skip, or no answer in time, among them).
CSV_COLUMNS = (
    "rank",
    "player",
    "score",
    "right",
    "planned",
    "accuracy",
    "answered",
    "best_streak",
    "status",
)


@dataclass(frozen=True)
class NightOver:
    """What the end of a quiz night did: the games saved, and the report's fate."""

    saved: Saved = field(default_factory=Saved)
    report_failure: str | None = None


@dataclass
class QuizNight:
    """A quiz night ready to serve: ``run`` it with a screen, then ``finish`` it."""

    room: Room
    settings: HostSettings
    notes: list[str]
    history: History
    keep: bool = True
    report: Path | None = None
    started: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def code(self) -> str:
        return self.room.code

    def run(self, view: HostView) -> GameResult:
        """Serve the game until it ends; Ctrl-C before the game's own handler is in
        place ends it too. Raises ``CommandError`` when the server cannot start."""
        self.started = datetime.now(UTC)
        try:
            return asyncio.run(Host(self.room, view, self.settings).run())
        except HostError as error:
            raise CommandError(f"{error}.") from None
        except KeyboardInterrupt:
            return self.stop(Status.INTERRUPTED)

    def stop(self, status: Status) -> GameResult:
        """End the game now, with the standings so far (the screen went away, say)."""
        return self.room.stop(status)

    def finish(self, result: GameResult) -> NightOver:
        """Save every player's game and write the report; never raises: the game is
        over whatever happens to either."""
        saved = Saved()
        if self.keep and result.players:
            saved = save_game(self.history, result, (self.started, datetime.now(UTC)))
        failure = None
        if self.report is not None:
            failure = write_report(self.report, result, self.room.standings(result.ranked))
        return NightOver(saved, failure)


def open_quiz_night(
    settings: GameSettings,
    *,
    bind: str = "0.0.0.0",
    port: int | None = None,
    code: str | None = None,
    start_with: int | None = None,
    auto: bool = False,
    pause: float = 8.0,
    report: Path | None = None,
    save: bool = True,
    data_dir: Path | None = None,
    keyboard: bool = True,
    max_players: int = MAX_PLAYERS,
    per_address: int = Limits.per_address,
) -> QuizNight:
    """Draw the night's questions and make its room. ``keyboard``: the host's keyboard
    drives the night (Enter goes on, ``remove NAME``); without it, ``start_with`` and
    ``auto`` must. ``max_players`` is the room's size, ``per_address`` how many players
    one machine may bring (see docs/live.md). Raises ``CommandError`` for a bad code, a
    report that cannot be written (checked before anyone joins) or nothing to play."""
    try:
        code = check_code(code) if code is not None else new_code()
    except SettingsError as error:
        raise CommandError(f"{error}.") from None
    if report is not None:
        try:
            writable_target(report)
        except TargetRefused as refused:
            raise CommandError(f"--report: {refused}; the quiz night was not started.") from None
    loaded = load(settings.banks)
    selection = choose(loaded.banks, settings, relation=loaded.relation())
    room = Room(Engine(selection.asked, settings, notes=selection.notes), code, max_players)
    limits = Limits(per_address=per_address)
    served = HostSettings(bind, port, start_with, auto, pause, keyboard, limits=limits)
    history = History(history_path(data_dir))
    return QuizNight(room, served, selection.notes, history, save, report)


def exit_status(result: GameResult) -> ExitCode:
    return STATUS_EXIT.get(result.status, ExitCode.OK)


def report_text(path: Path, result: GameResult, standings: list[StandingJSON]) -> str:
    """.json: the game document, as `play --json` writes it; .csv: the standings."""
    if path.suffix.lower() == ".json":
        return dumps(document("game", game_json(result))) + "\n"
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    summaries = {summary.player: summary for summary in result.players}
    for row in standings:
        summary = summaries[row["player"]]
        figures = {"planned": summary.planned, "accuracy": round(summary.accuracy, 4)}
        cells = {**row, **figures}
        writer.writerow({key: spreadsheet_safe(value) for key, value in cells.items()})
    return buffer.getvalue()


def write_report(path: Path, result: GameResult, standings: list[StandingJSON]) -> str | None:
    """Write the report atomically; why not, when it could not be."""
    try:
        write_atomic(path, report_text(path, result, standings))
    except OSError as error:
        return f"cannot write the report {display_path(path)}: {error.strerror or error}"
    return None
