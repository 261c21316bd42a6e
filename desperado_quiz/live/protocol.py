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

PROTOCOL_VERSION = 2  # what this host and its clients speak
VERSIONS = (1, 2)  # what this host still serves (1: see docs/live.md, "Version 1")
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
    """A player back with their token. ``replace``: take the seat even when another
    connection plays it now (a client coming back after a drop, whose old connection
    the host may not have seen go); false asks the host first (error ``in-use``)."""

    type: Literal["rejoin"]
    version: int
    code: Annotated[str, Field(max_length=MAX_CODE_FIELD)]
    token: Annotated[str, Field(max_length=MAX_TOKEN_FIELD)]
    replace: bool = True


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


class RevealCommon(TypedDict):
    """The part of a ``reveal`` that is the same for every player: the question's."""

    type: Literal["reveal"]
    number: int
    total: int
    answer: str
    explanation: str
    quotes: list[str]
    tally: list[TallyJSON]
    last: bool


class BoardJSON(TypedDict):
    """A player's view of the standings (version 2): what grows with the room is left
    out, so that a message is the same size in a room of ten or of a thousand."""

    players: int  # how many are in the standings
    removed: int  # how many of them the host removed (the last rows): not in the ranking
    top: list[StandingJSON]  # the first rows
    you: StandingJSON | None  # this player's row; None for a client not in the game
    near: list[StandingJSON]  # the rows around this player's, theirs included


class RevealMessage(RevealCommon, BoardJSON):
    """Version 2: the question's reveal and the player's view of the standings."""


class RevealV1Message(RevealCommon):
    """Version 1: every row of the standings, to every player."""

    standings: list[StandingJSON]


class OverCommon(TypedDict):
    type: Literal["over"]
    status: str
    questions: int  # how many were played
    total: int  # how many the game had: "right" counts out of these


class OverMessage(OverCommon, BoardJSON):
    """Version 2: how the game ended and the player's view of the final standings."""


class OverV1Message(OverCommon):
    """Version 1, and the host's own: every row of the final standings."""

    standings: list[StandingJSON]


class StandingsJSON(TypedDict):
    """What ``join --json`` writes (envelope kind ``standings``): the final standings as
    this player got them: the first rows and the rows around theirs, best first (every
    row, in a room small enough), and how many players the whole standings hold."""

    status: str
    questions: int  # how many were played
    total: int  # how many the game had: each row's ``right`` is out of these
    players: int
    removed: int
    standings: list[StandingJSON]
    you: str | None


class WelcomeCommon(TypedDict):
    type: Literal["welcome"]
    version: int
    name: str
    token: str
    questions: int
    seconds: float
    state: Literal["lobby", "question", "reveal", "over"]
    score: int


class WelcomeMessage(WelcomeCommon):
    """Version 2: the room's size and the latest to join, not every name."""

    players: int
    latest: list[str]


class WelcomeV1Message(WelcomeCommon):
    players: list[str]


class LobbyMessage(TypedDict):
    """Version 2: how many have joined, and the latest of them (at most ``LATEST``)."""

    type: Literal["lobby"]
    players: int
    latest: list[str]


class LobbyV1Message(TypedDict):
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
    RevealCommon
    | OverCommon
    | WelcomeMessage
    | WelcomeV1Message
    | LobbyMessage
    | LobbyV1Message
    | QuestionMessage
    | AcceptedMessage
    | HintMessage
    | ErrorMessage
    | RevealMessage
    | RevealV1Message
    | OverMessage
    | OverV1Message
    | ByeMessage
)
LATEST = 12  # names in a version 2 lobby message: the latest to join


def error(code: str, message: str) -> ErrorMessage:
    return {"type": "error", "code": code, "message": message}


def encode(message: Outgoing | dict[str, Any]) -> str:
    """A message as one compact JSON text (UTF-8 on the wire)."""
    return json.dumps(message, ensure_ascii=False, separators=(",", ":"))


def splice(message: str, members: str) -> str:
    """An encoded message with more members, themselves encoded (``"key":value,...``):
    a part shared by every player is encoded once, each player's part once each."""
    return f"{message[:-1]},{members}}}"
