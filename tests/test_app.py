"""The application layer, called as a library: no terminal, no Typer, only results."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path

import pytest

import desperado_quiz as dq
from desperado_quiz.app import questions as new_question
from desperado_quiz.app.errors import BanksBroken, CommandError
from desperado_quiz.app.games import NothingToPlay
from desperado_quiz.app.interchange import NothingExported
from desperado_quiz.app.joining import host_address
from desperado_quiz.app.studying import NothingDue
from desperado_quiz.authoring import appended
from desperado_quiz.exitcodes import ExitCode
from desperado_quiz.game import AnswerJudged, GameOver, GameSettings, Status
from desperado_quiz.model import AnyQuestion
from tests.helpers import CHOICE_QUESTION, FIXTURES

# Validate -------------------------------------------------------------------------------


def test_validate_the_bundled_banks_and_a_broken_file() -> None:
    assert not dq.validate().failed(strict=True)
    broken = dq.validate([FIXTURES / "rules" / "unknown-key.toml"])
    assert broken.failed()
    assert {f.code for f in broken.findings} >= {"unknown-key"}
    finding = next(f for f in broken.findings if f.code == "unknown-key")
    assert (finding.line, finding.question_id) == (14, "typo-key")


def test_validate_a_missing_path_is_a_command_error() -> None:
    with pytest.raises(CommandError) as raised:
        dq.validate(["no/such/folder"])
    assert raised.value.code is ExitCode.USAGE
    assert "no/such/folder" in raised.value.message


def test_validate_with_coverage_and_an_empty_history() -> None:
    report = dq.validate(with_coverage=True, with_history=True)
    assert report.coverage is not None
    assert report.coverage[0].share >= 0.8
    assert not report.failed()


# Play -------------------------------------------------------------------------------------


def scripted(lines: list[str], **settings: object) -> dq.Game:
    game = dq.start_game(GameSettings(seed=5, **settings))  # type: ignore[arg-type]
    assert isinstance(game, dq.Game)
    game.start()
    for line in lines:
        game.send(line)
    return game


def test_a_scripted_game_is_judged_and_saved_with_its_best() -> None:
    game = scripted(["Los Lobos", "nobody"], questions=("score-band", "director"))
    assert game.over
    (player,) = game.result.players
    assert (player.right, player.score) == (1, 200)
    saved = game.save(game.result)
    assert [(best.player, best.score, best.previous) for best in saved.bests] == [
        ("Player", 200, None)
    ]
    again = scripted(["Los Lobos", "Robert Rodriguez"], questions=("score-band", "director"))
    assert again.save(again.result).bests[0].previous == 200
    (row, _) = dq.recent_games().games
    assert row["player"] == "Player"
    assert row["right_answers"] == 2


def test_the_engine_events_come_back_from_each_line() -> None:
    game = dq.start_game(GameSettings(seed=5, questions=("score-band",)), save=False)
    assert isinstance(game, dq.Game)
    game.start()
    events = game.send("los lobos")
    assert isinstance(events[0], AnswerJudged)
    assert events[0].outcome.correct
    assert isinstance(events[-1], GameOver)
    assert game.save(game.result).bests == []  # save=False: nothing kept


def test_a_review_with_no_games_is_nothing_to_play() -> None:
    nothing = dq.start_game(GameSettings(seed=1, review=True))
    assert isinstance(nothing, NothingToPlay)
    assert "no games in the history yet" in nothing.reason


def test_filters_that_leave_nothing_say_what_they_could_have_been() -> None:
    with pytest.raises(CommandError) as raised:
        dq.start_game(GameSettings(seed=1, categories=("Musik",)))
    assert raised.value.message == "no question matches these banks and filters."
    assert "did you mean 'Music'?" in raised.value.hint


def test_a_broken_bank_is_refused_with_its_findings(write_bank: Callable[..., Path]) -> None:
    path = write_bank(CHOICE_QUESTION.replace('difficulty = "easy"', 'difficulty = "expert"'))
    with pytest.raises(BanksBroken) as raised:
        dq.start_game(GameSettings(seed=1, banks=(str(path),)))
    (finding,) = raised.value.findings
    assert (finding.code, finding.path) == ("unknown-difficulty", path)


# Study -----------------------------------------------------------------------------------


def test_a_study_session_grades_its_cards_then_nothing_is_due() -> None:
    settings = GameSettings(seed=2, count=3, mode="study", questions=())
    session = dq.start_study(settings, new_per_day=3)
    assert isinstance(session, dq.StudySession)
    session.start()
    while not session.over:
        session.send("skip")
    studied = session.finish(session.result)
    assert studied.next_review is not None
    assert studied.next_review.startswith("in ")
    after = dq.start_study(settings, new_per_day=3)
    assert isinstance(after, NothingDue)
    assert after.reason.startswith("Nothing is due.")
    assert dq.player_stats().learning is not None


# History ------------------------------------------------------------------------------------


def test_records_stats_figures_and_clearing() -> None:
    assert dq.recent_games().games == []
    assert dq.clear_history() is None  # nothing to clear
    game = scripted(["Los Lobos"], questions=("score-band",))
    game.save(game.result)
    stats = dq.player_stats()
    assert (stats.numbers["games"], stats.numbers["right"]) == (1, 1)
    assert stats.texts[("desperado-music", "score-band")].startswith("Which band")
    assert dq.question_figures().figures == []  # one answer is not enough to judge by
    backup = dq.clear_history()
    assert backup is not None
    assert backup.is_file()
    assert dq.recent_games().games == []


# Export and import -------------------------------------------------------------------------


def music() -> list[AnyQuestion]:
    banks = dq.load_banks().banks
    return next(list(bank.questions) for bank in banks if bank.id == "desperado-music")


def music_questions() -> int:
    return len(music())


def test_export_to_a_file_and_to_data(tmp_path: Path) -> None:
    written = dq.export("csv", ["desperado-music"], tmp_path / "music.csv")
    assert written.output == tmp_path / "music.csv"
    rows = list(csv.DictReader((tmp_path / "music.csv").open(encoding="utf-8-sig")))
    assert len(rows) == written.exported.report.count("exported") == music_questions()
    data = dq.export("gift", ["desperado-music"], None, difficulties=["hard"])
    assert data.output is None
    hard = sum(question.difficulty == "hard" for question in music())
    assert data.exported.data.count(b"::") == 2 * hard  # ::title:: for each
    assert data.to_dict()["output"] == "stdout"


def test_an_export_of_nothing_the_format_holds(tmp_path: Path) -> None:
    with pytest.raises(NothingExported) as raised:  # typed answers: Open Trivia DB has none
        dq.export("opentdb", [], tmp_path / "t.json", tags=["cameos"])
    assert raised.value.exported.report.count("skipped") == 3
    assert not (tmp_path / "t.json").exists()


def test_export_never_overwrites_a_bank_it_reads(write_bank: Callable[..., Path]) -> None:
    path = write_bank(CHOICE_QUESTION)
    with pytest.raises(CommandError, match="is one of the banks being exported"):
        dq.export("csv", [str(path)], path)


def test_import_a_file_into_a_bank_then_refuse_to_replace_it(tmp_path: Path) -> None:
    dq.export("gift", ["desperado-music"], tmp_path / "music.gift")
    result = dq.import_file("gift", tmp_path / "music.gift", tmp_path / "music.toml")
    assert len(result.imported.questions) == music_questions()
    assert result.output.is_file()
    assert result.report.summary()["files"] == 1
    assert json.loads(json.dumps(result.to_dict()))["bank"] == "music"
    with pytest.raises(CommandError, match="already exists"):
        dq.import_file("gift", tmp_path / "music.gift", tmp_path / "music.toml")


def test_import_of_a_broken_file_names_its_line_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "bad.gift").write_text("::Q:: What? {=yes ~no\n", encoding="utf-8")
    with pytest.raises(CommandError) as raised:
        dq.import_file("gift", tmp_path / "bad.gift", tmp_path / "bad.toml")
    assert raised.value.message.startswith(f"{tmp_path / 'bad.gift'}:1")
    assert not (tmp_path / "bad.toml").exists()


# A new question ----------------------------------------------------------------------------


def test_a_question_added_to_a_bank(write_bank: Callable[..., Path]) -> None:
    path = write_bank(CHOICE_QUESTION)
    target = new_question.open_bank(path)
    assert target.bank is not None
    assert target.source().path.name == "article.txt"
    block = (
        '[[questions]]\nid = "added"\ntype = "boolean"\n'
        'question = "True or false: Desperado is set in Mexico."\ncategory = "Story"\n'
        'difficulty = "easy"\nanswer = true\nevidence = "Mexican backdrop"\n'
        'explanation = "A border town."\n'
    )
    text = appended(target.text, block)
    assert not new_question.check(target, text).failed()
    line = new_question.add_question(target, text, block)
    assert path.read_text(encoding="utf-8").splitlines()[line - 1] == "[[questions]]"


def test_a_bank_with_errors_is_refused_before_any_question(
    write_bank: Callable[..., Path],
) -> None:
    path = write_bank(CHOICE_QUESTION.replace('type = "choice"', 'type = "essay"'))
    with pytest.raises(BanksBroken):
        new_question.open_bank(path)


# Quiz nights -------------------------------------------------------------------------------


def test_a_quiz_night_is_made_and_its_end_written(tmp_path: Path) -> None:
    settings = GameSettings(seed=3, count=2, players=(), turns="together")  # type: ignore[arg-type]
    night = dq.open_quiz_night(
        settings, bind="127.0.0.1", port=0, code="ABCD", report=tmp_path / "night.csv"
    )
    assert night.code == "ABCD"
    result = night.stop(Status.INTERRUPTED)  # before anyone joined
    over = night.finish(result)
    assert over.report_failure is None
    assert (tmp_path / "night.csv").read_text(encoding="utf-8").startswith("rank,player,")


def test_a_bad_join_code_or_address_is_a_command_error() -> None:
    settings = GameSettings(seed=3, players=(), turns="together")  # type: ignore[arg-type]
    with pytest.raises(CommandError, match="code"):
        dq.open_quiz_night(settings, code="!!")
    with pytest.raises(CommandError, match="code"):
        dq.take_seat("ws://127.0.0.1:5995/ws", "a", "Ann")
    with pytest.raises(CommandError, match="Port out of range"):
        host_address("http://host:99999")


def test_a_name_in_another_case_is_the_same_player() -> None:
    first = scripted(["Los Lobos"], questions=("score-band",), players=("Ann",))
    first.save(first.result)
    again = scripted(["Los Lobos"], questions=("score-band",), players=("ANN",))
    assert again.result.players[0].player == "Ann"  # as the history knows her
    (best,) = again.save(again.result).bests
    assert best.previous == 200
    assert len(dq.recent_games(player="ann").games) == 2
    assert dq.player_stats(player="aNN").numbers["games"] == 2
