"""`desperado-quiz join`: the player's screen in a terminal, and the end as an exit status.

Everything shown here came from the network: every string goes through ``visible``
inside ``Text``, never as Rich markup, and numbers are read as numbers or not shown.
"""

from __future__ import annotations

import sys
import threading
from dataclasses import dataclass
from typing import Any

from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from desperado_quiz.envelope import document
from desperado_quiz.exitcodes import ExitCode
from desperado_quiz.live.client import Ending, Lines, board_rows
from desperado_quiz.text import visible
from desperado_quiz.ui.console import ECHO_CHARS, console, error_console
from desperado_quiz.ui.messages import Messages, failing, write
from desperado_quiz.ui.play import NO_PLACE, PROMPT, READING_WIDTH, explanation

ENDING_EXIT = {
    Ending.OVER: ExitCode.OK,
    Ending.LEFT: ExitCode.OK,
    Ending.REPLACED: ExitCode.OK,  # the player goes on, from the other terminal
    Ending.INTERRUPTED: ExitCode.INTERRUPTED,
    Ending.REFUSED: ExitCode.USAGE,
    Ending.ELSEWHERE: ExitCode.USAGE,  # as for a name taken
    Ending.REMOVED: ExitCode.FAILED,
    Ending.LOST: ExitCode.FAILED,
}
VERDICTS = {
    "right": ("✓ Right", "good"),
    "partial": ("◐ Partly right", "warn"),
    "wrong": ("✗ Wrong", "bad"),
    # Late or not at all, it was no answer: the host's chart says the same.
    "late": ("⌛ No answer", "bad"),
    "skipped": ("» Skipped", "muted"),
}


@dataclass(frozen=True)
class JoinRequest:
    address: str
    name: str | None = None
    code: str | None = None
    json_output: bool = False


def _s(value: object, style: str = "") -> Text:
    """A string from the network, safe to print."""
    return Text(visible(str(value)), style=style)


def _n(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _seconds(value: object) -> float:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


def ordinal(number: int) -> str:
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"


def question_view(message: dict[str, Any], width: int) -> Panel:
    about = Text(style="muted").append(_s(message.get("category", "")))
    about.append(f" · {_s(message.get('difficulty', ''))} · {_n(message.get('points'))} points")
    body: list[RenderableType] = [about, _s(message.get("text", ""), "bold")]
    options = message.get("options")
    if isinstance(options, list) and options:
        grid = Table.grid(padding=(0, 1))
        grid.add_column(style="accent", no_wrap=True)
        grid.add_column()
        for option in options:
            if isinstance(option, dict):
                grid.add_row(_s(option.get("letter", "")).append(")"), _s(option.get("text", "")))
        body += [Text(), grid]
    commands = "? hint · skip · quit" if message.get("has_hint") else "skip · quit"
    body += [Text(), _s(message.get("how", ""), "muted"), Text(commands, style="muted")]
    title = f"Question {_n(message.get('number'))} of {_n(message.get('total'))}"
    return Panel(
        Group(*body),
        title=Text(title, style="accent"),
        title_align="left",
        subtitle=Text(f"{_seconds(message.get('seconds')):g} s"),
        subtitle_align="right",
        padding=(0, 1),
        width=min(width, READING_WIDTH),
    )


STATUS_MARKS = ("quit", "removed")  # who left, or was taken out, on the way


def standings_table(rows: list[dict[str, Any]], me: str, total: int) -> Table:
    """The rows the host sent (the top of the table and the rows around this player's),
    with an ellipsis where ranks were left out between them. "Right" counts out of the
    game's ``total`` questions, as the host's leaderboard and `play` do."""
    table = Table(title="Standings", title_justify="left")
    table.add_column("Rank", justify="right")
    table.add_column("Player")
    table.add_column("Score", justify="right")
    table.add_column("Right", justify="right")
    previous = 0
    for row in rows:
        if _n(row.get("rank")) > previous + 1:
            table.add_row("…", "", "", "")
        previous = _n(row.get("rank"))
        table.add_row(
            NO_PLACE if row.get("status") == "removed" else f"{_n(row.get('rank'))}.",
            _row_name(row, me),
            str(_n(row.get("score"))),
            f"{_n(row.get('right'))} of {total}" if total else str(_n(row.get("right"))),
        )
    return table


def _row_name(row: dict[str, Any], me: str) -> Text:
    name = _s(row.get("player", ""))
    status = row.get("status")
    if status in STATUS_MARKS:
        name.append(f" ({status})", style="muted")
    elif status == "playing" and row.get("connected") is False:
        name.append(" (away)", style="muted")
    if row.get("player") == me:
        name.append(" (you)", style="accent")
    return name


def _shown_rows(rows: list[dict[str, Any]]) -> list[tuple[object, ...]]:
    """What the standings table shows of each row, to tell a repeat."""
    keys = ("rank", "player", "score", "right", "status")
    return [tuple(row.get(key) for key in keys) for row in rows]


def _ranked(message: dict[str, Any]) -> int:
    """How many players are ranked: those the host removed are not."""
    return max(_n(message.get("players")) - _n(message.get("removed")), 0)


def _mine(message: dict[str, Any]) -> dict[str, Any] | None:
    row = message.get("you")
    return row if isinstance(row, dict) else None


class Countdown:
    """On a terminal, 'N s left' kept up to date on the line above the prompt (the same
    save and restore cursor sequences as play's countdown), until the next message."""

    def __init__(self, out: Console) -> None:
        self.out = out
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self, seconds_left: float) -> None:
        self.stop()
        if not (self.out.is_terminal and not self.out.is_dumb_terminal):
            return
        import time

        deadline = time.monotonic() + seconds_left
        self._stop = threading.Event()

        def run() -> None:
            while not self._stop.wait(0.5):
                left = max(deadline - time.monotonic(), 0)
                self.out.file.write(f"\x1b7\x1b[1A\r\x1b[2K⏱  {left:.0f} s left\x1b8")
                self.out.file.flush()

        self._thread = threading.Thread(target=run, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None


class JoinScreen:
    """The ``ClientView`` of the terminal client."""

    def __init__(self, out: Console) -> None:
        self.out = out
        self.countdown = Countdown(out)
        self._prompted = False
        self._standings: list[tuple[object, ...]] = []  # the table shown last

    def _line(self) -> None:
        self.countdown.stop()
        if self._prompted:
            self.out.print()
            self._prompted = False

    def welcome(self, message: dict[str, Any]) -> None:
        self._line()
        text = Text("Joined as ", style="good").append(_s(message.get("name", "")))
        score = _n(message.get("score"))
        if score:
            text.append(f" · {score} points so far")
        self.out.print(text)
        if message.get("state") == "lobby":
            self.out.print(Text("Waiting for the host to start…", style="muted"))

    def lobby(self, players: int, latest: list[str]) -> None:
        self._line()
        more = "…, " if players > len(latest) else ""  # the host names only the latest
        self.out.print(
            Text(f"Players ({players:,}): {more}", style="muted").append(_s(", ".join(latest)))
        )

    def question(self, message: dict[str, Any]) -> None:
        self._line()
        self._standings = []  # a table after this question is news again
        self.out.print(question_view(message, self.out.width))
        seconds = _seconds(message.get("seconds_left"))
        self.out.print(Text(f"⏱  {seconds:.0f} s left", style="warn"))
        if message.get("answered"):
            self.out.print(Text("Your answer is locked in.", style="muted"))
        self.countdown.start(seconds)

    def prompt(self) -> None:
        self.out.print(Text(PROMPT), end="")
        self.out.file.flush()
        self._prompted = True

    def echo(self, line: str) -> None:
        """A piped line, shown after the prompt so that a transcript reads right."""
        shown = line if len(line) <= ECHO_CHARS else line[:ECHO_CHARS] + "…"
        self.out.print(_s(shown))
        self._prompted = False

    def reply(self, message: dict[str, Any]) -> None:
        self._line()
        kind = message.get("type")
        if kind == "accepted":
            self.out.print(Text("Locked in: ", style="good").append(_s(message.get("given", ""))))
            self.out.print(Text("Waiting for the others…", style="muted"))
        elif kind == "hint":
            hint = message.get("text")
            self.out.print(
                Text("Hint: ", style="warn")
                .append(_s(hint))
                .append(" (this question now scores half)")
                if hint
                else Text("No hint for this one.", style="muted")
            )
        else:
            self.out.print(Text("Not taken: ", style="warn").append(_s(message.get("message", ""))))

    def reveal(self, message: dict[str, Any], me: str) -> None:
        self._line()
        row = _mine(message)
        if row is not None:
            word, style = VERDICTS.get(str(row.get("verdict")), ("No answer", "muted"))
            line = Text(word, style=style).append(f" · +{_n(row.get('gained'))} points")
            line.append(
                f" · You are {ordinal(_n(row.get('rank')))} of {_ranked(message):,} "
                f"with {_n(row.get('score'))} points"
            )
            self.out.print(line)
        self.out.print(Text("Right answer: ", style="bold").append(_s(message.get("answer", ""))))
        quotes = message.get("quotes")
        said = explanation(
            visible(str(message.get("explanation") or "")),
            [visible(str(q)) for q in (quotes if isinstance(quotes, list) else [])],
        )
        # As wide as the question's panel: a line across a wide screen is hard to read.
        self.out.print(Group(*said), width=min(self.out.width, READING_WIDTH))
        self._standings_once(message, me, _n(message.get("total")))
        self.out.print()

    def over(self, message: dict[str, Any], me: str) -> None:
        self._line()
        self.out.print(Text(_game_over(message), style="accent"))
        self._standings_once(message, me, _n(message.get("total")))
        row = _mine(message)
        if row is not None:
            self.out.print(
                Text(
                    f"You finished {ordinal(_n(row.get('rank')))} of "
                    f"{_ranked(message):,} with {_n(row.get('score'))} points.",
                    style="bold",
                )
            )

    def _standings_once(self, message: dict[str, Any], me: str, total: int) -> None:
        """The standings, unless they are the ones just shown: after the last question
        the final standings are that question's, and they are shown once."""
        rows = board_rows(message)
        if rows and _shown_rows(rows) != self._standings:
            self.out.print(standings_table(rows, me, total))
        self._standings = _shown_rows(rows)

    def note(self, text: str) -> None:
        self._line()
        self.out.print(Text(style="muted").append(_s(text)))

    def ask(self, text: str) -> None:
        self._line()
        self.out.print(Text(style="warn").append(_s(text)), end="")
        self.out.file.flush()
        self._prompted = True

    def closed(self) -> None:
        self._line()


def join(request: JoinRequest, messages: Messages) -> ExitCode:
    from desperado_quiz.app.joining import host_address, take_seat

    out = error_console if request.json_output else console
    with failing(messages):
        url, found_code = host_address(request.address)
        code = request.code or found_code or _ask("Join code> ", "--code", messages)
        name = request.name or _ask("Your name> ", "--name", messages)
        seat = take_seat(url, code, name)
    screen = JoinScreen(out)
    out.print(Text("Joining ", style="muted").append(_s(url)).append("…"))
    played = seat.play(screen, Lines(sys.stdin.fileno()))
    screen.closed()
    if played.ending in (Ending.REFUSED, Ending.ELSEWHERE):
        messages.fail(played.message or "The host refused to let you in.")
    if played.ending is Ending.LOST:
        messages.fail(played.message or "The connection to the host was lost.", ExitCode.FAILED)
    if played.ending is Ending.REMOVED:
        messages.fail(played.message or "The host removed you from the game.", ExitCode.FAILED)
    if played.ending is Ending.INTERRUPTED:  # a bye from the host already said so otherwise
        out.print(Text("You left the game.", style="muted"))
    if request.json_output:
        write(document("standings", played.standings, messages.warnings))
    return ENDING_EXIT[played.ending]


def _ask(prompt: str, option: str, messages: Messages) -> str:
    if not sys.stdin.isatty():
        messages.fail(f"give {option} (answers are read from standard input).")
    try:
        return input(prompt)
    except (EOFError, KeyboardInterrupt):
        messages.fail("nothing given.")


def _game_over(message: dict[str, Any]) -> str:
    """The heading of the final standings, and why the game ended when it ended early."""
    if message.get("status") == "finished":
        return "Game over"
    played, total = _n(message.get("questions")), _n(message.get("total"))
    of = f" of {total}" if total else ""
    when = f"at question {played}{of}" if played else "before the first question"
    return f"Game over: the host ended the game {when}."
