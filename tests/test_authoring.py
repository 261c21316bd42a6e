"""Writing questions: TOML blocks, atomic appends, and the `new` wizard end to end."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from desperado_quiz.authoring import (
    appended,
    question_block,
    slugify,
    toml_value,
    unique_id,
    write_atomic,
)
from desperado_quiz.cli import app
from desperado_quiz.loader import load_file
from tests.helpers import ARTICLE, QUESTIONS, REPO

runner = CliRunner()


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Which band composed Desperado's score?", "band-composed-desperado-s-score"),
        ("Who?", "who"),
        ("", "question"),
        ("Quién dirigió?", "qui-n-dirigi"),
    ],
)
def test_slugify(text: str, slug: str) -> None:
    assert slugify(text) == slug


def test_unique_id() -> None:
    assert unique_id("grammy", {"grammy", "grammy-2"}) == "grammy-3"


def test_block_round_trips_through_toml() -> None:
    data = {
        "id": "q",
        "type": "multi",
        "question": 'Say "hi"\\now',
        "category": "Music",
        "difficulty": "hard",
        "choices": ["Los Lobos", "Link Wray", "Tito & Tarantula"] * 1,
        "answer": ["Los Lobos"],
        "evidence": "a quote",
        "explanation": "",
        "hint": "",
    }
    block = question_block(data)
    assert "explanation" not in block  # empty optional keys are left out
    parsed = tomllib.loads(block)["questions"][0]
    assert parsed == {k: v for k, v in data.items() if v}
    assert toml_value(58.0) == "58"
    assert toml_value(25.4) == "25.4"
    assert toml_value(["x" * 50, "y" * 50], "choices").startswith("[\n    ")


def test_appended_separates_with_one_blank_line() -> None:
    assert appended("a\n", "b\n") == "a\n\nb\n"
    assert appended("a\n\n", "b\n") == "a\n\nb\n"
    assert appended("a", "b\n") == "a\n\nb\n"


def test_write_atomic_replaces_whole_file_and_keeps_mode(tmp_path: Path) -> None:
    path = tmp_path / "bank.toml"
    path.write_text("old")
    path.chmod(0o640)
    write_atomic(path, "new\r\nline")
    assert path.read_bytes() == b"new\r\nline"
    assert path.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["bank.toml"]  # no temporary left


def wizard_input(*lines: str) -> str:
    return "".join(f"{line}\n" for line in lines)


CHOICE_SESSION = wizard_input(
    "A",  # type: choice
    "Which band scored Desperado?",
    "",  # category: the bank's most common
    "b",  # medium
    "Los Lobos",
    "Tito & Tarantula",
    "Dire Straits",
    "",
    "A",
    "Los Lobos scored it",  # not in the article: asked again
    "composed and performed by Los Lobos",
    "",
    "Los Lobos composed and performed the score.",
    "",  # no hint
    "",  # the suggested id
    "y",
)


@pytest.fixture
def bank_copy(tmp_path: Path) -> Path:
    shutil.copy(ARTICLE, tmp_path / "desperado-article.txt")
    path = tmp_path / "music.toml"
    shutil.copy(QUESTIONS / "music.toml", path)
    return path


def test_wizard_appends_a_valid_question_and_keeps_the_rest(bank_copy: Path) -> None:
    before = bank_copy.read_bytes()
    result = runner.invoke(app, ["new", str(bank_copy)], input=CHOICE_SESSION)
    assert result.exit_code == 0, result.output
    assert "✗ not in the source. Closest passage:" in result.stdout
    assert "✓ found in the source" in result.stdout
    after = bank_copy.read_bytes()
    assert after.startswith(before)
    assert after[len(before) :].startswith(b'\n[[questions]]\nid = "band-scored-desperado"')
    bank, findings = load_file(bank_copy)
    assert findings == []
    assert bank is not None
    added = bank.questions[-1]
    assert added.id == "band-scored-desperado"
    assert added.answer_text == "Los Lobos"
    assert added.category == "Music"
    line = re.search(r"to .*music\.toml:(\d+)", result.stdout)
    assert line
    assert bank.line_of(len(bank.questions) - 1) == int(line.group(1))


def test_wizard_creates_a_new_bank(tmp_path: Path) -> None:
    shutil.copy(ARTICLE, tmp_path / "desperado-article.txt")
    path = tmp_path / "my-bank.toml"
    session = wizard_input(
        "",
        "My bank",
        "",  # bank id, title, source: the defaults
        "Number",  # the type by its name (a letter works too: E)
        "Worldwide gross?",
        "Box office",
        "a",
        "$58 million",
        "0.5",
        "million US dollars",
        "$58 million worldwide",
        "",
        "Desperado earned $58 million worldwide.",
        "Over 50.",
        "worldwide",
        "y",
    )
    result = runner.invoke(app, ["new", str(path)], input=session)
    assert result.exit_code == 0, result.output
    bank, findings = load_file(path)
    assert findings == []
    assert bank is not None
    assert bank.id == "my-bank"
    (question,) = bank.questions
    assert (question.id, question.type, question.answer) == ("worldwide", "number", 58)
    assert question.tolerance == 0.5


def test_end_of_input_writes_nothing(bank_copy: Path) -> None:
    before = bank_copy.read_bytes()
    result = runner.invoke(app, ["new", str(bank_copy)], input="A\nHalf a question\n")
    assert result.exit_code == 1
    assert "nothing written" in result.stdout
    assert bank_copy.read_bytes() == before


def test_declining_writes_nothing(bank_copy: Path) -> None:
    before = bank_copy.read_bytes()
    result = runner.invoke(
        app, ["new", str(bank_copy)], input=CHOICE_SESSION.replace("\ny\n", "\nn\n")
    )
    assert result.exit_code == 1
    assert bank_copy.read_bytes() == before


def test_a_broken_bank_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text("[bank]\nid = 'x'\n")
    result = runner.invoke(app, ["new", str(path)], input="")
    assert result.exit_code == 2
    assert "missing key `title`" in result.stderr


def test_pre_commit_hook_runs_the_validator_on_touched_files() -> None:
    text = (REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    fields = dict(re.findall(r"^\s*-?\s*(\w+): (.+)$", text, re.MULTILINE))
    assert fields["id"] == "desperado-quiz-validate"
    assert fields["language"] == "python"
    entry = fields["entry"].split()
    assert entry == ["desperado-quiz", "validate", "--strict"]
    assert re.search(fields["files"], "questions/music.toml")
    assert re.search(fields["files"], "quiz/questions/extra/film.toml")  # at any depth
    assert not re.search(fields["files"], "pyproject.toml")
    assert not re.search(fields["files"], "my-questions/x.toml")
    # pre-commit appends the touched files to the entry
    good = runner.invoke(app, [*entry[1:], str(QUESTIONS / "music.toml")])
    assert good.exit_code == 0
    bad = runner.invoke(app, [*entry[1:], str(REPO / "tests/fixtures/rules/unknown-key.toml")])
    assert bad.exit_code == 1


# The files the wizard touches -----------------------------------------------------------


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux's /proc")
def test_an_unwritable_folder_is_refused_before_any_question() -> None:
    result = runner.invoke(app, ["new", "/proc/new-bank.toml"], input=CHOICE_SESSION)
    assert result.exit_code == 2
    assert "cannot write in /proc" in result.stderr
    assert "nothing was asked" in result.stderr
    assert "Type" not in result.stdout  # not a single question was asked


def test_a_read_only_bank_is_refused_before_any_question(bank_copy: Path) -> None:
    bank_copy.chmod(0o444)
    before = bank_copy.read_bytes()
    result = runner.invoke(app, ["new", str(bank_copy)], input=CHOICE_SESSION)
    assert result.exit_code == 2
    assert "is read-only" in result.stderr
    assert bank_copy.read_bytes() == before


def test_a_pipe_is_refused_without_waiting(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.toml"
    os.mkfifo(pipe)
    result = subprocess.run(
        [sys.executable, "-m", "desperado_quiz", "new", str(pipe)],
        input="",
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 2
    assert "is not a regular file" in result.stderr


def test_a_bank_with_a_byte_order_mark_and_crlf_keeps_both(bank_copy: Path) -> None:
    text = bank_copy.read_text(encoding="utf-8").replace("\n", "\r\n")
    bank_copy.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    before = bank_copy.read_bytes()
    result = runner.invoke(app, ["new", str(bank_copy)], input=CHOICE_SESSION)
    assert result.exit_code == 0, result.output
    after = bank_copy.read_bytes()
    assert after.startswith(before)
    added = after[len(before) :]
    assert b"\r\n" in added
    assert b"\n" not in added.replace(b"\r\n", b"")  # no lone LF
    bank, findings = load_file(bank_copy)
    assert bank is not None
    assert not findings


def test_a_new_bank_gets_the_mode_the_umask_gives(tmp_path: Path) -> None:
    path = tmp_path / "fresh.toml"
    previous = os.umask(0o027)
    try:
        write_atomic(path, "x = 1\n")
    finally:
        os.umask(previous)
    assert path.stat().st_mode & 0o777 == 0o640


def test_stale_temporary_files_of_ours_are_cleaned_up(tmp_path: Path) -> None:
    path = tmp_path / "bank.toml"
    path.write_text("old")
    stale = tmp_path / ".bank.toml.abc123.tmp"
    stale.write_bytes(b"x" * 2_000_000)  # left by a run killed in the middle
    old = time.time() - 3600
    os.utime(stale, (old, old))
    fresh = tmp_path / ".bank.toml.def456.tmp"  # another run may be writing this one now
    fresh.write_text("in progress")
    write_atomic(path, "new")
    assert not stale.exists()
    assert fresh.exists()
    assert path.read_text() == "new"


def test_wizard_keeps_the_sources_own_words_and_doubts_a_category_typo(
    bank_copy: Path,
) -> None:
    session = wizard_input(
        "A",
        "Which band scored Desperado?",
        "Musik",  # one typo away from the bank's "Music": asked again...
        "Musik",  # ...and kept when typed again
        "b",
        "Los Lobos",
        "Tito & Tarantula",
        "",
        "A",
        "COMPOSED AND   PERFORMED BY LOS LOBOS",  # another case, other spaces
        "",
        "They wrote it and played it.",
        "",
        "",
        "y",
    )
    result = runner.invoke(app, ["new", str(bank_copy)], input=session)
    assert result.exit_code == 0, result.output
    flat = " ".join(result.stdout.split())
    assert "The bank has the category 'Music': type it, or type 'Musik' again" in flat
    assert "kept as it is written there: composed and performed by Los Lobos" in flat
    bank, _ = load_file(bank_copy)
    assert bank is not None
    added = bank.questions[-1]
    assert added.evidence == ["composed and performed by Los Lobos"]
    assert added.category == "Musik"
