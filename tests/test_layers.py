"""The house, one way only: cli -> ui -> app -> core. What each layer may touch."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import REPO

PACKAGE = REPO / "desperado_quiz"
UI = sorted((PACKAGE / "ui").glob("*.py"))
APP = sorted((PACKAGE / "app").glob("*.py"))
ENTRY = {"cli.py", "__init__.py", "__main__.py", "pytest_plugin.py"}
CORE = [
    path
    for path in PACKAGE.rglob("*.py")
    if path.parent.name not in ("ui", "app") and path.relative_to(PACKAGE).as_posix() not in ENTRY
]


def imported(path: Path) -> set[str]:
    """Every module ``path`` imports, at the top or inside a function (not the imports
    of ``if TYPE_CHECKING:``, which are for the type checker only)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            node.body = []
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


# What only the application layer (or the core under it) may do: open the history,
# write or read a file, make a temporary one.
STORAGE = re.compile(
    r"\bHistory\(|write_atomic|\bopen\(|\.read_text\(|\.write_text\(|\.read_bytes\(|"
    r"\.write_bytes\(|\.unlink\(|\.mkdir\(|\.glob\(|\bsqlite3\b|\btempfile\b|read_source\(|"
    r"load_file\(|load_bank_specs\(|\bseats\."
)


@pytest.mark.parametrize("path", UI, ids=lambda p: p.name)
def test_ui_opens_no_database_and_writes_no_file(path: Path) -> None:
    code = "\n".join(
        line for line in path.read_text(encoding="utf-8").splitlines()
        if not line.lstrip().startswith("#")
    )  # fmt: skip
    assert not STORAGE.findall(code)
    storage = {"desperado_quiz.history", "sqlite3", "tempfile", "desperado_quiz.live.seats"}
    assert not {name for name in imported(path) if name in storage}


@pytest.mark.parametrize("path", APP, ids=lambda p: p.name)
def test_the_application_layer_imports_no_terminal_library(path: Path) -> None:
    forbidden = ("rich", "typer", "click", "desperado_quiz.ui", "desperado_quiz.cli")
    assert not [
        name for name in imported(path) if name.split(".")[0] in forbidden[:3]
        or name.startswith(forbidden[3:])
    ]  # fmt: skip


@pytest.mark.parametrize("path", CORE, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_the_core_never_imports_the_layers_above_it(path: Path) -> None:
    above = ("desperado_quiz.app", "desperado_quiz.ui", "desperado_quiz.cli")
    assert not [name for name in imported(path) if name.startswith(above)]


def test_every_application_call_loads_without_rich_or_typer() -> None:
    modules = [f"desperado_quiz.app.{path.stem}" for path in APP if path.stem != "__init__"]
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "import desperado_quiz as dq\n"
        "for name in dq.__all__: getattr(dq, name)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('rich', 'typer', 'click')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
