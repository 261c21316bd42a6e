"""History benchmark: `stats()` and `missed()` on histories of 5,000 to 20,000 games.

Each history is built once (games of 7 or 8 answers over 60 questions, 5 players, 1 in 3
answers wrong), then each query runs several times on a warm connection cache and the
median is kept. The growth exponent compares the largest history with the smallest:
1.0 is linear. Usage:

    python benchmarks/history.py [--games 5000 10000 20000] [--runs 7] [--markdown]
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from desperado_quiz.history import GameRecord, History, settings_key

PLAYERS = ("Ann", "Bob", "Cy", "Di", "Ed")
QUESTIONS = [(f"bank-{n % 5}", f"question-{n}") for n in range(60)]
CATEGORIES = ("Cast", "Music", "Story", "Production")
DIFFICULTIES = ("easy", "medium", "hard")


def synthetic_games(count: int, seed: int = 1) -> list[GameRecord]:
    rng = random.Random(seed)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    games = []
    for number in range(count):
        player = PLAYERS[number % len(PLAYERS)]
        asked = rng.sample(QUESTIONS, rng.choice((7, 8)))
        options = {"banks": [], "count": len(asked), "mode": "play"}
        answers = []
        for position, (bank, question) in enumerate(asked, start=1):
            right = rng.random() > 1 / 3
            answers.append(
                (
                    position,
                    bank,
                    question,
                    CATEGORIES[hash(question) % len(CATEGORIES)],
                    DIFFICULTIES[int(question.split("-")[1]) % 3],
                    1,
                    "given",
                    "right" if right else "wrong",
                    int(right),
                    100 if right else 0,
                    3.0,
                    0,
                )
            )
        when = start + timedelta(minutes=number)
        right_count = sum(a[8] for a in answers)
        games.append(
            GameRecord(
                player=player,
                players=[player],
                match_id=f"m{number}",
                seed=number,
                options=options,
                settings_key=settings_key(options),
                banks=sorted({bank for bank, _ in asked}),
                started_at=when,
                ended_at=when + timedelta(seconds=90),
                planned=len(asked),
                answered=len(asked),
                score=100 * right_count,
                right=right_count,
                accuracy=right_count / len(asked),
                best_streak=2,
                seconds=90.0,
                status="finished",
                finished=True,
                answers=answers,
            )
        )
    return games


def build(path: Path, count: int) -> History:
    history = History(path)
    games = synthetic_games(count)
    for start in range(0, count, 500):  # one transaction a batch, to build it quickly
        history.record(games[start : start + 500])
    return history


def median_ms(query: Callable[[], object], runs: int) -> float:
    query()  # warm the page cache
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        query()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--games", type=int, nargs="+", default=[5000, 10000, 20000])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    queries: dict[str, Callable[[History], object]] = {
        "stats() of everyone": lambda h: h.stats(),
        "stats('Ann')": lambda h: h.stats("Ann"),
        "missed('Ann')": lambda h: h.missed("Ann"),
        "answers() (analytics)": lambda h: h.answers(),
    }
    table: dict[str, list[float]] = {name: [] for name in queries}
    with tempfile.TemporaryDirectory() as folder:
        for count in args.games:
            history = build(Path(folder) / f"history-{count}.sqlite3", count)
            for name, query in queries.items():
                table[name].append(median_ms(partial(query, history), args.runs))
    smallest, largest = args.games[0], args.games[-1]
    header = ["query", *(f"{n:,} games" for n in args.games), "growth exponent"]
    rows = []
    for name, times in table.items():
        exponent = math.log(times[-1] / times[0]) / math.log(largest / smallest)
        rows.append([name, *(f"{t:.1f} ms" for t in times), f"{exponent:.2f}"])
    if args.markdown:
        print("| " + " | ".join(header) + " |")
        print("| --- |" + " ---: |" * (len(header) - 1))
        for row in rows:
            print("| " + " | ".join(row) + " |")
    else:
        for row in rows:
            print("  ".join(f"{cell:>16}" for cell in row))


if __name__ == "__main__":
    main()
