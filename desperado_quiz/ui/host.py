"""The host's screen at a quiz night: the lobby with its QR code, each question with a
live countdown, the answers as a bar chart, the leaderboard, the podium.

Every name and answer came from the network: each is shown through ``visible`` inside
``Text``, never as Rich markup.
"""

from __future__ import annotations

from rich.align import Align
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from desperado_quiz.game import GameResult, QuestionShown
from desperado_quiz.live.protocol import StandingJSON, TallyJSON
from desperado_quiz.live.room import Closed, answered_in_time, skips
from desperado_quiz.text import plural, visible
from desperado_quiz.ui.play import (
    NO_PLACE,
    READING_WIDTH,
    explanation,
    leaderboard_view,
    print_replay,
    question_body,
)

BAR_CHARS = 24
TOP = 10  # the leaderboard shows this many, and how many more (the report has everyone)
VERDICT_MARKS = {  # the last question's verdict: its mark, its words, its style
    "right": ("✓", "right", "good"),
    "partial": ("◐", "partial", "warn"),
    "wrong": ("✗", "wrong", "bad"),
    # Late or not at all, it was no answer: the chart's words, and the player's screen's.
    "late": ("⌛", "no answer", "bad"),
    "skipped": ("»", "skipped", "muted"),
}
MARKED = ("quit", "removed")  # statuses a row names; who played on is not marked
PLACES = ("1st", "2nd", "3rd")


def qr_code(data: str) -> Text:
    """A QR code of ``data`` in half blocks (two modules a character), dark on light."""
    import segno

    rows = [list(row) for row in segno.make(data, error="m").matrix_iter(scale=1, border=2)]
    if len(rows) % 2:
        rows.append([0] * len(rows[0]))
    lines = [
        "".join(
            "█" if upper and lower else "▀" if upper else "▄" if lower else " "
            for upper, lower in zip(top, bottom, strict=True)
        )
        for top, bottom in zip(rows[::2], rows[1::2], strict=True)
    ]
    # The light border is part of the code (its quiet zone): no line is trimmed.
    return Text("\n".join(lines), style="black on white", no_wrap=True)


def lobby_view(urls: list[str], code: str, start_with: int | None) -> Group:
    how = Table.grid(padding=(0, 2))
    how.add_column(style="bold", no_wrap=True)
    how.add_column()
    how.add_row("Phones", Text(urls[0], style="accent"))
    for url in urls[1:]:
        how.add_row("", Text(url))
    how.add_row("Code", Text(code, style="bold"))
    address = urls[0].split("://", 1)[1].split("/", 1)[0]
    how.add_row("Terminals", Text(f"desperado-quiz join {address} --code {code}"))
    start = (
        f"The game starts when {plural(start_with, 'player')} have joined."
        if start_with
        else "Press Enter to start once everyone has joined."
    )
    return Group(
        Panel(how, title=Text("Quiz night: join the game", style="accent"), title_align="left"),
        qr_code(urls[0]),
        Text(f"Scan to join. {start} (remove NAME · quit)", style="muted"),
    )


def host_question(shown: QuestionShown, players: int, width: int) -> Panel:
    return Panel(
        Group(*question_body(shown.asked)),
        title=Text(f"Question {shown.position} of {shown.total}", style="accent"),
        title_align="left",
        subtitle=Text(f"{plural(players, 'player')} · {shown.timer or 0:g} s"),
        subtitle_align="right",
        padding=(0, 1),
        width=min(width, READING_WIDTH),
    )


def tally_view(rows: list[TallyJSON]) -> Table:
    """The answers given, as bars; the right ones marked with a word, not a colour."""
    most = max((row["count"] for row in rows), default=0) or 1
    table = Table.grid(padding=(0, 1))
    table.add_column(overflow="fold", max_width=40)
    table.add_column(no_wrap=True)
    table.add_column(justify="right", no_wrap=True)
    table.add_column(no_wrap=True)
    for row in rows:
        filled = round(row["count"] / most * BAR_CHARS)
        style = "good" if row["right"] else "muted"
        table.add_row(
            Text(visible(row["answer"])),
            Text("█" * filled or "▏", style=style),
            str(row["count"]),
            Text("✓ right", style="good") if row["right"] else Text(""),
        )
    return table


def row_name(row: StandingJSON) -> Text:
    """A player's name in the standings, marked when they are away, quit or were
    removed (a game the host ended marks nobody: everyone was still playing)."""
    name = Text(visible(row["player"]))
    if not row["connected"] and row["status"] == "playing":
        name.append(" (away)", style="muted")
    elif row["status"] in MARKED:
        name.append(f" ({row['status']})", style="muted")
    return name


def standings_view(rows: list[StandingJSON], total: int, limit: int | None = TOP) -> Table:
    """The leaderboard after a question; "Right" counts out of the game's ``total``
    questions, as everywhere else."""
    removed = sum(row["status"] == "removed" for row in rows)
    title = f"Leaderboard · {plural(len(rows) - removed, 'player')}"
    title += f" (and {removed} removed)" if removed else ""
    table = Table(title=title, title_justify="left")
    table.add_column("Rank", justify="right")
    table.add_column("Player")
    table.add_column("Score", justify="right")
    table.add_column("Change", justify="right")
    table.add_column("Right", justify="right")
    table.add_column("Last")
    for row in rows[:limit]:
        mark, word, style = VERDICT_MARKS.get(row["verdict"] or "", ("", "", "muted"))
        moved = row["moved"]
        arrow = f" ▲{moved}" if moved > 0 else f" ▼{-moved}" if moved < 0 else ""
        table.add_row(
            NO_PLACE if row["status"] == "removed" else f"{row['rank']}.",
            row_name(row),
            str(row["score"]),
            f"+{row['gained']}{arrow}",
            f"{row['right']} of {total}",
            Text(f"{mark} {word}".strip(), style=style),
        )
    if limit is not None and len(rows) > limit:
        table.caption = f"and {plural(len(rows) - limit, 'more player')}"
    return table


def podium_view(standings: list[StandingJSON]) -> Table:
    """The first three, leaving out players the host removed (the leaderboard shows
    everyone)."""
    rows = [row for row in standings if row["status"] != "removed"][:3]
    table = Table.grid(padding=(0, 3))
    for _ in rows:
        table.add_column(justify="center")
    table.add_row(*(Text(place, style="accent") for place in PLACES[: len(rows)]))
    table.add_row(*(Text(visible(row["player"]), style="bold") for row in rows))
    table.add_row(*(Text(f"{row['score']} points") for row in rows))
    return table


def answers_line(answered: int, playing: int, skipped: int) -> str:
    """How many answered the question: a skip is no answer, so it is said apart."""
    line = f"{answered} of {playing} answered"
    return f"{line} · {skipped} skipped" if skipped else line


def game_over_title(result: GameResult, played: int) -> str:
    """How the game ended, as `play` says it: where it stopped, out of how many."""
    if result.status == "finished":
        return "Game over"
    return f"Game over ({result.status} at question {played} of {len(result.asked)})"


class HostScreen:
    """The ``HostView`` of the server, on a Rich console."""

    def __init__(self, out: Console) -> None:
        self.out = out
        self.live = out.is_terminal and not out.is_dumb_terminal
        self._status = False  # the line above the cursor is a countdown still running
        self._answered = -1

    def _end_status(self, last: str = "") -> None:
        """Leave the countdown line as it is, or as ``last`` if given."""
        if self._status and last:
            self._rewrite_status(last)
        self._status = False

    def _rewrite_status(self, line: str) -> None:
        # The countdown is the line above the cursor, so that what the host types stays
        # on its own line: save the cursor, rewrite the line above, restore the cursor.
        self.out.file.write(f"\x1b7\x1b[1A\r\x1b[2K{line}\x1b8")
        self.out.file.flush()

    def typed(self) -> None:
        """The host pressed Enter, so the terminal moved on a line: the countdown line
        is left where it was, and the next tick starts a new one."""
        self._status = False

    def lobby(self, urls: list[str], code: str, start_with: int | None) -> None:
        self.out.print(lobby_view(urls, code, start_with))

    def players(self, count: int, latest: list[str]) -> None:
        """Who is in: how many, and the latest to join (a full room named at every
        join would fill the screen, and cost the square of the room to print)."""
        self._end_status()
        shown = Text(f"Players ({count:,}): ", style="bold")
        more = "…, " if count > len(latest) else ""
        self.out.print(shown.append(more + visible(", ".join(latest)) or "none yet"))

    def question(self, shown: QuestionShown, players: int) -> None:
        self._end_status()
        if self.live:
            self.out.clear()
        self.out.print(host_question(shown, players, self.out.width))
        self._answered = -1

    def tick(self, seconds_left: float, answered: int, playing: int, skipped: int = 0) -> None:
        line = f"⏱  {seconds_left:.0f} s left · {answers_line(answered, playing, skipped)}"
        if self.live and self._status:
            self._rewrite_status(line)
        elif self.live:
            self.out.file.write(f"{line}\n")
            self.out.file.flush()
            self._status = True
        elif answered + skipped != self._answered:
            self.out.print(Text(line))
        self._answered = answered + skipped

    def revealed(self, closed: Closed) -> None:
        answered = len(answered_in_time(closed.revealed))
        players = len(closed.revealed.answers)  # who was still in the game
        # The countdown stopped at its last tick: say it closed, and with how many answers.
        self._end_status(f"⏱  closed · {answers_line(answered, players, skips(closed.revealed))}")
        reveal = closed.reveal
        question = closed.revealed.asked.question
        self.out.print()
        self.out.print(Text("Right answer: ", style="bold").append(Text(reveal["answer"])))
        self.out.print(Text(f"Answers ({answered}):", style="bold"))
        self.out.print(tally_view(reveal["tally"]))
        # As wide as the question's panel: a line across a wide screen is hard to read.
        reading = min(self.out.width, READING_WIDTH)
        self.out.print(Group(*explanation(question.explanation, question.quotes)), width=reading)
        if closed.result is None:  # after the last question, the final standings follow
            self.out.print()
            self.out.print(standings_view(closed.board.rows, reveal["total"]))

    def waiting(self, auto: bool, pause: float) -> None:
        text = (
            f"The next question comes in {pause:g} s."
            if auto
            else "Press Enter for the next question (remove NAME · quit)."
        )
        self.out.print(Text(text, style="muted"))

    def note(self, text: str) -> None:
        self._end_status()
        self.out.print(Text(visible(text), style="muted"))

    def over(self, result: GameResult, standings: list[StandingJSON], played: int) -> None:
        self._end_status()
        self.out.print()
        if not result.players:  # an empty box, board and replay line would say nothing
            self.out.print(Text("Nobody joined, so nothing was played.", style="accent"))
            return
        title = Text(game_over_title(result, played), style="accent")
        podium = Align.center(podium_view(standings))
        width = min(self.out.width, READING_WIDTH)  # the question panels' width
        self.out.print(Panel(podium, title=title, width=width))
        self.out.print(leaderboard_view(result, TOP))
        print_replay(self.out, result)
