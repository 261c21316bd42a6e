"""Random and mutated input thrown at `validate`, `play` and `new`: whatever comes in, the
answer is an exit status and a message, never a traceback, within bounded time.

(The validator's own property tests, on random and mutated bank files, are in
test_validate.py.)
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from desperado_quiz.cli import app
from tests.helpers import ARTICLE, BANK_HEADER, BOOLEAN_QUESTION, CHOICE_QUESTION, QUESTIONS

runner = CliRunner()
FUZZ = settings(
    max_examples=60,
    deadline=5000,  # milliseconds: each example must end, and soon
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
EXITS = {0, 1, 2, 130}


def no_traceback(result: object) -> None:
    exception = getattr(result, "exception", None)
    assert exception is None or isinstance(exception, SystemExit), repr(exception)
    assert "Traceback" not in getattr(result, "output", "")


LINES = st.lists(
    st.one_of(
        st.text(max_size=40),
        st.sampled_from(["?", "hint", "skip", "A", "B,A", "1", "true", "25,4", "quit", ""]),
        st.binary(max_size=20).map(lambda b: b.decode("latin-1")),
    ),
    max_size=12,
)


@FUZZ
@given(LINES, st.booleans(), st.sampled_from([[], ["-p", "A", "-p", "B"], ["--practice"]]))
def test_random_stdin_to_play(
    tmp_path: Path, lines: list[str], json_out: bool, more: list[str]
) -> None:
    shutil.copy(ARTICLE, tmp_path / "article.txt")
    bank = tmp_path / "bank.toml"
    bank.write_text(BANK_HEADER.format(id="bank") + CHOICE_QUESTION + BOOLEAN_QUESTION)
    args = ["play", "-b", str(bank), "--seed", "1", "--no-save", *more]
    data = "\n".join(lines).encode("utf-8", "surrogatepass")
    result = runner.invoke(app, [*args, *(["--json"] if json_out else [])], input=data)
    no_traceback(result)
    assert result.exit_code in EXITS
    if json_out:
        assert json.loads(result.stdout_bytes.decode("utf-8"))["kind"] == "game"


@FUZZ
@given(random_bytes=st.binary(max_size=200))
def test_random_bytes_to_play(tmp_path: Path, random_bytes: bytes) -> None:
    result = runner.invoke(app, ["play", "--seed", "2", "--no-save", "-n", "3"], input=random_bytes)
    no_traceback(result)
    assert result.exit_code in EXITS


NAMES = st.text(
    alphabet=st.characters(blacklist_characters="/\x00", blacklist_categories=["Cs"]),
    min_size=1,
    max_size=30,
).filter(lambda name: name not in (".", ".."))


@FUZZ
@given(
    name=NAMES, raw=st.binary(max_size=8), form=st.sampled_from(["text", "json", "github", "junit"])
)
def test_random_file_names_to_validate(tmp_path: Path, name: str, raw: bytes, form: str) -> None:
    folder = tmp_path / "banks"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    shutil.copy(ARTICLE, folder / "article.txt")
    filename = os.fsencode(name) + raw.replace(b"/", b"_").replace(b"\x00", b"_") + b".toml"
    try:
        with open(os.fsencode(folder) + b"/" + filename, "wb") as handle:  # noqa: PTH123
            handle.write((BANK_HEADER.format(id="x") + CHOICE_QUESTION).encode("utf-8"))
    except OSError:  # a name too long for the file system: nothing to test
        return
    result = runner.invoke(app, ["validate", "-f", form, str(folder)])
    no_traceback(result)
    assert result.exit_code in (0, 1)
    result.stdout_bytes.decode("utf-8")  # always valid UTF-8


@FUZZ
@given(LINES)
def test_random_answers_to_the_wizard(tmp_path: Path, lines: list[str]) -> None:
    shutil.copy(ARTICLE, tmp_path / "desperado-article.txt")
    bank = tmp_path / "music.toml"
    shutil.copy(QUESTIONS / "music.toml", bank)
    before = bank.read_bytes()
    data = "\n".join(lines).encode("utf-8", "surrogatepass")
    result = runner.invoke(app, ["new", str(bank)], input=data)
    no_traceback(result)
    assert result.exit_code in EXITS
    if bank.read_bytes() != before:
        assert runner.invoke(app, ["validate", str(bank)]).exit_code in (0, 1)
