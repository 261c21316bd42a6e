"""The names a quiz night refuses, and the ones it keeps: a room must be able to tell
every name apart, and from the host's own marks (issue 24, item 5). Pure tables here;
test_live_hardening.py sends the same names to a host on 127.0.0.1."""

from __future__ import annotations

import pytest

from desperado_quiz.game.settings import check_name
from desperado_quiz.live.names import MAX_MARKS, NameRefused, check_live_name, skeleton

PLAYERS = ("Ann", "Bob", "Ian", "Zoë")
TAKEN = {skeleton(name): name for name in PLAYERS}
ACUTE = "\u0301"


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("\u3164", "draw nothing"),  # Hangul filler: looks blank
        ("\u2800\u2800", "draw nothing"),  # blank Braille patterns
        ("Ann\u3164", "draw nothing"),  # looks like "Ann"
        ("Bob\ufe0f", "draw nothing"),  # a variation selector
        ("\u0391nn", "mix Greek and Latin"),  # Greek capital Alpha, then Latin
        ("\u0410nn", "mix Cyrillic and Latin"),
        ("B\u043eb", "mix Latin and Cyrillic"),  # Cyrillic o inside
        ("\u0391\u039d\u039d", "looks too much like another player's (Ann)"),  # all Greek
        ("ANN ", "looks too much like another player's (Ann)"),
        ("B0b", "looks too much like another player's (Bob)"),
        ("lan", "looks too much like another player's (Ian)"),
        ("A n n", "looks too much like another player's (Ann)"),
        ("B" + ACUTE * 39, f"at most {MAX_MARKS} accents"),  # the red team's stack
        ("e" + ACUTE * (MAX_MARKS + 1), f"at most {MAX_MARKS} accents"),
        ("\u20ddAnn", "combining mark"),  # an enclosing circle, drawn over what is before
        ("Bob (removed)", "status in brackets"),
        ("Carl (REMOVED)", "status in brackets"),
        ("Dee [away]", "status in brackets"),
        ("Eve (quit )", "status in brackets"),
        ("Fay \uff08you\uff09", "status in brackets"),  # fullwidth brackets, NFKC'd
    ],
)
def test_a_name_a_room_could_mistake_is_refused_with_its_reason(name: str, reason: str) -> None:
    with pytest.raises(NameRefused) as refused:
        check_live_name(check_name(name), TAKEN)
    assert reason in str(refused.value)


@pytest.mark.parametrize(
    "name",
    [
        "Carolina",
        "Anna",  # not Ann
        "Nguy\u1ec5n",  # two accents on one letter, composed
        "Nguye\u0302\u0303n",  # the same, typed as marks
        "\u05e9\u05c1\u05b8\u05dc\u05d5\u05b9\u05dd",  # Hebrew with points
        "\u0e01\u0e34\u0e48\u0e07",  # Thai: a vowel and a tone mark on one letter
        "\u7530\u4e2d",  # Japanese
        "Taro \u7530\u4e2d",  # Latin beside Japanese is how people write
        "\u039d\u03af\u03ba\u03bf\u03c2",  # Greek alone
        "\u041e\u043b\u044f",  # Cyrillic alone
        "Bob (Bobby)",  # brackets that are not a status
        "Ann-Marie",
    ],
)
def test_names_people_have_are_kept(name: str) -> None:
    kept = check_name(name)
    assert check_live_name(kept, TAKEN) == kept


def test_a_skeleton_reads_look_alikes_as_latin_and_ignores_case_and_spaces() -> None:
    assert skeleton("\u0391\u039d\u039d") == skeleton("ann") == skeleton(" A n N ")
    assert skeleton("rn") == skeleton("m")
    assert skeleton("Bob") != skeleton("Rob")
