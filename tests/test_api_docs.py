"""docs/api.md: every example runs as it is written, in a fresh interpreter, from the
repository (where `questions/` is), with a private history."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import REPO

EXAMPLES = re.findall(r"```python\n(.*?)```", (REPO / "docs" / "api.md").read_text(), re.S)


def test_the_api_page_has_an_example_per_capability() -> None:
    code = "\n".join(EXAMPLES)
    for call in ("validate(", "start_game(", "export(", "import_file(", "open_quiz_night("):
        assert f"dq.{call}" in code, call
    assert len(EXAMPLES) >= 5


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda code: code.splitlines()[2][:40])
def test_the_example_runs(example: str, tmp_path: Path) -> None:
    script = tmp_path / "example.py"
    script.write_text(example, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script)], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip(), "an example shows what it did"
