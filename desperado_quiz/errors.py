"""Errors of the core that every command turns into a message (see ``cli.exits``).
No terminal I/O; light, since every command loads it."""

from __future__ import annotations

from pathlib import Path

from desperado_quiz.text import display_path


class FileChanged(Exception):
    """A question file changed while a command was reading it (from the bank cache,
    whose entry turned out damaged): what it read no longer holds together."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"{display_path(path)} changed while it was being read")
        self.path = path
