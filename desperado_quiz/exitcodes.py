"""Exit statuses, stable for scripts and CI."""

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    FAILED = 1  # the check failed: validation errors, or a game below the pass mark
    USAGE = 2  # bad options, a missing path, or a question file that cannot be used
    INTERNAL = 70  # a bug in desperado-quiz (EX_SOFTWARE): said in one line, not a traceback
    INTERRUPTED = 130  # Ctrl-C, as shells report SIGINT (128 + 2)
    OUTPUT_CLOSED = 141  # the reader of our output went away, as for SIGPIPE (128 + 13)
    TERMINATED = 143  # SIGTERM (128 + 15)
