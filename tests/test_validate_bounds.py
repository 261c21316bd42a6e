"""What one file can make `validate` report and search (issue 24, item 9): at most 100
findings of a rule and 1,000 in all per file, then one `too-many-findings` finding that
counts the rest; and at most 500,000,000 characters of the source compared for one
file's quotes. Every file here is written in the test's own temporary folder; the time
each shape takes is held by tests/test_hostile_files.py (the worst file of each shape).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from desperado_quiz import findings as findings_module
from desperado_quiz import source as source_module
from desperado_quiz.cli import app
from desperado_quiz.findings import MAX_PER_FILE, MAX_PER_RULE
from desperado_quiz.source import CLOSEST_WEIGHT, MAX_COMPARED, PER_SEARCH, read_source
from desperado_quiz.validator import validate
from tests.helpers import ARTICLE, BANK_HEADER, CHOICE_QUESTION

runner = CliRunner()
KEYS = 446_000  # one unknown key a line: the red team's 5 MB file


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "article.txt").write_text(ARTICLE.read_text(encoding="utf-8"), encoding="utf-8")
    return tmp_path


def unknown_keys(folder: Path, count: int = KEYS) -> Path:
    path = folder / "keys.toml"
    path.write_text(
        "".join(f"k{n} = 1\n" for n in range(count)) + BANK_HEADER.format(id="keys"),
        encoding="utf-8",
    )
    assert path.stat().st_size < 5 * 1024 * 1024  # within the file limit
    return path


def more(found: list[dict[str, object]], code: str) -> int:
    """How many findings of ``code`` the `too-many-findings` finding counts."""
    (cut,) = [f for f in found if f["code"] == "too-many-findings" and f"`{code}`" in str(f)]
    return int(str(cut["message"]).split()[0].replace(",", ""))


def test_a_file_of_unknown_keys_makes_101_findings_in_every_format(folder: Path) -> None:
    path = unknown_keys(folder)
    result = runner.invoke(app, ["validate", "-f", "json", str(path)])
    assert result.exit_code == 1
    found = json.loads(result.stdout)["data"]["findings"]
    keys = [f for f in found if f["code"] == "unknown-key"]
    assert [f["line"] for f in keys] == list(range(1, MAX_PER_RULE + 1))  # the first ones
    assert sorted(f["code"] for f in found if f not in keys) == [
        "missing-key",  # (the file has no questions)
        "too-many-findings",
    ]
    (cut,) = [f for f in found if f["code"] == "too-many-findings"]
    assert (cut["line"], cut["severity"]) == (None, "error")  # on the file, as its worst
    assert more(found, "unknown-key") == KEYS - MAX_PER_RULE
    github = runner.invoke(app, ["validate", "-f", "github", str(path)])
    assert github.exit_code == 1
    assert len(github.stdout) < 100_000  # was 57 MB of annotations
    assert "445,900 more `unknown-key` findings in this file" in github.stdout
    smaller = unknown_keys(folder, 20_000)  # the other formats, on a smaller file: quicker
    for form in ("text", "junit"):
        output = runner.invoke(app, ["validate", "-f", form, str(smaller)])
        assert output.exit_code == 1
        assert len(output.stdout) < 100_000
        assert "19,900 more `unknown-key` findings in this file" in output.stdout
    ET.fromstring(output.stdout.encode())


def test_a_file_shows_at_most_1000_findings_in_all(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the bound of a rule set past the file's, the file's bound holds."""
    monkeypatch.setattr(findings_module, "MAX_PER_RULE", 5_000)
    path = unknown_keys(folder, 2_500)
    found = validate([path]).findings
    shown = [f for f in found if f.code != "too-many-findings"]
    assert len(shown) == MAX_PER_FILE  # the unknown keys, and the missing questions
    (cut,) = [f for f in found if f.code == "too-many-findings"]
    assert cut.message.startswith("1,501 more `unknown-key` findings")


def test_the_count_is_as_severe_as_the_worst_finding_it_stands_for(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Notes past the bound make a note: a check, strict or not, fails as it would have."""
    questions = "".join(
        CHOICE_QUESTION.replace("el-mariachi-actor", f"q{n}").replace(
            "Who plays El Mariachi?", f"Who plays El Mariachi in scene {n}?"
        )
        for n in range(150)
    )
    path = folder / "hintless.toml"
    path.write_text(BANK_HEADER.format(id="hintless") + questions, encoding="utf-8")
    found = validate([path]).findings
    assert sum(f.code == "missing-hint" for f in found) == MAX_PER_RULE
    (cut,) = [f for f in found if f.code == "too-many-findings" and "missing-hint" in f.message]
    assert (cut.severity, cut.message) == (
        "note",
        "50 more `missing-hint` findings in this file, not shown",
    )
    bounded = validate([path])
    monkeypatch.setattr(findings_module, "MAX_PER_RULE", 10_000)
    unbounded = validate([path])
    assert len(unbounded.findings) > len(bounded.findings)
    for strict in (False, True):
        assert bounded.failed(strict) == unbounded.failed(strict)


def test_unknown_keys_in_every_question_are_bounded_too(folder: Path) -> None:
    body = "".join(
        CHOICE_QUESTION.replace("el-mariachi-actor", f"q{n}")
        + "".join(f"u{k} = 1\n" for k in range(40))
        for n in range(1_000)
    )
    path = folder / "question-keys.toml"
    path.write_text(BANK_HEADER.format(id="question-keys") + body, encoding="utf-8")
    found = [f.to_dict() for f in validate([path]).findings]
    assert sum(f["code"] == "unknown-key" for f in found) == MAX_PER_RULE
    assert more(found, "unknown-key") == 40_000 - MAX_PER_RULE


def big_source(folder: Path, size: int = 1_000_000) -> int:
    """A source of ``size`` characters (the article again and again); its length once
    normalised, which is what a search compares."""
    article = ARTICLE.read_text(encoding="utf-8")
    (folder / "article.txt").write_text((article * (size // len(article) + 1))[:size])
    return len(read_source(folder / "x.toml", "article.txt").normalised)


def short_quotes(folder: Path, count: int) -> Path:
    """One question whose one-word quotes are not in the source: each a whole search."""
    body = "".join(
        CHOICE_QUESTION.replace("el-mariachi-actor", f"q{n}").replace(
            'evidence = "El Mariachi (portrayed iconically by Antonio Banderas)"',
            f"evidence = [{', '.join(f'{chr(34)}zq{n}x{k}{chr(34)}' for k in range(50))}]",
        )
        for n in range(count // 50)
    )
    path = folder / "quotes.toml"
    path.write_text(BANK_HEADER.format(id="quotes") + body, encoding="utf-8")
    return path


def test_the_searches_of_a_large_source_for_one_files_quotes_are_bounded(folder: Path) -> None:
    """A 1 MB source and 2,000 one-word quotes: once 2,000 searches of the whole source
    (with 40 MB, 7,000 such quotes took two hours); now the searches stop at
    MAX_COMPARED characters, and each quote past them is `evidence-not-checked`."""
    length = big_source(folder)
    path = short_quotes(folder, 2_000)
    searched = MAX_COMPARED // (PER_SEARCH + length)
    closest = MAX_COMPARED // (PER_SEARCH + length * CLOSEST_WEIGHT)  # hints: work of their own
    found = [f.to_dict() for f in validate([path]).findings]
    missing = [f for f in found if f["code"] == "evidence-not-in-source"]
    unchecked = [f for f in found if f["code"] == "evidence-not-checked"]
    assert len(missing) == min(searched, MAX_PER_RULE)
    assert len(missing) + more(found, "evidence-not-in-source") == searched
    assert len(unchecked) == MAX_PER_RULE
    assert len(unchecked) + more(found, "evidence-not-checked") == 2_000 - searched
    assert sum("closest passage:" in str(f["hint"]) for f in missing) == min(closest, len(missing))
    assert unchecked[0]["severity"] == "error"
    assert "more than 500,000,000 characters" in str(unchecked[0]["message"])


def test_coverage_of_a_large_source_says_which_quotes_it_left_out(folder: Path) -> None:
    length = big_source(folder, 400_000)
    path = short_quotes(folder, 2_000)
    searched = MAX_COMPARED // (PER_SEARCH + length)
    result = runner.invoke(app, ["validate", "--coverage", "-f", "json", str(path)])
    document = json.loads(result.stdout)
    (notice,) = [w for w in document["warnings"] if "coverage" in w]
    assert f"leaves out {2_000 - searched:,} quotes" in notice


def test_a_small_source_and_ordinary_quotes_are_searched_in_full(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bundled banks' kind of file spends a sliver of the bound."""
    spent: list[int] = []
    real = source_module.Work.spend

    def spend(work: source_module.Work, amount: int) -> None:
        spent.append(amount)
        real(work, amount)

    monkeypatch.setattr(source_module.Work, "spend", spend)
    path = folder / "bank.toml"
    path.write_text(BANK_HEADER.format(id="bank") + CHOICE_QUESTION, encoding="utf-8")
    assert not [f for f in validate([path]).findings if f.code.startswith("evidence")]
    assert 0 < sum(spent) < MAX_COMPARED / 10_000
