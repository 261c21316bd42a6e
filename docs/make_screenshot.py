"""Render a sample game to docs/screenshots/game.svg for the README.

Run after changing how the game looks:  python docs/make_screenshot.py
It drives the real game UI with scripted answers on a recording Rich console.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

from rich.console import Console
from rich.text import Text

from desperado_quiz.game import Session, select_questions
from desperado_quiz.loader import load_banks
from desperado_quiz.ui import play as ui
from desperado_quiz.ui.console import THEME

SEED = 1995
OUT = Path(__file__).resolve().parent / "screenshots" / "game.svg"


def steady_clock() -> Iterator[float]:
    now = 0.0
    while True:
        yield now
        now += 2.5


def render(out: Path = OUT) -> Path:
    console = Console(
        record=True,
        width=84,
        theme=THEME,
        force_terminal=True,
        color_system="truecolor",
        highlight=False,
    )
    banks = load_banks().banks
    scripts = {  # what the sample player types, by question id
        "score-band": iter(["Los Lobos"]),
        "bucho-actor": iter(["?", "Joaquim de Almieda"]),
        "soundtrack-artists": iter(["Dire Straits, Link Wray"]),
        "grammy-category": iter(["Best Rock", "B"]),
    }
    keys = {(bank.id, q.id) for bank in banks for q in bank.questions if q.id in scripts}
    asked = select_questions(banks, seed=SEED, count=None, only=keys)
    ticks = steady_clock()
    session = Session(asked, player="Carolina", clock=lambda: next(ticks))

    def read(prompt: str) -> str:
        current = session.current
        answer = next(scripts[current.question.id], "skip") if current else "quit"
        console.print(Text(prompt, style="bold").append(answer, style="accent"))
        return answer

    ui.play(session, console, read)
    console.print(ui.summary_view(session.summary(), SEED, f"desperado-quiz play --seed {SEED}"))
    out.parent.mkdir(parents=True, exist_ok=True)
    console.save_svg(str(out), title="desperado-quiz play")
    return out


if __name__ == "__main__":
    print(render(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT))
