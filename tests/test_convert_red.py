"""Red-DiscordBot trivia lists, against Red's own rules.

Red-DiscordBot cannot be installed in the test extra: it pins exact versions of our own
dependencies (pydantic, rich, platformdirs, rapidfuzz, typing-extensions), which would
change what the rest of the suite runs on. So these tests hold our lists to the rules
of Red's code as read from its source (Red-DiscordBot 3.5.24): `get_list` loads the
YAML with yaml's safe loader and validates it with TRIVIA_LIST_SCHEMA
(`redbot/cogs/trivia/schema.py`), and `TriviaSession.check_answer`
(`redbot/cogs/trivia/session.py`) judges a message. With RED_PYTHON set to a Python
that has Red-DiscordBot installed, Red's own `get_list` also reads every export.
"""

from __future__ import annotations

import math
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from desperado_quiz.convert import red
from desperado_quiz.model import Bank, adapter
from tests.convert_support import bundled

CONFIG_RULES = {  # schema.py: each CONFIG key and what it must be
    "max_score": lambda v: type(v) is int and v >= 1,
    "timeout": lambda v: isinstance(v, int | float) and math.isfinite(v) and v > 0,
    "delay": lambda v: isinstance(v, int | float) and math.isfinite(v) and v >= 4,
    "bot_plays": lambda v: isinstance(v, bool),
    "reveal_answer": lambda v: isinstance(v, bool),
    "payout_multiplier": lambda v: isinstance(v, int | float) and v >= 0,
    "use_spoilers": lambda v: isinstance(v, bool),
}


def schema_problems(document: Any) -> list[str]:
    """What TRIVIA_LIST_SCHEMA would refuse in ``document``, rule by rule."""
    if not isinstance(document, dict):
        return ["not a mapping"]
    problems = []
    for key, value in document.items():
        if not isinstance(key, str):
            problems.append(f"key {key!r} is not a text value")
        elif key == "$schema" and not isinstance(value, str):
            problems.append("$schema")
        elif key == "AUTHOR" and not (isinstance(value, str) and 1 <= len(value) <= 1000):
            problems.append("AUTHOR longer than 1000 characters")
        elif key == "DESCRIPTION" and not (isinstance(value, str) and 1 <= len(value) <= 200):
            problems.append("DESCRIPTION longer than 200 characters")
        elif key == "CONFIG":
            for name, setting in value.items():
                rule = CONFIG_RULES.get(name)
                if rule is None or not rule(setting):
                    problems.append(f"CONFIG {name}")
        elif key not in ("$schema", "AUTHOR", "DESCRIPTION", "CONFIG") and not (
            isinstance(value, list) and all(type(item) in (str, int, bool, float) for item in value)
        ):
            problems.append(f"{key!r} is not a list of answers")
    if not any(k not in ("$schema", "AUTHOR", "DESCRIPTION", "CONFIG") for k in document):
        problems.append("no questions")
    return problems


def red_accepts(answers: list[Any], message: str) -> bool:
    """session.py's check_answer: a several-word answer anywhere in the message, a
    one-word answer as one of its words (both lowercased)."""
    guess = message.lower()
    for answer in (str(a).lower() for a in answers):
        if " " in answer and answer in guess:
            return True
        if any(word == answer for word in guess.split(" ")):
            return True
    return False


def long_bank() -> Bank:
    return adapter("bank").validate_python(
        {
            "bank": {"id": "long", "title": "T" * 1500, "description": "D " * 300},
            "questions": [
                {"id": "case", "type": "choice", "question": "What does he carry his guns in?",
                 "category": "C", "difficulty": "easy",
                 "choices": ["A guitar case", "A violin case", "The trunk of a car"],
                 "answer": "A guitar case"},
            ],
        }
    )  # fmt: skip


@pytest.mark.parametrize("banks", [bundled(), [long_bank()]], ids=["bundled", "long"])
def test_every_export_keeps_to_reds_schema(banks: list[Bank]) -> None:
    document = yaml.safe_load(red.export(banks).data.decode("utf-8"))
    assert schema_problems(document) == []


def test_a_choice_question_counts_the_answer_as_players_type_it() -> None:
    exported = red.export([long_bank()])
    answers = yaml.safe_load(exported.data.decode())["What does he carry his guns in?"]
    for typed in ("a guitar case", "guitar case", "It's a GUITAR CASE!"):
        assert red_accepts(answers, typed), typed
    assert not red_accepts(answers, "a violin case")
    reasons = exported.report.outcomes[0].reasons
    assert any("typed answer" in reason for reason in reasons)


def test_import_keeps_numbers_as_written_and_the_author() -> None:
    imported = red.read(
        "AUTHOR: Red's team\nDESCRIPTION: Numbers.\nWhat is 12182015?:\n- 12182015\n- 2.5\n"
    )
    question = imported.questions[0].question
    assert (question.answer, question.accept) == ("12182015", ["2.5"])  # type: ignore[union-attr]
    assert imported.description == "Numbers. By Red's team."


@pytest.mark.skipif(not os.environ.get("RED_PYTHON"), reason="RED_PYTHON names no Red install")
@pytest.mark.parametrize("banks", [bundled(), [long_bank()]], ids=["bundled", "long"])
def test_reds_own_get_list_reads_every_export(banks: list[Bank], tmp_path: Path) -> None:
    path = tmp_path / "desperado.yaml"
    path.write_bytes(red.export(banks).data)
    script = (
        "import pathlib, sys\n"
        "from redbot.cogs.trivia.trivia import get_list\n"
        "print(len(get_list(pathlib.Path(sys.argv[1]))))\n"
    )
    run = subprocess.run(
        [os.environ["RED_PYTHON"], "-c", script, str(path)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr


def test_a_bare_form_of_one_short_word_is_not_added() -> None:
    """Red counts a one-word answer found anywhere in a message: "who" would make
    "who knows?" right for "The Who"."""
    bank = adapter("bank").validate_python(
        {
            "bank": {"id": "b", "title": "B"},
            "questions": [
                {"id": "band", "type": "text", "question": "Which band?", "category": "C",
                 "difficulty": "easy", "answer": "The Who"},
            ],
        }
    )  # fmt: skip
    answers = yaml.safe_load(red.export([bank]).data.decode())["Which band?"]
    assert answers == ["The Who"]
    assert not red_accepts(answers, "who knows?")
