"""The cache of the bundled banks: the same banks as parsing, never stale, never trusted
when someone else could have written it, rebuilt when damaged."""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
from pathlib import Path

import pytest

from desperado_quiz import bank_cache
from desperado_quiz.loader import LoadResult, bank_files, load_banks, load_files
from desperado_quiz.paths import cache_dir
from tests.helpers import QUESTIONS


@pytest.fixture
def bundled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the bundled banks, standing in for the installed ones."""
    folder = tmp_path / "bundled"
    shutil.copytree(QUESTIONS, folder)
    monkeypatch.setattr(bank_cache, "bundled_questions_dir", lambda: folder)
    return folder


def caches() -> list[Path]:
    return sorted(cache_dir().glob("bundled-banks-*.json"))


def parsed(folder: Path) -> LoadResult:
    return load_files(bank_files([folder]))


def same_banks(a: LoadResult, b: LoadResult) -> None:
    assert [bank.path for bank in a.banks] == [bank.path for bank in b.banks]
    for left, right in zip(a.banks, b.banks, strict=True):
        assert left.bank == right.bank
        assert left.bank.bank.model_fields_set == right.bank.bank.model_fields_set
        for one, other in zip(left.questions, right.questions, strict=True):
            assert type(one) is type(other)
            assert one.model_dump() == other.model_dump()
            assert one.model_fields_set == other.model_fields_set
        assert left.bank_lines == right.bank_lines
        assert left.question_lines == right.question_lines


def test_the_cache_gives_the_banks_that_parsing_gives(bundled: Path) -> None:
    first = bank_cache.bundled_banks()  # parsed, then cached
    (cache,) = caches()
    assert oct(cache.stat().st_mode & 0o777) == "0o600"
    second = bank_cache.bundled_banks()  # from the cache
    same_banks(first, parsed(bundled))
    same_banks(second, parsed(bundled))
    assert second.findings == []
    assert second.banks[0].bank.model_fields_set == {"bank", "questions"}


def test_the_cache_is_used(bundled: Path) -> None:
    bank_cache.bundled_banks()
    (cache,) = caches()
    document = json.loads(cache.read_text(encoding="utf-8"))
    document["banks"][0]["questions"][0]["question"] = "Planted in the cache?"
    cache.write_text(json.dumps(document), encoding="utf-8")
    texts = [q.question for b in bank_cache.bundled_banks().banks for q in b.questions]
    assert "Planted in the cache?" in texts  # proof that a game reads the cache


def test_a_changed_bank_file_is_never_read_from_a_stale_cache(bundled: Path) -> None:
    bank_cache.bundled_banks()
    music = bundled / "music.toml"
    text = music.read_text(encoding="utf-8")
    music.write_text(text.replace("Which piece", "Which track"), encoding="utf-8")
    texts = [q.question for b in bank_cache.bundled_banks().banks for q in b.questions]
    assert any(t.startswith("Which track") for t in texts)
    assert not any(t.startswith("Which piece") for t in texts)
    assert len(caches()) == 2  # a new key, a new cache


def test_a_cache_others_could_write_is_not_trusted(bundled: Path) -> None:
    bank_cache.bundled_banks()
    (cache,) = caches()
    document = json.loads(cache.read_text(encoding="utf-8"))
    document["banks"][0]["questions"][0]["question"] = "Planted\x1b[2J by someone else?"
    cache.write_text(json.dumps(document), encoding="utf-8")
    cache.chmod(0o666)
    texts = [q.question for b in bank_cache.bundled_banks().banks for q in b.questions]
    assert not any(t.startswith("Planted") for t in texts)
    cache.chmod(0o600)
    cache.parent.chmod(0o777)
    texts = [q.question for b in bank_cache.bundled_banks().banks for q in b.questions]
    assert not any(t.startswith("Planted") for t in texts)
    cache.parent.chmod(0o700)


@pytest.mark.parametrize(
    "damage",
    [b"", b"{not json", b'{"key": 1}', b'{"key": "KEY", "banks": [{"file": 3}]}', b"[]"],
)
def test_a_damaged_cache_is_ignored_and_written_again(bundled: Path, damage: bytes) -> None:
    bank_cache.bundled_banks()
    (cache,) = caches()
    key = json.loads(cache.read_text(encoding="utf-8"))["key"]
    cache.write_bytes(damage.replace(b"KEY", key.encode()))
    same_banks(bank_cache.bundled_banks(), parsed(bundled))
    assert json.loads(cache.read_text(encoding="utf-8"))["key"] == key  # rewritten whole


def test_banks_with_findings_are_never_cached(bundled: Path) -> None:
    (bundled / "broken.toml").write_text("[bank\n", encoding="utf-8")
    result = bank_cache.bundled_banks()
    assert [f.code for f in result.findings] == ["toml-syntax"]
    assert caches() == []
    assert [f.code for f in bank_cache.bundled_banks().findings] == ["toml-syntax"]


def test_a_cache_folder_that_cannot_be_written_only_costs_time(
    bundled: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setattr(bank_cache, "cache_dir", lambda: blocker / "cache")
    same_banks(bank_cache.bundled_banks(), parsed(bundled))


def _load_in_a_process(home: str, folder: str, out: multiprocessing.Queue[int]) -> None:
    os.environ["DESPERADO_QUIZ_HOME"] = home
    bank_cache.bundled_questions_dir = lambda: Path(folder)  # type: ignore[assignment]
    result = bank_cache.bundled_banks()
    out.put(sum(len(bank.questions) for bank in result.banks))


def test_processes_writing_the_cache_at_once_all_get_whole_banks(bundled: Path) -> None:
    context = multiprocessing.get_context("spawn")
    out: multiprocessing.Queue[int] = context.Queue()
    home = os.environ["DESPERADO_QUIZ_HOME"]
    processes = [
        context.Process(target=_load_in_a_process, args=(home, str(bundled), out)) for _ in range(4)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(60)
        assert process.exitcode == 0
    counts = [out.get(timeout=5) for _ in processes]
    expected = sum(len(bank.questions) for bank in parsed(bundled).banks)
    assert counts == [expected] * 4
    (cache,) = caches()
    same_banks(bank_cache.bundled_banks(), parsed(bundled))
    assert cache.exists()


def test_load_banks_of_the_bundled_ones_goes_through_the_cache(bundled: Path) -> None:
    load_banks()
    assert len(caches()) == 1


def test_list_reads_the_summaries_from_the_cache_without_the_models(
    bundled: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json as json_module

    from typer.testing import CliRunner

    from desperado_quiz import loader
    from desperado_quiz.cli import app

    runner = CliRunner()
    parsed_list = runner.invoke(app, ["list", "--format", "json"])  # builds the caches
    assert parsed_list.exit_code == 0

    def no_models(*_: object) -> None:
        raise AssertionError("list loaded the banks although the cache holds them")

    monkeypatch.setattr(loader, "summarise", no_models)
    monkeypatch.setattr(loader, "load_bank_specs", no_models)
    cached_list = runner.invoke(app, ["list", "--format", "json"])
    assert cached_list.exit_code == 0, cached_list.output
    assert json_module.loads(cached_list.stdout) == json_module.loads(parsed_list.stdout)
