"""Hostile question files: what a stranger's pull request can put in front of `validate`.

The red-team findings of issue 10 about files, each as a test: a source that points
outside the repository, escape sequences in ids, keys, file names and sources, files
that make the TOML parser work quadratically or recurse, paths that are pipes, devices
or folders, and file names that are not UTF-8.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from desperado_quiz.cli import app
from desperado_quiz.validator import validate
from tests.helpers import ARTICLE, BANK_HEADER, CHOICE_QUESTION

runner = CliRunner()
SECRET = "TOKEN=s3cr3t-canary-value"
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # what must never be printed


def every_format(*paths: str, extra: tuple[str, ...] = ()) -> dict[str, str]:
    """The output of `validate` in every format, over ``paths``."""
    outputs = {}
    for form in ("text", "json", "github", "junit"):
        result = runner.invoke(app, ["validate", "-f", form, *extra, *paths])
        assert result.exit_code in (0, 1), result.output
        outputs[form] = result.stdout
    outputs["coverage"] = runner.invoke(app, ["validate", "--coverage", *paths]).stdout
    outputs["coverage-json"] = runner.invoke(
        app, ["validate", "--coverage", "-f", "json", *paths]
    ).stdout
    return outputs


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository with a bank folder, and a secret outside it."""
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.txt").write_text(f"{SECRET}\nMore secrets here.\n")
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    (root / "questions").mkdir()
    return root


def bank_with_source(folder: Path, source: str, name: str = "bank.toml") -> Path:
    path = folder / name
    header = BANK_HEADER.format(id=path.stem).replace('"article.txt"', json.dumps(source))
    evidence = CHOICE_QUESTION.replace(
        'evidence = "El Mariachi (portrayed iconically by Antonio Banderas)"',
        f'evidence = "{SECRET}"',
    )
    path.write_text(header + evidence, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "source",
    [
        "../../../../../../../../proc/self/environ",
        "../../outside/secret.txt",
        "/etc/passwd",
    ],
)
def test_a_source_outside_the_repository_is_refused_and_never_read(
    repo: Path, source: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    bank = bank_with_source(repo / "questions", source)
    opened: list[str] = []
    real_open = os.open

    def recording_open(path: object, *args: object, **kwargs: object) -> int:
        opened.append(str(path))
        return real_open(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", recording_open)
    findings = validate([bank]).findings
    assert [(f.code, f.line) for f in findings if f.code.startswith("source")] == [
        ("source-outside", 4)
    ]
    # Nothing about the evidence either: whether it is "found" would leak the file.
    assert not [f for f in findings if f.code == "evidence-not-in-source"]
    assert not [path for path in opened if "secret" in path or "environ" in path]
    for form, output in every_format(str(bank)).items():
        assert "More secrets" not in output, form


def test_the_secret_never_shows_up_in_any_output(repo: Path) -> None:
    bank = bank_with_source(repo / "questions", "../../outside/secret.txt")
    # The evidence quotes the secret, so it is in the bank itself: what matters is that
    # no line of the source (the second one, say) is ever printed.
    for form, output in every_format(str(bank)).items():
        assert "More secrets here" not in output, form
        assert "closest passage" not in output, form


def test_a_symlink_that_leaves_the_repository_is_refused(repo: Path) -> None:
    (repo / "questions" / "article.txt").symlink_to(repo.parent / "outside" / "secret.txt")
    bank = bank_with_source(repo / "questions", "article.txt")
    codes = {f.code for f in validate([bank]).findings}
    assert "source-outside" in codes


def test_sources_inside_the_tree_or_the_repository_are_read(repo: Path) -> None:
    (repo / "docs").mkdir()
    (repo / "docs" / "article.txt").write_text(ARTICLE.read_text(encoding="utf-8"))
    (repo / "questions" / "linked.txt").symlink_to(repo / "docs" / "article.txt")
    nested = repo / "questions" / "deep" / "er"
    nested.mkdir(parents=True)
    for folder, source in (
        (nested, "../../../docs/article.txt"),  # elsewhere in the repository
        (repo / "questions", "linked.txt"),  # a link that stays inside
    ):
        bank = folder / "ok.toml"
        header = BANK_HEADER.format(id="ok").replace('"article.txt"', json.dumps(source))
        bank.write_text(header + CHOICE_QUESTION, encoding="utf-8")
        assert not [f.describe() for f in validate([bank]).findings if f.severity == "error"]


def test_without_a_repository_the_banks_own_folder_is_the_limit(tmp_path: Path) -> None:
    (tmp_path / "article.txt").write_text(ARTICLE.read_text(encoding="utf-8"))
    (tmp_path / "banks").mkdir()
    bank = bank_with_source(tmp_path / "banks", "../article.txt")
    assert "source-outside" in {f.code for f in validate([bank]).findings}


def test_a_pipe_as_source_is_refused_without_waiting(repo: Path) -> None:
    os.mkfifo(repo / "questions" / "pipe.txt")
    bank = bank_with_source(repo / "questions", "pipe.txt")
    result = subprocess.run(
        [sys.executable, "-m", "desperado_quiz", "validate", str(bank)],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 1
    assert "source-not-a-file" in result.stdout


ESCAPES = {
    "ESC CSI": "\x1b[2J",
    "OSC title": "\x1b]0;PWNED\x07",
    "BEL": "\x07",
    "CR": "\r",
    "C1 CSI": "\x9b31m",
}


@pytest.mark.parametrize("escape", ESCAPES.values(), ids=ESCAPES.keys())
def test_escape_sequences_from_a_file_are_shown_never_obeyed(tmp_path: Path, escape: str) -> None:
    (tmp_path / "article.txt").write_text(
        ARTICLE.read_text(encoding="utf-8") + f"\nA sentence with {escape} inside it.\n"
    )
    toml_escape = escape.encode("unicode_escape").decode().replace("\\x", "\\u00")
    body = (
        CHOICE_QUESTION.replace(
            'id = "el-mariachi-actor"', f'id = "bad{toml_escape}id"'
        )  # a bad id: shown in the finding
        + f'"key{toml_escape}" = 1\n'  # an unknown key
    )
    name = f"bank{escape}.toml"
    path = tmp_path / name
    path.write_text(BANK_HEADER.format(id="escapes") + body, encoding="utf-8")
    outputs = every_format(str(path))
    played = runner.invoke(app, ["play", "-b", str(path)], input="quit\n")
    listed = runner.invoke(app, ["list", str(path)])
    outputs |= {"play": played.output, "list": listed.output}
    for form, output in outputs.items():
        assert not RAW_CONTROL.search(output.replace("\n", "").replace("\t", "")), form
    assert "\\x1b" in outputs["text"] or escape in ("\x07", "\r", "\x9b31m")
    ET.fromstring(outputs["junit"].encode())  # well-formed XML
    assert json.loads(outputs["json"])["data"]["findings"]


def test_junit_is_well_formed_with_noncharacters(tmp_path: Path) -> None:
    (tmp_path / "article.txt").write_text(ARTICLE.read_text(encoding="utf-8"))
    body = CHOICE_QUESTION.replace('id = "el-mariachi-actor"', 'id = "a\\uFFFEb\\uFFFF\\u0001"')
    path = tmp_path / "bank.toml"
    path.write_text(BANK_HEADER.format(id="nonchar") + body, encoding="utf-8")
    output = runner.invoke(app, ["validate", "-f", "junit", str(path)]).stdout
    ET.fromstring(output.encode())
    assert "\\ufffe" in output


def test_a_file_name_that_is_not_utf8_is_shown_safely_in_every_format(tmp_path: Path) -> None:
    folder = os.fsencode(tmp_path)
    with open(folder + b"/\xff\xfe.toml", "wb") as handle:  # noqa: PTH123 (bytes path)
        handle.write(b'[bank]\nid = "x"\n')
    for form in ("text", "json", "github", "junit"):
        result = subprocess.run(
            [sys.executable, "-m", "desperado_quiz", "validate", "-f", form, str(tmp_path)],
            capture_output=True,
            env={**os.environ, "PYTHONIOENCODING": "utf-8", "LC_ALL": "C.UTF-8"},
            timeout=60,
            check=False,
        )
        assert result.returncode == 1, result.stderr
        assert b"Traceback" not in result.stderr
        text = result.stdout.decode("utf-8")  # valid UTF-8, or this raises
        if form == "json":
            text = json.loads(text)["data"]["findings"][0]["path"]
        assert "\\xff\\xfe.toml" in text, form


def dotted(parts: int) -> str:
    return ".".join(["a"] * parts) + " = 1\n"


def nested(depth: int) -> str:
    return "x = " + "[" * depth + "]" * depth + "\n"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (dotted(50_000), "key-too-long"),
        (nested(600), "nesting-too-deep"),
        ("x = " + "{a = " * 600 + "1" + "}" * 600 + "\n", "nesting-too-deep"),
        ("x = '" + "a" * 200_000 + "'\n", "line-too-long"),
    ],
    ids=["dotted key", "nested arrays", "nested inline tables", "long line"],
)
def test_files_beyond_the_limits_are_findings_and_the_others_still_checked(
    tmp_path: Path, text: str, code: str
) -> None:
    (tmp_path / "article.txt").write_text(ARTICLE.read_text(encoding="utf-8"))
    (tmp_path / "a-hostile.toml").write_text(text)
    (tmp_path / "b-good.toml").write_text(
        BANK_HEADER.format(id="good") + CHOICE_QUESTION.replace("Banderas plays him.", "")
    )
    report = validate([tmp_path])
    assert (code, "a-hostile.toml") in {(f.code, f.path.name) for f in report.findings}
    assert ("missing-explanation", "b-good.toml") in {
        (f.code, f.path.name) for f in report.findings
    }
    github = runner.invoke(app, ["validate", "-f", "github", str(tmp_path)]).stdout
    assert "a-hostile.toml" in github
    assert "b-good.toml" in github


WORST_WITHIN_LIMITS = {
    "dotted keys of 16 parts": "".join(
        f"{'.'.join(f'k{n}' for n in range(i, i + 15))}.last{i} = {i}\n" for i in range(20_000)
    ),
    "arrays nested 16 deep": "".join(f"x{i} = {'[' * 16}{']' * 16}\n" for i in range(20_000)),
    "lines of 100,000 characters": "".join(f"x{i} = '{'a' * 99_980}'\n" for i in range(40)),
    # Escapes in a multi-line string: once a backtracking entry each in the limits' scan.
    "2 million escapes in strings": 'x = """' + ("\\t" * 49_000 + "\n") * 40 + '"""\n',
    # A run of spaces before no dash: once quadratic in normalising the quote, and a
    # backtracking entry per character in the limits' scan.
    "evidence of 3 MB of spaces": BANK_HEADER.format(id="spaces")
    + CHOICE_QUESTION.replace(
        'evidence = "El Mariachi (portrayed iconically by Antonio Banderas)"',
        'evidence = """' + "   \n" * 750_000 + 'x-"""',
    ),
    # One finding a line, each with a did-you-mean: once 22 s, 686 MB and 57 MB of
    # GitHub annotations (issue 24).
    "450,000 unknown keys": "".join(f"k{n} = 1\n" for n in range(440_000))
    + BANK_HEADER.format(id="keys"),
    "unknown keys in each of 8,000 questions": BANK_HEADER.format(id="question-keys")
    + "".join(
        CHOICE_QUESTION.replace("el-mariachi-actor", f"q{n}")
        + "".join(f"u{k} = 1\n" for k in range(40))
        for n in range(8_000)
    ),
    # Each quote a search of the source, and its closest passage a fuzzy one.
    "50 quotes not in the source in each of 6,000 questions": BANK_HEADER.format(id="quotes")
    + "".join(
        CHOICE_QUESTION.replace("el-mariachi-actor", f"q{n}").replace(
            'evidence = "El Mariachi (portrayed iconically by Antonio Banderas)"',
            f"evidence = [{', '.join(f'{chr(34)}q{n}e{k}{chr(34)}' for k in range(50))}]",
        )
        for n in range(6_000)
    ),
}


@pytest.mark.parametrize("text", WORST_WITHIN_LIMITS.values(), ids=WORST_WITHIN_LIMITS.keys())
def test_the_worst_file_within_the_limits_validates_quickly(tmp_path: Path, text: str) -> None:
    """CPU time and peak memory of a fresh process, so that other tests cannot skew it.
    The time is measured against a bare tomllib parse of the same file in the same
    process, so that a busy machine moves both: the limits bound the work, not the
    machine's speed."""
    path = tmp_path / "worst.toml"
    path.write_text(text)
    (tmp_path / "article.txt").write_text(ARTICLE.read_text(encoding="utf-8"), encoding="utf-8")
    assert path.stat().st_size < 5 * 1024 * 1024

    def measure(work: str) -> list[str]:
        probe = (
            "import resource, time, sys, tomllib\n"
            "from pathlib import Path\n"
            "from desperado_quiz.validator import validate\n"
            "start = time.process_time()\n"
            f"{work}\n"
            "seconds = time.process_time() - start\n"
            # VmHWM is this process's own peak; ru_maxrss would carry over the peak of
            # the (large) test process it was forked from.
            "peak = [l for l in open('/proc/self/status') if l.startswith('VmHWM')]\n"
            "kb = int(peak[0].split()[1]) if peak else "
            "resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
            "print(seconds, kb // 1024)\n"
        )
        done = subprocess.run(
            [sys.executable, "-c", probe, str(path)],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        return done.stdout.split()

    # Each in a fresh process of its own, so that neither's memory counts for the other.
    parse = measure("tomllib.loads(Path(sys.argv[1]).read_text())")[0]
    seconds, megabytes = measure("validate([Path(sys.argv[1])])")
    assert float(seconds) < 3 * float(parse) + 0.5
    assert int(megabytes) < 300


def test_a_pipe_a_device_and_an_empty_folder_each_get_a_finding(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.toml")
    (tmp_path / "folder.toml").mkdir()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "desperado_quiz",
            "validate",
            "-f",
            "json",
            str(tmp_path / "pipe.toml"),
            "/dev/zero",
            str(tmp_path / "folder.toml"),
        ],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 1
    codes = sorted(
        (Path(f["path"]).name, f["code"]) for f in json.loads(result.stdout)["data"]["findings"]
    )
    assert codes == [
        ("folder.toml", "no-question-files"),
        ("pipe.toml", "not-a-file"),
        ("zero", "not-a-file"),
    ]


def test_a_pipe_inside_a_folder_is_reported_not_waited_on(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.toml")
    findings = validate([tmp_path]).findings
    assert [(f.code, f.path.name) for f in findings] == [("not-a-file", "pipe.toml")]


def test_an_unreadable_subfolder_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    (tmp_path / "article.txt").write_text(ARTICLE.read_text(encoding="utf-8"))
    (tmp_path / "bank.toml").write_text(BANK_HEADER.format(id="bank") + CHOICE_QUESTION)
    real_scandir = os.scandir

    def scandir(path: object = ".") -> object:  # root reads anything: simulate the refusal
        if Path(str(path)) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", scandir)
    findings = validate([tmp_path]).findings
    assert ("unreadable", "locked") in {(f.code, f.path.name) for f in findings}


@pytest.mark.parametrize("value", ["nan", "+nan", "inf", "-inf"])
def test_non_finite_numbers_never_reach_a_game(tmp_path: Path, value: str) -> None:
    (tmp_path / "article.txt").write_text(ARTICLE.read_text(encoding="utf-8"))
    path = tmp_path / "bank.toml"
    path.write_text(
        BANK_HEADER.format(id="numbers")
        + f"""
[[questions]]
id = "worldwide"
type = "number"
question = "Worldwide gross?"
category = "Box office"
difficulty = "easy"
answer = {value}
evidence = "$58 million worldwide"
"""
    )
    result = runner.invoke(app, ["play", "-b", str(path)], input="58\n")
    assert result.exit_code == 2
    assert "non-finite-number" in result.output
    assert "nan" not in result.stdout.lower().replace("non-finite", "")
    assert runner.invoke(app, ["validate", str(path)]).exit_code == 1


# Sources that a bank from a stranger must not read (a second red-team pass) ----------


def _bank_with_source(folder: Path, source: str) -> Path:
    bank = folder / "questions" / "evil.toml"
    bank.parent.mkdir(parents=True, exist_ok=True)
    bank.write_text(
        f'[bank]\nid = "evil"\ntitle = "Evil"\nsource = "{source}"\n\n'
        '[[questions]]\nid = "q1"\ntype = "text"\nquestion = "Q?"\ncategory = "C"\n'
        'difficulty = "easy"\nanswer = "x"\nevidence = "zzzz"\nexplanation = "E."\n'
        'hint = "H."\n',
        encoding="utf-8",
    )
    return bank


SECRET = "extraheader = AUTHORIZATION: basic c2VjcmV0LXRva2Vu"


@pytest.mark.parametrize(
    ("place", "source", "code"),
    [
        (".git/config", "../.git/config", "source-outside"),  # the CI token of a checkout
        (".env", "../.env", "source-outside"),
        ("docs/.hidden/notes.txt", "../docs/.hidden/notes.txt", "source-outside"),
        ("config/secrets.yml", "../config/secrets.yml", "source-not-a-file"),
    ],
)
def test_hidden_files_and_other_kinds_of_file_in_the_repository_are_not_sources(
    tmp_path: Path, place: str, source: str, code: str
) -> None:
    (tmp_path / ".git").mkdir()
    secret = tmp_path / place
    secret.parent.mkdir(parents=True, exist_ok=True)
    secret.write_text(SECRET + "\n", encoding="utf-8")
    bank = _bank_with_source(tmp_path, source)
    for args in ([str(bank)], [str(bank), "--coverage"], [str(bank), "--format", "json"]):
        result = runner.invoke(app, ["validate", *args])
        assert "c2VjcmV0" not in result.output, args
    findings = validate([bank]).findings
    assert code in {f.code for f in findings}


def test_a_hard_linked_source_is_not_read(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text(SECRET + "\n", encoding="utf-8")
    (tmp_path / "questions").mkdir()
    os.link(elsewhere, tmp_path / "questions" / "linked.txt")
    bank = _bank_with_source(tmp_path, "linked.txt")
    result = runner.invoke(app, ["validate", str(bank)])
    assert "c2VjcmV0" not in result.output
    assert "hard links" in result.output


def test_a_symlink_loop_as_source_is_a_finding(tmp_path: Path) -> None:
    (tmp_path / "questions").mkdir()
    (tmp_path / "questions" / "loop.txt").symlink_to("loop.txt")
    bank = _bank_with_source(tmp_path, "loop.txt")
    result = runner.invoke(app, ["validate", str(bank), "--format", "json"])
    assert result.exit_code == 1
    codes = {f["code"] for f in json.loads(result.stdout)["data"]["findings"]}
    assert "source-missing" in codes


def test_a_home_kept_in_git_does_not_open_the_home_to_a_bank(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desperado_quiz import source

    home = tmp_path / "home"
    (home / ".git").mkdir(parents=True)
    (home / "Documents").mkdir()
    (home / "Documents" / "diary.txt").write_text(SECRET + "\n", encoding="utf-8")
    monkeypatch.setattr(source, "_home", lambda: home.resolve())
    source.repository_root.cache_clear()
    bank = _bank_with_source(home / "Downloads" / "pr", "../../../Documents/diary.txt")
    assert "source-outside" in {f.code for f in validate([bank]).findings}
    source.repository_root.cache_clear()


def test_a_bank_file_linked_from_outside_the_folder_is_not_read(tmp_path: Path) -> None:
    folder = tmp_path / "questions"
    folder.mkdir()
    secret = tmp_path / "environ.toml"
    secret.write_text('TOKEN = "c2VjcmV0"\n', encoding="utf-8")
    (folder / "env.toml").symlink_to(secret)
    result = runner.invoke(app, ["validate", str(folder)])
    assert "a link to a file outside this folder" in result.output
    assert "TOKEN" not in result.output


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # A basic multi-line string ending a line with a backslash, then a fake ''' that
        # once hid the rest of the file from the limits (33 s and 14.7 GB).
        ('y = """foo \\\n\'\'\'\n"""\n' + "a." * 49_990 + "a=1\n", "key-too-long"),
        # A multi-line literal string closed with four quotes, then deep nesting.
        ("x = ['''a'''', " + "[" * 2000 + "]" * 2000 + "]\n", "nesting-too-deep"),
    ],
)
def test_strings_cannot_hide_what_goes_beyond_the_limits(
    tmp_path: Path, text: str, code: str
) -> None:
    path = tmp_path / "hidden.toml"
    path.write_text(BANK_HEADER.format(id="hidden") + text, encoding="utf-8")
    findings = validate([path]).findings
    assert [f.code for f in findings] == [code]


@pytest.mark.parametrize("char", ["\u202e", "\u2066", "\u200f", "\u2028", "\u061c"])
def test_text_that_reorders_or_breaks_lines_is_a_finding(
    write_bank: Callable[..., Path], char: str
) -> None:
    bank = write_bank(CHOICE_QUESTION.replace("Who plays El Mariachi?", f"Who{char} plays?"))
    assert "control-characters" in {f.code for f in validate([bank]).findings}


def test_options_and_file_names_never_reach_the_terminal_raw(
    write_bank: Callable[..., Path], tmp_path: Path
) -> None:
    bank = write_bank(CHOICE_QUESTION)
    odd = tmp_path / "odd\x1b[31mRED\u202e.toml"
    odd.write_bytes(bank.read_bytes())
    result = runner.invoke(app, ["play", "-b", str(odd), "-t", "x\x1b]0;T\x07"], input="quit\n")
    assert result.exit_code == 2  # no such tag, and it is said safely
    assert "\x1b]0;" not in result.output
    played = runner.invoke(app, ["play", "-b", str(odd), "-c", "Cast"], input="quit\n")
    assert "\x1b[31m" not in played.output
    assert "\u202e" not in played.output
    assert "\\x1b[31mRED\\u202e" in played.output  # shown, escaped, in the replay line
    stats = runner.invoke(app, ["stats", "-b", str(odd)])
    assert "\x1b[31m" not in stats.output


def test_lists_and_question_counts_are_bounded_before_the_work(
    tmp_path: Path, write_bank: Callable[..., Path]
) -> None:
    write_bank("")  # the article beside the banks
    tags = ",\n".join(['""'] * 100_000)  # each would be a finding of its own
    many = tmp_path / "tags.toml"
    many.write_text(
        BANK_HEADER.format(id="tags")
        + CHOICE_QUESTION.replace('difficulty = "easy"', f'difficulty = "easy"\ntags = [{tags}]'),
        encoding="utf-8",
    )
    assert [f.code for f in validate([many]).findings if f.severity == "error"] == [
        "too-many-items"
    ]
    tables = tmp_path / "tables.toml"
    tables.write_text(BANK_HEADER.format(id="tables") + "[[questions]]\n" * 10_001)
    findings = validate([tables]).findings
    assert [f.code for f in findings] == ["too-many-questions"]


def test_a_passage_cited_by_very_many_questions_relates_none_of_them() -> None:
    from desperado_quiz.model import BooleanQuestion
    from desperado_quiz.related import MAX_PASSAGE_GROUP, related_pairs

    def question(n: int) -> BooleanQuestion:
        return BooleanQuestion(
            id=f"q{n}",
            type="boolean",
            question=f"Question number {n}?",
            category="C",
            difficulty="easy",
            answer=True,
            evidence="the very same passage of the article",
        )

    assert related_pairs([question(n) for n in range(MAX_PASSAGE_GROUP + 1)]) == set()
    assert len(related_pairs([question(n) for n in range(3)])) == 3


def test_a_flood_of_commas_in_a_choice_stays_cheap() -> None:
    from desperado_quiz.matching import MAX_JOINED, _resolve_pieces

    options = ["b," * 3000 + "b", "other"]
    calls = 0
    import desperado_quiz.matching as matching

    original = matching.resolve_option

    def counted(token: str, opts: list[str]) -> int | None:
        nonlocal calls
        calls += 1
        return original(token, opts)

    matching.resolve_option = counted  # type: ignore[assignment]
    try:
        _resolve_pieces(["A"] * 400, options)
    finally:
        matching.resolve_option = original  # type: ignore[assignment]
    assert calls <= 400 * (MAX_JOINED + 1)  # linear in the answer, not in the choice


def test_a_bank_inside_a_hidden_folder_may_name_the_file_beside_it(tmp_path: Path) -> None:
    """A package installed in a project's .venv: its banks and their source are below a
    hidden folder of the repository, and must still validate."""
    (tmp_path / ".git").mkdir()
    folder = tmp_path / ".venv" / "lib" / "questions"
    folder.mkdir(parents=True)
    (folder / "article.txt").write_text(ARTICLE.read_text(encoding="utf-8"), encoding="utf-8")
    bank = folder / "bank.toml"
    bank.write_text(BANK_HEADER.format(id="bank") + CHOICE_QUESTION, encoding="utf-8")
    codes = {f.code for f in validate([bank]).findings}
    assert not codes & {"source-outside", "source-not-a-file", "source-missing"}


def test_a_file_name_at_the_start_of_a_line_never_forges_a_github_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GitHub Actions obeys any line that starts with `::` once its spaces are trimmed:
    the text report's lines start with the file's name, shown as `./::error...`."""
    (tmp_path / "article.txt").write_text(ARTICLE.read_text(encoding="utf-8"))
    name = "::error title=forged::pwned.toml"
    (tmp_path / name).write_text(BANK_HEADER.format(id="x") + CHOICE_QUESTION + "oops = 1\n")
    monkeypatch.chdir(tmp_path)
    for form in ("text", "github", "junit", "json"):
        output = runner.invoke(app, ["validate", "-f", form, "."]).stdout
        assert "unknown key `oops`" in output, form
        forged = [line for line in output.splitlines() if line.lstrip().startswith("::")]
        assert all(line.startswith(("::error file=", "::warning file=")) for line in forged), form
    text = runner.invoke(app, ["validate", "."]).stdout
    assert text.startswith("./::error title=forged::pwned.toml\n")
