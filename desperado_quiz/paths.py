"""Where desperado-quiz keeps its state: one place, overridable for tests and users."""

from __future__ import annotations

import os
from pathlib import Path

HOME_VARIABLE = "DESPERADO_QUIZ_HOME"
HISTORY_FILE = "history.sqlite3"


def data_dir(override: Path | None = None) -> Path:
    """``--data-dir``, else $DESPERADO_QUIZ_HOME, else the platform's user data folder."""
    if override is not None:
        return override
    if env := os.environ.get(HOME_VARIABLE):
        return Path(env)
    from platformdirs import user_data_path

    return user_data_path("desperado-quiz", appauthor=False)


def history_path(override: Path | None = None) -> Path:
    return data_dir(override) / HISTORY_FILE


def cache_dir() -> Path:
    """Where caches go: $DESPERADO_QUIZ_HOME/cache, else the platform's user cache folder.
    Everything there can be deleted at any time."""
    if env := os.environ.get(HOME_VARIABLE):
        return Path(env) / "cache"
    from platformdirs import user_cache_path

    return user_cache_path("desperado-quiz", appauthor=False)


def bundled_questions_dir() -> Path:
    """The question folder inside the installed package (force-included by the wheel).

    The package is always installed as plain files (never zipped), so its folder is a
    real path; found from this module rather than `importlib.resources`, whose import
    costs a game about 5 ms at start-up."""
    return Path(__file__).absolute().parent / "questions"
