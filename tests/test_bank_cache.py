"""The bank cache: the same banks and the same games as parsing, never stale, never
trusted when damaged or someone else's, and a game of one question reads a few."""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from desperado_quiz import bank_cache, loader, store
from desperado_quiz.bank_cache import CachedBank, entries_dir
from desperado_quiz.cli import app
from desperado_quiz.errors import FileChanged
from desperado_quiz.game import pick_questions, select_questions
from desperado_quiz.loader import LoadResult, bank_files, load_files
from tests.helpers import QUESTIONS

runner = CliRunner()


@pytest.fixture
def banks(tmp_path: Path) -> Path:
    """A copy of the bundled banks, as a player's own folder."""
    folder = tmp_path / "banks"
    shutil.copytree(QUESTIONS, folder)
    return folder


def entries() -> list[Path]:
    return sorted(entries_dir().glob("*.bank"))


def relations() -> list[Path]:
    return sorted(entries_dir().glob("*.set"))


def parsed(folder: Path) -> LoadResult:
    return load_files(bank_files([folder]))


def cached(folder: Path) -> LoadResult:
    return store.load_banks([folder])


def same_banks(a: LoadResult, b: LoadResult) -> None:
    assert [bank.path for bank in a.banks] == [bank.path for bank in b.banks]
    for left, right in zip(a.banks, b.banks, strict=True):
        assert left.bank == right.bank  # the table and every question, field by field
        for one, other in zip(left.questions, right.questions, strict=True):
            assert type(one) is type(other)
        assert left.bank_lines == right.bank_lines
        assert left.question_lines == right.question_lines
        assert left.summary() == right.summary()


def questions(result: LoadResult) -> list[str]:
    return [q.question for bank in result.banks for q in bank.questions]


def plant(entry: Path, old: str, new: str) -> None:
    """Change a question's text inside an entry, keeping every length the same."""
    assert len(old) == len(new)
    data = entry.read_bytes()
    assert old.encode() in data
    entry.write_bytes(data.replace(old.encode(), new.encode()))


# The same banks, the same games --------------------------------------------------------


def test_the_cache_gives_the_banks_that_parsing_gives(banks: Path) -> None:
    first = cached(banks)  # parsed, then written
    assert len(entries()) == 5
    assert all(oct(entry.stat().st_mode & 0o777) == "0o600" for entry in entries())
    second = cached(banks)  # from the cache
    assert all(isinstance(bank, CachedBank) for bank in second.banks)
    same_banks(first, parsed(banks))
    same_banks(second, parsed(banks))
    assert second.findings == []


def test_a_game_from_the_cache_is_the_game_from_the_files(banks: Path) -> None:
    cached(banks)
    from_cache = cached(banks)
    from_files = parsed(banks)
    assert from_cache.relation().pairs() == from_files.relation().pairs()
    for seed in range(40):
        for count, filters in ((1, {}), (10, {}), (None, {}), (5, {"difficulties": ["hard"]})):
            game = select_questions(
                from_cache.banks, seed=seed, count=count, relation=from_cache.relation(), **filters
            )
            again = select_questions(from_files.banks, seed=seed, count=count, **filters)
            assert [(a.bank_id, a.question, a.options) for a in game.asked] == [
                (a.bank_id, a.question, a.options) for a in again.asked
            ]
            assert game.notes == again.notes
    named = ["tarantino", "toned-down-deaths", "director"]
    assert pick_questions(from_cache.banks, named, 1) == pick_questions(from_files.banks, named, 1)


def test_the_cache_is_what_a_game_reads(banks: Path) -> None:
    cached(banks)
    entry = next(e for e in entries() if b"Who plays Carolina?" in e.read_bytes())
    plant(entry, "Who plays Carolina?", "Who is Carolina?  1")
    assert "Who is Carolina?  1" in questions(cached(banks))  # proof that the entry is read


def test_a_game_of_one_question_builds_a_few_of_them(banks: Path) -> None:
    cached(banks)  # writes the entries...
    select_questions(cached(banks).banks, seed=1, count=1, relation=cached(banks).relation())
    loaded = cached(banks)  # ...and the relation of this set of files
    assert relations()
    game = select_questions(loaded.banks, seed=1, count=1, relation=loaded.relation())
    assert len(game.asked) == 1
    built = sum(len(bank._built) for bank in loaded.banks if isinstance(bank, CachedBank))
    assert built == 1
    assert all(bank._whole is None for bank in loaded.banks if isinstance(bank, CachedBank))


def test_the_relation_of_a_set_of_files_is_kept_and_used(banks: Path) -> None:
    first = cached(banks)
    first.relation()
    (kept,) = relations()
    again = cached(banks)
    assert again.relation_store is not None
    assert again.relation_store.read() is not None
    assert again.relation().pairs() == first.relation().pairs()
    # Another set of files (one of them changed) is another relation.
    music = banks / "music.toml"
    music.write_text(music.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    cached(banks).relation()
    assert len(relations()) == 2
    assert kept in relations()


# Never stale ---------------------------------------------------------------------------


def test_a_changed_file_is_read_again_alone(banks: Path) -> None:
    cached(banks)
    music = banks / "music.toml"
    text = music.read_text(encoding="utf-8")
    music.write_text(text.replace("Which piece", "Which track"), encoding="utf-8")
    result = cached(banks)
    texts = questions(result)
    assert any(t.startswith("Which track") for t in texts)
    assert not any(t.startswith("Which piece") for t in texts)
    assert len(entries()) == 6  # a new key, a new entry
    kinds = {bank.path.name: type(bank).__name__ for bank in result.banks}
    assert kinds.pop("music.toml") == "LoadedBank"  # read and validated again...
    assert set(kinds.values()) == {"CachedBank"}  # ...and only it
    same_banks(cached(banks), parsed(banks))


def test_a_file_changed_in_place_keeping_its_size_and_times_is_read_again(banks: Path) -> None:
    cached(banks)
    music = banks / "music.toml"
    before = music.stat()
    text = music.read_text(encoding="utf-8")
    changed = text.replace("Which piece", "Which track")
    assert len(changed.encode()) == len(text.encode())
    with music.open("r+", encoding="utf-8") as handle:  # the same file, the same inode
        handle.write(changed)
    os.utime(music, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert music.stat().st_size == before.st_size
    assert music.stat().st_mtime_ns == before.st_mtime_ns
    assert any(t.startswith("Which track") for t in questions(cached(banks)))


def test_a_status_taken_as_the_file_was_written_is_not_trusted(
    banks: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file changed twice within one tick of a coarse clock keeps all its times."""
    monkeypatch.setattr(bank_cache, "_status", lambda info: [info.st_dev, info.st_ino])
    cached(banks)
    music = banks / "music.toml"
    text = music.read_text(encoding="utf-8")
    music.write_text(text.replace("Which piece", "Which track"), encoding="utf-8")
    # Same device and inode: only the time of hashing, just now, says not to trust it.
    assert any(t.startswith("Which track") for t in questions(cached(banks)))


def test_a_moved_file_comes_from_the_cache_under_its_new_name(banks: Path) -> None:
    cached(banks)
    (banks / "music.toml").rename(banks / "songs.toml")
    result = cached(banks)
    moved = next(bank for bank in result.banks if bank.path.name == "songs.toml")
    assert isinstance(moved, CachedBank)
    assert len(entries()) == 5
    same_banks(result, parsed(banks))


def test_a_replaced_file_is_read_again(banks: Path, tmp_path: Path) -> None:
    cached(banks)
    music = banks / "music.toml"
    other = tmp_path / "other.toml"
    other.write_text(
        music.read_text(encoding="utf-8").replace("Which piece", "Which track"), encoding="utf-8"
    )
    stat = music.stat()
    os.utime(other, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    other.replace(music)  # another inode, the same size and modification time
    assert any(t.startswith("Which track") for t in questions(cached(banks)))


def test_a_touched_file_is_the_same_bank_from_the_same_entry(banks: Path) -> None:
    cached(banks)
    (banks / "music.toml").touch()
    result = cached(banks)
    assert all(isinstance(bank, CachedBank) for bank in result.banks)
    assert len(entries()) == 5
    same_banks(result, parsed(banks))


def test_a_changed_source_changes_no_bank_and_validate_still_reads_it(banks: Path) -> None:
    cached(banks)
    article = banks / "desperado-article.txt"
    article.write_text(
        article.read_text(encoding="utf-8").replace("Danny Trejo", "Someone Else"),
        encoding="utf-8",
    )
    same_banks(cached(banks), parsed(banks))  # a game never quotes the source live
    checked = runner.invoke(app, ["validate", str(banks)])
    assert checked.exit_code == 1  # validate never reads the cache: it is the check
    assert "evidence-not-in-source" in checked.stdout


def test_files_with_findings_are_never_cached(banks: Path) -> None:
    (banks / "broken.toml").write_text("[bank\n", encoding="utf-8")
    result = cached(banks)
    assert [f.code for f in result.findings] == ["toml-syntax"]
    assert len(entries()) == 5  # the clean ones only
    assert relations() == []
    assert result.relation_store is None
    assert [f.code for f in cached(banks).findings] == ["toml-syntax"]


def test_ids_are_checked_across_files_until_the_set_is_known(banks: Path) -> None:
    cached(banks)
    copy = banks / "copy.toml"
    copy.write_text(
        (banks / "music.toml").read_text(encoding="utf-8").replace("desperado-music", "copy"),
        encoding="utf-8",
    )
    assert {f.code for f in cached(banks).findings} == {"duplicate-id"}
    assert {f.code for f in cached(banks).findings} == {"duplicate-id"}  # every time


# Never trusted when damaged or someone else's -----------------------------------------


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: b"",
        lambda data: b"{not json\n" + data,
        lambda data: data[: len(data) // 2],  # cut short
        lambda data: data + b"more",  # grown
        lambda data: data.replace(b'"format": 3', b'"format": 9', 1),
        lambda data: data.replace(b'"count": ', b'"count": 1', 1),  # arrays of another length
    ],
    ids=["empty", "garbage", "cut", "grown", "format", "count"],
)
def test_a_damaged_entry_is_ignored_and_written_again(banks: Path, damage: object) -> None:
    cached(banks)
    for entry in entries():
        entry.write_bytes(damage(entry.read_bytes()))  # type: ignore[operator]
    result = cached(banks)
    assert not any(isinstance(bank, CachedBank) for bank in result.banks)
    same_banks(result, parsed(banks))
    assert all(isinstance(bank, CachedBank) for bank in cached(banks).banks)  # rewritten


def test_an_entry_whose_arrays_changed_is_not_trusted(banks: Path) -> None:
    cached(banks)
    for entry in entries():
        data = bytearray(entry.read_bytes())
        data[data.index(b"\n") + 9] ^= 0x01  # the order of the questions, say
        entry.write_bytes(bytes(data))
    result = cached(banks)
    assert not any(isinstance(bank, CachedBank) for bank in result.banks)
    same_banks(result, parsed(banks))


def test_a_damaged_relation_is_worked_out_again(banks: Path) -> None:
    cached(banks).relation()
    (kept,) = relations()
    data = bytearray(kept.read_bytes())
    data[-1] ^= 0x01
    kept.write_bytes(bytes(data))
    again = cached(banks)
    assert again.relation_store is not None
    assert again.relation_store.read() is None
    assert again.relation().pairs() == parsed(banks).relation().pairs()
    assert cached(banks).relation_store.read() is not None  # written again, whole


def test_a_question_damaged_in_its_entry_is_read_from_its_file(banks: Path) -> None:
    cached(banks)
    entry = next(e for e in entries() if b"Who plays Carolina?" in e.read_bytes())
    plant(entry, '"question": "Who plays Carolina?"', '"question": "Who plays Carolina?}')
    result = cached(banks)
    same_banks(result, parsed(banks))  # the damaged line, then the whole bank, from the file
    assert entry not in entries()  # and the damaged entry is gone


def test_a_damaged_entry_whose_file_changed_since_says_so(banks: Path) -> None:
    cached(banks)
    entry = next(e for e in entries() if b"Who plays Carolina?" in e.read_bytes())
    plant(entry, '"question": "Who plays Carolina?"', '"question": "Who plays Carolina?}')
    loaded = cached(banks)
    cast = banks / "cast.toml"
    cast.write_text(cast.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    with pytest.raises(FileChanged, match=r"cast\.toml changed while it was being read"):
        [q.question for bank in loaded.banks for q in bank.questions]


def test_an_entry_others_could_write_is_not_trusted(banks: Path) -> None:
    cached(banks)
    entry = next(e for e in entries() if b"Who plays Carolina?" in e.read_bytes())
    plant(entry, "Who plays Carolina?", "Who is Carolina?  2")
    entry.chmod(0o666)
    assert "Who is Carolina?  2" not in questions(cached(banks))
    entry.chmod(0o600)
    entry.parent.chmod(0o777)
    assert "Who is Carolina?  2" not in questions(cached(banks))
    entry.parent.chmod(0o700)


@pytest.mark.skipif(not hasattr(os, "chown") or os.geteuid() != 0, reason="needs root")
def test_an_entry_of_another_user_is_not_trusted(banks: Path) -> None:
    cached(banks)
    entry = next(e for e in entries() if b"Who plays Carolina?" in e.read_bytes())
    plant(entry, "Who plays Carolina?", "Who is Carolina?  3")
    os.chown(entry, 65534, 65534)
    assert "Who is Carolina?  3" not in questions(cached(banks))


def test_a_cache_folder_that_cannot_be_written_only_costs_time(
    banks: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setattr(bank_cache, "cache_dir", lambda: blocker / "cache")
    same_banks(cached(banks), parsed(banks))
    assert cached(banks).relation().pairs() == parsed(banks).relation().pairs()


def test_the_cache_stays_within_its_bound(banks: Path) -> None:
    cached(banks)
    cached(banks).relation()
    sizes = {path: path.stat().st_size for path in [*entries(), *relations()]}
    oldest = min(sizes, key=lambda path: path.stat().st_mtime_ns)
    os.utime(oldest, ns=(0, 0))  # used longest ago
    bank_cache.prune(entries_dir(), limit=sum(sizes.values()) - 1)
    assert not oldest.exists()
    assert len([*entries(), *relations()]) == len(sizes) - 1


def _load_in_a_process(home: str, folder: str, out: multiprocessing.Queue[int]) -> None:
    os.environ["DESPERADO_QUIZ_HOME"] = home
    result = store.load_banks([Path(folder)])
    out.put(sum(len(bank.questions) for bank in result.banks) + len(result.relation().pairs()))


def test_processes_writing_the_cache_at_once_all_get_whole_banks(banks: Path) -> None:
    context = multiprocessing.get_context("spawn")
    out: multiprocessing.Queue[int] = context.Queue()
    home = os.environ["DESPERADO_QUIZ_HOME"]
    processes = [
        context.Process(target=_load_in_a_process, args=(home, str(banks), out)) for _ in range(4)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(60)
        assert process.exitcode == 0
    counts = [out.get(timeout=5) for _ in processes]
    expected = parsed(banks)
    assert counts == [sum(b.size for b in expected.banks) + len(expected.relation().pairs())] * 4
    assert len(entries()) == 5
    same_banks(cached(banks), expected)


# The commands ---------------------------------------------------------------------------


def test_the_bundled_banks_go_through_the_cache_too() -> None:
    store.load_banks()
    assert len(entries()) == 5
    assert all(isinstance(bank, CachedBank) for bank in store.load_banks().banks)


def test_list_reads_the_summaries_from_the_cache_without_the_questions(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    parsed_list = runner.invoke(app, ["list", "--format", "json"])  # writes the entries
    assert parsed_list.exit_code == 0

    def no_questions(*_: object) -> None:
        raise AssertionError("list built the questions although the cache holds them")

    monkeypatch.setattr(loader, "summarise", no_questions)
    monkeypatch.setattr(CachedBank, "_all", no_questions)
    cached_list = runner.invoke(app, ["list", "--format", "json"])
    assert cached_list.exit_code == 0, cached_list.output
    assert json.loads(cached_list.stdout) == json.loads(parsed_list.stdout)


def test_a_game_from_the_cache_plays_as_one_from_the_files(banks: Path) -> None:
    command = ["play", "-b", str(banks), "--seed", "5", "-n", "3", "--no-save"]
    first = runner.invoke(app, command, input="skip\nskip\nskip\n")
    again = runner.invoke(app, command, input="skip\nskip\nskip\n")
    assert entries()
    assert relations()
    assert first.exit_code == again.exit_code == 0
    assert first.stdout == again.stdout
