"""The validator: one fixture per rule, the bundled banks, and random or mutated files."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desperado_quiz import analytics
from desperado_quiz.authoring import KEY_ORDER
from desperado_quiz.findings import Finding, Severity
from desperado_quiz.text import normalise_quote
from desperado_quiz.validator import coverage, validate
from tests.helpers import CHOICE_QUESTION, FIXTURES, QUESTIONS

RULES = sorted((FIXTURES / "rules").glob("*.toml"))
EXPECT = re.compile(r'#\s*expect:\s*([a-z0-9-]+)\s+"([^"]*)"')


def expectations(path: Path) -> list[tuple[int, str, str]]:
    """(line, code, message fragment) from each `# expect: code "fragment"` comment."""
    return [
        (number, match.group(1), match.group(2))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if (match := EXPECT.search(line))
    ]


@pytest.mark.parametrize("fixture", RULES, ids=lambda p: p.stem)
def test_each_rule_reports_its_code_line_and_message(fixture: Path) -> None:
    expected = expectations(fixture)
    assert expected, f"{fixture.name} has no `# expect:` comment"
    findings = validate([fixture]).findings
    for line, code, fragment in expected:
        matching = [f for f in findings if f.code == code and f.line == line]
        assert matching, f"no {code} at line {line}; got {[f.describe() for f in findings]}"
        assert fragment in f"{matching[0].message} ({matching[0].hint})"
        assert matching[0].path == fixture


def test_every_documented_rule_has_a_fixture() -> None:
    documented = set(
        re.findall(
            r"^### `([a-z0-9-]+)`",
            (QUESTIONS.parent / "docs" / "validation.md").read_text(),
            re.MULTILINE,
        )
    )
    covered = {code for path in RULES for _, code, _ in expectations(path)}
    generated = {  # made by the tests below and in test_hostile_files.py
        "not-utf8",
        "file-too-large",
        "unreadable",
        "not-a-file",
        "no-question-files",
        "line-too-long",
        "source-not-a-file",
        "internal-error",
        "too-many-questions",
        "too-many-items",
        "too-many-findings",  # made by tests/test_hostile_files.py
        "evidence-not-checked",
        *analytics.FLAGS,  # made from a history of known answers in test_analytics.py
    }
    assert documented == covered | generated


def test_a_plain_check_finds_what_a_check_that_keeps_the_banks_finds() -> None:
    """The rules that span files read digests of the banks, not the banks: the same
    findings either way, in one process or in workers."""
    every_rule = [RULES[0].parent]
    slim, kept = validate(every_rule), validate(every_rule, keep_banks=True)
    assert [f.describe() for f in slim.findings] == [f.describe() for f in kept.findings]
    assert (slim.banks, slim.summary()) == ([], kept.summary())
    assert len(kept.banks) == kept.summary()["banks"]


def test_bundled_banks_have_no_findings() -> None:
    report = validate()
    assert [f.describe() for f in report.findings if f.severity is not Severity.NOTE] == []
    assert 40 <= report.question_count <= 55


def test_not_utf8_and_too_large_are_findings_not_crashes(tmp_path: Path) -> None:
    (tmp_path / "latin1.toml").write_bytes(b'[bank]\nid = "x"\ntitle = "Se\xf1or"\n')
    (tmp_path / "huge.toml").write_bytes(b"# padding\n" * 600_000)
    codes = {(f.path.name, f.code, f.line) for f in validate([tmp_path]).findings}
    assert codes == {("latin1.toml", "not-utf8", 3), ("huge.toml", "file-too-large", None)}


def test_ids_are_unique_across_banks_validated_together(tmp_path: Path) -> None:
    bank = (RULES[0].parent / "missing-explanation.toml").read_text(encoding="utf-8")
    for name in ("one", "two"):
        (tmp_path / f"{name}.toml").write_text(
            bank.replace("../../../questions/", str(QUESTIONS) + "/"), encoding="utf-8"
        )
    findings = [f for f in validate([tmp_path]).findings if f.code == "duplicate-id"]
    assert sorted(f.message.split(" is also")[0] for f in findings) == [
        "bank id 'missing-explanation'",
        "question id 'director'",
    ]
    assert all(f.path.name == "two.toml" for f in findings)


def test_coverage_lists_uncited_sentences() -> None:
    report = validate([RULES[0].parent / "missing-explanation.toml"], keep_banks=True)
    (item,) = coverage(report)
    assert item.cited  # "Directed by Robert Rodriguez"
    assert (
        "Financially, the film earned $25.4 million in the United States and Canada and "
        "$58 million worldwide." in item.uncited
    )
    assert 0 < item.share < 0.2


def test_coverage_counts_claims_not_titles_or_captions() -> None:
    (item,) = coverage(validate([RULES[0].parent / "missing-explanation.toml"], keep_banks=True))
    sentences = [sentence.replace("\xa0", " ") for sentence in item.sentences]
    for not_a_claim in (
        "Codpiece gun in Desperado",  # a picture caption
        "ACTION on Netflix",  # the section label
        "By Jeffrey Rapaport | Updated",
        "The Netflix 90s Action Thriller That Will Blow You Away",
    ):
        assert not_a_claim not in sentences
    assert "For an action classic sure to satisfy, stream Desperado today." in sentences


def test_the_bundled_bank_covers_the_article() -> None:
    (item,) = coverage(validate(keep_banks=True))
    assert item.share >= 0.8
    # What is left is the article's opinion of the film and where it streamed when the
    # article was written, not facts about the film.
    assert [normalise_quote(sentence) for sentence in item.uncited] == [
        normalise_quote(sentence)
        for sentence in [
            "In the mood for a classic thriller offering high-octane action sequences and a "
            "gripping narrative?",
            "Consider Desperado, the 90's film streaming now on Netflix, captivating audiences "
            "today as much as it did almost thirty years ago.",
            "Another of the film's assets is its stellar cast.",
            "Indeed, Desperado's score engenders much of the film's signature ambiance.",
            "For an action classic sure to satisfy, stream Desperado today.",
        ]
    ]


def made_up_words(seed: int, count: int = 6) -> str:
    """Words that no other seed shares, so unrelated questions really differ."""

    def word(value: int) -> str:
        return "".join(chr(97 + (value // 26**k) % 26) for k in range(5))

    return " ".join(word((seed * count + k) * 7919 % 26**5) for k in range(count))


def test_near_duplicates_are_found_among_many_questions(tmp_path: Path) -> None:
    filler = "".join(
        CHOICE_QUESTION.replace("el-mariachi-actor", f"q{n}").replace(
            "Who plays El Mariachi?", f"{made_up_words(n)}?"
        )
        for n in range(400)
    )
    copy = CHOICE_QUESTION.replace("el-mariachi-actor", "copy").replace(
        "Who plays El Mariachi?", "So, who plays El Mariachi?"
    )
    header = '[bank]\nid = "many"\ntitle = "Many"\nsource = "article.txt"\n'
    shutil.copy(QUESTIONS / "desperado-article.txt", tmp_path / "article.txt")
    (tmp_path / "many.toml").write_text(header + CHOICE_QUESTION + filler + copy)
    near = [f for f in validate([tmp_path / "many.toml"]).findings if f.code == "near-duplicate"]
    assert [f.question_id for f in near] == ["copy"]


MUTATIONS = st.sampled_from(
    [
        lambda s, i: s[:i] + s[i + 1 :],  # delete a character
        lambda s, i: s[:i] + s[i] * 2 + s[i:],  # double one
        lambda s, i: s[:i] + '"' + s[i:],  # stray quote
        lambda s, i: s[:i] + "\n[[questions]]\n" + s[i:],  # table in the middle
        lambda s, i: s[:i] + "\n" + s[i:],  # break a line
        lambda s, i: s[:i] + "\x00" + s[i:],  # NUL
        lambda s, i: s[:i] + "= 1" + s[i:],
        lambda s, i: s[:i],  # truncate
    ]
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(mutation=MUTATIONS, where=st.floats(0, 1), times=st.integers(1, 4))
def test_mutated_banks_only_ever_produce_findings(
    tmp_path: Path, mutation: object, where: float, times: int
) -> None:
    text = (QUESTIONS / "music.toml").read_text(encoding="utf-8")
    for _ in range(times):
        index = min(int(where * len(text)), max(len(text) - 1, 0))
        text = mutation(text, index) if text else text  # type: ignore[operator]
    path = tmp_path / "mutated.toml"
    path.write_text(text, encoding="utf-8")
    shutil.copy(QUESTIONS / "desperado-article.txt", tmp_path / "desperado-article.txt")
    report = validate([path])
    assert all(isinstance(f, Finding) and f.severity in Severity for f in report.findings)
    assert "internal-error" not in {f.code for f in report.findings}  # no bug hidden


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=300))
def test_random_text_only_ever_produces_findings(tmp_path: Path, text: str) -> None:
    path = tmp_path / "random.toml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    report = validate([path])
    assert all(isinstance(f, Finding) for f in report.findings)
    assert "internal-error" not in {f.code for f in report.findings}


KEYS = [*KEY_ORDER, "anwser", "extra"]  # every key, and two unknown ones
SCALARS = (
    st.booleans()
    | st.integers(-(10**6), 10**6)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=15)
    | st.sampled_from(["choice", "multi", "order", "easy", "a"])
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(min_size=1, max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)


def toml_literal(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return (
            "{" + ", ".join(f"{json.dumps(k)} = {toml_literal(v)}" for k, v in value.items()) + "}"
        )
    return json.dumps(value)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=12), max_size=4),
    st.dictionaries(
        st.sampled_from(["id", "title", "source", "description", "x"]), VALUES, max_size=5
    ),
)
def test_random_structures_only_ever_produce_findings(
    tmp_path: Path, questions: list[dict[str, object]], bank: dict[str, object]
) -> None:
    lines = ["[bank]", *(f"{key} = {toml_literal(v)}" for key, v in bank.items())]
    for question in questions:
        lines += ["[[questions]]", *(f"{key} = {toml_literal(v)}" for key, v in question.items())]
    path = tmp_path / "structure.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8", errors="surrogatepass")
    report = validate([path])
    assert all(isinstance(f, Finding) for f in report.findings)
    assert "internal-error" not in {f.code for f in report.findings}


def test_a_bug_on_one_file_is_a_finding_and_the_others_are_still_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desperado_quiz import loader

    real = loader._parse_bank

    def flaky(text: str, path: Path, **options: object) -> object:
        if path.name == "a.toml":
            raise RecursionError("maximum recursion depth exceeded")
        return real(text, path, **options)

    monkeypatch.setattr(loader, "_parse_bank", flaky)
    bank = (RULES[0].parent / "missing-explanation.toml").read_text(encoding="utf-8")
    bank = bank.replace("../../../questions/", str(QUESTIONS) + "/")
    (tmp_path / "a.toml").write_text(bank, encoding="utf-8")
    (tmp_path / "b.toml").write_text(bank.replace('"missing-explanation"', '"b"'))
    codes = {(f.path.name, f.code) for f in validate([tmp_path]).findings}
    assert ("a.toml", "internal-error") in codes
    assert ("b.toml", "missing-explanation") in codes


def test_a_number_written_in_words_in_the_evidence_is_the_answer(
    write_bank: Callable[..., Path],
) -> None:
    bank = write_bank(
        """
[[questions]]
id = "years-since"
type = "number"
question = "About how many years before the article did the film come out?"
category = "Story"
difficulty = "medium"
answer = 30
tolerance = 2
evidence = "as much as it did almost thirty years ago"
explanation = "The article was written in the mid-2020s."
hint = "Three decades."
"""
    )
    codes = [f.code for f in validate([bank]).findings]
    assert "answer-not-in-evidence" not in codes
    assert codes == []
