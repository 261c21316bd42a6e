"""Where output goes once its reader has gone (``desperado-quiz ... | head``): the null
device, so that the rest of the run, and its exit, write nowhere and fail nowhere. A
reader that went away is not an error of ours."""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import IO


def discard_output(stream: IO[str]) -> IO[str]:
    """A sink for the rest of the run, in place of ``stream``; the stream's descriptor
    is pointed at the null device too."""
    sink = Path(os.devnull).open("w", encoding="utf-8")  # noqa: SIM115 (lives for the run)
    with contextlib.suppress(OSError, ValueError):
        os.dup2(sink.fileno(), stream.fileno())
    return sink


def discard_stdout() -> None:
    """Point standard output's descriptor at the null device."""
    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def write_stdout(data: str | bytes) -> None:
    """``data`` on standard output as it is (never through Rich), flushed; nothing more
    is written once the reader has gone."""
    try:
        if isinstance(data, bytes):
            sys.stdout.buffer.write(data)
        else:
            sys.stdout.write(data)
        sys.stdout.flush()
    except BrokenPipeError:
        discard_stdout()
