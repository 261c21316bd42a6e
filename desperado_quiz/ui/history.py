"""History and statistics as tables and bars, and the history notices after a game."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:  # `history` and `stats` must not pay for the models they don't use
    from desperado_quiz.analytics import QuestionStatsJSON
    from desperado_quiz.history import GameRow, Stats
    from desperado_quiz.study import LearningJSON
from desperado_quiz.text import plural, visible
from desperado_quiz.ui.console import accuracy_bar, share_bar

NO_GAMES = "No games yet: `desperado-quiz play` starts one."


HISTORY_TABLE_WIDTH = 100  # narrower, a game is a block of lines: a table would cut words


def history_table(games: Sequence[GameRow], width: int) -> RenderableType:
    if not games:
        return Text(NO_GAMES, style="muted")
    if width < HISTORY_TABLE_WIDTH:
        return _history_blocks(games)
    table = Table(title="Recent games", title_justify="left")
    table.add_column("#", justify="right")
    table.add_column("When", no_wrap=True)
    table.add_column("Player")
    table.add_column("Banks")
    table.add_column("Score", justify="right")
    table.add_column("Right", justify="right")
    table.add_column("Status")
    for game in games:
        table.add_row(
            str(game["id"]),
            _when(game),
            Text(visible(game["player"])),
            _banks(game),
            str(game["score"]),
            _right(game),
            _status(game),
        )
    return table


def _history_blocks(games: Sequence[GameRow]) -> Group:
    blocks: list[RenderableType] = [Text("Recent games", style="bold")]
    for game in games:
        head = Text(f"#{game['id']} ", style="muted").append(_when(game))
        head.append(" · ").append(Text(visible(game["player"]), style="bold"))
        figures = f"{game['score']} points · {_right(game)} right · {_status(game)}"
        if game["answered"] and not game["finished"]:
            figures += f" · {plural(game['answered'], 'question')} reached"
        body = Group(_banks(game), Text(figures))
        blocks += [Text(), head, Padding(body, (0, 0, 0, 2))]
    return Group(*blocks)


def _when(game: GameRow) -> str:
    return visible(game["started_at"][:16].replace("T", " "))


def _banks(game: GameRow) -> Text:
    names = "all bundled banks" if game["all_banks"] else ", ".join(game["banks"])
    banks = Text(visible(names or "no question answered"))
    if game["mode"] != "play":
        banks.append(f"\n{game['mode']} session", style="muted")
    return banks


def _right(game: GameRow) -> str:
    """Right out of the game's questions, as the end of a game says it (a game quit
    early does not look better; "accuracy", of the answers given, is in the JSON)."""
    return f"{game['right_answers']} of {game['questions']}"


def _status(game: GameRow) -> str:
    return "finished" if game["finished"] else visible(f"aborted ({game['status']})")


def settings_summary(options: dict[str, Any]) -> str:
    """A game's settings in a few words: "10 questions · hard · 20 s timer"."""
    if options.get("mode", "play") != "play":
        parts = [f"{options['mode']} session"]
    elif options.get("review"):
        parts = ["review of missed questions"]
    elif options.get("questions"):
        parts = [plural(len(options["questions"]), "chosen question")]
    else:
        parts = [f"{options.get('count')} questions"]
    for key in ("categories", "difficulties", "tags"):
        parts += list(options.get(key) or [])
    if options.get("timer"):
        parts.append(f"{options['timer']:g} s timer")
    if options.get("practice"):
        parts.append("practice")
    return visible(" · ".join(parts))


def stats_view(
    stats: Stats,
    describe: Callable[[str, str], str | None],
    learning: LearningJSON | None = None,
    learner: str = "",
) -> Group:
    """``describe(bank, id)`` gives a question's text, or None if no bank has it any more."""
    parts: list[RenderableType] = []
    if not stats["games"]:
        who = f" for {visible(stats['player'])}" if stats["player"] else ""
        parts.append(Text(f"No games yet{who}: `desperado-quiz play` starts one.", style="muted"))
    else:
        parts += _games_view(stats, describe)
    if learning is not None:
        parts += [Text(), learning_view(learning, learner)]
    return Group(*parts)


def _games_view(stats: Stats, describe: Callable[[str, str], str | None]) -> list[RenderableType]:
    overview = Table.grid(padding=(0, 2))
    overview.add_column(style="bold")
    overview.add_column()
    if stats["player"]:
        overview.add_row("Player", Text(visible(stats["player"])))
    overview.add_row("Games played", f"{stats['games']} ({stats['finished']} finished)")
    overview.add_row("Accuracy", accuracy_bar(stats["right"], stats["answers"]))
    overview.add_row("Best streak", str(stats["best_streak"]))
    parts: list[RenderableType] = [overview]
    for title, shares in (
        ("By category", stats["by_category"]),
        ("By difficulty", stats["by_difficulty"]),
    ):
        bars = Table.grid(padding=(0, 2))
        bars.add_column()
        bars.add_column(no_wrap=True)
        for name, share in shares.items():
            bars.add_row(Text(visible(name)), accuracy_bar(share["right"], share["answered"]))
        parts += [Text(), Text(title, style="bold"), bars]
    best = Table(title="Best games (per player, banks and settings)", title_justify="left")
    best.add_column("Player")
    best.add_column("Banks and settings")
    best.add_column("Best", justify="right")
    best.add_column("Games", justify="right")
    for game in stats["best_games"]:
        label = Text(visible(", ".join(game["options"].get("banks") or ["all bundled banks"])))
        label.append(f"\n{settings_summary(game['options'])}", style="muted")
        best.add_row(Text(visible(game["player"])), label, str(game["score"]), str(game["games"]))
    missed = Table(title="Most missed", title_justify="left")
    missed.add_column("Misses", justify="right")
    missed.add_column("Question")
    for row in stats["most_missed"]:
        text = describe(row["bank_id"], row["question_id"])
        label = (
            Text(text)
            if text
            else Text(
                visible(f"{row['bank_id']}:{row['question_id']} (no longer in any bank)"),
                style="muted",
            )
        )
        missed.add_row(str(row["misses"]), label)
    if not stats["most_missed"]:
        return [*parts, Text(), best, Text(), Text("Most missed: none yet.", style="muted")]
    return [*parts, Text(), best, Text(), missed]


def learning_view(learning: LearningJSON, learner: str) -> Group:
    """What a player has learned with `study`, and what falls due this week."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    grid.add_row("Cards", f"{learning['cards']}, {learning['learned']} of them learned")
    grid.add_row("Due now", str(learning["due_now"]))
    week = Table(box=None, padding=(0, 1, 0, 0), show_edge=False, pad_edge=False)
    today = date.fromisoformat(learning["today"])
    for offset in range(len(learning["due_by_day"])):
        day = today + timedelta(days=offset)
        week.add_column("today" if offset == 0 else f"{day:%a}", justify="right")
    week.add_row(*(str(due) for due in learning["due_by_day"]))
    grid.add_row("Due", week)
    recall = Table.grid(padding=(0, 2))
    recall.add_column()
    recall.add_column(no_wrap=True)
    for category, chance in learning["recall_by_category"].items():
        recall.add_row(Text(visible(category)), share_bar(chance))
    title = Text("Learning", style="bold").append(f" ({visible(learner)})", style="muted")
    parts: list[RenderableType] = [title, grid]
    if learning["recall_by_category"]:
        heading = "Chance of recalling it now (learned questions), by category"
        parts += [Text(), Text(heading, style="bold"), recall]
    return Group(*parts)


def question_stats_view(figures: Sequence[QuestionStatsJSON]) -> RenderableType:
    """One block per question: what it is, its figures, its wrong picks and its flags,
    each flag said in words (blocks read as well at 50 columns as at 120)."""
    from desperado_quiz.analytics import FLAGS, MIN_ANSWERS

    if not figures:
        return Text(
            f"No question has {MIN_ANSWERS} first-try answers in the history yet.", style="muted"
        )
    blocks: list[RenderableType] = [Text("How each question works", style="bold")]
    for item in figures:
        r = item["discrimination"]
        head = Text(visible(f"{item['bank']}:{item['id']}"), style="bold")
        head.append(f" · {item['difficulty']}", style="muted")
        figures_line = Text(
            f"{item['answers']} answers · {item['right_share']:.0%} right · discrimination "
            + ("n/a" if r is None else f"{r:+.2f}")
        )
        lines = [head, Text(visible(item["question"])), figures_line]
        if item["distractors"]:
            picks = " · ".join(f"{visible(c)} {n}" for c, n in item["distractors"].items())
            lines.append(Text(f"wrong picks: {picks}", style="muted"))
        lines += [Text(f"⚑ {flag}: {FLAGS[flag]}", style="warn") for flag in item["flags"]]
        blocks += [Text(), Group(*lines)]
    return Group(*blocks)


def best_notice(score: int, previous: int | None, player: str) -> Text:
    who = visible(player)
    if previous is None:
        return Text(
            f"First game with these banks and settings for {who}: "
            f"{score} points to beat next time.",
            style="muted",
        )
    if score > previous:
        return Text(
            f"★ New personal best for {who} with these banks and settings: "
            f"{score} points (previous best {previous}).",
            style="good",
        )
    return Text(f"{who}'s best with these banks and settings: {previous} points.", style="muted")
