"""One envelope for every machine output (``--json``, ``--format json``): what kind of
document it is, its data, and the warnings and errors met while making it.

    {"format_version": 1, "kind": "game", "data": {...}, "warnings": [], "errors": []}

``data`` is null when an error stopped the command; the exit status is the same as
without ``--json``. docs/json.md documents each kind, with its JSON Schema.

``dumps`` writes JSON text that is always valid UTF-8 and safe to print: ``json.dumps``
escapes C0 control characters, and this also escapes what it would write raw (C1
controls, lone surrogates from undecodable input, bidirectional overrides and
noncharacters), so that a document printed to a terminal can never drive it. The data
is unchanged: every escape is plain JSON.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from typing_extensions import TypedDict

from desperado_quiz.text import schema_prose

FORMAT_VERSION = 1
# Each kind of document and the module and type of its data, for the JSON Schemas.
KINDS = {
    "banks": ("desperado_quiz.loader", "BankList"),
    "export": ("desperado_quiz.convert.common", "ExportJSON"),
    "game": ("desperado_quiz.game.results", "GameJSON"),
    "history": ("desperado_quiz.history", "GameList"),
    "import": ("desperado_quiz.convert.common", "ImportJSON"),
    "questions": ("desperado_quiz.analytics", "QuestionStatsList"),
    "standings": ("desperado_quiz.live.protocol", "StandingsJSON"),
    "stats": ("desperado_quiz.study", "StatsJSON"),
    "validation": ("desperado_quiz.report", "ValidationJSON"),
}
T = TypeVar("T")
_RAW_UNSAFE = re.compile("[\x7f-\x9f\ud800-\udfff\ufffe\uffff\u202a-\u202e\u2066-\u2069]")


class Problem(TypedDict):
    message: str
    hint: str


class Envelope(TypedDict, Generic[T]):
    format_version: int
    kind: str
    data: T | None
    warnings: list[str]
    errors: list[Problem]


def document(
    kind: str,
    data: T | None,
    warnings: Sequence[str] = (),
    errors: Sequence[Problem] = (),
) -> Envelope[T]:
    assert kind in KINDS, kind
    return {
        "format_version": FORMAT_VERSION,
        "kind": kind,
        "data": data,
        "warnings": list(warnings),
        "errors": list(errors),
    }


def dumps(data: Any) -> str:
    text = json.dumps(data, indent=2, ensure_ascii=False)
    return _RAW_UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def json_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of a document of ``kind``, generated from its TypedDicts."""
    from importlib import import_module

    from pydantic import TypeAdapter

    module, name = KINDS[kind]
    data = getattr(import_module(module), name)
    schema = TypeAdapter(Envelope[data]).json_schema()  # type: ignore[valid-type]
    schema["title"] = f"desperado-quiz {kind} document"
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema_prose(schema)}
