"""Validation benchmark: synthetic banks of 1,000 to 100,000 questions.

For each size it writes banks (1,000 questions a file, every type, evidence quoted from
the article, a few near-duplicates), then times in fresh processes, in the same run:

* the baseline: a bare ``tomllib`` parse of the same files;
* ``desperado-quiz validate`` with every rule, printing JSON.

and the same for banks whose source grows with them (one source sentence per question).
Each case runs ``--rounds`` times, baseline and validate in turn; the tables give the
medians of the paired ratios of CPU time (validate's workers included) and of wall time,
and the peak memory of the largest process. Usage:

    python benchmarks/validate.py [--sizes 1000 10000 100000] [--growing 100000]
                                  [--rounds 3] [--markdown]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ROOT / "questions" / "desperado-article.txt"
PER_FILE = 1000
QUOTES = [
    "Directed by Robert Rodriguez",
    "El Mariachi (portrayed iconically by Antonio Banderas)",
    "Bucho (played by Joaquim de Almeida)",
    "a mixture of Chicano rock and traditional ranchera music composed and performed by Los Lobos",
    "holds a 69% approval rating on Rotten Tomatoes",
    "$58 million worldwide",
]
WORDS = [
    "guitar",
    "case",
    "cantina",
    "bookstore",
    "mariachi",
    "drug",
    "lord",
    "gunfight",
    "bar",
    "shootout",
    "soundtrack",
    "grammy",
    "rating",
    "cut",
    "scene",
    "hitman",
    "ally",
    "vengeance",
    "netflix",
    "critics",
    "score",
]


EVIDENCE = {  # a quote that states each kind's synthetic answer
    "choice": QUOTES[3],
    "multi": QUOTES[3],
    "text": QUOTES[0],
    "number": QUOTES[5],
}


def question_text(n: int) -> str:
    rng = random.Random(n)
    words = " ".join(rng.choice(WORDS) for _ in range(8))
    return f"Which {words} item {rng.randrange(10**9)}?"


def question(n: int) -> str:
    kind = ("choice", "multi", "boolean", "text", "number", "order")[n % 6]
    # One in 500 is a near-copy of a question of the same type, hence the same answer.
    text = f"So, {question_text(n - 6)}" if n % 500 == 499 else question_text(n)
    head = (
        f'[[questions]]\nid = "q{n}"\ntype = "{kind}"\nquestion = "{text}"\n'
        f'category = "Cat {n % 7}"\ndifficulty = "{("easy", "medium", "hard")[n % 3]}"\n'
        f'evidence = "{EVIDENCE.get(kind, QUOTES[n % len(QUOTES)])}"\nexplanation = "Because."\n'
        'hint = "Think."\n'
    )
    body = {
        "choice": 'choices = ["Los Lobos", "Dire Straits", "Link Wray"]\nanswer = "Los Lobos"\n',
        "multi": 'choices = ["Los Lobos", "Dire Straits", "Link Wray"]\n'
        'answer = ["Los Lobos", "Link Wray"]\n',
        "boolean": "answer = true\n",
        "text": 'answer = "Robert Rodriguez"\naccept = ["Rodriguez"]\n',
        "number": "answer = 58\ntolerance = 0.5\n",
        "order": 'answer = ["first", "second", "third"]\n',
    }[kind]
    return head + body + "\n"


def write_banks(folder: Path, count: int) -> None:
    shutil.copy(ARTICLE, folder / "article.txt")
    for start in range(0, count, PER_FILE):
        lines = [f'[bank]\nid = "bank-{start}"\ntitle = "Synthetic"\nsource = "article.txt"\n\n']
        lines += [question(n) for n in range(start, min(start + PER_FILE, count))]
        (folder / f"bank-{start:06d}.toml").write_text("".join(lines), encoding="utf-8")


BASELINE = """
import sys, tomllib, pathlib
for path in sorted(pathlib.Path(sys.argv[1]).glob("*.toml")):
    tomllib.loads(path.read_text(encoding="utf-8"))
"""
# Runs the command as its only child. RUSAGE_CHILDREN then holds the CPU time of that
# command and of every process it waited for (validate's workers), and the largest
# resident set of any of them.
MEASURE = """
import resource, subprocess, sys, time
with open(sys.argv[1], "wb") as output:
    start = time.perf_counter()
    done = subprocess.run(sys.argv[2:], stdout=output, stderr=subprocess.DEVNULL)
    seconds = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, done.returncode)
"""


@dataclass
class Run:
    wall: float
    cpu: float
    megabytes: float
    status: int


def timed(command: list[str], output: Path) -> Run:
    """``command`` alone, its stdout to ``output``: wall and CPU seconds, peak MB, status."""
    out = subprocess.run(
        [sys.executable, "-c", MEASURE, str(output), *command],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return Run(float(out[0]), float(out[1]), int(out[2]) / 1024, int(out[3]))


def growing_source(folder: Path, count: int) -> None:
    """Banks whose source grows with them: one sentence of the source per question,
    each question quoting its own sentence (a bank built from a book)."""
    rng = random.Random(count)
    sentences = [
        f"The {' '.join(rng.choice(WORDS) for _ in range(9))} number {n} was seen in scene {n}."
        for n in range(count)
    ]
    (folder / "book.txt").write_text("\n".join(sentences) + "\n", encoding="utf-8")
    for start in range(0, count, PER_FILE):
        parts = [f'[bank]\nid = "book-{start}"\ntitle = "Book"\nsource = "book.txt"\n\n']
        for n in range(start, min(start + PER_FILE, count)):
            quote = sentences[n][4:-1]  # inside the sentence: "... number N was seen ..."
            parts.append(
                f'[[questions]]\nid = "b{n}"\ntype = "boolean"\n'
                f'question = "{question_text(n)}"\ncategory = "Book"\ndifficulty = "easy"\n'
                f'answer = true\nevidence = "{quote}"\nexplanation = "Chapter {n} says so."\n'
                'hint = "Yes."\n\n'
            )
        (folder / f"book-{start:06d}.toml").write_text("".join(parts), encoding="utf-8")


def measure(folder: Path, rounds: int) -> tuple[list[Run], list[Run], dict[str, int]]:
    quiz = shutil.which("desperado-quiz", path=str(Path(sys.executable).parent))
    output = folder / "report.json"
    command = [quiz or "desperado-quiz", "validate", "--format", "json", str(folder)]
    bases, runs = [], []
    for _ in range(rounds):  # paired: each round times the baseline, then validate
        bases.append(timed([sys.executable, "-c", BASELINE, str(folder)], output))
        runs.append(timed(command, output))
    summary = json.loads(output.read_text(encoding="utf-8"))["data"]["summary"]
    return bases, runs, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--growing", type=int, default=100000, help="0 to skip that case")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    # Measure validate as installed: pip compiles every module at install time, and the
    # first run writes the bytecode of an editable install. Without it (this variable
    # is set on some machines) each of its processes compiles the project from source.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    cases: list[tuple[str, int, Callable[[Path, int], None]]] = [
        ("questions quoting the article", size, write_banks) for size in args.sizes
    ]
    if args.growing:
        cases.append(("one source sentence per question", args.growing, growing_source))
    if args.markdown:
        print(
            "| case | questions | parse CPU | validate CPU | CPU ratio | wall ratio "
            "| peak memory | findings |"
        )
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for name, size, write in cases:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            write(folder, size)
            bases, runs, summary = measure(folder, args.rounds)
        cpu = statistics.median(r.cpu / b.cpu for r, b in zip(runs, bases, strict=True))
        wall = statistics.median(r.wall / b.wall for r, b in zip(runs, bases, strict=True))
        parse_cpu = statistics.median(b.cpu for b in bases)
        validate_cpu = statistics.median(r.cpu for r in runs)
        peak = max(r.megabytes for r in runs)
        found = (
            f"{summary['errors']} errors, {summary['warnings']} warnings (exit {runs[-1].status})"
        )
        if args.markdown:
            print(
                f"| {name} | {size:,} | {parse_cpu:.2f} s | {validate_cpu:.2f} s | {cpu:.2f}x "
                f"| {wall:.2f}x | {peak:.0f} MB | {found} |"
            )
        else:
            print(
                f"{name}, {size:,} questions: parse {parse_cpu:.2f} s CPU, validate "
                f"{validate_cpu:.2f} s CPU ({cpu:.2f}x; wall {wall:.2f}x), peak {peak:.0f} MB, "
                f"{found}"
            )


if __name__ == "__main__":
    main()
