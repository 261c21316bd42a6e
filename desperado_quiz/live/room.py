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
from desperado_quiz.live.protocol import (
    PROTOCOL_VERSION,
    AcceptedMessage,
    ByeMessage,
    ErrorMessage,
    HintMessage,
    OverMessage,
    QuestionMessage,
    RevealMessage,
    StandingJSON,
    TallyJSON,
    WelcomeMessage,
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
MAX_PLAYERS = 200
TALLY_ROWS = 6  # typed answers: the most common ones, then "other answers"
NO_ANSWER = "No answer"


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


@dataclass
class Seat:
    name: str
    token: str
    connected: bool = True


@dataclass(frozen=True)
class Closed:
    """A question closed: the engine's reveal, its message, and the result at the end."""

    revealed: AnswersRevealed
    message: RevealMessage
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
        self._ranks: dict[str, int] = {}
        self._last: AnswersRevealed | None = None
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

    def summaries(self) -> list[Summary]:
        now = self.engine.clock()
        return [session.summary(now) for session in self.engine.sessions]

    # Joining and leaving --------------------------------------------------------------

    def join(self, code: str, name: str) -> Seat:
        self._check(code)
        if self.state != "lobby":
            raise Refused("started", "The game has started; only its players can come back.")
        if len(self.seats) >= self.max_players:
            raise Refused("full", f"The game is full ({self.max_players} players).")
        try:
            name = self.engine.add_player(name)
        except SettingsError as problem:
            text = str(problem)
            raise Refused("name", f"{text[0].upper()}{text[1:]}; choose another name.") from None
        seat = Seat(name, self._token())
        self.seats[name] = seat
        self._by_token[seat.token] = name
        return seat

    def rejoin(self, code: str, token: str) -> Seat:
        self._check(code)
        name = self._by_token.get(token)
        if name is None:
            raise Refused("token", "That token is not one of this game's players.")
        seat = self.seats[name]
        seat.connected = True
        return seat

    def _check(self, code: str) -> None:
        if not hmac.compare_digest(code.strip().upper().encode(), self.code.encode()):
            raise Refused("code", "That is not this game's code.")

    def welcome(self, seat: Seat) -> WelcomeMessage:
        session = next(s for s in self.engine.sessions if s.player == seat.name)
        return {
            "type": "welcome",
            "version": PROTOCOL_VERSION,
            "name": seat.name,
            "token": seat.token,
            "players": self.players,
            "questions": self.total,
            "seconds": self.engine.settings.timer or 0,
            "state": self.state,  # type: ignore[typeddict-item]
            "score": session.score,
        }

    def leave(self, name: str, removed: bool = False) -> bool:
        """The player leaves (or the host ``removed`` them): their token stops working.
        Before the first question they are withdrawn; later their game ends as quit (or
        removed) and is kept."""
        seat = self.seats.pop(name, None)
        if seat is None:
            return False
        del self._by_token[seat.token]
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
        for event in self.engine.receive(text, player=name):
            match event:
                case AnswerJudged(outcome=outcome):
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
        """(answered, in the game) for the open question."""
        playing = [s.player for s in self.engine.sessions if _in_game(s.status)]
        return sum(self.engine.answered(p) for p in playing), len(playing)

    def everyone_answered(self) -> bool:
        """Every connected player still in the game has answered: the question can close
        before its time. Nobody connected is not everyone: the clock then decides."""
        status = {s.player: s.status for s in self.engine.sessions}
        here = [n for n, seat in self.seats.items() if seat.connected and _in_game(status[n])]
        return bool(here) and all(self.engine.answered(n) for n in here)

    def close_question(self, time_up: bool = False) -> Closed | None:
        """Close the open question (at its deadline when ``time_up``): the reveal, and
        the game's result after the last question."""
        events = self.engine.time_up() if time_up else self.engine.close_question()
        revealed = next((e for e in events if isinstance(e, AnswersRevealed)), None)
        if revealed is None:
            return None
        self._last = revealed
        over = next((e.result for e in events if isinstance(e, GameOver)), None)
        standings = self.standings(over.ranked if over else leaderboard(self.summaries()))
        question = revealed.asked.question
        message: RevealMessage = {
            "type": "reveal",
            "number": self.engine.question_number,
            "total": self.total,
            "answer": right_answer(revealed.asked),
            "explanation": question.explanation,
            "quotes": list(question.quotes),
            "tally": tally(revealed),
            "standings": standings,
            "last": over is not None,
        }
        return Closed(revealed, message, over)

    def stop(self, status: Status) -> GameResult:
        """End the game now (the host's Ctrl-C, or nobody left): standings so far."""
        self.engine.stop(status)
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

    def over_message(self, result: GameResult) -> OverMessage:
        standings = self.standings(result.ranked)
        return {
            "type": "over",
            "status": str(result.status),
            "questions": self.engine.question_number,
            "standings": standings,
        }


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


def _in_game(status: Status) -> bool:
    """Still in the game: playing, or done with the last question (not gone)."""
    return status in (Status.PLAYING, Status.FINISHED)


def _given(outcome: Outcome) -> str:
    if outcome.verdict is Verdict.SKIPPED:
        return "skipped"
    return shown_answer(outcome.asked, outcome.given)


def answered_in_time(revealed: AnswersRevealed) -> list[Outcome]:
    """The answers given before the deadline (skips count as given)."""
    return [o for _, o in revealed.answers if o.given and o.verdict is not Verdict.LATE]


def tally(revealed: AnswersRevealed) -> list[TallyJSON]:
    """How many gave each answer: every choice in the order shown (each pick of a multi
    answer counts), otherwise the commonest answers typed; then those with none."""
    asked = revealed.asked
    question = asked.question
    given = answered_in_time(revealed)
    silent = len(revealed.answers) - len(given)
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
    if silent:
        rows.append({"answer": NO_ANSWER, "count": silent, "right": False})
    return rows
