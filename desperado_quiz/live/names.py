"""What a quiz night adds to the engine's rules for a name: on the host's big screen a
name must be one the room can tell apart from every other, and from the host's own
marks.

The engine (``check_name``) already trims, normalises to NFKC, and refuses control and
invisible format characters. Here, for a room of strangers, a name is also refused when
it

* holds a character that draws nothing (U+3164 HANGUL FILLER, U+2800 BRAILLE PATTERN
  BLANK, variation selectors...), so that it looks blank or like another name;
* mixes letters of Latin, Greek, Cyrillic or Armenian, whose look-alikes make ``Ann``
  with a Greek Alpha pass for ``Ann``;
* looks like another player's name once look-alike letters are read as the Latin
  ones they imitate (``ANN`` in Cyrillic beside ``Ann``, ``lan`` beside ``Ian``);
* stacks more than ``MAX_MARKS`` combining marks on one character, which draws over
  the rows above and below it;
* ends with a word in brackets that the host's screen uses for a status, as in
  ``Bob (removed)``.

Pure functions on strings: the room keeps each player's ``skeleton`` to compare with.
"""

from __future__ import annotations

import unicodedata

from desperado_quiz.game import Status

MAX_MARKS = 3  # Vietnamese, Hebrew points, Thai vowels and tones need 2 or 3; Zalgo, more

# Characters that take a place but draw nothing (beyond the format characters the
# engine already refuses): Hangul fillers, the blank Braille pattern, the combining
# grapheme joiner, Khmer's inherent vowels, and the variation selectors.
_BLANK_RANGES = (
    (0x034F, 0x034F),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x2800, 0x2800),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFFA0, 0xFFA0),
    (0x1D159, 0x1D159),
    (0xE0100, 0xE01EF),
)

# The scripts whose letters imitate each other; letters of other scripts (Japanese,
# Arabic, Devanagari...) may sit beside Latin ones, as people write their names.
_LOOK_ALIKE_SCRIPTS = ("LATIN", "GREEK", "CYRILLIC", "ARMENIAN")

# Letters (by code point) read as the Latin ones they look like, for comparing names:
# written out by hand from the letters of each script drawn like a Latin one in common
# fonts; digits and Latin letters that are confused with each other fold the same way.
_LOOKS_LIKE = {
    # Greek
    0x0391: "A", 0x0392: "B", 0x0395: "E", 0x0396: "Z", 0x0397: "H", 0x0399: "I", 0x039A: "K",
    0x039C: "M", 0x039D: "N", 0x039F: "O", 0x03A1: "P", 0x03A4: "T", 0x03A5: "Y", 0x03A7: "X",
    0x03B1: "a", 0x03B9: "i", 0x03BA: "k", 0x03BD: "v", 0x03BF: "o", 0x03C1: "p", 0x03C5: "u",
    0x03C7: "x", 0x03B3: "y", 0x03F2: "c", 0x03F9: "C", 0x03F3: "j",
    # Cyrillic
    0x0410: "A", 0x0412: "B", 0x0415: "E", 0x041A: "K", 0x041C: "M", 0x041D: "H", 0x041E: "O",
    0x0420: "P", 0x0421: "C", 0x0422: "T", 0x0425: "X", 0x0423: "Y", 0x0405: "S", 0x0406: "I",
    0x0408: "J", 0x051A: "Q", 0x051C: "W", 0x04AE: "Y", 0x0430: "a", 0x0435: "e", 0x043E: "o",
    0x0440: "p", 0x0441: "c", 0x0443: "y", 0x0445: "x", 0x0455: "s", 0x0456: "i", 0x0458: "j",
    0x04BB: "h", 0x0501: "d", 0x051B: "q", 0x051D: "w", 0x0475: "v", 0x04CF: "l", 0x04C0: "l",
    0x04AF: "y",
    # Armenian
    0x0585: "o", 0x057D: "u", 0x0570: "h", 0x0578: "n", 0x0581: "g", 0x054F: "S", 0x0555: "O",
    # Latin and digits that pass for each other
    0x0030: "o", 0x0031: "l", 0x0049: "l", 0x007C: "l", 0x0131: "i",
}  # fmt: skip
_LOOKS_LIKE_TABLE = str.maketrans(_LOOKS_LIKE)

# The words the host's screen and `join` put in brackets after a name, and a few more
# that would read as the host's.
STATUS_WORDS = frozenset({str(status) for status in Status} | {"away", "you", "host", "left"})


class NameRefused(ValueError):
    """A name the room cannot take; the message says why, for the player."""


def check_live_name(name: str, taken: dict[str, str]) -> str:
    """``name`` (already through the engine's ``check_name``) if a room can show it
    beside the names in ``taken`` (skeleton -> name); else ``NameRefused``."""
    if any(_draws_nothing(char) for char in name):
        raise NameRefused("A name cannot hold characters that draw nothing (such as U+3164)")
    if unicodedata.category(name[0]).startswith("M"):
        raise NameRefused("A name cannot start with a combining mark")
    if _stacked_marks(name) > MAX_MARKS:
        raise NameRefused(f"A name holds at most {MAX_MARKS} accents on one letter")
    scripts = _scripts(name)
    if len(scripts) > 1:
        mixed = " and ".join(s.title() for s in scripts)
        raise NameRefused(f"A name cannot mix {mixed} letters, which look alike")
    if _mimics_status(name):
        raise NameRefused(
            "A name cannot end with a status in brackets, such as '(removed)' or '(away)': "
            "the host's screen marks players that way"
        )
    twin = taken.get(skeleton(name))
    if twin is not None:
        raise NameRefused(f"That name looks too much like another player's ({twin})")
    return name


def skeleton(name: str) -> str:
    """What a name looks like: look-alike letters read as Latin ones, ``rn`` as ``m``,
    any case and any spacing; two names with one skeleton cannot be told apart."""
    folded = unicodedata.normalize("NFC", name).translate(_LOOKS_LIKE_TABLE).casefold()
    folded = folded.translate(_LOOKS_LIKE_TABLE)  # casefold may make new look-alikes
    return "".join(folded.split()).replace("rn", "m").replace("vv", "w")


def _draws_nothing(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in _BLANK_RANGES)


def _stacked_marks(name: str) -> int:
    """The most combining marks on one character, each mark counted (decomposed), so
    that a letter and its accents count the same however they were typed."""
    most = run = 0
    for char in unicodedata.normalize("NFD", name):
        run = run + 1 if unicodedata.category(char) in ("Mn", "Me") else 0
        most = max(most, run)
    return most


def _scripts(name: str) -> list[str]:
    """The look-alike scripts of the letters of ``name``, in the order met (a letter's
    script is the first word of its Unicode name)."""
    found: list[str] = []
    for char in name:
        if not char.isalpha():
            continue
        script = unicodedata.name(char, "").split(" ", 1)[0]
        if script in _LOOK_ALIKE_SCRIPTS and script not in found:
            found.append(script)
    return found


def _mimics_status(name: str) -> bool:
    """Ends with an opening bracket, one of the host's status words, a closing one."""
    if unicodedata.category(name[-1]) != "Pe":
        return False
    opening = max(
        (i for i, char in enumerate(name) if unicodedata.category(char) == "Ps"), default=-1
    )
    if opening < 0:
        return False
    inside = name[opening + 1 : -1]
    words = " ".join(inside.split()).casefold()
    return words in STATUS_WORDS or skeleton(inside) in _STATUS_SKELETONS


_STATUS_SKELETONS = frozenset(skeleton(word) for word in STATUS_WORDS)
