"""The live game's protocol: JSON messages over a WebSocket, one shape per ``type``.

docs/live.md documents every message for people who write a client. A client's message
is data to check, never a command to trust: ``parse`` accepts only the shapes below,
within the limits below, and says what was wrong otherwise. What the server sends is
built by the room (``room.py``) as the TypedDicts here and written by ``encode``.

Nothing here does I/O or imports the transport, so the shapes can be tested, and the
standings' JSON Schema generated, without a network.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError
from typing_extensions import TypedDict

PROTOCOL_VERSION = 1
MAX_MESSAGE_BYTES = 4096  # a client's message; larger ones close the connection (1009)
MAX_NAME_FIELD = 200  # the engine keeps 40 characters; this only bounds the work
MAX_CODE_FIELD = 16
MAX_TOKEN_FIELD = 64
WS_PATH = "/ws"


class ProtocolError(Exception):
    """A client's message that cannot be taken; ``code`` is the error's stable name."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


# What a client sends -------------------------------------------------------------------


class _Incoming(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Join(_Incoming):
    type: Literal["join"]
    version: int
    code: Annotated[str, Field(max_length=MAX_CODE_FIELD)]
    name: Annotated[str, Field(max_length=MAX_NAME_FIELD)]


class Rejoin(_Incoming):
    type: Literal["rejoin"]
    version: int
    code: Annotated[str, Field(max_length=MAX_CODE_FIELD)]
    token: Annotated[str, Field(max_length=MAX_TOKEN_FIELD)]


class Answer(_Incoming):
    """A line the player typed for question ``question``: an answer, or one of play's
    command words (``?``/``hint``, ``skip``, ``quit``), judged by the same engine."""

    type: Literal["answer"]
    question: Annotated[int, Field(ge=1, le=10_000)]
    text: str


class Hint(_Incoming):
    type: Literal["hint"]
    question: Annotated[int, Field(ge=1, le=10_000)]


class Leave(_Incoming):
    type: Literal["leave"]


Incoming = Annotated[Join | Rejoin | Answer | Hint | Leave, Field(discriminator="type")]
INCOMING_TYPES = ("join", "rejoin", "answer", "hint", "leave")
_incoming: TypeAdapter[Join | Rejoin | Answer | Hint | Leave] = TypeAdapter(Incoming)


def parse(raw: str | bytes) -> Join | Rejoin | Answer | Hint | Leave:
    """A client's message, checked; ``ProtocolError`` says what is wrong with it."""
    if not isinstance(raw, str):
        raise ProtocolError("bad-message", "Send JSON text frames, not binary ones.")
    if len(raw.encode("utf-8", "surrogatepass")) > MAX_MESSAGE_BYTES:
        raise ProtocolError("too-big", f"A message is at most {MAX_MESSAGE_BYTES} bytes.")
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):  # RecursionError: nesting too deep to read
        raise ProtocolError("bad-json", "That message is not valid JSON.") from None
    if not isinstance(data, dict):
        raise ProtocolError("bad-message", "A message is a JSON object with a 'type'.")
    kind = data.get("type")
    if kind not in INCOMING_TYPES:
        known = ", ".join(INCOMING_TYPES)
        raise ProtocolError("unknown-type", f"Unknown message type; known types: {known}.")
    try:
        return _incoming.validate_python(data)
    except ValidationError as error:
        raise ProtocolError("bad-message", f"A {kind} message {_describe(error)}.") from None


def _describe(error: ValidationError) -> str:
    """What was wrong, naming fields but never echoing the client's values back."""
    first = error.errors(include_input=False, include_url=False)[0]
    field = ".".join(str(part) for part in first["loc"][1:]) or "message"
    if first["type"] == "extra_forbidden":
        return f"has a field it does not take: {field}"
    if first["type"] == "missing":
        return f"needs the field {field}"
    return f"has a wrong {field}: {first['msg'].lower()}"


# What the server sends -----------------------------------------------------------------


class OptionJSON(TypedDict):
    letter: str
    text: str


class QuestionMessage(TypedDict):
    type: Literal["question"]
    number: int
    total: int
    kind: str
    category: str
    difficulty: str
    points: int
    text: str
    options: list[OptionJSON]
    how: str
    has_hint: bool
    seconds: float
    seconds_left: float
    answered: bool


class StandingJSON(TypedDict):
    """A player's place after a question (or at the end of the game)."""

    rank: int
    player: str
    score: int
    gained: int  # points from the last question
    moved: int  # places up (positive) or down since the question before
    verdict: str | None  # on the last question; None when they did not play it
    right: int
    answered: int
    best_streak: int
    status: str
    connected: bool


class TallyJSON(TypedDict):
    answer: str
    count: int
    right: bool


class RevealMessage(TypedDict):
    type: Literal["reveal"]
    number: int
    total: int
    answer: str
    explanation: str
    quotes: list[str]
    tally: list[TallyJSON]
    standings: list[StandingJSON]
    last: bool


class StandingsJSON(TypedDict):
    """The final standings: the ``over`` message's content, and what ``join --json``
    writes (envelope kind ``standings``)."""

    status: str
    questions: int
    standings: list[StandingJSON]
    you: str | None


class OverMessage(TypedDict):
    type: Literal["over"]
    status: str
    questions: int
    standings: list[StandingJSON]


class WelcomeMessage(TypedDict):
    type: Literal["welcome"]
    version: int
    name: str
    token: str
    players: list[str]
    questions: int
    seconds: float
    state: Literal["lobby", "question", "reveal", "over"]
    score: int


class LobbyMessage(TypedDict):
    type: Literal["lobby"]
    players: list[str]


class AcceptedMessage(TypedDict):
    type: Literal["accepted"]
    question: int
    given: str


class HintMessage(TypedDict):
    type: Literal["hint"]
    question: int
    text: str | None


class ErrorMessage(TypedDict):
    type: Literal["error"]
    code: str
    message: str


ByeReason = Literal["left", "removed", "replaced"]


class ByeMessage(TypedDict):
    type: Literal["bye"]
    reason: ByeReason
    message: str


Outgoing = (
    WelcomeMessage
    | LobbyMessage
    | QuestionMessage
    | AcceptedMessage
    | HintMessage
    | ErrorMessage
    | RevealMessage
    | OverMessage
    | ByeMessage
)


def error(code: str, message: str) -> ErrorMessage:
    return {"type": "error", "code": code, "message": message}


def encode(message: Outgoing | dict[str, Any]) -> str:
    """A message as one compact JSON text (UTF-8 on the wire)."""
    return json.dumps(message, ensure_ascii=False, separators=(",", ":"))
