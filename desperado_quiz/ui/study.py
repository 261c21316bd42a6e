"""`desperado-quiz study`: the due questions, through the same engine and screen as `play`,
then each answer grades its card. Nothing here schedules: study.py and FSRS do."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from rich.console import Console
from rich.text import Text

from desperado_quiz import study
from desperado_quiz.exitcodes import ExitCode
from desperado_quiz.game import Engine, GameSettings, Outcome, Selection, select_questions
from desperado_quiz.game.results import game_json
from desperado_quiz.game.select import matching
from desperado_quiz.history import CardRow, History, HistoryError
from desperado_quiz.loader import LoadedBank
from desperado_quiz.paths import history_path
from desperado_quiz.text import plural, visible
from desperado_quiz.ui.banks import load_or_fail
from desperado_quiz.ui.console import console, error_console
from desperado_quiz.ui.game import (
    exit_code,
    filter_hint,
    held_exit,
    run_in_terminal,
    save,
    signals_held,
)
from desperado_quiz.ui.messages import Messages


@dataclass(frozen=True)
class StudyRequest:
    settings: GameSettings  # the player, filters, seed, timer; mode "study" or "cram"
    new_per_day: int = study.DEFAULT_NEW_PER_DAY
    json_output: bool = False
    data_dir: Path | None = None


def run(request: StudyRequest) -> ExitCode:
    settings = request.settings
    player = settings.players[0]
    messages = Messages("game" if request.json_output else None)
    out = error_console if request.json_output else console
    banks = load_or_fail(settings.banks, messages).banks
    history = History(history_path(request.data_dir))
    now = study.clock()
    cards = player_cards(history, player, banks, messages, out)
    selection = choose(banks, settings, cards, request.new_per_day, now, messages)
    if not selection.asked:
        filters = (settings.categories, settings.difficulties, settings.tags)
        unseen = len(study.unseen(cards, matching(banks, *filters)))
        nothing_due(cards, unseen, request, now, messages, out)
        return ExitCode.OK
    result = run_in_terminal(Engine(selection.asked, settings), out)
    with signals_held() as held:
        ended = study.clock()
        save(history, result, (now, ended), out, messages)
        if settings.mode == "study":  # cramming changes no schedule
            outcomes = [o for summary in result.players for o in summary.outcomes]
            schedule(history, player, outcomes, ended, messages, out)
        messages.emit(game_json(result))
    return held_exit(held) or exit_code(result, out)


def player_cards(
    history: History, player: str, banks: Sequence[LoadedBank], messages: Messages, out: Console
) -> list[CardRow]:
    """The player's cards; on a first study, their earlier answers replayed into them."""
    try:
        noted = history.cards(player)
        cards, seeded = noted.value
        if not seeded:
            answers = history.answers(player).value
            questions = study.questions_by_key(banks)
            made = history.update_cards(
                player, lambda current: [] if current else study.replay(answers, questions)
            ).value
            if made:
                cards = made
                out.print(
                    Text(
                        f"{plural(len(made), 'question')} {visible(player)} answered in earlier "
                        "games start from what those answers showed.",
                        style="muted",
                    )
                )
    except HistoryError as error:
        messages.fail(f"cannot study: {error}", ExitCode.FAILED)
    for notice in noted.notices:
        messages.warn(notice)
    return cards


def choose(
    banks: Sequence[LoadedBank],
    settings: GameSettings,
    cards: Sequence[CardRow],
    new_per_day: int,
    now: datetime,
    messages: Messages,
) -> Selection:
    """The due questions, then new ones up to the day's allowance, within the filters,
    in the seed's order; or, cramming, any questions within the filters. Related
    questions are kept apart as in any game, a due one before a new one: the ones passed
    over stay due for a later session."""
    filters = (settings.categories, settings.difficulties, settings.tags)
    candidates = matching(banks, *filters)
    if not candidates:
        messages.fail(
            "no question matches these banks and filters.", hint=filter_hint(banks, settings)
        )
    if settings.mode != "study":
        return replace(
            select_questions(banks, seed=settings.seed, count=settings.count, only=candidates),
            notes=[],
        )
    due = study.due_keys(cards, now) & candidates
    unseen = study.unseen(cards, candidates)
    allowance = study.new_allowance(cards, now, new_per_day)
    if not due and not (unseen and allowance):
        return Selection([])
    drawn = select_questions(banks, seed=settings.seed, count=None, only=due | unseen, first=due)
    asked = []
    for item in drawn.asked:
        if item.key in due:
            asked.append(item)
        elif allowance:
            asked.append(item)
            allowance -= 1
    return Selection(asked[: settings.count])


def schedule(
    history: History,
    player: str,
    outcomes: Sequence[Outcome],
    when: datetime,
    messages: Messages,
    out: Console,
) -> None:
    """Each answer grades its card (study.GRADES); say when the next review is."""
    try:
        noted = history.update_cards(player, lambda cards: study.apply(cards, outcomes, when))
    except HistoryError as error:
        messages.warn(f"{error}; the answers were not used to schedule the questions.")
        return
    for notice in noted.notices:
        messages.warn(notice)
    soonest = study.next_due(noted.value)
    if soonest is not None:
        out.print(Text(f"Next review of these: {study.in_words(soonest, when)}.", style="muted"))


def nothing_due(
    cards: Sequence[CardRow],
    unseen: int,
    request: StudyRequest,
    now: datetime,
    messages: Messages,
    out: Console,
) -> None:
    """Say why there is nothing to study, and when there will be."""
    soonest = study.next_due(cards)
    parts = ["Nothing is due."]
    if unseen > 0:
        today = study.introduced_on(cards, now)
        parts.append(
            f"Today's new questions are used up ({today} of --new {request.new_per_day}); "
            f"{plural(unseen, 'question')} you have never studied remain for the coming days."
        )
    if soonest:
        parts.append(f"The next question falls due {study.in_words(soonest, now)}.")
    elif not unseen:
        parts.append("Every question of these banks and filters has been studied.")
    reason = " ".join(parts)
    out.print(Text(reason, style="good"))
    messages.warnings.append(reason)
    messages.emit(None)
