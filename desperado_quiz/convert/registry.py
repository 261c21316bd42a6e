"""The formats: name, a line of description, file suffix, whether the output may go to
stdout, what the format never carries, and where its converters live.

The CLI reads this module for `--help` and shell completion, so it imports nothing: a
format's module (and its library: genanki, openpyxl, yaml) loads only when used.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from collections.abc import Sequence

    from desperado_quiz.convert.common import Exported, ExportOptions, Imported
    from desperado_quiz.model import Bank

    Exporter = Callable[[Sequence[Bank], ExportOptions], Exported]
    Importer = Callable[[str], Imported]


class Format(NamedTuple):  # not a dataclass: `--help` pays for no generated code
    name: str
    description: str
    suffix: str
    stdout: bool  # text formats may go to stdout; archives and workbooks may not
    can_import: bool
    not_carried: tuple[str, ...]  # what no question of ours keeps in this format
    # Its reader shows choices as written, so the export orders them by a seed.
    shuffled: bool = False

    @property
    def module(self) -> str:
        # `csv` would shadow the standard library's module inside the package
        return f"desperado_quiz.convert.{'csv_format' if self.name == 'csv' else self.name}"

    def exporter(self) -> Exporter:
        return import_module(self.module).export  # type: ignore[no-any-return]

    def importer(self) -> Importer:
        return import_module(self.module).read  # type: ignore[no-any-return]


FORMATS = {
    f.name: f
    for f in (
        Format(
            "anki",
            "an Anki deck (.apkg): a note per question, a deck per bank",
            ".apkg",
            stdout=False,
            can_import=False,
            not_carried=("related",),
            shuffled=True,
        ),
        Format(
            "moodle",
            "Moodle XML: a category per bank, every question type",
            ".xml",
            stdout=True,
            can_import=True,
            not_carried=("difficulty", "related"),
        ),
        Format(
            "gift",
            "GIFT, Moodle's text format",
            ".gift",
            stdout=True,
            can_import=True,
            not_carried=("difficulty", "hint", "tags", "related"),
        ),
        Format(
            "canvas",
            "a Canvas quiz (.zip): QTI 1.2 as Canvas exports it, each question its own type",
            ".zip",
            stdout=False,
            can_import=False,
            not_carried=("category", "difficulty", "hint", "tags", "related"),
            shuffled=True,
        ),
        Format(
            "qti",
            "a QTI 2.1 content package (.zip), for LMSs that read QTI 2.1 (Canvas: canvas)",
            ".zip",
            stdout=False,
            can_import=False,
            not_carried=(
                "category",
                "difficulty",
                "explanation",
                "hint",
                "tags",
                "evidence",
                "related",
            ),
        ),
        Format(
            "kahoot",
            "Kahoot's spreadsheet template (.xlsx): choice, true or false",
            ".xlsx",
            stdout=False,
            can_import=False,
            not_carried=(
                "category",
                "difficulty",
                "explanation",
                "hint",
                "tags",
                "evidence",
                "related",
            ),
            shuffled=True,
        ),
        Format(
            "opentdb",
            "Open Trivia DB JSON: multiple choice, true or false",
            ".json",
            stdout=True,
            can_import=True,
            not_carried=(
                "explanation",
                "hint",
                "tags",
                "evidence",
                "related",
                "choice order",
            ),
        ),
        Format(
            "red",
            "a Red-DiscordBot trivia list (YAML): each question with its answers",
            ".yaml",
            stdout=True,
            can_import=True,
            not_carried=(
                "category",
                "difficulty",
                "explanation",
                "hint",
                "tags",
                "evidence",
                "related",
            ),
        ),
        Format(
            "aiken",
            "Aiken, the one-line multiple choice format of Moodle",
            ".txt",
            stdout=True,
            can_import=True,
            not_carried=(
                "category",
                "difficulty",
                "explanation",
                "hint",
                "tags",
                "evidence",
                "related",
            ),
            shuffled=True,
        ),
        Format(
            "csv",
            "CSV, a row per question; UTF-8 with a BOM, for Excel",
            ".csv",
            stdout=True,
            can_import=True,
            not_carried=(),
        ),
    )
}


def names(importable: bool = False) -> list[str]:
    return [f.name for f in FORMATS.values() if f.can_import or not importable]


def help_lines(importable: bool = False) -> str:
    """The formats, a line each, for `--help` (``\\b``: lines kept as they are)."""
    lines = [
        f"  {f.name:<8} {f.description}" for f in FORMATS.values() if f.can_import or not importable
    ]
    return "\b\nFormats:\n" + "\n".join(lines)
