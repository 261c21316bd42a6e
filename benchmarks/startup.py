"""Start-up benchmark: `--version`, `--help` and a one-question game against `import typer`.

Every command runs in a fresh process, several times after a warm-up, and the median
wall time is compared with the baseline measured in the same run, so the ratios hold
on any machine. Usage:

    python benchmarks/startup.py [--runs 15] [--markdown]
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


def cases(data_dir: str) -> list[tuple[str, list[str], str, float | None]]:
    """(name, command, stdin, target ratio against the baseline)."""
    game = [QUIZ, "play", "-n", "1", "--seed", "1"]
    if (
        "--no-save"
        in subprocess.run(
            [QUIZ, "play", "--help"], capture_output=True, text=True, check=False
        ).stdout
    ):
        game.append("--no-save")
    return [
        ("baseline: python -c 'import typer'", [sys.executable, "-c", "import typer"], "", None),
        (
            "reference: python -c 'import typer, pydantic'",
            [sys.executable, "-c", "import typer, pydantic"],
            "",
            None,
        ),
        ("desperado-quiz --version", [QUIZ, "--version"], "", 1.3),
        ("desperado-quiz --help", [QUIZ, "--help"], "", None),
        ("one-question game (piped answer)", game, "skip\n", 2.0),
    ]


def median_seconds(command: list[str], stdin: str, runs: int, env: dict[str, str]) -> float:
    times = []
    for attempt in range(runs + 2):  # two warm-up runs fill the OS file cache
        start = time.perf_counter()
        subprocess.run(command, input=stdin, capture_output=True, text=True, check=True, env=env)
        if attempt >= 2:
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "DESPERADO_QUIZ_HOME": home, "COLUMNS": "80"}
        results = [
            (name, median_seconds(cmd, stdin, args.runs, env), target)
            for name, cmd, stdin, target in cases(home)
        ]
    baseline = results[0][1]
    if args.markdown:
        print("| command | median | ratio to `import typer` | aim |")
        print("| --- | ---: | ---: | ---: |")
        for name, seconds, target in results:
            aim = f"≤ {target}x" if target else ""
            print(f"| {name} | {seconds * 1000:.0f} ms | {seconds / baseline:.2f}x | {aim} |")
    else:
        for name, seconds, target in results:
            aim = f"  (aim ≤ {target}x)" if target else ""
            print(f"{name:48} {seconds * 1000:7.0f} ms  {seconds / baseline:5.2f}x{aim}")


if __name__ == "__main__":
    main()
