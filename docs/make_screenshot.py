"""Render a sample game to docs/screenshots/ for the README.

Run after changing how the game looks:  python docs/make_screenshot.py
It drives the real engine and the real terminal screen with scripted answers on a
recording Rich console, and writes two pictures: the start of a game (game.svg), and
the feedback on the last answer with the summary (summary.svg).
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from pathlib import Path

from rich.console import Console
from rich.text import Text

from desperado_quiz.game import AnswerJudged, Engine, Event, GameSettings, pick_questions
from desperado_quiz.store import load_banks
from desperado_quiz.ui.console import THEME
from desperado_quiz.ui.play import Screen, drive

SEED = 1995
OUT = Path(__file__).resolve().parent / "screenshots"
SCRIPT = {  # what the sample player types, by question
    "desperado-music:score-band": ["Los Lobos"],
    "desperado-cast:el-mariachi-actor": ["?", "D"],
    "desperado-production:codpiece-gun": ["crotch gunn"],
    "desperado-music:soundtrack-artists": ["Dire Straits, Link Wray"],
    "desperado-story:setting": ["Texas"],
}
FIRST_PICTURE_AFTER = 2  # answers in game.svg; the rest is in summary.svg


def steady_clock() -> Iterator[float]:
    now = 0.0
    while True:
        yield now
        now += 2.5


class ScriptedPlayer:
    """Types the script's answers at the prompt, and shows them as if typed."""

    interactive = True

    def __init__(self, console: Console, engine: Engine) -> None:
        self.console = console
        self.engine = engine
        self.lines = {key: iter(answers) for key, answers in SCRIPT.items()}

    def read(self, prompt: str, seconds: float | None = None) -> str:
        asked = self.engine.sessions[0].current
        answer = next(self.lines[asked.reference], "skip") if asked else "quit"
        self.console.print(Text(prompt, style="bold").append(answer, style="accent"))
        return answer

    def forget(self) -> None:
        """One player: nothing to forget."""


class PictureScreen(Screen):
    """The real screen, saving the first picture once enough answers are shown."""

    def __init__(self, console: Console, folder: Path) -> None:
        super().__init__(console, several=False)
        self.folder = folder
        self.answers = 0

    def show(self, event: Event) -> None:
        super().show(event)
        if isinstance(event, AnswerJudged):
            self.answers += 1
            if self.answers == FIRST_PICTURE_AFTER:
                self.out.save_svg(str(self.folder / "game.svg"), title="desperado-quiz play")


def render(folder: Path = OUT) -> list[Path]:
    console = Console(
        file=io.StringIO(),  # recorded, not shown
        record=True,
        width=84,
        theme=THEME,
        force_terminal=True,
        color_system="truecolor",
        highlight=False,
    )
    folder.mkdir(parents=True, exist_ok=True)
    settings = GameSettings(seed=SEED, players=("Carolina",), questions=tuple(SCRIPT))
    asked = pick_questions(load_banks().banks, settings.questions, SEED).asked
    ticks = steady_clock()
    engine = Engine(asked, settings, clock=lambda: next(ticks))
    drive(engine, PictureScreen(console, folder), ScriptedPlayer(console, engine))
    console.save_svg(str(folder / "summary.svg"), title="desperado-quiz play")
    return [folder / "game.svg", folder / "summary.svg"]


if __name__ == "__main__":
    for picture in render(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT):
        print(picture)
