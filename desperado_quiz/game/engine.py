"""The game engine: every rule of a turn, and nothing about where lines come from.

Like a protocol kept apart from its transport, the engine takes what happened (a line
a player typed, the time running out, the game being stopped) and returns events (a
question to show, an input refused and why, an answer judged, a game over). A terminal,
`study` and the live server all drive this one engine, so the rules cannot drift apart.

* Command words: ``?`` or ``hint``, ``skip``, ``quit`` or ``exit``; anything else is an
  answer. A line that is not valid text (undecodable bytes, control characters such as
  an arrow key's escape sequence) is refused, never judged.
* Turn order (``TurnOrder``): a whole turn per player, or question by question, with
  the answers revealed together after each question so that nobody reads another's.
* Between players the keyboard is handed over: the engine waits for one line.
* The clock is injected; a question's time can run out by itself (``time_up``) or be
  found out when a late answer arrives.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import field, replace
from enum import StrEnum

from desperado_quiz.game.session import (
    Asked,
    Outcome,
    Session,
    Status,
    Summary,
    leaderboard,
)
from desperado_quiz.game.settings import GameSettings, SettingsError, TurnOrder, check_name
from desperado_quiz.matching import Invalid
from desperado_quiz.text import visible
from desperado_quiz.values import frozen

Clock = Callable[[], float]
HINT_WORDS = frozenset({"?", "hint"})
SKIP_WORDS = frozenset({"skip"})
QUIT_WORDS = frozenset({"quit", "exit"})
GONE = (Status.QUIT, Status.REMOVED)  # left the game on the way


class Waiting(StrEnum):
    ANSWER = "answer"  # a line for the current question: an answer or a command
    HANDOVER = "handover"  # a line once the next player has the keyboard
    HOST = "host"  # all together: the host opens the next question
    NOTHING = "nothing"  # the game is over


@frozen
class TurnStarted:
    """A player's turn begins. With ``handover``, the previous player's screen must be
    hidden and the engine waits for a line from the new player."""

    player: str
    number: int
    players: int
    handover: bool


@frozen
class QuestionShown:
    asked: Asked
    player: str
    position: int
    total: int
    score: int
    streak: int
    timer: float | None
    has_hint: bool


@frozen
class InputRefused:
    """The line was not an answer; it does not count. ``reason`` says what would be."""

    reason: str


@frozen
class HintShown:
    hint: str | None  # None: this question has no hint, and nothing was spent


@frozen
class AnswerJudged:
    """An answer, judged. Without ``reveal`` (question by question, several players),
    it is only locked in: the verdict waits for ``AnswersRevealed``."""

    player: str
    outcome: Outcome
    timer: float | None
    reveal: bool


@frozen
class AnswersRevealed:
    asked: Asked
    answers: list[tuple[str, Outcome]]
    timer: float | None
    left: list[str] = field(default_factory=list)  # who has left the game by now


@frozen
class PlayerLeft:
    player: str


@frozen
class TurnOver:
    summary: Summary


@frozen
class GameResult:
    settings: GameSettings
    asked: list[Asked]
    players: list[Summary]
    status: Status
    passed: bool | None  # None without a pass mark
    notes: list[str] = field(default_factory=list)

    @property
    def ranked(self) -> list[Summary]:
        return leaderboard(self.players)

    @property
    def replay(self) -> str:
        """The command line that plays this game again; any character that could drive a
        terminal (from a file name or an option) shown as an escape, never obeyed."""
        return visible(self.settings.replay_line(self.asked))


@frozen
class GameOver:
    result: GameResult


Event = (
    TurnStarted
    | QuestionShown
    | InputRefused
    | HintShown
    | AnswerJudged
    | AnswersRevealed
    | PlayerLeft
    | TurnOver
    | GameOver
)


def refusal(line: str) -> str | None:
    """Why a typed line cannot be read at all, or None when it can."""
    if any("\udc80" <= char <= "\udcff" for char in line):
        return "That line was not valid text (not UTF-8); type it again."
    if visible(line) != line:
        return "That line holds control characters (an arrow key's code, perhaps); type it again."
    return None


class Engine:
    """One game: its players' sessions, whose turn it is, and what the game waits for."""

    def __init__(
        self,
        asked: Sequence[Asked],
        settings: GameSettings,
        clock: Clock = time.monotonic,
        notes: Sequence[str] = (),
    ) -> None:
        self.asked = list(asked)
        self.settings = settings
        self.clock = clock
        self.notes = list(notes)
        self.sessions = [
            Session(self.asked, player, settings.timer, settings.practice)
            for player in settings.players
        ]
        self.waiting = Waiting.ANSWER
        self._player = 0
        self._question = 0  # question by question: the index of the question
        self._locked: list[tuple[str, Outcome]] = []
        self._result: GameResult | None = None
        self._opened_at: float | None = None  # all together: when the question opened
        self._answered: dict[str, Outcome] = {}  # all together: who answered it

    @property
    def together(self) -> bool:
        return self.settings.turns is TurnOrder.TOGETHER

    # What comes in --------------------------------------------------------------------

    def start(self) -> list[Event]:
        if self.together:
            self.waiting = Waiting.HOST
            return []
        if len(self.sessions) > 1:
            return [self._turn_started(handover=False), *self._show()]
        return self._show()

    def receive(self, line: str, player: str | None = None) -> list[Event]:
        """A line the player typed (all together: the line of ``player``)."""
        if self.together:
            return self._receive_from(player or "", line)
        if self.waiting is Waiting.NOTHING:
            return []
        if self.waiting is Waiting.HANDOVER:
            if line.strip().casefold() in QUIT_WORDS:
                return self._quits()
            self.waiting = Waiting.ANSWER
            return self._show()
        if reason := refusal(line):
            return [InputRefused(reason)]
        command = line.strip().casefold()
        session = self._session
        if command in QUIT_WORDS:
            return self._quits()
        if command in HINT_WORDS:
            return [HintShown(session.hint())]
        if command in SKIP_WORDS:
            return self._judged(session.skip(self.clock()))
        judged = session.answer(line, self.clock())
        if isinstance(judged, Invalid):
            return [InputRefused(judged.reason)]
        return self._judged(judged)

    def restart_clock(self) -> None:
        """The player has read the last answer's explanation: the question just shown
        starts its time now (a timed game pauses between questions on a terminal)."""
        if self.waiting is Waiting.ANSWER and not self.together:
            self._session.restart_clock(self.clock())

    def time_up(self) -> list[Event]:
        """The current question's time ran out before an answer came (all together:
        the question closes, and who has not answered is late)."""
        if self.waiting is not Waiting.ANSWER:
            return []
        if self.together:
            return self.close_question()
        return self._judged(self._session.time_up(self.clock()))

    # All together (the live game) -----------------------------------------------------

    def add_player(self, name: str) -> str:
        """A new player, before the first question opens; the name as it is kept.
        ``SettingsError`` when the name cannot be one, or is taken."""
        if not self.together or self._opened_at is not None or self._question:
            raise SettingsError("players can only join before the first question")
        name = check_name(name)
        if name.casefold() in {s.player.casefold() for s in self.sessions}:
            raise SettingsError(f"the name {name!r} is taken")
        self.sessions.append(Session(self.asked, name, self.settings.timer, practice=False))
        return name

    def leave(self, player: str, removed: bool = False) -> list[Event]:
        """A player leaves (or the host ``removed`` them): their game ends as quit (or
        removed), and the others go on. All together, before the first question, the
        player is withdrawn instead: nothing was played, so nothing is kept, and the
        name is free again."""
        session = self._by_name(player)
        # All together, an answer to the last question finishes the player's game before
        # the question closes: they can still leave it until then.
        answered = self.together and self._opened_at is not None and player in self._answered
        if session is None or not (session.status is Status.PLAYING or answered):
            return []
        if self.together and self._opened_at is None and not self._question:
            self.sessions.remove(session)
        else:
            status = Status.REMOVED if removed else Status.QUIT
            session.stop(status, self.clock())
            session.status = status
            # Who leaves during a question leaves its counts (the answers shown, how many
            # answered); an answer given before stays in their own game.
            self._answered.pop(player, None)
        return [PlayerLeft(player)]

    @property
    def question_number(self) -> int:
        """All together: the number of the open question, or of the last one closed
        (0 before the first); what a client names when it answers."""
        return self._question + (self._opened_at is not None)

    def answered(self, player: str) -> bool:
        """All together: whether ``player`` has answered the open question."""
        return player in self._answered

    def open_question(self) -> list[Event]:
        """The host shows the next question to everyone; the clock starts for all."""
        if not self.together or self.waiting is not Waiting.HOST:
            return []
        now = self.clock()
        playing = [s for s in self.sessions if s.status is Status.PLAYING]
        if not playing:
            return self.stop(Status.QUIT)
        for session in playing:
            session.show(now)
        self._opened_at, self._answered = now, {}
        self.waiting = Waiting.ANSWER
        first = playing[0]
        asked = first.show(now)
        question = asked.question
        return [
            QuestionShown(
                asked,
                "",
                first.position,
                first.total,
                0,
                0,
                self.settings.timer,
                bool(question.hint),
            )
        ]

    def close_question(self) -> list[Event]:
        """The host closes the question: who has not answered is late; all answers are
        revealed, and the game is over after the last question."""
        if not self.together or self.waiting is not Waiting.ANSWER:
            return []
        now = self.clock()
        asked = self.asked[self._question]
        answers = []
        for session in self.sessions:
            if session.player in self._answered:
                answers.append((session.player, self._answered[session.player]))
            elif session.status is Status.PLAYING:
                answers.append((session.player, session.time_up(now)))
        self._question += 1
        self._opened_at = None
        events: list[Event] = [AnswersRevealed(asked, answers, self.settings.timer)]
        if self._question >= len(self.asked):
            events += [TurnOver(s.summary(now)) for s in self.sessions]
            return events + self._game_over(Status.FINISHED)
        self.waiting = Waiting.HOST
        return events

    def _receive_from(self, player: str, line: str) -> list[Event]:
        session = self._by_name(player)
        if self.waiting is not Waiting.ANSWER or session is None:
            return [InputRefused("No question is open.")]
        if session.status is not Status.PLAYING:
            return [InputRefused("You have left this game.")]
        if player in self._answered:
            return [InputRefused("You have already answered this question.")]
        if reason := refusal(line):
            return [InputRefused(reason)]
        command = line.strip().casefold()
        now = self.clock()
        if command in QUIT_WORDS:
            return self.leave(player)
        if command in HINT_WORDS:
            return [HintShown(session.hint())]
        judged = session.skip(now) if command in SKIP_WORDS else session.answer(line, now)
        if isinstance(judged, Invalid):
            return [InputRefused(judged.reason)]
        self._answered[player] = judged
        return [AnswerJudged(player, judged, self.settings.timer, reveal=False)]

    def _by_name(self, player: str) -> Session | None:
        return next((s for s in self.sessions if s.player == player), None)

    def stop(self, status: Status, players: Status | None = None) -> list[Event]:
        """The game ends before its questions do: quit, end of input, Ctrl-C... Each
        player still playing ends with ``players`` if given (a live game's players did
        not quit when its host ended it), else with the game's ``status``."""
        if self.waiting is Waiting.NOTHING:
            return []
        now = self.clock()
        for session in self.sessions:
            session.stop(players or status, now)
        return self._game_over(status)

    # What the game is waiting for -----------------------------------------------------

    @property
    def deadline(self) -> float | None:
        """The clock reading when the current question's time is up (None: no timer)."""
        if self.waiting is not Waiting.ANSWER:
            return None
        if self.together:
            timer = self.settings.timer
            return None if timer is None or self._opened_at is None else self._opened_at + timer
        return self._session.deadline()

    @property
    def result(self) -> GameResult:
        if self._result is None:
            raise RuntimeError("the game is not over")
        return self._result

    # The turns ------------------------------------------------------------------------

    @property
    def _session(self) -> Session:
        return self.sessions[self._player]

    def _turn_started(self, handover: bool) -> TurnStarted:
        return TurnStarted(
            self._session.player, self._player + 1, len(self.sessions), handover=handover
        )

    def _show(self) -> list[Event]:
        session = self._session
        asked = session.show(self.clock())
        return [
            QuestionShown(
                asked,
                session.player,
                session.position,
                session.total,
                session.score,
                session.streak,
                session.timer,
                bool(asked.question.hint),
            )
        ]

    def _judged(self, outcome: Outcome) -> list[Event]:
        session = self._session
        by_question = self.settings.turns is TurnOrder.QUESTION and len(self.sessions) > 1
        events: list[Event] = [
            AnswerJudged(session.player, outcome, session.timer, not by_question)
        ]
        if by_question:
            self._locked.append((session.player, outcome))
            return events + self._next_in_question_order()
        if session.current is not None:
            return events + self._show()
        events.append(TurnOver(session.summary(self.clock())))
        return events + self._next_turn()

    def _quits(self) -> list[Event]:
        """`quit`: alone, the game ends; with others at the keyboard, this player's game
        ends as quit and the others play on (Ctrl-C or end of input ends it for all)."""
        if len(self.sessions) == 1:
            return self.stop(Status.QUIT)
        session, now = self._session, self.clock()
        session.stop(Status.QUIT, now)
        events: list[Event] = [PlayerLeft(session.player), TurnOver(session.summary(now))]
        if self.settings.turns is TurnOrder.QUESTION:
            return events + self._next_in_question_order()
        return events + self._next_turn()

    def _next_playing(self, after: int) -> int | None:
        """The first player after index ``after`` whose game goes on."""
        following = range(after + 1, len(self.sessions))
        return next((i for i in following if self.sessions[i].status is Status.PLAYING), None)

    def _next_turn(self) -> list[Event]:
        """A whole game each: the keyboard passes to the next player still playing."""
        following = self._next_playing(self._player)
        if following is None:
            return self._game_over(self._end_status())
        self._player = following
        self.waiting = Waiting.HANDOVER
        return [self._turn_started(handover=True)]

    def _next_in_question_order(self) -> list[Event]:
        """Question by question: the next player on this question, or, once all have
        answered it, the answers revealed and the next question's first player."""
        following = self._next_playing(self._player)
        events: list[Event] = []
        if following is None:
            if self._locked:
                timer = self.settings.timer
                left = [s.player for s in self.sessions if s.status in GONE]
                asked = self.asked[self._question]
                events.append(AnswersRevealed(asked, self._locked, timer, left))
            self._locked = []
            self._question += 1
            following = self._next_playing(-1)
            if following is None or self._question >= len(self.asked):
                now = self.clock()
                stayed = [s for s in self.sessions if s.status not in GONE]
                events += [TurnOver(s.summary(now)) for s in stayed]
                return events + self._game_over(self._end_status())
        self._player = following
        self.waiting = Waiting.HANDOVER
        return [*events, self._turn_started(handover=True)]

    def _end_status(self) -> Status:
        """The game reached its end: finished, unless every player quit on the way."""
        quit_all = all(s.status in GONE for s in self.sessions)
        return Status.QUIT if quit_all else Status.FINISHED

    def _game_over(self, status: Status) -> list[Event]:
        self.waiting = Waiting.NOTHING
        now = self.clock()
        summaries = [session.summary(now) for session in self.sessions]
        mark = self.settings.pass_mark
        passed = None if mark is None else all(s.share_of_game * 100 >= mark for s in summaries)
        settings = self.settings
        if self.together:  # the players are known only now: who joined
            settings = replace(settings, players=tuple(s.player for s in self.sessions))
        self._result = GameResult(settings, self.asked, summaries, status, passed, self.notes)
        return [GameOver(self._result)]
