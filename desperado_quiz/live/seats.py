"""The seats this machine holds in quiz nights: the token of each (host, code, name), so
that a player whose terminal was closed or killed gets back in with `join` again, and
keeps their score. One small file per seat beside the history, readable by this user
only (several players on one machine never write the same file); a seat is forgotten
when its game ends for the player, or after a day.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
import time
from pathlib import Path

from desperado_quiz.paths import data_dir

SEATS_FOLDER = "live-seats"
KEPT_SECONDS = 24 * 3600


def _path(url: str, code: str, name: str) -> Path:
    key = f"{url}|{code.upper()}|{name.casefold()}".encode()
    return data_dir() / SEATS_FOLDER / f"{hashlib.sha256(key).hexdigest()[:32]}.json"


MAX_SEAT_BYTES = 4096  # a token and a time: anything larger is not a seat of ours


def remembered(url: str, code: str, name: str) -> str | None:
    try:
        seat = json.loads(_read_seat(_path(url, code, name)))
    except (OSError, ValueError):
        return None
    if not isinstance(seat, dict) or not isinstance(seat.get("token"), str):
        return None
    at = seat.get("at")
    if not isinstance(at, int | float) or time.time() - at >= KEPT_SECONDS:
        return None
    return str(seat["token"])


def _read_seat(path: Path) -> bytes:
    """The seat file's bytes, never through a link, a pipe or a device, and small."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    with os.fdopen(os.open(path, flags), "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise OSError(f"{path.name} is not a regular file")
        return handle.read(MAX_SEAT_BYTES + 1)


def remember(url: str, code: str, name: str, token: str) -> None:
    from desperado_quiz.authoring import write_atomic

    path = _path(url, code, name)
    with contextlib.suppress(OSError):  # not remembering only costs a rejoin (a link too)
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        # Readable by this user only from its first byte: the token is a seat's key.
        write_atomic(path, json.dumps({"token": token, "at": time.time()}), mode=0o600)


def forget(url: str, code: str, name: str) -> None:
    with contextlib.suppress(OSError):
        _path(url, code, name).unlink(missing_ok=True)
