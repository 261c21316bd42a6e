"""The table of banks shown by ``desperado-quiz list``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.table import Table
from rich.text import Text


def banks_table(summaries: Sequence[dict[str, Any]]) -> Table:
    table = Table(title="Question banks", title_justify="left", expand=False)
    table.add_column("Bank", style="accent", no_wrap=True)
    table.add_column("Title", ratio=2)
    table.add_column("Qs", justify="right")
    table.add_column("Types", ratio=2)
    table.add_column("Easy/Med/Hard", justify="center", min_width=13)
    table.add_column("Source", style="muted", no_wrap=True)
    for bank in summaries:
        types = " ".join(f"{kind}:{n}" for kind, n in bank["types"].items())
        spread = "/".join(str(n) for n in bank["difficulties"].values())
        table.add_row(
            Text(bank["id"]),
            Text(bank["title"]),
            str(bank["questions"]),
            Text(types),
            Text(spread),
            Text(bank["source"]),
        )
    total = sum(bank["questions"] for bank in summaries)
    table.caption = f"{len(summaries)} banks, {total} questions"
    return table
