"""`history` and `stats` on the screen: the app's records as tables, JSON or CSV, and
the question asked before a history is cleared."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.text import Text

from desperado_quiz.app.records import PlayerStats, QuestionFigures, Recent
from desperado_quiz.exitcodes import ExitCode
from desperado_quiz.outputs import write_stdout
from desperado_quiz.text import display_path
from desperado_quiz.ui.console import console
from desperado_quiz.ui.messages import Messages, failing


def show_history(recent: Recent, form: str, messages: Messages) -> None:
    from desperado_quiz.ui.history import history_table

    messages.warn_all(recent.notices)
    if form == "json":
        messages.emit(recent.games)
    elif form == "csv":
        from desperado_quiz.tables import games_csv

        write_stdout(games_csv(recent.games))
    else:
        console.print(history_table(recent.games, console.width))


def clear_history(data_dir: Path | None, yes: bool, messages: Messages) -> ExitCode:
    """Ask first (unless ``yes``), then clear, and say where the copy is kept."""
    from desperado_quiz.app import records

    with failing(messages):
        path = records.history_file(data_dir)
        if path is None:
            console.print("There is no history to clear.")
            return ExitCode.OK
        if not yes and not typer.confirm(
            f"Delete every game in {display_path(path)}?", default=False
        ):
            console.print("Nothing deleted.")
            return ExitCode.FAILED
        backup = records.clear_history(data_dir)
    # The path on a line of its own: a terminal may wrap it, but never in a word.
    console.print(Text("History cleared. A copy of it is kept at:"))
    console.print(Text(f"  {display_path(backup)}"), soft_wrap=True)
    return ExitCode.OK


def show_stats(stats: PlayerStats, form: str, messages: Messages) -> None:
    from desperado_quiz.ui.history import stats_view

    messages.warn_all(stats.notices)
    if form == "json":
        messages.emit({**stats.numbers, "learning": stats.learning})
        return
    texts = stats.texts
    console.print(
        stats_view(
            stats.numbers, lambda bank, qid: texts.get((bank, qid)), stats.learning, stats.learner
        )
    )


def show_question_figures(figures: QuestionFigures, form: str, messages: Messages) -> None:
    """`stats --questions`: item analysis of every question with enough answers."""
    from desperado_quiz.ui.history import question_stats_view

    messages.warn_all(figures.notices)
    if form == "json":
        messages.emit(figures.figures)
    elif form == "csv":
        from desperado_quiz.tables import question_stats_csv

        write_stdout(question_stats_csv(figures.figures))
    else:
        console.print(question_stats_view(figures.figures))
