"""Shared test set-up: a pinned terminal, a private data directory, handy paths."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.helpers import ARTICLE, BANK_HEADER

pytest_plugins = ["pytester"]


@pytest.fixture(autouse=True)
def _stable_terminal(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Same output on every machine: fixed width, no colour, a private history."""
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("LINES", "40")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.setenv("TERM", "dumb")
    monkeypatch.setenv("DESPERADO_QUIZ_HOME", str(tmp_path / "home"))
    columns(monkeypatch, 100)


def columns(monkeypatch: pytest.MonkeyPatch, width: int) -> None:
    """Pin both consoles to ``width`` columns (Rich reads a dumb terminal as 80)."""
    from desperado_quiz.ui.console import console, error_console

    for each in (console, error_console):
        monkeypatch.setattr(each, "_width", width)
        monkeypatch.setattr(each, "_height", 40)


@pytest.fixture
def write_bank(tmp_path: Path) -> Callable[..., Path]:
    """Write a question file next to a copy of the article and return its path."""
    (tmp_path / "article.txt").write_text(ARTICLE.read_text(encoding="utf-8"), encoding="utf-8")

    def write(body: str, name: str = "bank.toml", header: bool = True) -> Path:
        path = tmp_path / name
        top = BANK_HEADER.format(id=path.stem.replace("_", "-")) if header else ""
        path.write_text(top + body, encoding="utf-8")
        return path

    return write
