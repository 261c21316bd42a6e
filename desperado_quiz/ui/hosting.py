"""`desperado-quiz host`: load and select as `play` does, serve the live game, then save
every player's game, write the report, and turn the end into an exit status."""

from __future__ import annotations

import asyncio
import csv
import io
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from desperado_quiz.envelope import document, dumps
from desperado_quiz.exitcodes import ExitCode
from desperado_quiz.game import Engine, GameResult, GameSettings, SettingsError, Status
from desperado_quiz.game.results import game_json
from desperado_quiz.history import History
from desperado_quiz.live.limits import Limits
from desperado_quiz.live.protocol import StandingJSON
from desperado_quiz.live.room import MAX_PLAYERS, Room, check_code, new_code
from desperado_quiz.live.server import Host, HostError, HostSettings
from desperado_quiz.paths import history_path
from desperado_quiz.text import display_path
from desperado_quiz.ui.banks import load_or_fail
from desperado_quiz.ui.console import console, discard_output
from desperado_quiz.ui.game import STATUS_EXIT, choose, held_exit, save, signals_held
from desperado_quiz.ui.history import spreadsheet_safe
from desperado_quiz.ui.host import HostScreen
from desperado_quiz.ui.messages import Messages

CSV_COLUMNS = ("rank", "player", "score", "right", "answered", "best_streak", "status")


@dataclass(frozen=True)
class HostRequest:
    settings: GameSettings
    bind: str = "0.0.0.0"
    port: int | None = None
    code: str | None = None
    start_with: int | None = None
    auto: bool = False
    pause: float = 8.0
    report: Path | None = None
    save: bool = True
    data_dir: Path | None = None
    max_players: int = MAX_PLAYERS
    per_address: int = Limits.per_address

    def __post_init__(self) -> None:
        if self.code is not None:
            check_code(self.code)  # SettingsError: a usage error, before anything starts


def host(request: HostRequest) -> ExitCode:
    settings = request.settings
    messages = Messages()
    loaded = load_or_fail(settings.banks, messages)
    history = History(history_path(request.data_dir))
    selection = choose(loaded.banks, settings, history, messages, console)
    if selection is None:  # pragma: no cover (host has no --review)
        return ExitCode.OK
    for note in selection.notes:
        messages.warn(note)
    engine = Engine(selection.asked, settings, notes=selection.notes)
    try:
        room = Room(engine, request.code or new_code(), request.max_players)
    except SettingsError as error:  # pragma: no cover (checked by HostRequest)
        messages.fail(f"{error}.")
    server = Host(
        room,
        HostScreen(console),
        HostSettings(
            request.bind,
            request.port,
            request.start_with,
            request.auto,
            request.pause,
            limits=Limits(per_address=request.per_address),
        ),
    )
    started = datetime.now(UTC)
    try:
        result = asyncio.run(server.run())
    except HostError as error:
        messages.fail(f"{error}.")
    except KeyboardInterrupt:  # before the game's own handler was in place
        result = room.stop(Status.INTERRUPTED)
    except BrokenPipeError:  # the host's screen went away (`host | head`): the game ends
        console.file = discard_output(console.file)
        result = room.stop(Status.OUTPUT_CLOSED)
    with signals_held() as held:  # a signal now must not cut the save short
        if request.save and result.players:
            save(history, result, (started, datetime.now(UTC)), console, messages)
        if request.report is not None:
            write_report(request.report, result, room.over_message(result)["standings"], messages)
    return held_exit(held) or STATUS_EXIT.get(result.status, ExitCode.OK)


def report_text(path: Path, result: GameResult, standings: list[StandingJSON]) -> str:
    """.json: the game document, as `play --json` writes it; .csv: the standings."""
    if path.suffix.lower() == ".json":
        return dumps(document("game", game_json(result))) + "\n"
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in standings:
        writer.writerow({key: spreadsheet_safe(value) for key, value in row.items()})
    return buffer.getvalue()


def write_report(
    path: Path, result: GameResult, standings: list[StandingJSON], messages: Messages
) -> None:
    """Atomically: a temporary file beside the report, then a rename. Never fatal: the
    game is over and saved whatever happens to the report."""
    text = report_text(path, result, standings)
    try:
        folder = path.resolve().parent
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=folder, delete=False, suffix=".tmp", newline=""
        ) as temporary:
            temporary.write(text)
        Path(temporary.name).replace(path)
    except OSError as error:
        messages.warn(f"cannot write the report {display_path(path)}: {error.strerror or error}")
