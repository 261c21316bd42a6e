"""The loader: valid files, and one broken file per kind of problem, with its line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from desperado_quiz.findings import Finding
from desperado_quiz.loader import BankPathError, load_file
from desperado_quiz.model import ChoiceQuestion, NumberQuestion
from desperado_quiz.store import load_banks
from tests.helpers import BOOLEAN_QUESTION, CHOICE_QUESTION

WriteBank = Callable[..., Path]


def only(findings: list[Finding]) -> Finding:
    assert len(findings) == 1, [f.describe() for f in findings]
    return findings[0]


def test_valid_file_loads_typed_questions(write_bank: WriteBank) -> None:
    path = write_bank(
        CHOICE_QUESTION
        + """
[[questions]]
id = "worldwide"
type = "number"
question = "Worldwide gross?"
category = "Box office"
difficulty = "hard"
answer = 58
tolerance = 0.5
unit = "million US dollars"
evidence = ["$58 million worldwide"]
"""
    )
    bank, findings = load_file(path)
    assert findings == []
    assert bank is not None
    assert bank.id == "bank"
    first, second = bank.questions
    assert isinstance(first, ChoiceQuestion)
    assert first.answer == "Antonio Banderas"
    assert isinstance(second, NumberQuestion)
    assert second.answer == 58.0
    assert second.answer_text == "58 million US dollars"
    assert bank.line_of(1) == 17
    assert bank.line_of(1, "answer") == 23
    assert bank.source_path == path.parent / "article.txt"


def test_invalid_toml_reports_line_and_column(write_bank: WriteBank) -> None:
    path = write_bank(CHOICE_QUESTION.replace('difficulty = "easy"', 'difficulty = "easy'))
    bank, findings = load_file(path)
    finding = only(findings)
    assert bank is None
    assert finding.code == "toml-syntax"
    assert (finding.line, finding.column) == (11, 19)
    assert finding.message.startswith("a string runs to the end of the line without its closing")
    assert finding.hint.startswith('close it with " on the same line')


@pytest.mark.parametrize(
    ("text", "line", "said"),
    [
        ('[bank]\nid = "a"\nid = "b"\n', 3, "this key is set twice"),
        ("[bank]\nid = [1,\n", 2, "a value that is not TOML"),  # at the end of the file
        ("[bank]\nid = hello\n", 2, "a value that is not TOML"),
        ('[bank]\nid = "a" "b"\n', 2, "something follows a value"),
        ("[bank]\nid\n", 2, "a key without '='"),
        ("[bank]\n[bank]\n", 2, "this table is declared twice"),
        ('[bank]\nid = """open\n', 2, "a string is not closed"),
    ],
)
def test_toml_syntax_errors_are_said_in_plain_words(
    tmp_path: Path, text: str, line: int, said: str
) -> None:
    path = tmp_path / "broken.toml"
    path.write_text(text, encoding="utf-8")
    _, findings = load_file(path)
    finding = only(findings)
    assert (finding.code, finding.line) == ("toml-syntax", line)
    assert finding.message.startswith(said)
    assert "[TOML: " in finding.message  # tomllib's own words, for whoever knows TOML
    assert finding.hint != "fix the syntax at this position"


def test_unknown_key_suggests_the_right_one(write_bank: WriteBank) -> None:
    path = write_bank(CHOICE_QUESTION.replace("answer =", "anwser ="))
    _, findings = load_file(path)
    codes = {f.code: f for f in findings}
    assert codes["unknown-key"].message == "unknown key `anwser`"
    assert codes["unknown-key"].hint == "did you mean `answer`?"
    assert codes["unknown-key"].line == 13
    assert codes["unknown-key"].question_id == "el-mariachi-actor"
    assert codes["missing-key"].message == "missing key `answer`"
    assert codes["missing-key"].line == 6  # the [[questions]] line


def test_missing_key_points_at_the_table(write_bank: WriteBank) -> None:
    path = write_bank(CHOICE_QUESTION.replace('category = "Cast"\n', ""))
    finding = only(load_file(path)[1])
    assert (finding.code, finding.line) == ("missing-key", 6)
    assert finding.message == "missing key `category`"


def test_wrong_type_names_the_key_and_what_to_write(write_bank: WriteBank) -> None:
    path = write_bank(BOOLEAN_QUESTION.replace("answer = false", 'answer = "false"'))
    finding = only(load_file(path)[1])
    assert finding.code == "wrong-type"
    assert finding.line == 12
    assert finding.message == "`answer`: input should be a valid boolean, not a string"
    assert finding.hint == "write true or false, without quotes"


def test_answer_not_among_choices_names_the_closest(write_bank: WriteBank) -> None:
    path = write_bank(
        CHOICE_QUESTION.replace('answer = "Antonio Banderas"', 'answer = "Antonio Banderes"')
    )
    finding = only(load_file(path)[1])
    assert finding.code == "answer-not-in-choices"
    assert finding.line == 13
    assert finding.message == "answer 'Antonio Banderes' is not one of the choices"
    assert finding.hint == "did you mean 'Antonio Banderas'?"


def test_duplicate_id_across_files(write_bank: WriteBank) -> None:
    first = write_bank(CHOICE_QUESTION, name="one.toml")
    second = write_bank(CHOICE_QUESTION, name="two.toml")
    result = load_banks([first, second])
    finding = only(result.findings)
    assert finding.code == "duplicate-id"
    assert finding.path == second
    assert finding.line == 7
    assert finding.message == f"question id 'el-mariachi-actor' is also used at {first}:7"


def test_unknown_type_and_difficulty(write_bank: WriteBank) -> None:
    path = write_bank(
        CHOICE_QUESTION.replace('type = "choice"', 'type = "choise"')
        + CHOICE_QUESTION.replace("el-mariachi-actor", "other").replace('"easy"', '"expert"')
    )
    findings = sorted(load_file(path)[1], key=lambda f: f.line or 0)
    assert [(f.code, f.line) for f in findings] == [("unknown-type", 8), ("unknown-difficulty", 22)]
    assert findings[0].hint == "did you mean 'choice'?"
    assert findings[1].hint == "use one of: easy, medium, hard"


def test_bad_slug_and_choice_count(write_bank: WriteBank) -> None:
    path = write_bank(
        CHOICE_QUESTION.replace('id = "el-mariachi-actor"', 'id = "El Mariachi"').replace(
            '"Antonio Banderas", "Javier Bardem"', '"Antonio Banderas"'
        )
    )
    codes = sorted((f.code, f.line) for f in load_file(path)[1])
    assert codes == [("bad-id", 7), ("choice-count", 12)]


def test_every_problem_of_a_file_is_reported(write_bank: WriteBank) -> None:
    broken = (
        CHOICE_QUESTION.replace("answer =", "anwser =")
        + CHOICE_QUESTION.replace("el-mariachi-actor", "second").replace('"easy"', '"?"')
        + CHOICE_QUESTION.replace("el-mariachi-actor", "fine")
    )
    bank, findings = load_file(write_bank(broken))
    assert {f.code for f in findings} == {"unknown-key", "missing-key", "unknown-difficulty"}
    assert bank is not None
    assert [q.id for q in bank.questions] == ["fine"]  # valid questions survive


def test_missing_bank_table_and_unknown_top_level_key(write_bank: WriteBank) -> None:
    path = write_bank("[bnak]\nid = 'x'\n" + CHOICE_QUESTION, header=False)
    bank, findings = load_file(path)
    assert bank is None
    assert sorted((f.code, f.line, f.message) for f in findings) == [
        ("missing-key", 1, "missing key `bank`"),
        ("unknown-key", 1, "unknown key `bnak`"),
    ]


def test_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes(b'[bank]\nid = "x"\ntitle = "Se\xf1or"\n')
    finding = only(load_file(path)[1])
    assert (finding.code, finding.line) == ("not-utf8", 3)


def test_file_too_large(tmp_path: Path) -> None:
    path = tmp_path / "huge.toml"
    path.write_bytes(b"#" * (5 * 1024 * 1024 + 1))
    finding = only(load_file(path)[1])
    assert finding.code == "file-too-large"


def test_folder_is_searched_and_missing_path_is_an_error(write_bank: WriteBank) -> None:
    path = write_bank(CHOICE_QUESTION)
    assert [b.path for b in load_banks([path.parent]).banks] == [path]
    with pytest.raises(BankPathError, match="no such file or folder"):
        load_banks([path.parent / "nope.toml"])


def test_multiline_strings_do_not_confuse_line_numbers(write_bank: WriteBank) -> None:
    body = CHOICE_QUESTION.replace(
        'explanation = "Banderas plays him."',
        'explanation = """\n[[questions]]\nanswer = 1\n"""',
    ) + CHOICE_QUESTION.replace("el-mariachi-actor", "second")
    bank, findings = load_file(write_bank(body))
    assert findings == []
    assert bank is not None
    assert bank.line_of(1) == 20
    assert bank.line_of(1, "answer") == 27


def test_lines_of_valid_questions_after_an_invalid_one(write_bank: WriteBank) -> None:
    broken = CHOICE_QUESTION.replace("el-mariachi-actor", "broken").replace("answer =", "anwser =")
    bank, _ = load_file(write_bank(broken + CHOICE_QUESTION))
    assert bank is not None
    assert [q.id for q in bank.questions] == ["el-mariachi-actor"]
    assert bank.line_of(0) == 17  # the second table, not the first
    assert bank.line_of(0, "answer") == 24


def test_every_question_type_has_its_model() -> None:
    from desperado_quiz.loader import MODEL_BY_TYPE
    from desperado_quiz.vocabulary import QUESTION_TYPES

    assert tuple(MODEL_BY_TYPE) == QUESTION_TYPES
