"""The two consoles every command prints through.

Rich resolves ``sys.stdout``/``sys.stderr`` at write time, so these module-level
consoles also work under test runners that swap the streams.
"""

from __future__ import annotations

from rich.console import Console
from rich.theme import Theme

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
