"""A study session in a terminal: the app's ``StudySession`` driven on the same screen
as a game, then what grading the answers did. Nothing here schedules or saves."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from desperado_quiz.app.studying import NothingDue, StudySession
from desperado_quiz.exitcodes import ExitCode
from desperado_quiz.game.results import game_json
from desperado_quiz.ui.game import (
    ending,
    held_exit,
    nothing,
    run_in_terminal,
    show_saved,
    signals_held,
)
from desperado_quiz.ui.messages import Messages


def study(session: StudySession | NothingDue, messages: Messages, out: Console) -> ExitCode:
    messages.warn_all(session.notices)
    for note in session.notes:
        out.print(Text(note, style="muted"))
    if isinstance(session, NothingDue):
        nothing(session.reason, messages, out)
        return ExitCode.OK
    result = run_in_terminal(session.engine, out)
    with signals_held() as held:
        studied = session.finish(result)
        show_saved(studied.saved, out, messages)
        messages.warn_all(studied.notices)
        if studied.next_review:
            out.print(Text(f"Next review of these: {studied.next_review}.", style="muted"))
        messages.emit(game_json(result))
    return held_exit(held) or ending(result, out)
