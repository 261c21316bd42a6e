"""`history` and `stats`: read the history, show it as tables, JSON or CSV."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import typer
from rich.text import Text

from desperado_quiz.exitcodes import ExitCode
from desperado_quiz.history import History, HistoryError, Noted
from desperado_quiz.paths import history_path
from desperado_quiz.text import display_path
from desperado_quiz.ui.console import console
from desperado_quiz.ui.messages import Messages
from desperado_quiz.vocabulary import DEFAULT_PLAYER

T = TypeVar("T")


def _read(messages: Messages, action: Callable[[], Noted[T]]) -> T:
    """The history's answer; its notices are shown, a failure ends the command (1)."""
    try:
        noted = action()
    except HistoryError as error:
        messages.fail(str(error), ExitCode.FAILED)
    for notice in noted.notices:
        messages.warn(notice)
    return noted.value


def show_history(data_dir: Path | None, form: str, limit: int, player: str | None) -> None:
    from desperado_quiz.ui.history import games_csv, history_table

    messages = Messages("history" if form == "json" else None)
    history = History(history_path(data_dir))
    games = _read(messages, lambda: history.recent(limit, player))
    if form == "json":
        messages.emit(games)
    elif form == "csv":
        sys.stdout.write(games_csv(games))
    else:
        console.print(history_table(games, console.width))


def clear_history(data_dir: Path | None, yes: bool) -> ExitCode:
    messages = Messages()
    history = History(history_path(data_dir))
    if not _read(messages, lambda: Noted(history.exists())):
        console.print("There is no history to clear.")
        return ExitCode.OK
    shown = display_path(history.path)
    if not yes and not typer.confirm(f"Delete every game in {shown}?", default=False):
        console.print("Nothing deleted.")
        return ExitCode.FAILED
    backup = _read(messages, history.clear)
    # The path on a line of its own: a terminal may wrap it, but never in a word.
    console.print(Text("History cleared. A copy of it is kept at:"))
    console.print(Text(f"  {display_path(backup)}"), soft_wrap=True)
    return ExitCode.OK


def show_stats(data_dir: Path | None, form: str, player: str | None, banks: list[str]) -> None:
    from desperado_quiz.ui.history import stats_view

    messages = Messages("stats" if form == "json" else None)
    history = History(history_path(data_dir))
    numbers = _read(messages, lambda: history.stats(player))
    learner = player or DEFAULT_PLAYER
    cards, _ = _read(messages, lambda: history.cards(learner))
    texts: dict[tuple[str, str], str] = {}
    learning = None
    if numbers["games"] or cards:  # the banks only when there is something to describe
        from desperado_quiz import study
        from desperado_quiz.ui.banks import load_or_fail

        questions = study.questions_by_key(load_or_fail(banks, messages).banks)
        texts = {key: question.question for key, question in questions.items()}
        if cards:
            learning = study.learning(cards, questions, study.clock())
    if form == "json":
        messages.emit({**numbers, "learning": learning})
        return
    console.print(stats_view(numbers, lambda bank, qid: texts.get((bank, qid)), learning, learner))


def show_question_stats(
    data_dir: Path | None, form: str, player: str | None, banks: list[str]
) -> None:
    """`stats --questions`: item analysis of every question with enough answers (in the
    games of ``player``, or of everyone)."""
    from desperado_quiz import analytics, study
    from desperado_quiz.ui.banks import load_or_fail
    from desperado_quiz.ui.history import question_stats_csv, question_stats_view

    messages = Messages("questions" if form == "json" else None)
    history = History(history_path(data_dir))
    answers = _read(messages, lambda: history.answers(player))
    questions = study.questions_by_key(load_or_fail(banks, messages).banks)
    figures = analytics.question_stats(answers, questions)
    if form == "json":
        messages.emit(figures)
    elif form == "csv":
        sys.stdout.write(question_stats_csv(figures))
    else:
        console.print(question_stats_view(figures))
