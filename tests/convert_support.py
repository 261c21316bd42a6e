"""What the tests of the formats share: the bundled banks as models, generated banks
(hypothesis), exporting then importing, and the keys each format carries."""

from __future__ import annotations

import dataclasses
import re
import string
from collections.abc import Iterable, Sequence
from typing import Any

from hypothesis import strategies as st

from desperado_quiz.convert.common import Imported
from desperado_quiz.convert.registry import FORMATS
from desperado_quiz.model import AnyQuestion, Bank, adapter
from desperado_quiz.store import load_banks
from desperado_quiz.text import format_number

# The characters that formats escape or trip over, and some that are not ASCII.
SPECIAL = "\"'{}:#~=<>&\\|,;.?!\n\t-_/@+*()[]$"
ALPHABET = string.ascii_letters + string.digits + " " + SPECIAL + "éñüß日本語Ωç\u2019\u2014€"
# What each round-trip format keeps of a question, beyond its type and text.
CARRIED: dict[str, tuple[str, ...]] = {
    "moodle": (
        "id", "choices", "answer", "accept", "tolerance", "unit", "explanation", "hint",
        "tags", "category", "evidence",
    ),
    "gift": (
        "id", "choices", "answer", "accept", "tolerance", "explanation", "category", "evidence",
    ),
    "opentdb": ("answer", "category", "difficulty"),  # choices: as a set (see same())
    "red": ("answer", "accept"),
    "aiken": ("answer", "choices"),  # choices: as a set (the export orders them by seed)
    "csv": (
        "id", "choices", "answer", "accept", "tolerance", "unit", "explanation", "hint",
        "tags", "category", "difficulty", "evidence", "related",
    ),
}  # fmt: skip


def bundled() -> list[Bank]:
    return [loaded.bank for loaded in load_banks().banks]


def round_trip(name: str, banks: Sequence[Bank]) -> tuple[list[AnyQuestion], Imported]:
    """The questions that went out (in order), and what reading the output gave back."""
    form = FORMATS[name]
    exported = form.exporter()(banks)
    out = {(o.bank, o.question) for o in exported.report.outcomes if o.status != "skipped"}
    sent = [q for bank in banks for q in bank.questions if (bank.bank.id, q.id) in out]
    return sent, form.importer()(exported.data.decode("utf-8"))


def expected(question: AnyQuestion, name: str) -> dict[str, Any]:
    """What the format ``name`` should give back of ``question``: the keys it carries,
    in the form it carries them (Red asks every question as a typed answer)."""
    data = _comparable(question)
    shown = {key: data[key] for key in ("type", "question", *CARRIED[name]) if key in data}
    if name in ("opentdb", "aiken") and "choices" in data:
        shown["choices"] = sorted(data["choices"])  # no order kept, or the seed's
    if name == "aiken" and data["type"] == "boolean":  # a choice of True and False
        answer = "True" if data["answer"] else "False"
        shown.update(type="choice", answer=answer, choices=["False", "True"])
    if name == "aiken":  # one line each, trimmed, as Moodle's reader takes them
        flat = [" ".join(c.split("\n")).strip() for c in shown.get("choices", [])]
        shown["choices"] = sorted(flat)
        shown["question"] = " ".join(data["question"].split("\n")).strip()
        shown["answer"] = " ".join(shown["answer"].split("\n")).strip()
    if name == "red" and data["type"] == "choice":
        shown.update(type="text", accept=[])
    if name == "red" and data["type"] in ("choice", "text"):
        # Red's players type answers: each is also accepted without its leading article.
        forms = [shown["answer"], *shown.get("accept", [])]
        bare = [re.sub(r"^(?:a|an|the)\s+(?=\S)", "", f, flags=re.IGNORECASE) for f in forms]
        seen = {" ".join(f.split()).casefold() for f in forms}
        for form in bare:  # a bare form of one short word is left out (red.py)
            if (" " in form or len(form) >= 5) and " ".join(form.split()).casefold() not in seen:
                seen.add(" ".join(form.split()).casefold())
                forms.append(form)
        shown["accept"] = forms[1:]
    if name == "red" and data["type"] == "number":
        shown = {
            "type": "text",
            "question": data["question"],
            "answer": format_number(data["answer"]),
        }
    return shown


def _comparable(question: AnyQuestion) -> dict[str, Any]:
    data = dataclasses.asdict(question)
    if data["type"] == "multi":  # the right answers of a multi are a set
        data["answer"] = sorted(data["answer"])
    return data


def got(question: AnyQuestion, keys: Iterable[str], name: str) -> dict[str, Any]:
    data = _comparable(question)
    if name in ("opentdb", "aiken") and "choices" in data:
        data["choices"] = sorted(data["choices"])
    return {key: data.get(key) for key in keys}


# Generated banks --------------------------------------------------------------------

text = st.text(ALPHABET, min_size=1, max_size=24).map(str.strip).filter(bool)
# A category or tag: Moodle writes a '/' in a category as '//', which cannot tell a
# name ending in '/' from one that starts with it; none of ours does.
label = (
    st.text(ALPHABET.replace("/", "").replace("\n", ""), min_size=1, max_size=12)
    .map(str.strip)
    .filter(bool)
)
slug = st.from_regex(r"[a-z][a-z0-9]{0,6}(-[a-z0-9]{1,5}){0,2}", fullmatch=True)


@st.composite
def question_data(draw: st.DrawFn, qid: str) -> dict[str, Any]:
    kind = draw(st.sampled_from(["choice", "multi", "boolean", "text", "number", "order"]))
    data: dict[str, Any] = {
        "id": qid,
        "type": kind,
        "question": draw(text),
        "category": draw(label),
        "difficulty": draw(st.sampled_from(["easy", "medium", "hard"])),
        "evidence": [draw(text)],
        "explanation": draw(st.one_of(st.just(""), text)),
        "hint": draw(st.one_of(st.just(""), text)),
        "tags": draw(st.lists(label, max_size=2, unique_by=str.casefold)),
    }
    distinct = st.lists(
        text, min_size=2, max_size=5, unique_by=lambda t: " ".join(t.split()).casefold()
    )
    if kind in ("choice", "multi"):
        choices = draw(distinct)
        data["choices"] = choices
        right = draw(st.lists(st.sampled_from(choices), min_size=1, unique=True))
        data["answer"] = right[0] if kind == "choice" else right
    elif kind == "boolean":
        data["answer"] = draw(st.booleans())
    elif kind == "text":
        forms = draw(distinct)
        data.update(answer=forms[0], accept=forms[1:])
    elif kind == "number":
        answer = draw(st.floats(-1e7, 1e7, allow_nan=False).filter(lambda x: abs(x) > 1e-3))
        data["answer"] = answer
        data["tolerance"] = draw(st.sampled_from([0.0, 0.5, 0.125])) * abs(answer)
        data["unit"] = draw(st.one_of(st.just(""), label))
    else:
        data["answer"] = draw(
            st.lists(
                text, min_size=3, max_size=4, unique_by=lambda t: " ".join(t.split()).casefold()
            )
        )
    return data


@st.composite
def banks(draw: st.DrawFn) -> Bank:
    ids = draw(st.lists(slug, min_size=1, max_size=6, unique=True))
    questions = [draw(question_data(qid)) for qid in ids]
    info = {"id": draw(slug), "title": draw(label), "source": "article.txt"}
    return adapter("bank").validate_python({"bank": info, "questions": questions})
