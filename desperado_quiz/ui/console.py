"""The two consoles every command prints through.

Rich resolves ``sys.stdout``/``sys.stderr`` at write time, so these module-level
consoles also work under test runners that swap the streams.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from rich.console import Console
from rich.text import Text
from rich.theme import Theme

Reader = Callable[[str], str]
BAR_WIDTH = 10

THEME = Theme(
    {
        "good": "bold green",
        "bad": "bold red",
        "warn": "yellow",
        "muted": "dim",
        "accent": "bold cyan",
        "path": "magenta",
    }
)

console = Console(theme=THEME, highlight=False)
error_console = Console(theme=THEME, stderr=True, highlight=False)


def line_reader(console: Console) -> Reader:
    """Read answers a line at a time; echo them when stdin is not a terminal (a script),
    so that a transcript shows what was answered."""
    echo = not sys.stdin.isatty()

    def read(prompt: str) -> str:
        raw = console.input(Text(prompt))  # a prompt may quote a file: never markup
        if echo:
            console.print(Text(raw))
        return raw

    return read


def accuracy_bar(right: int, total: int) -> Text:
    """A bar with its number beside it, so the share never rests on colour alone."""
    share = right / total if total else 0.0
    filled = round(share * BAR_WIDTH)
    bar = Text("█" * filled, style="good").append("░" * (BAR_WIDTH - filled), style="muted")
    return bar.append(f" {share:4.0%} ({right}/{total})")
