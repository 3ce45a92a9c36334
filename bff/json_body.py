"""JSON request bodies as the BFF accepts them: bounded nesting, no control characters.

Every JSON body an endpoint reads goes through `decode_json` (via `bff.http.read_json`)
before any model sees it:

- nesting deeper than `MAX_DEPTH` arrays/objects is refused by a flat scan of the raw
  bytes, before anything parses recursively (a body of 30,000 `[` would otherwise raise
  `RecursionError`);
- a string holding a control character other than tab, CR and LF is refused, naming the
  field (`bff.validation.control_character_problems`): Open Klant refuses NUL after the
  BFF may already have written part of a registration.
"""

from __future__ import annotations

import json
from typing import Any

from bff.errors import InvalidInput
from bff.validation import control_character_problems

MAX_DEPTH = 32

_OPEN = frozenset(b"[{")
_CLOSE = frozenset(b"]}")
_QUOTE = ord('"')
_BACKSLASH = ord("\\")


def nesting_depth_exceeds(raw: bytes, limit: int = MAX_DEPTH) -> bool:
    """True when arrays/objects in `raw` nest deeper than `limit` (strings are skipped)."""
    depth = 0
    in_string = escaped = False
    for byte in raw:
        if in_string:
            if escaped:
                escaped = False
            elif byte == _BACKSLASH:
                escaped = True
            elif byte == _QUOTE:
                in_string = False
        elif byte == _QUOTE:
            in_string = True
        elif byte in _OPEN:
            depth += 1
            if depth > limit:
                return True
        elif byte in _CLOSE:
            depth -= 1
    return False


def decode_json(raw: bytes) -> Any:
    """The parsed body; `InvalidInput` (422) for deep nesting, bad JSON or control characters."""
    if nesting_depth_exceeds(raw):
        raise InvalidInput.one(
            "body",
            f"The body nests arrays and objects more than {MAX_DEPTH} levels deep.",
            "too-deep",
        )
    try:
        parsed = json.loads(raw)
    except ValueError:
        raise InvalidInput.one("body", "The body is not valid JSON.", "json_invalid") from None
    problems = control_character_problems(parsed)
    if problems:
        raise InvalidInput(problems)
    return parsed
