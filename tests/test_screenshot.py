"""The README's screenshot script still renders a game, with the real engine and screen."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from tests.helpers import REPO


def test_screenshot_script_renders_a_sample_game(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location(
        "make_screenshot", REPO / "docs" / "make_screenshot.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    game, summary = (path.read_text(encoding="utf-8") for path in module.render(tmp_path))
    assert game.startswith("<svg")
    assert "Question" in game
    for text in ("Partly", "Wrong", "replay&#160;with", "answers"):
        assert text in summary
