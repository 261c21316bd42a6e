"""History and statistics as tables and bars, and the history notices after a game."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from desperado_quiz.ui.console import accuracy_bar


def history_table(games: Sequence[dict[str, Any]]) -> RenderableType:
    if not games:
        return Text("No games yet: `desperado-quiz play` starts one.", style="muted")
    table = Table(title="Recent games", title_justify="left")
    table.add_column("#", justify="right")
    table.add_column("When", no_wrap=True)
    table.add_column("Player")
    table.add_column("Banks")
    table.add_column("Score", justify="right")
    table.add_column("Right", justify="right")
    table.add_column("Status")
    for game in games:
        status = "finished" if game["finished"] else f"aborted ({game['status']})"
        table.add_row(
            str(game["id"]),
            game["started_at"][:16].replace("T", " "),
            Text(game["player"]),
            Text(", ".join(game["banks"])),
            str(game["score"]),
            f"{game['right_answers']}/{game['answered']} ({game['accuracy']:.0%})",
            status,
        )
    return table


CSV_COLUMNS = (
    "id",
    "started_at",
    "ended_at",
    "player",
    "banks",
    "seed",
    "questions",
    "answered",
    "right_answers",
    "score",
    "accuracy",
    "best_streak",
    "seconds",
    "status",
    "finished",
)


def games_csv(games: Sequence[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(
        buffer, fieldnames=CSV_COLUMNS, extrasaction="ignore", lineterminator="\n"
    )
    writer.writeheader()
    for game in games:
        writer.writerow({**game, "banks": " ".join(game["banks"])})
    return buffer.getvalue()


def stats_view(stats: dict[str, Any], describe: Callable[[str, str], str | None]) -> Group:
    """``describe(bank, id)`` gives a question's text, or None if no bank has it any more."""
    if not stats["games"]:
        return Group(Text("No games yet: `desperado-quiz play` starts one.", style="muted"))
    overview = Table.grid(padding=(0, 2))
    overview.add_column(style="bold")
    overview.add_column()
    overview.add_row("Games played", f"{stats['games']} ({stats['finished']} finished)")
    overview.add_row("Accuracy", accuracy_bar(stats["right"], stats["answers"]))
    overview.add_row("Best streak", str(stats["best_streak"]))
    parts: list[RenderableType] = [overview]
    for title, key in (("By category", "by_category"), ("By difficulty", "by_difficulty")):
        bars = Table.grid(padding=(0, 2))
        bars.add_column(no_wrap=True)
        bars.add_column(no_wrap=True)
        for name, share in stats[key].items():
            bars.add_row(Text(name), accuracy_bar(share["right"], share["answered"]))
        parts += [Text(), Text(title, style="bold"), bars]
    best = Table(title="Best score per bank", title_justify="left")
    best.add_column("Bank")
    best.add_column("Best", justify="right")
    for bank, score in stats["best_score_by_bank"].items():
        best.add_row(Text(bank), str(score))
    missed = Table(title="Most missed", title_justify="left")
    missed.add_column("Misses", justify="right")
    missed.add_column("Question")
    for row in stats["most_missed"]:
        text = describe(row["bank_id"], row["question_id"])
        label = (
            Text(text)
            if text
            else Text(
                f"{row['bank_id']}:{row['question_id']} (no longer in any bank)", style="muted"
            )
        )
        missed.add_row(str(row["misses"]), label)
    return Group(*parts, Text(), best, Text(), missed)


def best_notice(score: int, previous: int | None, player: str) -> Text:
    if previous is None:
        return Text(
            f"First game with these banks and settings for {player}: "
            f"{score} points to beat next time.",
            style="muted",
        )
    if score > previous:
        return Text(
            f"★ New personal best for {player} with these banks and settings: "
            f"{score} points (previous best {previous}).",
            style="good",
        )
    return Text(f"Personal best with these banks and settings: {previous} points.", style="muted")
