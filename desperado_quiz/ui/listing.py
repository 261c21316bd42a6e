"""`desperado-quiz list`: each bank as a block that fits any terminal width."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:  # the bundled banks are listed from the cache, without the models
    from desperado_quiz.loader import BankSummary

from desperado_quiz.text import plural, visible
from desperado_quiz.ui.console import console
from desperado_quiz.ui.messages import Messages


def show_banks(summaries: Sequence[BankSummary], messages: Messages) -> None:
    if messages.kind is not None:
        messages.emit(summaries)
        return
    console.print(banks_view(summaries))


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{name} ({n})" for name, n in counts.items()) or "none"


def banks_view(summaries: Sequence[BankSummary]) -> Group:
    """A block per bank: a grid of labels and values, which wraps instead of cutting."""
    blocks: list[RenderableType] = []
    for bank in summaries:
        grid = Table.grid(padding=(0, 1))
        grid.add_column(style="muted", no_wrap=True)
        grid.add_column(overflow="fold")
        spread = " · ".join(f"{level} {n}" for level, n in bank["difficulties"].items())
        grid.add_row("questions", f"{bank['questions']}: {spread}")
        grid.add_row("types", _counts(bank["types"]))
        grid.add_row("categories", Text(visible(_counts(bank["categories"]))))
        grid.add_row("tags", Text(visible(_counts(bank["tags"]))))
        grid.add_row("file", Text(visible(bank["path"]), overflow="fold"))
        grid.add_row("source", Text(visible(bank["source"])))
        head = (
            Text(visible(bank["id"]), style="accent")
            .append("  ")
            .append(Text(visible(bank["title"])))
        )
        blocks += [head]
        if bank["description"]:
            blocks.append(Text(visible(bank["description"]), style="italic"))
        blocks += [grid, Text()]
    total = sum(bank["questions"] for bank in summaries)
    blocks.append(
        Text(
            f"{plural(len(summaries), 'bank')}, {plural(total, 'question')}. ", style="bold"
        ).append("Filter a game with -b BANK, -c CATEGORY, -d LEVEL or -t TAG.", style="muted")
    )
    return Group(*blocks)
