"""Start-up benchmark: each command in a fresh process, against `import typer`.

Every round runs the baseline and then each command, each in a fresh process; the ratio
of each command to the baseline of its own round is kept, and the table gives the median
of those paired ratios over the rounds (so that a busy moment of the machine moves both
sides of a ratio). Usage:

    python benchmarks/startup.py [--rounds 15] [--markdown]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
QUIZ = shutil.which("desperado-quiz", path=str(BIN)) or "desperado-quiz"
BASELINE = [sys.executable, "-c", "import typer"]


def cases() -> list[tuple[str, list[str], str, float | None]]:
    """(name, command, stdin, aim as a ratio to the baseline)."""
    game = [QUIZ, "play", "-n", "1", "--seed", "1", "--no-save"]
    return [
        (
            "floor of a game: import typer, pydantic, rich.console",
            [sys.executable, "-c", "import typer, pydantic, rich.console"],
            "",
            None,
        ),
        (
            "that floor and the question model: import desperado_quiz.model",
            [sys.executable, "-c", "import typer, pydantic, rich.console, desperado_quiz.model"],
            "",
            None,
        ),
        ("desperado-quiz --version", [QUIZ, "--version"], "", 1.3),
        ("desperado-quiz --help", [QUIZ, "--help"], "", 1.5),
        ("desperado-quiz list", [QUIZ, "list"], "", 2.3),
        ("one-question game (piped answer)", game, "skip\n", 2.3),
        ("desperado-quiz history (empty history)", [QUIZ, "history"], "", 2.0),
        ("desperado-quiz stats (empty history)", [QUIZ, "stats"], "", 2.0),
    ]


def seconds(command: list[str], stdin: str, env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, input=stdin, capture_output=True, text=True, check=True, env=env)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = parser.parse_args()
    runs = cases()
    ratios: list[list[float]] = [[] for _ in runs]
    baselines: list[float] = []
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "DESPERADO_QUIZ_HOME": home, "COLUMNS": "80"}
        # Measure the program as installed: pip compiles every module at install time,
        # and the warm-up writes the bytecode of an editable install. Without it (this
        # variable is set on some machines) each start compiles the project from source.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        for _, command, stdin, _ in runs:  # warm-up: the OS file cache, the bank cache
            seconds(command, stdin, env)
        for _ in range(args.rounds):
            base = seconds(BASELINE, "", env)
            baselines.append(base)
            for index, (_, command, stdin, _) in enumerate(runs):
                ratios[index].append(seconds(command, stdin, env) / base)
    baseline_ms = statistics.median(baselines) * 1000
    if args.markdown:
        print("| command | median ratio to `import typer` | aim |")
        print("| --- | ---: | ---: |")
        print(f"| baseline: `python -c 'import typer'` ({baseline_ms:.0f} ms) | 1.00x | |")
        for (name, _, _, aim), values in zip(runs, ratios, strict=True):
            shown = f"≤ {aim}x" if aim else ""
            print(f"| {name} | {statistics.median(values):.2f}x | {shown} |")
    else:
        print(f"{'baseline: import typer':66} {baseline_ms:6.0f} ms  1.00x")
        for (name, _, _, aim), values in zip(runs, ratios, strict=True):
            shown = f"  (aim ≤ {aim}x)" if aim else ""
            print(f"{name:66} {statistics.median(values):13.2f}x{shown}")


if __name__ == "__main__":
    main()
