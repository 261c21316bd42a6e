"""Machine output: JSON text that is always valid UTF-8 and safe to print.

``json.dumps`` already escapes C0 control characters; this also escapes what it would
write raw (C1 controls, lone surrogates from undecodable input, bidirectional
overrides and noncharacters), so that a document printed to a terminal can never drive
it, and always encodes as UTF-8. The data is unchanged: every escape is plain JSON.
"""

from __future__ import annotations

import json
import re
from typing import Any

_RAW_UNSAFE = re.compile("[\x7f-\x9f\ud800-\udfff\ufffe\uffff\u202a-\u202e\u2066-\u2069]")


def dumps(data: Any) -> str:
    text = json.dumps(data, indent=2, ensure_ascii=False)
    return _RAW_UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)
