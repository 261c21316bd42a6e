"""Start-up benchmark: each command in a fresh process, against `import typer`.

Every round runs the baseline and then each command, each in a fresh process; the ratio
of each command to the baseline of its own round is kept, and the table gives the median
of those paired ratios over the rounds (so that a busy moment of the machine moves both
sides of a ratio).

The second table is a one-question game from a player's own banks of 1,000, 10,000
and 100,000 questions (1,000 a file): its first start (an empty cache: every file read,
validated and cached, and the questions' relation worked out) and its later starts
(from the cache), with the growth exponent of later starts against the banks' size
(the slope of log time against log size: 0 is a start that does not grow, 1 one that
grows as the banks do). Usage:

    python benchmarks/startup.py [--rounds 15] [--sizes 1000,10000,100000] [--markdown]
"""

from __future__ import annotations

import argparse
import math
import os
import random
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
GAME = [QUIZ, "play", "-n", "1", "--seed", "1", "--no-save"]
PER_FILE = 1000
FIRST_START_ROUNDS = 3  # a first start of 100,000 questions takes seconds


def cases() -> list[tuple[str, list[str], str, float | None]]:
    """(name, command, stdin, aim as a ratio to the baseline)."""
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
        ("one-question game (piped answer)", GAME, "skip\n", 2.3),
        ("desperado-quiz history (empty history)", [QUIZ, "history"], "", 2.0),
        ("desperado-quiz stats (empty history)", [QUIZ, "stats"], "", 2.0),
    ]


# Banks of a player's own -------------------------------------------------------------


def word(rng: random.Random) -> str:
    syllables = ("ka", "lo", "mi", "ra", "sen", "tu", "vel", "do", "qui", "na", "por", "ez")
    return "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))


def question(n: int, answers: list[str]) -> str:
    """A text or choice question with an answer of its own, whose text now and then
    names another question's answer, as imported trivia does (one in twenty)."""
    rng = random.Random(n)
    words = [word(rng) for _ in range(6)]
    if rng.random() < 0.05:
        words[2] = answers[rng.randrange(len(answers))]
    text = f"Which {' '.join(words)} is number {n}?"
    head = (
        f'[[questions]]\nid = "q{n}"\nquestion = "{text}"\ncategory = "Cat {n % 9}"\n'
        f'difficulty = "{("easy", "medium", "hard")[n % 3]}"\nexplanation = "Because."\n'
    )
    if n % 2:
        return head + f'type = "text"\nanswer = "{answers[n]}"\n\n'
    wrong = [f"{word(rng)}{k}" for k in range(3)]  # distractors that answer nothing
    listed = ", ".join(f'"{c}"' for c in [answers[n], *wrong])
    return head + f'type = "choice"\nchoices = [{listed}]\nanswer = "{answers[n]}"\n\n'


def write_banks(folder: Path, count: int) -> None:
    rng = random.Random(count)
    answers = [f"{word(rng)}{n}" for n in range(count)]  # each its own
    folder.mkdir(parents=True, exist_ok=True)
    for start in range(0, count, PER_FILE):
        parts = [f'[bank]\nid = "own-{start}"\ntitle = "Imported {start}"\n\n']
        parts += [question(n, answers) for n in range(start, min(start + PER_FILE, count))]
        (folder / f"own-{start:06d}.toml").write_text("".join(parts), encoding="utf-8")


# Measuring ---------------------------------------------------------------------------


def seconds(command: list[str], stdin: str, env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, input=stdin, capture_output=True, text=True, check=True, env=env)
    return time.perf_counter() - start


def environment(home: str) -> dict[str, str]:
    env = {**os.environ, "DESPERADO_QUIZ_HOME": home, "COLUMNS": "80"}
    # Measure the program as installed: pip compiles every module at install time, and
    # the warm-up writes the bytecode of an editable install. Without it (this variable
    # is set on some machines) each start compiles the project from source.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def commands(rounds: int) -> tuple[float, list[list[float]]]:
    runs = cases()
    ratios: list[list[float]] = [[] for _ in runs]
    baselines: list[float] = []
    with tempfile.TemporaryDirectory() as home:
        env = environment(home)
        for _, command, stdin, _ in runs:  # warm-up: the OS file cache, the bank cache
            seconds(command, stdin, env)
        for _ in range(rounds):
            base = seconds(BASELINE, "", env)
            baselines.append(base)
            for index, (_, command, stdin, _) in enumerate(runs):
                ratios[index].append(seconds(command, stdin, env) / base)
    return statistics.median(baselines) * 1000, ratios


def bank_sizes(sizes: list[int], rounds: int) -> dict[int, tuple[float, float]]:
    """For each size, the median ratio of a first start and of a later start."""
    results: dict[int, tuple[float, float]] = {}
    with tempfile.TemporaryDirectory() as work:
        for size in sizes:
            banks = Path(work) / f"banks-{size}"
            write_banks(banks, size)
            game = [*GAME, "-b", str(banks)]
            firsts: list[float] = []
            for attempt in range(FIRST_START_ROUNDS):
                env = environment(str(Path(work) / f"home-{size}-{attempt}"))
                base = seconds(BASELINE, "", env)
                firsts.append(seconds(game, "skip\n", env) / base)
            env = environment(str(Path(work) / f"home-{size}-0"))  # its cache is written
            laters = []
            for _ in range(rounds):
                base = seconds(BASELINE, "", env)
                laters.append(seconds(game, "skip\n", env) / base)
            results[size] = (statistics.median(firsts), statistics.median(laters))
    return results


def growth(results: dict[int, tuple[float, float]]) -> float:
    """The slope of log(later start) against log(size), between the smallest and the
    largest banks."""
    small, large = min(results), max(results)
    return math.log(results[large][1] / results[small][1]) / math.log(large / small)


# Reporting ---------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--markdown", action="store_true", help="print Markdown tables")
    args = parser.parse_args()
    baseline_ms, ratios = commands(args.rounds)
    sizes = [int(size) for size in args.sizes.split(",") if size]
    by_size = bank_sizes(sizes, args.rounds) if sizes else {}
    runs = cases()
    game_ratio = statistics.median(ratios[[run[1] for run in runs].index(GAME)])
    if args.markdown:
        print("| command | median ratio to `import typer` | aim |")
        print("| --- | ---: | ---: |")
        print(f"| baseline: `python -c 'import typer'` ({baseline_ms:.0f} ms) | 1.00x | |")
        for (name, _, _, aim), values in zip(runs, ratios, strict=True):
            shown = f"≤ {aim}x" if aim else ""
            print(f"| {name} | {statistics.median(values):.2f}x | {shown} |")
        if by_size:
            print()
            print("| one-question game from | first start | later starts | aim (later) |")
            print("| --- | ---: | ---: | ---: |")
            within = f"≤ {game_ratio * 1.2:.2f}x"
            for size, (first, later) in by_size.items():
                print(f"| {size:,} questions | {first:.2f}x | {later:.2f}x | {within} |")
            print(f"\nGrowth exponent of later starts: {growth(by_size):.3f} (aim: close to 0)")
        return
    print(f"{'baseline: import typer':66} {baseline_ms:6.0f} ms  1.00x")
    for (name, _, _, aim), values in zip(runs, ratios, strict=True):
        shown = f"  (aim ≤ {aim}x)" if aim else ""
        print(f"{name:66} {statistics.median(values):13.2f}x{shown}")
    for size, (first, later) in by_size.items():
        label = f"game from {size:,} questions: first start / later starts"
        print(f"{label:66} {first:6.2f}x / {later:.2f}x  (aim ≤ {game_ratio * 1.2:.2f}x)")
    if len(by_size) > 1:
        print(f"{'growth exponent of later starts':66} {growth(by_size):13.3f}  (aim ≈ 0)")


if __name__ == "__main__":
    main()
