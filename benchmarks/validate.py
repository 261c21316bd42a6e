"""Validation benchmark: synthetic banks of 1,000 to 100,000 questions.

For each size it writes banks (1,000 questions a file, every type, evidence quoted from
the article, a few near-duplicates), then times in fresh processes, in the same run:

* the baseline: a bare ``tomllib`` parse of the same files;
* ``desperado-quiz validate`` with every rule, printing JSON.

It reports wall time, the ratio to the baseline, and peak memory (max RSS). Usage:

    python benchmarks/validate.py [--sizes 1000 10000 100000] [--markdown]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
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
# Runs the command as its only child, so RUSAGE_CHILDREN's peak RSS is that command's.
MEASURE = """
import resource, subprocess, sys, time
with open(sys.argv[1], "wb") as output:
    start = time.perf_counter()
    done = subprocess.run(sys.argv[2:], stdout=output, stderr=subprocess.DEVNULL)
    seconds = time.perf_counter() - start
print(seconds, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, done.returncode)
"""


def timed(command: list[str], output: Path) -> tuple[float, float, int]:
    """Seconds, peak MB and exit status of ``command`` alone; its stdout goes to ``output``."""
    out = subprocess.run(
        [sys.executable, "-c", MEASURE, str(output), *command],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return float(out[0]), int(out[1]) / 1024, int(out[2])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    quiz = shutil.which("desperado-quiz", path=str(Path(sys.executable).parent))
    rows = []
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            write_banks(folder, size)
            output = Path(tmp) / "report.json"
            base_s, _, _ = timed([sys.executable, "-c", BASELINE, str(folder)], output)
            command = [quiz or "desperado-quiz", "validate", "--format", "json", str(folder)]
            val_s, val_mb, status = timed(command, output)
            summary = json.loads(output.read_text(encoding="utf-8"))["data"]["summary"]
        rows.append((size, base_s, val_s, val_mb, status, summary))
    if args.markdown:
        print(
            "| questions | tomllib parse | validate, all rules | ratio | peak memory | findings |"
        )
        print("| ---: | ---: | ---: | ---: | ---: | --- |")
    for size, base_s, val_s, val_mb, status, summary in rows:
        found = f"{summary['errors']} errors, {summary['warnings']} warnings (exit {status})"
        if args.markdown:
            print(
                f"| {size:,} | {base_s:.2f} s | {val_s:.2f} s | {val_s / base_s:.1f}x "
                f"| {val_mb:.0f} MB | {found} |"
            )
        else:
            print(
                f"{size:>7,} questions: tomllib {base_s:6.2f} s, validate {val_s:6.2f} s "
                f"({val_s / base_s:4.1f}x), peak {val_mb:5.0f} MB, {found}"
            )


if __name__ == "__main__":
    main()
