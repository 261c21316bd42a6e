"""What makes validation fast must not change what it finds: tables' keys read only when
a finding asks for their line, digests sent back by worker processes, and lines looked
up again in the file for the findings that span files."""

from __future__ import annotations

import gc
import random
import shutil
from pathlib import Path

import pytest

from desperado_quiz import toml_lines
from desperado_quiz import validator as validation
from desperado_quiz.report import to_github, to_junit, validation_json
from desperado_quiz.toml_lines import LineMap, _scan_lines, scan
from desperado_quiz.validator import Report, check_file, validate
from tests.helpers import CHOICE_QUESTION, FIXTURES, QUESTIONS, TEXT_QUESTION

RULES = FIXTURES / "rules"


def walked(text: str) -> LineMap:
    """Every line walked, as ``scan`` did before it read tables' keys only when asked."""
    lines = LineMap()
    _scan_lines(text.splitlines(), 1, lines)
    return lines


def same_lines(text: str) -> None:
    found, expected = scan(text), walked(text)
    assert (found.top, found.tables, found.arrays) == (
        expected.top,
        expected.tables,
        expected.arrays,
    ), repr(text)


PIECES = [
    "[[questions]]",
    "[bank]",
    " [ bank ]",
    '["q"]',
    "[[ 'questions' ]]",
    'id = "x"',
    '"id" = 1',
    "'answer' = 2",
    "a.b = 3",
    'x = """',
    '"""',
    "'''",
    "y = '''abc'''",
    'z = """a""" # """',
    "# [[questions]]",
    '# """',
    "",
    "   ",
    "  [1, 2],",
    "[",
    "choices = [",
    "\tevidence = 'e'",
    "key",
    "[x.y]",
    "[[questions.sub]]",
    '"""" x',
    "[table] # c",
    "  [[questions]]  ",
]
BREAKS = ["\n", "\n", "\n", "\r\n", "\r", "\x0c", "\u2028", "\x85"]


def test_tables_found_at_once_and_keys_when_asked_are_the_walk_of_every_line() -> None:
    for path in [*QUESTIONS.glob("*.toml"), *FIXTURES.rglob("*.toml")]:
        same_lines(path.read_text(encoding="utf-8", errors="replace"))
    rng = random.Random(7)
    for _ in range(20_000):
        count = rng.randrange(1, 14)
        text = "".join(rng.choice(PIECES) + rng.choice(BREAKS) for _ in range(count))
        same_lines(text.rstrip("\n") if rng.random() < 0.3 else text)


def outputs(report: Report) -> list[object]:
    """The report in every format validate writes."""
    return [
        [finding.describe() for finding in report.findings],
        [finding.to_dict() for finding in report.findings],
        report.summary(),
        to_github(report),
        to_junit(report, strict=True),
        validation_json(report, None),
    ]


def in_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Check files in worker processes, however small and however few the cores."""
    monkeypatch.setattr(validation, "_PARALLEL_BYTES", 0)
    monkeypatch.setattr(validation.os, "cpu_count", lambda: 3)


def many_banks(folder: Path) -> Path:
    """Banks with findings of every kind that spans files, across several files (and
    so several workers), and findings at many lines of one file."""
    shutil.copy(QUESTIONS / "desperado-article.txt", folder / "article.txt")
    header = '[bank]\nid = "{}"\ntitle = "T"\nsource = "article.txt"\n'
    leak = CHOICE_QUESTION.replace("Who plays El Mariachi?", "Who plays Navajas?")
    copy = CHOICE_QUESTION.replace("Who plays El Mariachi?", "So, who plays El Mariachi?")
    files = {
        "a.toml": header.format("a") + CHOICE_QUESTION + TEXT_QUESTION,
        "b.toml": header.format("b") + leak.replace("el-mariachi-actor", "leaky"),
        "c.toml": header.format("a") + copy,  # the bank id and a question id again
        "d.toml": header.format("d")
        + "".join(  # findings at many keys of many tables, and a question with errors
            CHOICE_QUESTION.replace("el-mariachi-actor", f"d{n}")
            .replace("Who plays El Mariachi?", f"Which {n} of the two?")
            .replace('evidence = "', 'evidence = "not quoted ' if n % 3 == 0 else 'evidence = "')
            .replace(
                '"Javier Bardem"]', '"All of the above"]' if n % 4 == 1 else '"Javier Bardem"]'
            )
            .replace('difficulty = "easy"', 'difficulty = "easy"\ntags = [1]' if n == 7 else "")
            for n in range(12)
        ),
        "e.toml": (header.format("e") + TEXT_QUESTION.replace("trejo-role", "e1")).replace(
            "\n", "\r\n"
        ),
        "f.toml": header.format("f")
        + TEXT_QUESTION.replace("trejo-role", "f1").replace(
            'explanation = "Trejo plays Navajas."', 'explanation = """\n[[questions]]\n"""'
        ),
    }
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize("folder", ["rules", "many"])
def test_workers_find_what_one_process_finds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, folder: str
) -> None:
    path = RULES if folder == "rules" else many_banks(tmp_path)
    alone = validate([path], keep_banks=True)
    codes = {finding.code for finding in alone.findings}
    if folder == "many":
        assert {"duplicate-id", "near-duplicate", "answer-leak"} <= codes
    in_workers(monkeypatch)
    assert outputs(validate([path], keep_banks=True)) == outputs(alone)
    assert [f.describe() for f in validate([path]).findings] == outputs(alone)[0]


def test_keys_read_when_asked_find_the_lines_every_line_walked_finds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folders = [RULES, many_banks(tmp_path)]
    asked = [validate([folder]).findings for folder in folders]
    monkeypatch.setattr(toml_lines, "scan", walked)  # the loader reads it from there
    assert asked == [validate([folder]).findings for folder in folders]


def test_a_file_changed_since_it_was_checked_gives_its_tables_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Lines looked up again in a file that no longer holds the text that was checked
    are its tables' lines (which the digest holds), never another text's."""
    bank = many_banks(tmp_path) / "a.toml"
    digest = check_file(bank, keep_lines=False).digest
    assert digest is not None
    assert digest.line_map is None
    assert [digest.table_of(position).of("answer") for position in (0, 1)] == [13, 23]
    bank.write_text("# moved\n" + bank.read_text(encoding="utf-8"), encoding="utf-8")
    digest = check_file(bank, keep_lines=False).digest
    assert digest is not None
    assert list(digest.lines) == [7, 18]
    bank.write_text("# and again\n" + bank.read_text(encoding="utf-8"), encoding="utf-8")
    assert [digest.table_of(position).of("answer") for position in (0, 1)] == [7, 18]
    reads: list[Path] = []  # once found changed, the file is not read for each finding
    monkeypatch.setattr(validation, "read_text", lambda path: reads.append(path))
    assert [digest.table_of(position).of("answer") for position in (0, 1)] == [7, 18]
    assert reads == []


def test_checking_a_file_leaves_no_reference_cycle(tmp_path: Path) -> None:
    """Validation runs with the cyclic garbage collector off: what a check makes
    (lines read when asked, digests, findings) must be freed by reference counts."""
    folder = many_banks(tmp_path)
    for _ in range(2):  # the first check builds what stays (validators, caches)
        for path in sorted(folder.glob("*.toml")):
            for keep_lines in (True, False):
                check = check_file(path, keep_bank=True, keep_lines=keep_lines)
                if check.digest is not None:
                    [check.digest.table_of(n).of("id") for n in range(len(check.digest.ids))]
                del check
        collected = gc.collect()
    assert collected == 0
