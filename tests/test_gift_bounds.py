"""GIFT files made of the characters the reader looks for (issue 24, item 14): 4.9 MB of
nested braces once peaked at 1.0 GB before the import was refused, a tuple kept for
each brace; colons, `~` and `#` did the same. The reader now refuses a question with
more than 1,000 of any of them (a real one has a few dozen) as soon as it counts them.
Each import runs in a fresh process of its own, so that its peak memory is its own;
every file is in the test's temporary folder.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

HALF = 2_450_000
SHAPES = {
    "nested braces": ("Q? " + "{" * HALF + "}" * HALF, "`{` or `}`"),
    "colons": ("::" + ":" * 2 * HALF + "x", "`:`"),
    "answers": ("Q?{=a " + "~b" * HALF + "}", "`=` or `~`"),
    "hashes": ("Q?{=a #" + "#" * 2 * HALF + "}", "`#`"),
}
PROBE = """
import sys
from pathlib import Path
from desperado_quiz.app.errors import CommandError
from desperado_quiz.app.interchange import import_file
try:
    import_file("gift", Path(sys.argv[1]), Path(sys.argv[2]))
except CommandError as error:  # what the command says: its message, hint and skips
    skipped = getattr(error, "imported", None)
    reasons = [skip.reason for skip in skipped.skipped] if skipped else []
    print(" ".join([error.message, error.hint, *reasons]))
peak = [line for line in open("/proc/self/status") if line.startswith("VmHWM")]
print(int(peak[0].split()[1]) // 1024)
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads Linux's VmHWM")
@pytest.mark.parametrize(("text", "told"), SHAPES.values(), ids=SHAPES.keys())
def test_a_gift_file_of_the_readers_own_characters_is_refused_in_little_memory(
    tmp_path: Path, text: str, told: str
) -> None:
    source = tmp_path / "hostile.gift"
    source.write_text(text + "\n", encoding="utf-8")
    assert source.stat().st_size < 5 * 1024 * 1024  # an input the importer reads
    output = tmp_path / "out.toml"
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(source), str(output)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    message, megabytes = done.stdout.strip().rsplit("\n", 1)
    assert f"hostile.gift: more than 1,000 unescaped {told} in one question" in message
    assert "nothing was written" in message
    assert not output.exists()
    assert int(megabytes) < 200  # once 1.0 GB for the braces
