"""The live game's room: who is in it, and what each message does to the game.

No I/O and no clock of its own: the server feeds it what arrived and sends what it
returns. Every rule of the game (names, late answers, scoring, command words, ranking)
stays in the engine; the room only adds what a room needs: the join code, a token per
player for coming back, who is connected, and the messages of the protocol.
"""

from __future__ import annotations

import hmac
import re
import secrets
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from itertools import islice
from typing import Protocol

from desperado_quiz.game import (
    AnswerJudged,
    AnswersRevealed,
    Engine,
    GameOver,
    GameResult,
    HintShown,
    InputRefused,
    PlayerLeft,
    QuestionShown,
    SettingsError,
    Status,
    Summary,
    Verdict,
    Waiting,
    leaderboard,
)
from desperado_quiz.game.session import Asked, Outcome
from desperado_quiz.game.settings import check_name
from desperado_quiz.live.board import Board
from desperado_quiz.live.names import NameRefused, check_live_name, skeleton
from desperado_quiz.live.protocol import (
    LATEST,
    AcceptedMessage,
    ByeMessage,
    ErrorMessage,
    HintMessage,
    LobbyMessage,
    LobbyV1Message,
    OverCommon,
    OverV1Message,
    QuestionMessage,
    RevealCommon,
    StandingJSON,
    TallyJSON,
    WelcomeCommon,
    WelcomeMessage,
    WelcomeV1Message,
    error,
)
from desperado_quiz.matching import letters
from desperado_quiz.model import ChoiceQuestion, MultiQuestion
from desperado_quiz.scoring import POINTS
from desperado_quiz.text import normalise_answer
from desperado_quiz.wording import how_to_answer, lettered, right_answer, shown_answer

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread
CODE_LENGTH = 5
CODE_PATTERN = re.compile(r"[A-Z0-9]{4,12}")
MAX_PLAYERS = 1000  # the default; `host --max-players` sets another...
MOST_PLAYERS = 10_000  # ...up to this (1,000 is what docs/performance.md measures)
TALLY_ROWS = 6  # typed answers: the most common ones, then "other answers"
NO_ANSWER = "No answer"  # none in time: a player's own screen says the same
SKIPPED = "Skipped"


class Refused(Exception):
    """A join or rejoin that cannot be taken; ``code`` names why, for clients."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def check_code(code: str) -> str:
    """A join code as the host gives it: 4 to 12 letters or digits, any case."""
    code = code.strip().upper()
    if not CODE_PATTERN.fullmatch(code):
        raise SettingsError("a join code is 4 to 12 letters or digits")
    return code


class CodeGate(Protocol):
    """Whether a join code may be compared now, and what a wrong one costs (the
    server's rate limits, per address and per game: ``guard.py``)."""

    def check(self) -> None: ...  # Refused ("code-limit") when it may not
    def wrong(self) -> None: ...


class _Open:
    def check(self) -> None:
        pass

    def wrong(self) -> None:
        pass


OPEN_GATE = _Open()


@dataclass
class Seat:
    name: str
    token: str
    connected: bool = True


@dataclass(frozen=True)
class Closed:
    """A question closed: the engine's reveal, the question's part of the ``reveal``
    message, the standings after it, and the result at the end."""

    revealed: AnswersRevealed
    reveal: RevealCommon
    board: Board
    result: GameResult | None


class Room:
    def __init__(
        self,
        engine: Engine,
        code: str,
        max_players: int = MAX_PLAYERS,
        token: Callable[[], str] = lambda: secrets.token_urlsafe(18),
    ) -> None:
        self.engine = engine
        self.code = check_code(code)
        self.max_players = max_players
        self._token = token
        self.seats: dict[str, Seat] = {}
        self._by_token: dict[str, str] = {}
        self._removed: set[str] = set()  # the tokens of players the host removed
        self._looks: dict[str, str] = {}  # each name's skeleton -> the name
        # Kept as players come and go, so that each answer costs the same in any room
        # (the seats are the players still in the game):
        self._here: set[str] = set()  # seated and connected
        self._waiting: set[str] = set()  # ...and yet to answer the open question
        self._answered: set[str] = set()  # seated, and answered the open question...
        self._skipped: set[str] = set()  # ...or passed it with `skip` (not an answer)
        self._ranks: dict[str, int] = {}
        self._last: AnswersRevealed | None = None
        self._final: tuple[GameResult, Board] | None = None
        engine.start()

    # The state of the game ----------------------------------------------------------

    @property
    def state(self) -> str:
        if self.engine.waiting is Waiting.NOTHING:
            return "over"
        if self.engine.waiting is Waiting.ANSWER:
            return "question"
        return "reveal" if self.engine.question_number else "lobby"

    @property
    def total(self) -> int:
        return len(self.engine.asked)

    @property
    def players(self) -> list[str]:
        return list(self.seats)

    def latest(self) -> list[str]:
        """The latest players to join, the latest last (at most ``LATEST``)."""
        return list(islice(reversed(self.seats), LATEST))[::-1]

    def summaries(self) -> list[Summary]:
        now = self.engine.clock()
        return [session.summary(now) for session in self.engine.sessions]

    # Joining and leaving --------------------------------------------------------------

    def join(self, code: str, name: str, gate: CodeGate = OPEN_GATE) -> Seat:
        """A new player. The code is compared only in the lobby, with a seat free and
        when ``gate`` allows it: a refusal for any other reason says nothing about it."""
        if self.state != "lobby":
            raise Refused("started", "The game has started; only its players can come back.")
        if len(self.seats) >= self.max_players:
            raise Refused("full", f"The game is full ({self.max_players:,} players).")
        self._check(code, gate)
        try:
            name = check_live_name(check_name(name), self._looks)
            name = self.engine.add_player(name)
        except (SettingsError, NameRefused) as problem:
            text = str(problem)
            raise Refused("name", f"{text[0].upper()}{text[1:]}; choose another name.") from None
        seat = Seat(name, self._token())
        self.seats[name] = seat
        self._by_token[seat.token] = name
        self._looks[skeleton(name)] = name
        self._here.add(name)
        return seat

    def rejoin(
        self, code: str, token: str, gate: CodeGate = OPEN_GATE, replace: bool = True
    ) -> Seat:
        """A player back with their token; the code is compared only for a token that
        is (or was) one of this game's, so a made-up token learns nothing about the
        code. A player the host removed is told so. Without ``replace``, a seat that
        another connection plays now is not taken (``in-use``): the client asks first."""
        name = self._by_token.get(token)
        if name is None:
            if token in self._removed:
                self._check(code, gate)
                raise Refused("removed", "The host removed you from the game.")
            raise Refused("token", "That token is not one of this game's players.")
        self._check(code, gate)
        seat = self.seats[name]
        if seat.connected and not replace:
            raise Refused("in-use", f"{name} is playing from another terminal or phone right now.")
        seat.connected = True
        self._here.add(name)
        if self.state == "question" and not self.engine.answered(name):
            self._waiting.add(name)
        return seat

    def disconnect(self, name: str) -> None:
        """The player's connection went; their seat waits for them."""
        if (seat := self.seats.get(name)) is not None:
            seat.connected = False
        self._here.discard(name)
        self._waiting.discard(name)

    def _check(self, code: str, gate: CodeGate) -> None:
        gate.check()
        if not hmac.compare_digest(code.strip().upper().encode(), self.code.encode()):
            gate.wrong()
            raise Refused("code", "That is not this game's code.")

    def welcome(self, seat: Seat, version: int) -> WelcomeMessage | WelcomeV1Message:
        session = next(s for s in self.engine.sessions if s.player == seat.name)
        common: WelcomeCommon = {
            "type": "welcome",
            "version": version,
            "name": seat.name,
            "token": seat.token,
            "questions": self.total,
            "seconds": self.engine.settings.timer or 0,
            "state": self.state,  # type: ignore[typeddict-item]
            "score": session.score,
        }
        if version == 1:
            return {**common, "players": self.players}
        return {**common, "players": len(self.seats), "latest": self.latest()}

    def lobby(self, version: int) -> LobbyMessage | LobbyV1Message:
        if version == 1:
            return {"type": "lobby", "players": self.players}
        return {"type": "lobby", "players": len(self.seats), "latest": self.latest()}

    def leave(self, name: str, removed: bool = False) -> bool:
        """The player leaves (or the host ``removed`` them): their token stops working.
        Before the first question they are withdrawn; later their game ends as quit (or
        removed) and is kept."""
        seat = self.seats.pop(name, None)
        if seat is None:
            return False
        del self._by_token[seat.token]
        if removed:  # so that their client, back with the token, is told why it is refused
            self._removed.add(seat.token)
        for kept in (self._here, self._waiting, self._answered, self._skipped):
            kept.discard(name)
        if self.state == "lobby":  # withdrawn: the name, and names like it, are free again
            self._looks.pop(skeleton(name), None)
        self.engine.leave(name, removed)
        return True

    def find(self, name: str) -> str | None:
        """A player named by the host, in any case."""
        wanted = " ".join(name.split()).casefold()
        return next((n for n in self.seats if n.casefold() == wanted), None)

    # Questions ------------------------------------------------------------------------

    def open_question(self) -> QuestionShown | None:
        """The next question, for everyone; None when nobody is left to play it (the
        game is then over)."""
        events = self.engine.open_question()
        self._answered, self._skipped = set(), set()
        self._waiting = set(self._here)
        return next((e for e in events if isinstance(e, QuestionShown)), None)

    def question_message(self, player: str | None = None) -> QuestionMessage:
        number = self.engine.question_number
        asked = self.engine.asked[number - 1]
        question = asked.question
        deadline = self.engine.deadline
        left = max(deadline - self.engine.clock(), 0.0) if deadline is not None else 0.0
        return {
            "type": "question",
            "number": number,
            "total": self.total,
            "kind": question.type,
            "category": question.category,
            "difficulty": question.difficulty,
            "points": POINTS[question.difficulty],
            "text": question.question,
            "options": [
                {"letter": letter, "text": option}
                for letter, option in zip(letters(len(asked.options)), asked.options, strict=True)
            ],
            "how": how_to_answer(asked),
            "has_hint": bool(question.hint),
            "seconds": self.engine.settings.timer or 0,
            "seconds_left": round(left, 3),
            "answered": player is not None and self.engine.answered(player),
        }

    def answer(
        self, name: str, number: int, text: str
    ) -> AcceptedMessage | HintMessage | ErrorMessage | ByeMessage:
        """A line from ``name`` for question ``number``, judged by the engine."""
        if self.state != "question":
            return error("no-question", "No question is open.")
        if number != self.engine.question_number:
            return error(
                "wrong-question",
                f"Question {number} is not open; question {self.engine.question_number} is.",
            )
        if self.engine.answered(name):
            return error("already-answered", f"You have already answered question {number}.")
        events = self.engine.receive(text, player=name)
        if name in self.seats and self.engine.answered(name):
            self._waiting.discard(name)
        for event in events:
            match event:
                case AnswerJudged(outcome=outcome):
                    skipped = outcome.verdict is Verdict.SKIPPED
                    (self._skipped if skipped else self._answered).add(name)
                    return {"type": "accepted", "question": number, "given": _given(outcome)}
                case HintShown(hint=hint):
                    return {"type": "hint", "question": number, "text": hint}
                case PlayerLeft():
                    self.leave(name)
                    return {"type": "bye", "reason": "left", "message": "You left the game."}
                case InputRefused(reason=reason):
                    return error("not-an-answer", reason)
        return error("not-an-answer", "That line was not taken.")

    def progress(self) -> tuple[int, int]:
        """(answered, in the game) for the open question: a skip is not an answer (see
        ``skipped``), though it closes the question for that player as an answer does."""
        return len(self._answered), len(self.seats)

    def skipped(self) -> int:
        """How many passed the open question with `skip`."""
        return len(self._skipped)

    def everyone_answered(self) -> bool:
        """Every connected player still in the game has answered: the question can close
        before its time. Nobody connected is not everyone: the clock then decides."""
        return bool(self._here) and not self._waiting

    def close_question(self, time_up: bool = False) -> Closed | None:
        """Close the open question (at its deadline when ``time_up``): the reveal, and
        the game's result after the last question."""
        events = self.engine.time_up() if time_up else self.engine.close_question()
        revealed = next((e for e in events if isinstance(e, AnswersRevealed)), None)
        if revealed is None:
            return None
        self._last = revealed
        over = next((e.result for e in events if isinstance(e, GameOver)), None)
        board = Board(self.standings(over.ranked if over else leaderboard(self.summaries())))
        if over is not None:
            self._final = (over, board)
        question = revealed.asked.question
        reveal: RevealCommon = {
            "type": "reveal",
            "number": self.engine.question_number,
            "total": self.total,
            "answer": right_answer(revealed.asked),
            "explanation": question.explanation,
            "quotes": list(question.quotes),
            "tally": tally(revealed),
            "last": over is not None,
        }
        return Closed(revealed, reveal, board, over)

    def stop(self, status: Status) -> GameResult:
        """The host ends the game now (``quit``, Ctrl-C, its screen gone): the standings
        so far. The game ends as ``status``; its players did not quit, so each one still
        playing ends as ``ended-by-host``."""
        self.engine.stop(status, players=Status.ENDED_BY_HOST)
        return self.engine.result

    # Standings ------------------------------------------------------------------------

    def standings(self, ranked: list[Summary]) -> list[StandingJSON]:
        """Every player's place, with what the last question changed."""
        last = dict(self._last.answers) if self._last else {}
        rows: list[StandingJSON] = []
        for rank, summary in enumerate(ranked, start=1):
            name = summary.player
            outcome = last.get(name)
            before = self._ranks.get(name)
            seat = self.seats.get(name)
            rows.append(
                {
                    "rank": rank,
                    "player": name,
                    "score": summary.score,
                    "gained": outcome.points.total if outcome else 0,
                    "moved": before - rank if before is not None else 0,
                    "verdict": str(outcome.verdict) if outcome else None,
                    "right": summary.right,
                    "answered": len(summary.outcomes),
                    "best_streak": summary.best_streak,
                    "status": str(summary.status),
                    "connected": seat is not None and seat.connected,
                }
            )
        self._ranks = {row["player"]: row["rank"] for row in rows}
        return rows

    def final(self, result: GameResult) -> Board:
        """The final standings, worked out once: after the last question they are that
        question's (so each row's change is the last question's)."""
        if self._final is None or self._final[0] is not result:
            self._final = (result, Board(self.standings(result.ranked)))
        return self._final[1]

    def over_common(self, result: GameResult) -> OverCommon:
        return {
            "type": "over",
            "status": str(result.status),
            "questions": self.engine.question_number,
            "total": self.total,
        }

    def over_message(self, result: GameResult) -> OverV1Message:
        """The whole table: what a version 1 client gets, and the host's report."""
        return {**self.over_common(result), "standings": self.final(result).rows}


def _typed_rows(asked: Asked, given: list[Outcome]) -> list[TallyJSON]:
    """Typed answers: every right one under the right answer, however it was spelt; the
    commonest wrong ones by their words, each shown as most players typed it."""
    right = sum(1 for o in given if o.correct)
    wrong: dict[str, Counter[str]] = {}
    for o in given:
        if not o.correct:
            typed = shown_answer(asked, o.given)
            wrong.setdefault(normalise_answer(typed) or typed, Counter())[typed] += 1
    counts = [(right_answer(asked), right, True)] if right else []
    counts += [(typed.most_common(1)[0][0], typed.total(), False) for typed in wrong.values()]
    counts.sort(key=lambda row: -row[1])  # stable: a tie keeps the right answer first
    rows: list[TallyJSON] = [
        {"answer": answer, "count": count, "right": is_right}
        for answer, count, is_right in counts[:TALLY_ROWS]
    ]
    if others := sum(count for _, count, _ in counts[TALLY_ROWS:]):
        rows.append({"answer": "Other answers", "count": others, "right": False})
    return rows


def _given(outcome: Outcome) -> str:
    if outcome.verdict is Verdict.SKIPPED:
        return "skipped"
    return shown_answer(outcome.asked, outcome.given)


def answered_in_time(revealed: AnswersRevealed) -> list[Outcome]:
    """The answers given before the deadline (a skip is not an answer)."""
    return [o for _, o in revealed.answers if o.verdict not in (Verdict.LATE, Verdict.SKIPPED)]


def skips(revealed: AnswersRevealed) -> int:
    return sum(o.verdict is Verdict.SKIPPED for _, o in revealed.answers)


def tally(revealed: AnswersRevealed) -> list[TallyJSON]:
    """How many gave each answer: every choice in the order shown (each pick of a multi
    answer counts), otherwise the commonest answers typed; then who skipped, and who
    gave no answer in time."""
    asked = revealed.asked
    question = asked.question
    given = answered_in_time(revealed)
    skipped = skips(revealed)
    silent = len(revealed.answers) - len(given) - skipped
    rows: list[TallyJSON] = []
    if isinstance(question, ChoiceQuestion | MultiQuestion):
        right = set(question.answer) if isinstance(question, MultiQuestion) else {question.answer}
        picks = Counter(
            pick
            for o in given
            for pick in ([o.given] if isinstance(question, ChoiceQuestion) else o.given.split(", "))
        )
        for option in asked.options:
            rows.append(
                {
                    "answer": lettered(asked, option),
                    "count": picks[option],
                    "right": option in right,
                }
            )
    else:
        rows += _typed_rows(asked, given)
    if skipped:
        rows.append({"answer": SKIPPED, "count": skipped, "right": False})
    if silent:
        rows.append({"answer": NO_ANSWER, "count": silent, "right": False})
    return rows
