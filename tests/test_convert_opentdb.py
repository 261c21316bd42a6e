"""Open Trivia DB as its API serves it: question and answers HTML-encoded (its default
encoding), the category raw ("Entertainment: Film", "Science & Nature")."""

from __future__ import annotations

import json

from desperado_quiz.convert import opentdb
from desperado_quiz.model import adapter


def test_the_category_is_raw_and_the_texts_encoded() -> None:
    bank = adapter("bank").validate_python(
        {
            "bank": {"id": "b", "title": "B"},
            "questions": [
                {"id": "q", "type": "boolean", "question": 'Is "Desperado" a sequel?',
                 "category": "Film & TV", "difficulty": "easy", "answer": True},
            ],
        }
    )  # fmt: skip
    result = json.loads(opentdb.export([bank]).data)["results"][0]
    assert result["category"] == "Film & TV"
    assert result["question"] == "Is &quot;Desperado&quot; a sequel?"
    back = opentdb.read(json.dumps({"results": [result]})).questions[0].question
    assert (back.category, back.question) == ("Film & TV", 'Is "Desperado" a sequel?')
