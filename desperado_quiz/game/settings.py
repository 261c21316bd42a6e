"""Everything that decides which game is played, and the command line that replays it."""

from __future__ import annotations

import shlex
import unicodedata
from collections.abc import Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from desperado_quiz.text import visible
from desperado_quiz.values import frozen
from desperado_quiz.vocabulary import DEFAULT_PLAYER

if TYPE_CHECKING:
    from desperado_quiz.game.session import Asked

DEFAULT_COUNT = 10
MAX_NAME_CHARS = 40


class TurnOrder(StrEnum):
    """How several players share the keyboard.

    ``player``: each player plays the whole game in turn, passing the keyboard once;
    feedback follows each answer, as in a game alone. ``question``: every player answers
    question 1, then question 2, and the answers are revealed together after each.
    ``together``: every player, on a device of their own, answers the same question at
    the same time against one clock; the host opens and closes each question (the live
    game; not a choice of ``play``).
    """

    PLAYER = "player"
    QUESTION = "question"
    TOGETHER = "together"


class SettingsError(ValueError):
    """Options that cannot make a game; the message says what to change."""


@frozen
class GameSettings:
    """Everything that decides which game is played, as given on the command line."""

    seed: int
    banks: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    difficulties: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    count: int = DEFAULT_COUNT
    timer: float | None = None
    players: tuple[str, ...] = (DEFAULT_PLAYER,)
    practice: bool = False
    review: bool = False
    turns: TurnOrder = TurnOrder.PLAYER
    questions: tuple[str, ...] = ()  # BANK:ID, played in this order
    pass_mark: float | None = None
    mode: str = "play"  # "study" and "cram" are study sessions (see study.py)

    def __post_init__(self) -> None:
        # From Python, a turn order may come as its name ("together"); lists as lists.
        object.__setattr__(self, "turns", TurnOrder(self.turns))
        for key in ("banks", "categories", "difficulties", "tags", "players", "questions"):
            object.__setattr__(self, key, tuple(getattr(self, key)))
        if not -(2**63) <= self.seed < 2**63:  # what the history can keep
            raise SettingsError("--seed is a whole number between -2^63 and 2^63-1")
        players = tuple(check_name(name) for name in self.players)
        object.__setattr__(self, "players", players)
        if len({name.casefold() for name in players}) < len(players):
            raise SettingsError("two players have the same name; give each a name of their own")
        if self.practice and self.turns is not TurnOrder.PLAYER and len(players) > 1:
            raise SettingsError(
                "--practice repeats a player's missed questions; use it with --turns player"
            )

    def to_dict(self) -> dict[str, Any]:
        return {
            "banks": list(self.banks),
            "categories": list(self.categories),
            "difficulties": list(self.difficulties),
            "tags": list(self.tags),
            "count": len(self.questions) if self.questions else self.count,
            "timer": self.timer,
            "players": list(self.players),
            "practice": self.practice,
            "review": self.review,
            "turns": str(self.turns),
            "questions": list(self.questions),
            "pass_mark": self.pass_mark,
            "mode": self.mode,
        }

    def replay_command(self, asked: Sequence[Asked]) -> list[str]:
        """The command line that plays this game again.

        The seed replays a game drawn by the filters; a game of chosen questions (a
        review, or `--question`) is replayed by naming its questions, in their order.
        """
        together = self.turns is TurnOrder.TOGETHER  # the live game is hosted, not played
        args = ["desperado-quiz", "host" if together else "play", "--seed", str(self.seed)]
        if self.review or self.questions or self.mode != "play":
            firsts = dict.fromkeys(a.reference for a in asked if a.attempt == 1)
            for reference in firsts:
                args += ["--question", reference]
        else:
            args += ["-n", str(self.count)]
            for option, values in (
                ("--category", self.categories),
                ("--difficulty", self.difficulties),
                ("--tag", self.tags),
            ):
                for value in values:
                    args += [option, value]
        for bank in self.banks:
            args += ["--bank", bank]
        if self.players != (DEFAULT_PLAYER,) and not together:
            for player in self.players:
                args += ["--player", player]
        if self.turns is TurnOrder.QUESTION:
            args += ["--turns", str(self.turns)]
        if self.timer:
            args += ["--timer", f"{self.timer:g}"]
        if self.practice:
            args.append("--practice")
        return args

    def replay_line(self, asked: Sequence[Asked]) -> str:
        """``replay_command`` as one line to paste into a shell."""
        return shlex.join(self.replay_command(asked))


def check_name(name: str) -> str:
    """A player's name, trimmed and in NFKC form (fullwidth letters become plain ones, so that it
    cannot pass for another player); ``SettingsError`` when it cannot be one."""
    name = " ".join(unicodedata.normalize("NFKC", name).split())
    if not name:
        raise SettingsError("a player's name cannot be empty")
    if visible(name) != name:  # control characters, undecodable bytes, bidi overrides
        raise SettingsError("a player's name cannot hold control characters")
    invisible = any(unicodedata.category(char) in ("Cf", "Co", "Cn") for char in name)
    if invisible or unicodedata.category(name[0]) == "Mn":  # or a lone combining mark first
        raise SettingsError("a player's name cannot hold invisible characters")
    if len(name) > MAX_NAME_CHARS:
        raise SettingsError(f"a player's name is at most {MAX_NAME_CHARS} characters")
    return name
