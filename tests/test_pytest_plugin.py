"""The opt-in pytest plugin: each question a test item, failing with the validator's words."""

from __future__ import annotations

import re
import shutil

import pytest

from tests.helpers import ARTICLE, BANK_HEADER, CHOICE_QUESTION, TEXT_QUESTION


@pytest.fixture
def banks(pytester: pytest.Pytester) -> pytest.Pytester:
    folder = pytester.mkdir("questions")
    shutil.copy(ARTICLE, folder / "article.txt")
    good = CHOICE_QUESTION + 'hint = "A Spanish star."\n'
    (folder / "good.toml").write_text(BANK_HEADER.format(id="good") + good)
    broken = TEXT_QUESTION.replace('answer = "Navajas"', 'anwser = "Navajas"')
    (folder / "broken.toml").write_text(BANK_HEADER.format(id="broken") + broken)
    (folder / "warned.toml").write_text(
        BANK_HEADER.format(id="warned")
        + good.replace("el-mariachi-actor", "no-explanation").replace(
            'explanation = "Banderas plays him."\n', ""
        )
    )
    return pytester


def test_inactive_unless_asked_for(banks: pytest.Pytester) -> None:
    result = banks.runpytest("questions")
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED


def test_every_question_is_an_item_failing_with_the_validators_message(
    banks: pytest.Pytester,
) -> None:
    result = banks.runpytest("--quiz-banks", "questions", "-v")
    result.assert_outcomes(passed=5, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*questions/broken.toml::broken:trejo-role FAILED*",
            "*questions/good.toml::good:el-mariachi-actor PASSED*",
            "*broken.toml:12: error unknown-key ?trejo-role?: unknown key `anwser`*",
        ]
    )
    assert result.ret == pytest.ExitCode.TESTS_FAILED


def test_strict_fails_warnings_too(banks: pytest.Pytester) -> None:
    result = banks.runpytest("--quiz-banks", "questions", "--quiz-strict")
    result.assert_outcomes(passed=4, failed=2)
    result.stdout.fnmatch_lines(["*warned.toml:9: warning missing-explanation ?no-explanation?*"])


def test_ini_option(banks: pytest.Pytester) -> None:
    banks.makeini("[pytest]\nquiz_banks = questions\n")
    result = banks.runpytest()
    result.assert_outcomes(passed=5, failed=1)


def test_bundled_banks_pass_as_tests(pytester: pytest.Pytester) -> None:
    from desperado_quiz.paths import bundled_questions_dir

    result = pytester.runpytest("--quiz-banks", str(bundled_questions_dir()))
    outcomes = result.parseoutcomes()
    assert outcomes.get("failed", 0) == 0
    assert outcomes["passed"] >= 40 + 5  # every question, and a (file) item per bank


def test_only_the_banks_are_checked_when_no_test_path_is_given(banks: pytest.Pytester) -> None:
    banks.makepyfile(test_project="def test_of_the_project():\n    assert True\n")
    result = banks.runpytest("--quiz-banks", "questions", "-v")
    result.assert_outcomes(passed=5, failed=1)  # the banks only
    assert "test_of_the_project" not in result.stdout.str()
    with_tests = banks.runpytest("--quiz-banks", "questions", "test_project.py", "questions")
    with_tests.assert_outcomes(passed=6, failed=1)  # both, when both are asked for


def test_questions_that_share_an_id_get_node_ids_of_their_own(pytester: pytest.Pytester) -> None:
    folder = pytester.mkdir("questions")
    shutil.copy(ARTICLE, folder / "article.txt")
    twice = CHOICE_QUESTION + 'hint = "A Spanish star."\n'
    (folder / "twice.toml").write_text(BANK_HEADER.format(id="twice") + twice + twice)
    result = pytester.runpytest("--quiz-banks", "questions", "-v")
    result.stdout.fnmatch_lines(
        [
            "*twice.toml::twice:el-mariachi-actor@7 PASSED*",  # each `id` line
            "*twice.toml::twice:el-mariachi-actor@19 FAILED*",
            "*duplicate-id*also used at questions/twice.toml:7*",
        ]
    )


# Names from strangers' files (issue 24, item 12) ----------------------------------------

RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
FORGED = "bad\x1b[2J\n::error file=setup.py,line=1::forged"


def github_commands(output: str) -> list[str]:
    """The lines a GitHub Actions runner would obey: those starting with `::` once their
    leading spaces are trimmed."""
    return [line for line in output.splitlines() if line.lstrip().startswith("::")]


@pytest.mark.parametrize(
    ("folder", "name", "roots"),
    [
        ("questions", f"{FORGED}.toml", "questions"),  # an escape, and a newline then ::error
        (".", "::error title=forged::pwned.toml", "."),  # :: at the start of a line
    ],
    ids=["escape and newline", "leading ::"],
)
def test_a_file_name_never_reaches_the_terminal_raw_nor_forges_a_github_command(
    pytester: pytest.Pytester, folder: str, name: str, roots: str
) -> None:
    where = pytester.path / folder
    where.mkdir(exist_ok=True)
    shutil.copy(ARTICLE, where / "article.txt")
    broken = CHOICE_QUESTION.replace('answer = "Antonio Banderas"', 'anwser = "x"')
    (where / name).write_text(BANK_HEADER.format(id="bad") + broken, encoding="utf-8")
    junit = pytester.path / "report.xml"
    result = pytester.runpytest(
        "--quiz-banks", roots, "-vv", "-rA", f"--junitxml={junit}", "-p", "no:cacheprovider"
    )
    result.assert_outcomes(passed=1, failed=1)
    output = result.stdout.str()
    assert not RAW_CONTROL.search(output.replace("\n", ""))
    assert github_commands(output) == []
    assert "unknown key `anwser`" in output
    assert "\\x1b" in output or name.startswith("::")
    report = junit.read_text(encoding="utf-8")
    assert not RAW_CONTROL.search(report.replace("\n", ""))
    assert github_commands(report) == []


def test_a_file_cut_short_fails_its_file_item_with_the_count(pytester: pytest.Pytester) -> None:
    folder = pytester.mkdir("questions")
    shutil.copy(ARTICLE, folder / "article.txt")
    keys = "".join(f"k{n} = 1\n" for n in range(5_000))
    (folder / "keys.toml").write_text(keys + BANK_HEADER.format(id="keys") + CHOICE_QUESTION)
    result = pytester.runpytest("--quiz-banks", "questions")
    result.assert_outcomes(passed=1, failed=1)  # the (file) item fails; the question passes
    result.stdout.fnmatch_lines(["*too-many-findings: 4,900 more `unknown-key` findings*"])
    assert len(result.stdout.str()) < 100_000
