"""`desperado-quiz new`: an interactive wizard that writes one question.

It asks for each key in turn, checks the evidence against the source document as it is
typed, shows the finished TOML block, validates it with the same rules as `validate`,
and only then appends it. Ctrl-C or end of input leaves the file untouched.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.padding import Padding
from rich.syntax import Syntax
from rich.table import Table
from rich.text import Text

from desperado_quiz.app import questions as target_bank
from desperado_quiz.app.questions import BankTarget
from desperado_quiz.authoring import appended, bank_header, question_block, slugify, unique_id
from desperado_quiz.exitcodes import ExitCode
from desperado_quiz.findings import Severity
from desperado_quiz.matching import Ambiguous, letters, parse_number, resolve_option, similar
from desperado_quiz.model import DIFFICULTIES, MAX_CHOICES, MIN_CHOICES, MIN_ORDER_ITEMS
from desperado_quiz.model import QUESTION_TYPES as TYPES
from desperado_quiz.source import SourceDocument
from desperado_quiz.text import visible
from desperado_quiz.ui.console import Reader
from desperado_quiz.ui.findings import print_finding

TYPE_HELP = {
    "choice": "one right answer among 2 to 8 choices",
    "multi": "several right answers among the choices",
    "boolean": "true or false",
    "text": "a typed answer, matched forgivingly",
    "number": "a number, right within a tolerance",
    "order": "put 3 or more items in order",
}


@dataclass
class Draft:
    """What the wizard produced: the file's new text, and the block it added."""

    target: BankTarget
    text: str
    block: str
    question_id: str


class Wizard:
    def __init__(self, console: Console, read: Reader) -> None:
        self.console = console
        self.read = read

    def say(self, text: str, style: str = "") -> None:
        self.console.print(Text(text, style=style))

    def typed(self, prompt: str) -> str:
        """A line, trimmed, asked again until it is plain text (no undecodable bytes, no
        control characters: they would end up in the file, then on a terminal)."""
        while True:
            line = self.read(prompt).strip()
            if visible(line) == line:
                return line
            self.say("  That holds characters that are not plain text; type it again.", "warn")

    def ask(
        self,
        label: str,
        default: str = "",
        optional: bool = False,
        check: Callable[[str], str | None] | None = None,
    ) -> str:
        """Ask until the answer passes ``check`` (which returns a complaint or None)."""
        shown = f" [{default}]" if default else (" (optional)" if optional else "")
        while True:
            answer = self.typed(f"{label}{shown}: ") or default
            if not answer and not optional:
                self.say("  This one is needed.", "warn")
                continue
            complaint = check(answer) if (check and answer) else None
            if complaint is None:
                return answer
            self.say(f"  {complaint}", "warn")

    def ask_list(self, label: str, minimum: int, maximum: int = 99) -> list[str]:
        self.say(f"{label}: one per line, an empty line to finish.", "muted")
        items: list[str] = []
        while len(items) < maximum:
            item = self.typed(f"  {len(items) + 1}. ")
            if not item:
                if len(items) >= minimum:
                    break
                self.say(f"  At least {minimum}, please.", "warn")
                continue
            if item.casefold() in (i.casefold() for i in items):
                self.say("  Already listed.", "warn")
                continue
            items.append(item)
        return items

    def pick(
        self, label: str, options: list[str], default: str = "", about: dict[str, str] | None = None
    ) -> str:
        """One of ``options``, by its letter or its text; ``about`` describes each."""
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True)
        grid.add_column()  # a long description wraps under itself, not under the letter
        for letter, option in zip(letters(len(options)), options, strict=False):
            described = f"{option}: {about[option]}" if about else option
            grid.add_row(f"  {letter})", Text(described))
        self.console.print(grid)

        def check(answer: str) -> str | None:
            return None if self._resolve(answer, options) else "Type a letter or the text."

        return self._resolve(self.ask(label, default, check=check), options) or ""

    @staticmethod
    def _resolve(answer: str, options: list[str]) -> str | None:
        """The option named by a letter, its text, or words of it, as in a game."""
        try:
            index = resolve_option(answer, options)
        except Ambiguous:
            return None
        return None if index is None else options[index]

    # The steps -------------------------------------------------------------------

    def new_bank(self, target: BankTarget) -> tuple[str, str]:
        """The header of a new bank, and the name of its source."""
        path = target.path
        self.say(f"{visible(str(path))} does not exist yet: it will be a new bank.", "accent")
        bank_id = self.ask("Bank id", slugify(path.stem, 8))
        title = self.ask("Bank title", visible(path.stem.replace("-", " ").capitalize()))
        beside = target.documents_beside()
        source = self.ask(
            "Source document, relative to the bank",
            visible(beside[0]) if beside else "",
            check=target.source_problem,
        )
        return bank_header(bank_id, title, source), source

    def evidence(self, source: SourceDocument) -> list[str]:
        quotes: list[str] = []
        self.say(
            f"Evidence: quote {source.path.name} word for word (an empty line to finish).", "muted"
        )
        while True:
            quote = self.typed(f"  quote {len(quotes) + 1}: ")
            if not quote:
                if quotes:
                    return quotes
                self.say("  At least one quote, please.", "warn")
                continue
            if (exact := source.exact(quote)) is not None:
                if exact == quote:
                    self.say("  ✓ found in the source", "good")
                else:  # kept as the source writes it: the game must never misquote
                    self.say("  ✓ found in the source, kept as it is written there:", "good")
                    self.console.print(Padding(Text(visible(exact)), (0, 0, 0, 4)))
                quotes.append(exact)
            elif source.contains(quote):  # found, but not as one span of the text
                self.say("  ✓ found in the source", "good")
                quotes.append(quote)
            else:
                self.say("  ✗ not in the source. Closest passage:", "bad")
                closest = Text(visible(source.closest_sentence(quote)), style="muted")
                self.console.print(Padding(closest, (0, 0, 0, 4)))

    def category(self, categories: Counter[str]) -> str:
        """A category, the bank's commonest offered first; one a typo away from one the
        bank has ("Musik" beside "Music") is asked again, and kept when typed again."""
        common = categories.most_common(1)
        doubted = ""
        while True:
            answer = self.ask("Category", common[0][0] if common else "")
            near = [c for c in categories if c != answer and similar(answer, c)]
            if not near or answer == doubted:
                return answer
            self.say(
                f"  The bank has the category {near[0]!r}: type it, or type "
                f"{answer!r} again to keep a category of its own.",
                "warn",
            )
            doubted = answer

    def answer_keys(self, kind: str) -> dict[str, Any]:
        if kind in ("choice", "multi"):
            choices = self.ask_list("Choices", MIN_CHOICES, MAX_CHOICES)
            if kind == "choice":
                return {"choices": choices, "answer": self.pick("Right answer", choices)}
            self.say("Right answers: letters separated by commas, e.g. A,C.", "muted")
            return {"choices": choices, "answer": self._pick_many(choices)}
        if kind == "boolean":
            value = self.ask(
                "Answer (true/false)",
                check=lambda a: (
                    None if a.casefold() in ("t", "true", "f", "false") else "Type true or false."
                ),
            )
            return {"answer": value.casefold().startswith("t")}
        if kind == "number":
            return {
                "answer": parse_number(self.ask("Answer", check=_number_problem)),
                "tolerance": parse_number(self.ask("Tolerance", "0", check=_number_problem)) or 0,
                "unit": self.ask("Unit, e.g. million US dollars", optional=True),
            }
        if kind == "order":
            return {"answer": self.ask_list("Items in the right order", MIN_ORDER_ITEMS)}
        answer = self.ask("Answer")
        accept = self.ask("Also accept, separated by commas", optional=True)
        return {"answer": answer, "accept": [a.strip() for a in accept.split(",") if a.strip()]}

    def _pick_many(self, choices: list[str]) -> list[str]:
        def parse(raw: str) -> list[str] | None:
            picked = [self._resolve(part.strip(), choices) for part in raw.split(",")]
            return None if None in picked else list(dict.fromkeys(p for p in picked if p))

        raw = self.ask(
            "Right answers",
            check=lambda r: (
                None if parse(r) else "Letters or texts of the choices, separated by commas."
            ),
        )
        return parse(raw) or []

    def compose(self, target: BankTarget) -> Draft:
        bank = target.bank
        header, source_name = ("", None) if bank else self.new_bank(target)
        text_before = target.text or header
        source = target.source(source_name)
        questions = bank.questions if bank else []

        self.say("Question type:", "bold")
        kind = self.pick("Type", list(TYPES), about=TYPE_HELP)
        data: dict[str, Any] = {"type": kind}
        data["question"] = self.ask("Question")
        categories = Counter(q.category for q in questions)
        data["category"] = self.category(categories)
        data["difficulty"] = self.pick("Difficulty", list(DIFFICULTIES), "medium")
        data |= self.answer_keys(kind)
        data["evidence"] = self.evidence(source)
        if len(data["evidence"]) == 1:
            data["evidence"] = data["evidence"][0]
        data["explanation"] = self.ask("Explanation, shown after the answer")
        data["hint"] = self.ask("Hint", optional=True)
        taken = {q.id for q in questions}
        data["id"] = self.ask(
            "Id",
            unique_id(slugify(data["question"]), taken),
            check=lambda i: "That id is taken." if i in taken else None,
        )
        block = question_block(data)
        return Draft(target, appended(text_before, block), block, data["id"])

    def review(self, draft: Draft) -> bool:
        """Show the block and the validator's verdict; True when it may be written."""
        # Long lines wrap between words, never inside one; the file keeps them whole.
        self.console.print(Syntax(draft.block, "toml", theme="ansi_dark", word_wrap=True))
        report = target_bank.check(draft.target, draft.text)
        mine = [f for f in report.findings if f.question_id in (draft.question_id, None)]
        for finding in mine:
            print_finding(self.console, finding)
        if any(f.severity is Severity.ERROR for f in mine):
            self.say("The question has errors; nothing written.", "bad")
            return False
        confirm = self.ask(
            f"Append it to {draft.target.path}? (y/n)",
            "y",
            check=lambda a: None if a.casefold() in ("y", "yes", "n", "no") else "y or n",
        )
        return confirm.casefold().startswith("y")


def _number_problem(text: str) -> str | None:
    try:
        return None if parse_number(text) is not None else "Type a number."
    except ValueError as error:
        return f"Not sure which number you mean: {error}."


def run_wizard(bank_file: Path | None) -> ExitCode:
    """`desperado-quiz new`: ask, check, show, then append atomically, or write nothing.

    Whether the file can be written is checked before the first question, so that no
    answer is ever typed in vain.
    """
    from desperado_quiz.ui.console import console, line_reader
    from desperado_quiz.ui.messages import Messages, failing

    messages = Messages()
    wizard = Wizard(console, line_reader(console))
    try:
        path = bank_file or Path(wizard.ask("Bank file", "questions/my-questions.toml"))
        with failing(messages):
            draft = wizard.compose(target_bank.open_bank(path))
        if not wizard.review(draft):
            return ExitCode.FAILED
    except EOFError:
        console.print("\nEnd of input: nothing written.", style="warn")
        return ExitCode.FAILED
    except KeyboardInterrupt:
        console.print("\nInterrupted: nothing written.", style="warn")
        return ExitCode.INTERRUPTED
    with failing(messages):
        line = target_bank.add_question(draft.target, draft.text, draft.block)
    console.print(
        Text(f"Added question {draft.question_id!r} to {visible(str(path))}:{line}.", style="good"),
        soft_wrap=True,
    )
    return ExitCode.OK
