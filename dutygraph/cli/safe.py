"""Terminal safety for text that comes from data: control characters made visible. Pure: no I/O.

Names, quotes and notes come from dataset files anyone can write. Before they reach a terminal, every
character that a terminal could act on — C0 controls (ESC starts colour, cursor and OSC title/hyperlink
sequences; newline and carriage return fake lines), DEL, C1 controls (0x9b is a one-byte CSI), bidirectional
overrides and isolates (which reorder what is shown), line and paragraph separators and the BOM — is shown as
an escape such as ``\\x1b`` or ``\\u202e`` instead. Rich markup and emoji codes are a separate matter: data
reaches rich only as ``Text`` objects and the console runs with markup and emoji off.
"""

from __future__ import annotations

import re

__all__ = ["UNSAFE", "json_safe", "visible"]

_BEYOND_C0 = "\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff"
UNSAFE = re.compile(f"[\x00-\x1f{_BEYOND_C0}]")
"""Every character :func:`visible` replaces."""
_UNSAFE_IN_JSON = re.compile(f"[{_BEYOND_C0}]")

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    return _NAMED.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def visible(text: str) -> str:
    """``text`` with every terminal control character shown as an escape.

    >>> visible("市公安局\\x1b[2J")
    '市公安局\\\\x1b[2J'
    """
    return UNSAFE.sub(_escape, text)


def json_safe(document: str) -> str:
    """A JSON document with the controls that ``json.dumps(ensure_ascii=False)`` leaves raw (C1, bidi, separators)
    written as ``\\uXXXX`` escapes: the same JSON value, safe to print. C0 controls are escaped by JSON already."""
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", document)
