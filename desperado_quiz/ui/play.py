"""The game in a terminal: question panels, feedback, summaries, and the prompt loop.

Everything from a question file is printed as ``Text``, never parsed as Rich markup.
Meaning never rests on colour alone: every verdict has a word and a symbol.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import UTC, datetime
from types import TracebackType

from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from desperado_quiz.game import (
    Asked,
    GameSettings,
    Outcome,
    Session,
    Status,
    Summary,
    Turn,
    Verdict,
    leaderboard,
)
from desperado_quiz.matching import Invalid, letters
from desperado_quiz.model import MultiQuestion, NumberQuestion
from desperado_quiz.scoring import POINTS
from desperado_quiz.ui.console import Reader, accuracy_bar

HOW_TO_ANSWER = {
    "choice": "Type a letter, a number or the text of a choice.",
    "multi": "Pick every right choice: letters like A,C or texts separated by commas.",
    "boolean": "Answer true or false (t/f, yes/no).",
    "text": "Type your answer; case and small typos don't matter.",
    "number": "Type a number.",
    "order": "Give the letters in the right order, e.g. CAB.",
}
COMMANDS = "? hint · skip · quit"
VERDICT_STYLE = {
    Verdict.RIGHT: ("✓", "Right!", "good"),
    Verdict.PARTIAL: ("◐", "Partly right.", "warn"),
    Verdict.WRONG: ("✗", "Wrong.", "bad"),
    Verdict.LATE: ("⌛", "Too late.", "bad"),
    Verdict.SKIPPED: ("»", "Skipped.", "muted"),
}


def how_to_answer(asked: Asked) -> str:
    question = asked.question
    text = HOW_TO_ANSWER[question.type]
    if isinstance(question, NumberQuestion):
        if question.unit:
            text = f"Type a number, in {question.unit}."
        if question.tolerance:
            text += f" Within ±{question.tolerance:g} counts."
    return text


def question_panel(asked: Asked, session: Session) -> Panel:
    question = asked.question
    about = Text(question.category, style="muted").append(
        f" · {question.difficulty} · {POINTS[question.difficulty]} pts"
    )
    body: list[RenderableType] = [about, Text(question.question, style="bold")]
    if asked.options:
        grid = Table.grid(padding=(0, 1))
        grid.add_column(style="accent", no_wrap=True)
        grid.add_column()
        for letter, option in zip(letters(len(asked.options)), asked.options, strict=True):
            grid.add_row(f"{letter})", Text(option))
        body += [Text(), grid]
    body += [Text(), Text(f"{how_to_answer(asked)}  ({COMMANDS})", style="muted")]
    again = f" · try {asked.attempt}" if asked.attempt > 1 else ""
    title = Text(f"Question {session.position} of {session.total}{again}", style="accent")
    subtitle = f"Score {session.score} · Streak {session.streak}"
    if session.timer:
        subtitle += f" · {session.timer:g} s to answer"
    return Panel(
        Group(*body),
        title=title,
        title_align="left",
        subtitle=subtitle,
        subtitle_align="right",
        padding=(0, 1),
    )


def feedback(outcome: Outcome, limit: float | None = None) -> RenderableType:
    symbol, word, style = VERDICT_STYLE[outcome.verdict]
    question = outcome.asked.question
    head = Text(f"{symbol} {word}", style=style)
    if outcome.verdict is Verdict.PARTIAL and isinstance(question, MultiQuestion):
        found = round(outcome.credit * len(question.answer))
        head.append(f" {found} of {len(question.answer)} right choices, no wrong one.", style="")
    if outcome.verdict is Verdict.LATE and limit:
        head.append(f" You took {outcome.seconds:.1f} s; the limit is {limit:g} s.", style="")
    if outcome.points.total:
        head.append(f" +{outcome.points.total} points", style="")
        if outcome.points.streak_bonus:
            head.append(f" (streak {outcome.streak}: +{outcome.points.streak_bonus})", style="")
    if outcome.hinted:
        head.append(" · hint used, half points", style="muted")
    lines: list[RenderableType] = [head]
    if outcome.verdict is not Verdict.RIGHT:
        lines.append(Text("The answer: ", style="bold").append(Text(question.answer_text)))
    if question.explanation:
        lines.append(Text(question.explanation))
    for quote in question.quotes:
        lines.append(Text(f"“{quote}”", style="italic").append(" (the article)", style="muted"))
    return Group(*lines, Text())


class Countdown:
    """On a real terminal, keep 'N s left' updated on the line above the prompt.

    A thread rewrites that line each half second using the terminal's save/restore
    cursor sequences, so the player's typing on the prompt line is left alone.
    """

    def __init__(self, console: Console, session: Session) -> None:
        self.console = console
        self.session = session
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.enabled = bool(session.timer) and console.is_terminal and not console.is_dumb_terminal

    def line(self) -> str:
        left = self.session.seconds_left() or 0.0
        return (
            f"⏱  {max(left, 0):.0f} s left"
            if left > 0
            else "⏱  Time's up: answers now count as wrong"
        )

    def __enter__(self) -> Countdown:
        if self.session.timer:
            self.console.print(Text(self.line(), style="warn"))
        if self.enabled:
            self._thread = threading.Thread(target=self._run, daemon=True)
            self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(0.5):
            stream = self.console.file
            stream.write(f"\x1b7\x1b[1A\r\x1b[2K{self.line()}\x1b8")
            stream.flush()

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join()


def ask(session: Session, console: Console, read: Reader) -> Outcome | None:
    """Ask the current question until it gets an answer; None when the player quits."""
    while True:
        with Countdown(console, session):
            raw = read("Your answer> ")
        command = raw.strip().casefold()
        if command in ("?", "hint"):
            hint = session.hint()
            console.print(
                Text(f"Hint: {hint} (this question now scores half)", style="warn")
                if hint
                else Text("No hint for this one.", style="muted")
            )
            continue
        if command == "skip":
            return session.skip()
        if command in ("quit", "exit"):
            session.stop(Status.QUIT)
            return None
        result = session.answer(raw)
        if isinstance(result, Invalid):
            console.print(Text(f"Not an answer: {result.reason}", style="warn"))
            continue
        return result


def play(session: Session, console: Console, read: Reader) -> Status:
    """Drive a session to its end. Ctrl-C and end of input stop it cleanly."""
    try:
        while (asked := session.show()) is not None:
            console.print(question_panel(asked, session))
            outcome = ask(session, console, read)
            if outcome is None:
                break
            console.print(feedback(outcome, session.timer))
    except EOFError:
        console.print()
        session.stop(Status.END_OF_INPUT)
    except KeyboardInterrupt:
        console.print()
        session.stop(Status.INTERRUPTED)
    return session.status


def _duration(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes} min {secs:02d} s" if minutes else f"{secs} s"


def summary_view(summary: Summary, seed: int, replay: str, practice: bool = False) -> Group:
    title = Text("Your game: ").append(Text(summary.player))
    table = Table(title=title, title_justify="left", expand=True)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("Question", ratio=3)
    table.add_column("You", ratio=2)
    table.add_column("Answer", ratio=2)
    table.add_column("Pts", justify="right", no_wrap=True)
    tries = summary.tries()
    for number, outcome in enumerate(summary.outcomes, start=1):
        symbol, word, style = VERDICT_STYLE[outcome.verdict]
        mark = Text(f"{symbol} ", style=style).append(outcome.given or word.rstrip(".!"))
        question = Text(outcome.asked.question.question)
        if practice and outcome.correct:
            question.append(
                f" ({tries[outcome.asked.key]} tries)"
                if outcome.asked.attempt > 1
                else " (first try)",
                style="muted",
            )
        table.add_row(
            str(number),
            question,
            mark,
            Text(outcome.asked.question.answer_text),
            str(outcome.points.total),
        )
    stats = Table.grid(padding=(0, 2))
    stats.add_column(style="bold", no_wrap=True)
    stats.add_column()
    not_done = "" if summary.finished else f" ({summary.status}: {len(summary.outcomes)} answered)"
    stats.add_row("Score", f"{summary.score} points{not_done}")
    stats.add_row("Right", f"{summary.right} of {len(summary.outcomes)} ({summary.accuracy:.0%})")
    stats.add_row("Best streak", str(summary.best_streak))
    stats.add_row("Time", _duration(summary.seconds))
    stats.add_row("Seed", Text(f"{seed}  (replay: {replay})"))
    bars = Table.grid(padding=(0, 2))
    bars.add_column(no_wrap=True)
    bars.add_column(no_wrap=True)
    for category, (right, total) in summary.by_category().items():
        bars.add_row(Text(category), accuracy_bar(right, total))
    if not summary.outcomes:
        return Group(Text(f"{summary.player}: no answers.", style="muted"), stats)
    parts: list[RenderableType] = [table, stats]
    parts += [Text(), Text("Accuracy by category", style="bold"), bars]
    parts += [Text(), Text(summary.rating, style="accent")]
    return Group(*parts)


def play_turns(
    asked: Sequence[Asked], settings: GameSettings, console: Console, read: Reader, replay: str
) -> list[Turn]:
    """Each player in turn on the same questions, then a leaderboard when several play.

    Ctrl-C or end of input ends the whole game, not only the current turn.
    """
    turns = []
    players = settings.players
    for number, player in enumerate(players, start=1):
        if len(players) > 1:
            console.print(turn_banner(player, number, len(players)))
        session = Session(asked, player=player, timer=settings.timer, practice=settings.practice)
        started = datetime.now(UTC)
        status = play(session, console, read)
        summary = session.summary()
        turns.append(Turn(summary, started, datetime.now(UTC)))
        console.print(summary_view(summary, settings.seed, replay, settings.practice))
        if status in (Status.INTERRUPTED, Status.END_OF_INPUT):
            break
    if len(players) > 1:
        console.print(leaderboard_view(leaderboard([turn.summary for turn in turns])))
    return turns


def leaderboard_view(ranked: Sequence[Summary]) -> Table:
    table = Table(title="Leaderboard", title_justify="left")
    table.add_column("Rank", justify="right")
    table.add_column("Player")
    table.add_column("Score", justify="right")
    table.add_column("Right", justify="right")
    table.add_column("Best streak", justify="right")
    for rank, summary in enumerate(ranked, start=1):
        table.add_row(
            f"{rank}.",
            Text(summary.player),
            str(summary.score),
            f"{summary.right}/{len(summary.outcomes)} ({summary.accuracy:.0%})",
            str(summary.best_streak),
        )
    return table


def turn_banner(player: str, number: int, players: int) -> Rule:
    return Rule(Text(f"Player {number} of {players}: {player}, your turn", style="accent"))
