"""A quiz night on the host's screen: the app's ``QuizNight`` run with the host screen,
then what saving it and writing the report did, and the exit status."""

from __future__ import annotations

from desperado_quiz.app.hosting import QuizNight, exit_status
from desperado_quiz.exitcodes import ExitCode
from desperado_quiz.game import Status
from desperado_quiz.outputs import discard_output
from desperado_quiz.ui.console import console
from desperado_quiz.ui.game import held_exit, show_saved, signals_held
from desperado_quiz.ui.host import HostScreen
from desperado_quiz.ui.messages import Messages


def host(night: QuizNight, messages: Messages) -> ExitCode:
    messages.warn_all(night.notes)
    try:
        result = night.run(HostScreen(console))
    except BrokenPipeError:  # the host's screen went away (`host | head`): the game ends
        console.file = discard_output(console.file)
        result = night.stop(Status.OUTPUT_CLOSED)
    with signals_held() as held:  # a signal now must not cut the save short
        over = night.finish(result)
        show_saved(over.saved, console, messages)
        if over.report_failure:
            messages.warn(over.report_failure)
    return held_exit(held) or exit_status(result)
