"""The README's screenshot script still renders a game."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from tests.conftest import REPO


def test_screenshot_script_renders_a_sample_game(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location(
        "make_screenshot", REPO / "docs" / "make_screenshot.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    svg = module.render(tmp_path / "game.svg").read_text(encoding="utf-8")
    assert svg.startswith("<svg")
    for text in ("Question", "Right!", "Partly", "Wrong.", "Carolina"):
        assert text in svg
