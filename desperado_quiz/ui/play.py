"""The game in a terminal: it renders the engine's events and reads lines, nothing more.

Everything from a question file is printed as ``Text``, never parsed as Rich markup.
Meaning never rests on colour alone: every verdict has a word and a symbol.
"""

from __future__ import annotations

import contextlib
import re
import threading
from collections.abc import Sequence
from dataclasses import replace
from types import TracebackType
from typing import Protocol

from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from desperado_quiz.game import (
    AnswerJudged,
    AnswersRevealed,
    Asked,
    Engine,
    Event,
    GameOver,
    GameResult,
    HintShown,
    InputRefused,
    Outcome,
    PlayerLeft,
    QuestionShown,
    Status,
    Summary,
    TurnStarted,
    Verdict,
    Waiting,
)
from desperado_quiz.matching import letters
from desperado_quiz.model import MultiQuestion, NumberQuestion, OrderQuestion
from desperado_quiz.outputs import discard_output
from desperado_quiz.scoring import POINTS
from desperado_quiz.text import format_number, plural, visible
from desperado_quiz.ui.console import Terminated, TimeUp, accuracy_bar
from desperado_quiz.wording import how_to_answer, lettered, right_answer, shown_answer

NESTED_QUOTES = str.maketrans("\u201c\u201d", "\u2018\u2019")  # double quotes in a quote: single
READING_WIDTH = 76  # a question panel wider than this is hard to read
NO_PLACE = "\u2013"  # the rank of a player a live game's host removed: out, with no place
WIDE = 80  # from this width the summary is a table; below, a list
PROMPT = "Your answer> "
VERDICT_STYLE = {
    Verdict.RIGHT: ("✓", "Right", "good"),
    Verdict.PARTIAL: ("◐", "Partly right", "warn"),
    Verdict.WRONG: ("✗", "Wrong", "bad"),
    Verdict.LATE: ("⌛", "Too late", "bad"),
    Verdict.SKIPPED: ("»", "Skipped", "muted"),
}


# Questions ------------------------------------------------------------------------------


def question_body(asked: Asked) -> list[RenderableType]:
    """What every screen shows of a question: its category, difficulty and points, its
    text, its lettered options, and how to answer."""
    question = asked.question
    about = Text(f"{question.category} · {question.difficulty} · ", style="muted")
    # A question asked again in practice scores nothing (game/session.py).
    worth = "no points (a retry)" if asked.attempt > 1 else f"{POINTS[question.difficulty]} points"
    about.append(worth, style="muted")
    body: list[RenderableType] = [about, Text(question.question, style="bold")]
    if asked.options:
        grid = Table.grid(padding=(0, 1))
        grid.add_column(style="accent", no_wrap=True)
        grid.add_column()
        for letter, option in zip(letters(len(asked.options)), asked.options, strict=True):
            grid.add_row(f"{letter})", Text(option))
        body += [Text(), grid]
    return [*body, Text(), Text(how_to_answer(asked), style="muted")]


def question_panel(shown: QuestionShown, width: int) -> Panel:
    commands = "? hint · skip · quit" if shown.has_hint else "skip · quit"
    body = [*question_body(shown.asked), Text(commands, style="muted")]
    again = f" · try {shown.asked.attempt}" if shown.asked.attempt > 1 else ""
    title = Text(f"Question {shown.position} of {shown.total}{again}", style="accent")
    who = f"{shown.player} · " if shown.player else ""
    subtitle = f"{who}Score {shown.score} · Streak {shown.streak}"
    if shown.timer:
        subtitle += f" · {shown.timer:g} s"
    return Panel(
        Group(*body),
        title=title,
        title_align="left",
        subtitle=Text(subtitle),
        subtitle_align="right",
        padding=(0, 1),
        width=min(width, READING_WIDTH),
    )


# Answers --------------------------------------------------------------------------------


def verdict_line(outcome: Outcome, timer: float | None) -> Text:
    """One line: whether it was right, what was given, what was right, the points."""
    symbol, word, style = VERDICT_STYLE[outcome.verdict]
    line = Text().append(f"{symbol} {word}", style=style)
    asked = outcome.asked
    if outcome.verdict is Verdict.RIGHT:
        if outcome.forgiven:
            note = f" (accepted: {visible(outcome.forgiven)} → {right_answer(asked)})"
            line.append(note, style="muted")
        question = asked.question
        if isinstance(question, NumberQuestion) and outcome.given not in map(
            format_number, question.right_values
        ):
            line.append(f" · close enough: the answer is {question.answer_text}")
    else:
        if outcome.verdict is Verdict.LATE and timer:
            line.append(f" after {outcome.seconds:.1f} s of {timer:g} s")
        if outcome.given:
            line.append(" · You: ").append(Text(shown_answer(asked, outcome.given)))
        line.append(" · Right: ").append(Text(right_answer(asked)))
    if outcome.points.total:
        line.append(f" · +{outcome.points.total} points")
        if timer:  # faster answers score more: say how fast this one was
            line.append(f" in {outcome.seconds:.1f} s", style="muted")
        if outcome.points.streak_bonus:
            # No-break spaces: the parenthesis wraps whole or not at all.
            bonus = f"(streak {outcome.streak}: +{outcome.points.streak_bonus})"
            line.append(" " + bonus.replace(" ", "\u00a0"))
    if outcome.hinted:
        line.append(" · hint used, half points", style="muted")
    return line


def feedback(outcome: Outcome, timer: float | None) -> Group:
    question = outcome.asked.question
    lines: list[RenderableType] = [verdict_line(outcome, timer)]
    picks = outcome.given.split(", ") if outcome.given else []
    # Which picks were wrong only when some were right: otherwise "You:" said it already.
    if outcome.wrong and len(outcome.wrong) < len(picks):
        named = ", ".join(lettered(outcome.asked, pick) for pick in outcome.wrong)
        lines.append(Text(f"Not a right choice: {named}", style="warn"))
    if outcome.verdict is Verdict.PARTIAL and isinstance(question, MultiQuestion):
        found = round(outcome.credit * len(question.answer))
        lines.append(Text(f"{found} of {len(question.answer)} right choices, no wrong one."))
    if isinstance(question, OrderQuestion) and not outcome.correct:
        lines.append(Text("Right order: ").append(Text(" → ".join(question.answer))))
    return Group(*lines, *explanation(question.explanation, question.quotes), Text())


def explanation(text: str, quotes: Sequence[str]) -> list[RenderableType]:
    """The explanation, then the article's words, dimmed and attributed."""
    parts: list[RenderableType] = [Text(text)] if text else []
    for quote in quotes:
        parts.append(
            Text(f"“{nested_quotes(quote)}”", style="quote").append(" (the article)", style="muted")
        )
    return parts


_STRAIGHT_QUOTE = re.compile('(^|[\\s(\\[{\u2014\u2013-])"|"')


def nested_quotes(quote: str) -> str:
    """A quote's own quotation marks, to stand inside ours: single and curly, in pairs.
    Straight double quotes are curled by where they stand; a quote that starts or ends
    inside a quotation (“Mariachi Suite” cut after its title) gets the mark it lacks."""
    curled = _STRAIGHT_QUOTE.sub(lambda m: "”" if m.group(1) is None else f"{m.group(1)}“", quote)
    depth = missing = 0
    for char in curled:
        if char == "“":
            depth += 1
        elif char == "”":
            if depth:
                depth -= 1
            else:
                missing += 1  # closes a quotation opened before the quote began
    return ("“" * missing + curled + "”" * depth).translate(NESTED_QUOTES)


def reveal_view(revealed: AnswersRevealed) -> Group:
    """Question by question: every player's answer, once all have answered."""
    asked = revealed.asked
    # The question above the table, not as its title: a title wraps to the table's width.
    heading = Text("Answers: ", style="bold").append(Text(asked.question.question))
    table = Table()
    table.add_column("Player")
    table.add_column("Answer")
    table.add_column("Pts", justify="right")
    for player, outcome in revealed.answers:
        table.add_row(Text(player), _answer_cell(outcome), str(outcome.points.total))
    gone = [Text(f"{', '.join(revealed.left)}: left the game.", style="muted")]
    right = Text("Right: ", style="bold").append(Text(right_answer(asked)))
    question = asked.question
    return Group(
        heading,
        table,
        *(gone if revealed.left else []),
        right,
        *explanation(question.explanation, question.quotes),
        Text(),
    )


# Summaries ------------------------------------------------------------------------------


def _duration(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes} min {secs:02d} s" if minutes else f"{secs} s"


def _answer_cell(outcome: Outcome) -> Text:
    """An answer in a table: its verdict, what it was taken for, and whether a hint or
    a forgiven typo helped."""
    symbol, word, style = VERDICT_STYLE[outcome.verdict]
    given = shown_answer(outcome.asked, outcome.given) if outcome.given else word
    cell = Text(f"{symbol} ", style=style).append(Text(given))
    if outcome.forgiven == outcome.given:  # a text answer with a typo, taken as typed
        cell.append(" (typo accepted)", style="muted")
    elif outcome.forgiven:  # a choice named by some of its words, or misspelt
        cell.append(f" (typed: {visible(outcome.forgiven)})", style="muted")
    if outcome.hinted:
        cell.append(" (hint)", style="muted")
    return cell


def _question_cell(outcome: Outcome, tries: int, practice: bool) -> Text:
    text = Text(outcome.asked.question.question)
    if practice and outcome.correct:
        text.append(
            f" ({tries} tries)" if outcome.asked.attempt > 1 else " (first try)", style="muted"
        )
    return text


def answers_view(summary: Summary, result: GameResult, width: int) -> RenderableType:
    tries = summary.tries()
    practice = result.settings.practice
    title = "Your answers" if len(result.players) == 1 else f"{summary.player}'s answers"
    if width >= WIDE:
        table = Table(title=Text(title), title_justify="left", expand=True)
        table.add_column("#", justify="right", no_wrap=True)
        table.add_column("Question", ratio=3, overflow="fold")
        table.add_column("You", ratio=2, overflow="fold")
        table.add_column("Right", ratio=2, overflow="fold")
        table.add_column("Pts", justify="right", no_wrap=True)
        for number, outcome in enumerate(summary.outcomes, start=1):
            table.add_row(
                str(number),
                _question_cell(outcome, tries[outcome.asked.key], practice),
                _answer_cell(outcome),
                Text(right_answer(outcome.asked)),
                str(outcome.points.total),
            )
        return table
    # Narrow: a block per answer beside its number, wrapped under itself, no word cut.
    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right", no_wrap=True)
    grid.add_column(overflow="fold")
    for number, outcome in enumerate(summary.outcomes, start=1):
        line = _answer_cell(outcome)
        if not outcome.correct:
            line.append(" · Right: ").append(Text(right_answer(outcome.asked)))
        line.append(f" · {outcome.points.total} pts")
        cell = Group(_question_cell(outcome, tries[outcome.asked.key], practice), line)
        grid.add_row(f"{number}.", cell)
    return Group(Text(title, style="bold"), grid)


def summary_view(summary: Summary, result: GameResult, width: int) -> Group:
    if not summary.outcomes:
        return Group(Text(f"{summary.player}: no answers.", style="muted"))
    stats = Table.grid(padding=(0, 2))
    stats.add_column(style="bold", no_wrap=True)
    stats.add_column()
    reached = len(summary.first_tries)  # skips included: how far the player got
    unfinished = (
        ""
        if summary.finished
        else f" ({summary.status} after question {reached} of {summary.planned})"
    )
    stats.add_row("Score", f"{summary.score} points{unfinished}")
    if result.settings.practice:
        stats.add_row(
            "First try", f"{summary.right} of {summary.planned} right ({summary.share_of_game:.0%})"
        )
        stats.add_row(
            "Learned", f"{summary.learned} of {summary.planned}, in {len(summary.outcomes)} answers"
        )
    else:
        # Out of the game's questions: a game quit early is not 100% for one right answer.
        stats.add_row(
            "Right", f"{summary.right} of {summary.planned} ({summary.share_of_game:.0%})"
        )
    stats.add_row("Best streak", str(summary.best_streak))
    stats.add_row("Time", _duration(summary.seconds))
    bars = Table.grid(padding=(0, 2))
    bars.add_column()
    bars.add_column(no_wrap=True)
    for category, (right, total) in summary.by_category().items():
        bars.add_row(Text(category), accuracy_bar(right, total))
    return Group(
        answers_view(summary, result, width),
        Text(),
        stats,
        Text(),
        Text("Accuracy by category", style="bold"),
        bars,
        Text(),
        Text(summary.rating, style="accent"),
    )


def leaderboard_view(result: GameResult, limit: int | None = None) -> Table:
    """Every player best first, or the first ``limit`` and how many more."""
    table = Table(title="Leaderboard", title_justify="left")
    table.add_column("Rank", justify="right")
    table.add_column("Player")
    table.add_column("Score", justify="right")
    table.add_column("Right", justify="right")
    table.add_column("Best streak", justify="right")
    ranked = result.ranked
    for rank, summary in enumerate(ranked[:limit], start=1):
        name = Text(visible(summary.player))
        if summary.status in (Status.QUIT, Status.REMOVED):
            name.append(f" ({summary.status})", style="muted")
        # Right out of the game's questions, so that quitting early never looks better.
        table.add_row(
            NO_PLACE if summary.status is Status.REMOVED else f"{rank}.",
            name,
            str(summary.score),
            f"{summary.right} of {summary.planned}",
            str(summary.best_streak),
        )
    if limit is not None and len(ranked) > limit:
        table.caption = f"and {plural(len(ranked) - limit, 'more player')}"
    return table


def game_over_view(result: GameResult, width: int) -> Group:
    parts: list[RenderableType] = []
    for summary in result.players:
        parts += [summary_view(summary, result, width), Text()]
    if len(result.players) > 1:
        parts += [leaderboard_view(result), Text()]
    return Group(*parts)


def print_replay(out: Console, result: GameResult) -> None:
    """The command that replays the game, on a line of its own, never broken by us: a
    terminal wraps it where it must, and it copies as one piece."""
    out.print(Text(f"Seed {result.settings.seed} · replay with:", style="muted"))
    out.print(Text(result.replay, style="muted"), soft_wrap=True)


# The screen and the loop ----------------------------------------------------------------


class Countdown:
    """On a real terminal, keep 'N s left' updated on the line above the prompt.

    A thread rewrites that line each half second using the terminal's save/restore
    cursor sequences, so the player's typing on the prompt line is left alone.
    """

    def __init__(self, out: Console, deadline: float | None, clock: Engine) -> None:
        self.out = out
        self.deadline = deadline
        self.engine = clock
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.live = deadline is not None and out.is_terminal and not out.is_dumb_terminal

    def left(self) -> float:
        return max((self.deadline or 0) - self.engine.clock(), 0.0)

    def line(self) -> str:
        return f"⏱  {self.left():.0f} s left"

    def __enter__(self) -> Countdown:
        if self.deadline is not None:
            self.out.print(Text(self.line(), style="warn"))
        if self.live:
            self._thread = threading.Thread(target=self._run, daemon=True)
            self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(0.5):
            stream = self.out.file
            stream.write(f"\x1b7\x1b[1A\r\x1b[2K{self.line()}\x1b8")
            stream.flush()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join()


class Screen:
    """Shows each event of the engine on a console.

    When the keyboard passes to another player on a terminal, nothing the next player
    must not see stays on the screen: a player's own feedback (which holds the right
    answer of a question the next player is yet to answer) stays until that player has
    read it and pressed Enter; then the screen and its scrollback are wiped before the
    keyboard is passed. Answers revealed to everyone stay until the next player starts.
    """

    def __init__(self, out: Console, several: bool) -> None:
        self.out = out
        self.several = several
        self._turn: Text | None = None  # the turn whose first question wipes the screen
        self._next_player = ""
        self._private = False  # what is shown belongs to the player who just played
        self.feedback_shown = False  # that player's feedback is on the screen

    @property
    def hides_before_handover(self) -> bool:
        """Whether the screen must be wiped before the keyboard is passed."""
        return self._turn is not None and self._private

    def hand_over(self) -> None:
        """Wipe what the last player saw, then ask for the keyboard to be passed."""
        wipe(self.out)
        self._private = self.feedback_shown = False
        self._pass_the_keyboard()

    def _pass_the_keyboard(self) -> None:
        self.out.print(
            Text(f"Pass the keyboard to {visible(self._next_player)}, then press Enter.")
        )

    def show(self, event: Event) -> None:
        out = self.out
        width = min(out.width, READING_WIDTH)
        match event:
            case TurnStarted(player=player, number=number, players=players, handover=handover):
                label = Text(f"Player {number} of {players}: {visible(player)}", style="accent")
                self._next_player = player
                if handover and out.is_terminal:
                    self._turn = label  # shown on the wiped screen, after Enter
                    if not self._private:  # answers revealed to all: they may stay
                        out.print()
                        self._pass_the_keyboard()
                    return
                if handover:
                    out.print()
                    self._pass_the_keyboard()
                out.print(Rule(label))
            case QuestionShown():
                if self._turn is not None:
                    wipe(out)
                    out.print(Rule(self._turn))
                    self._turn = None
                self._private = self.feedback_shown = False
                shown = event if self.several else _without_player(event)
                out.print(question_panel(shown, out.width))
            case InputRefused(reason=reason):
                out.print(Text(f"Not an answer: {reason}", style="warn"), width=width)
            case HintShown(hint=hint):
                out.print(
                    Text(f"Hint: {hint} (this question now scores half)", style="warn")
                    if hint
                    else Text("No hint for this one.", style="muted"),
                    width=width,
                )
            case AnswerJudged(player=player, outcome=outcome, timer=timer, reveal=reveal):
                self._private = True
                if reveal:
                    self.feedback_shown = True
                    out.print(feedback(outcome, timer), width=width)
                elif outcome.verdict is Verdict.LATE:
                    out.print(Text(f"Time's up for {visible(player)}.", style="muted"))
                else:
                    out.print(Text(f"Answer locked in for {visible(player)}.", style="muted"))
            case PlayerLeft(player=player):
                self._private = True
                out.print(Text(f"{visible(player)} quits: that game ends here.", style="muted"))
            case AnswersRevealed():
                if out.is_terminal:
                    wipe(out)  # the last player's "locked in" goes; the answers stay
                self._private = self.feedback_shown = False
                out.print(reveal_view(event), width=width)
            case GameOver(result=result):
                out.print()
                out.print(game_over_view(result, out.width))
                print_replay(out, result)


def wipe(out: Console) -> None:
    """Clear the screen and the terminal's scrollback (ESC [3J), so that scrolling up
    shows nothing of the turn before."""
    out.clear()
    with contextlib.suppress(OSError, ValueError):
        out.file.write("\x1b[3J")
        out.file.flush()


def _without_player(shown: QuestionShown) -> QuestionShown:
    return replace(shown, player="")


class LineSource(Protocol):
    """Where typed lines come from: the terminal, a pipe, or a script."""

    interactive: bool

    def read(self, prompt: str, seconds: float | None = None) -> str: ...

    def forget(self) -> None:
        """Forget the lines read so far (a new player takes the keyboard)."""


def drive(engine: Engine, screen: Screen, reader: LineSource) -> GameResult:
    """Run the engine to its end: show its events, feed it lines. Ctrl-C, end of input,
    SIGTERM and a closed output each end the game, keeping what was answered."""
    events = engine.start()
    while True:
        try:
            for before, event in zip([None, *events], events, strict=False):
                if _pause_before(before, event, reader):
                    # With a timer, the explanation is read before the next clock runs.
                    reader.read("Press Enter for the next question> ")
                    engine.restart_clock()
                screen.show(event)
            if engine.waiting is Waiting.NOTHING:
                return engine.result
            events = _next_events(engine, screen, reader)
        except EOFError:  # at the pause between questions
            events = engine.stop(Status.END_OF_INPUT)
        except OSError:  # the reader of our output went away, or the disk is full
            screen.out.file = discard_output(screen.out.file)
            events = engine.stop(Status.OUTPUT_CLOSED)
        except KeyboardInterrupt:  # while a question was being drawn, not only at the prompt
            events = engine.stop(Status.INTERRUPTED)
        except Terminated:
            events = engine.stop(Status.TERMINATED)


def _pause_before(before: Event | None, event: Event, reader: LineSource) -> bool:
    """A timed question that follows the feedback of the last one, on a terminal."""
    return (
        reader.interactive
        and isinstance(event, QuestionShown)
        and event.timer is not None
        and isinstance(before, AnswerJudged)
        and before.reveal
    )


def _next_events(engine: Engine, screen: Screen, reader: LineSource) -> list[Event]:
    try:
        if engine.waiting is Waiting.HANDOVER:
            if not reader.interactive:  # a script plays every turn: nobody to hand over to
                return engine.receive("")
            if screen.hides_before_handover:
                if screen.feedback_shown:  # the last player reads it first
                    reader.read("Read it, then press Enter to hide it> ")
                screen.hand_over()
            reader.forget()  # the up arrow must not bring back the last player's answers
            return engine.receive(reader.read("Press Enter to start your turn> "))
        deadline = engine.deadline
        with Countdown(screen.out, deadline, engine) as countdown:
            seconds = countdown.left() if deadline is not None and countdown.live else None
            return engine.receive(reader.read(PROMPT, seconds))
    except TimeUp:
        screen.out.print()
        return engine.time_up()
    except EOFError:
        screen.out.print()
        return engine.stop(Status.END_OF_INPUT)
    except KeyboardInterrupt:
        screen.out.print()
        return engine.stop(Status.INTERRUPTED)
    except Terminated:
        return engine.stop(Status.TERMINATED)
