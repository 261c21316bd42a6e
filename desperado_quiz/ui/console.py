"""The two consoles every command prints through, and the reader of typed lines.

Rich resolves ``sys.stdout``/``sys.stderr`` at write time, so these module-level
consoles also work under test runners that swap the streams.
"""

from __future__ import annotations

import contextlib
import re
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from types import FrameType

from rich.console import Console
from rich.segment import Segment
from rich.text import Text
from rich.theme import Theme

from desperado_quiz.text import visible

Reader = Callable[[str], str]
BAR_WIDTH = 10
ECHO_CHARS = 200  # a piped line is echoed so that a transcript shows it, but not 10 MB

THEME = Theme(
    {
        "good": "bold green",
        "bad": "bold red",
        "warn": "yellow",
        "muted": "dim",
        "accent": "bold cyan",
        "path": "magenta",
        "quote": "italic dim",
    }
)


_TRAILING_SPACES = re.compile(r"[ \t]+\n")
PIPED_LINE_BYTES = 64 * 1024  # kept of a piped line: 16 times the longest answer's bytes


class QuizConsole(Console):
    """Rich ends the program (status 1) when its reader goes away; a game must instead
    end as a game does, saved, so the broken pipe is passed on to the game's loop."""

    def on_broken_pipe(self) -> None:
        raise BrokenPipeError

    def _render_buffer(self, buffer: Iterable[Segment]) -> str:
        """Off a terminal (a pipe, a file, a log), no line ends in the spaces that pad a
        table's cells to its width: they are noise to `diff`, `grep` and editors."""
        text = super()._render_buffer(buffer)
        return text if self.is_terminal else _TRAILING_SPACES.sub("\n", text)


# No emoji codes: a ":name:" in our own markup's text stays as written, and Rich's
# table of emoji names (2.5 ms to import) is never loaded.
console = QuizConsole(theme=THEME, highlight=False, emoji=False)
error_console = QuizConsole(theme=THEME, stderr=True, highlight=False, emoji=False)


class TimeUp(Exception):
    """The deadline of a question passed while the player was typing."""


class Terminated(BaseException):
    """SIGTERM: end the game as for Ctrl-C, keep what was answered, exit 143."""


class LineReader:
    """Reads a line at a time, from a terminal or from a pipe.

    * On a terminal, ``readline`` gives line editing (arrow keys move the cursor instead
      of typing ``^[[D``) and the history of earlier answers (up arrow).
    * From a pipe, bytes are read and decoded as UTF-8; bytes that are not UTF-8 stay
      as surrogate escapes, for the game to refuse. Each line is echoed, so that a
      transcript shows what was answered.
    * With a deadline, on a terminal, the wait ends by itself (``TimeUp``).
    """

    def __init__(self, out: Console) -> None:
        self.out = out
        self.interactive = sys.stdin.isatty()
        self._late = False
        if self.interactive:
            with contextlib.suppress(ImportError):  # not every platform has readline
                import readline  # noqa: F401 (importing it is what turns it on)

    def __call__(self, prompt: str) -> str:
        return self.read(prompt)

    def read(self, prompt: str, seconds: float | None = None) -> str:
        if not self.interactive:
            return self._read_piped(prompt)
        if self._late:  # keys pressed while the answer to a late one was shown
            _discard_typeahead()
            self._late = False
        try:
            with _alarm(seconds):
                if self.out.file is sys.stdout:
                    return input(prompt)  # readline knows the prompt: editing redraws it
                self.out.print(Text(prompt), end="")  # --json: the game talks on stderr
                return input()
        except TimeUp:
            self._late = True  # what is typed now must not start the next answer
            raise

    def forget(self) -> None:
        """Empty readline's history of earlier answers (a new player's turn)."""
        if self.interactive:
            with contextlib.suppress(ImportError):
                import readline

                readline.clear_history()

    def _read_piped(self, prompt: str) -> str:
        self.out.print(Text(prompt), end="")
        data = sys.stdin.buffer.readline(PIPED_LINE_BYTES)
        if not data:
            raise EOFError
        if len(data) == PIPED_LINE_BYTES and not data.endswith(b"\n"):
            # Far longer than any answer: the rest of the line is read and dropped, a
            # piece at a time, so that memory stays flat; what is kept is refused.
            while (rest := sys.stdin.buffer.readline(PIPED_LINE_BYTES)) and not rest.endswith(
                b"\n"
            ):
                pass
        line = data.decode("utf-8", "surrogateescape").rstrip("\r\n")
        shown = line if len(line) <= ECHO_CHARS else line[:ECHO_CHARS] + "…"
        with contextlib.suppress(BrokenPipeError):  # the answer counts all the same
            # An empty line shows as the key pressed: a prompt never ends a line in spaces.
            self.out.print(Text(visible(shown)) if shown else Text("(Enter)", style="muted"))
        return line


@contextlib.contextmanager
def _alarm(seconds: float | None) -> Iterator[None]:
    """Raise ``TimeUp`` in the main thread after ``seconds``, even inside ``input()``."""
    if seconds is None or threading.current_thread() is not threading.main_thread():
        yield
        return
    if seconds <= 0:
        raise TimeUp

    def ring(_signal: int, _frame: FrameType | None) -> None:
        raise TimeUp

    previous = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _discard_typeahead() -> None:
    """Drop what was typed on the terminal and not read yet. (readline clears its own
    half-typed line when a signal interrupts it.)"""
    try:
        import termios
    except ImportError:  # not a POSIX terminal: nothing to flush
        return
    with contextlib.suppress(OSError, ValueError, termios.error):
        termios.tcflush(sys.stdin.fileno(), termios.TCIFLUSH)


def line_reader(out: Console) -> Reader:
    """A plain ``read(prompt)`` for the wizard and the questions commands ask."""
    return LineReader(out)


def accuracy_bar(right: int, total: int) -> Text:
    """A bar with its number beside it, so the share never rests on colour alone."""
    return share_bar(right / total if total else 0.0).append(f" ({right}/{total})")


def share_bar(share: float) -> Text:
    """A share from 0 to 1 as a bar and a percentage."""
    filled = round(share * BAR_WIDTH)
    bar = Text("█" * filled, style="good").append("░" * (BAR_WIDTH - filled), style="muted")
    return bar.append(f" {share:4.0%}")
