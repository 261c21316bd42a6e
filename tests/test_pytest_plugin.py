"""The opt-in pytest plugin: each question a test item, failing with the validator's words."""

from __future__ import annotations

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
