"""Small text helpers shared by validation, name resolution and rendering."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping

__all__ = ["BRIEF", "brief", "clip", "control_character", "describe", "nearest", "squash"]

_WHITESPACE = re.compile(r"\s+")

BRIEF = 80
"""How many characters of a value a message echoes at most."""

# C0 controls (with TAB, LF, CR), DEL, C1 controls (with NEL and the 8-bit CSI), bidirectional marks, embeddings,
# overrides and isolates, the Unicode line and paragraph separators, and the byte-order mark.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")
_CONTROL_IN_PROSE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def squash(text: str) -> str:
    """Remove all whitespace, so that a quote matches a source text broken across lines and pages.

    >>> squash("组织查\\n\\n处非法")
    '组织查处非法'
    """
    return _WHITESPACE.sub("", text)


def brief(value: object, limit: int = BRIEF) -> str:
    """A value for a message: quoted and escaped like ``repr``, cut after ``limit`` characters with an ellipsis.

    >>> brief("x" * 100, 5)
    "'xxxxx…'"
    >>> brief("a\\x1b[2J")
    "'a\\\\x1b[2J'"
    """
    if not isinstance(value, str):
        value = str(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else describe(value)
        return value if len(value) <= limit else value[:limit] + "…"
    return repr(value) if len(value) <= limit else repr(value[:limit] + "…")


def clip(text: str, limit: int = BRIEF) -> str:
    """``text`` cut after ``limit`` characters with an ellipsis (for names shown as they are, without quotes).

    >>> clip("甲" * 100, 3)
    '甲甲甲…'
    """
    return text if len(text) <= limit else text[:limit] + "…"


def describe(value: object) -> str:
    """What a value is, in the words of the data format (never a Python type name).

    >>> describe([1, 2]), describe({"a": 1}), describe("甲"), describe(None)
    ('a list', 'a mapping', "the text '甲'", 'nothing')
    """
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        text = str(value) if not isinstance(value, int) or value.bit_length() < 256 else "a very long number"
        return f"the number {text}"
    if isinstance(value, str):
        return f"the text {brief(value)}"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    if isinstance(value, (bytes, bytearray)):
        return "binary data"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, (set, frozenset)):
        return "a set"
    return "a value of an unsupported kind"


def control_character(text: str, prose: bool = False) -> str | None:
    """The first control or bidirectional-formatting character in ``text`` as ``U+XXXX``, or ``None``.

    Names and ids may hold none; ``prose`` (notes, quotes) may hold tabs and line breaks.

    >>> control_character("甲\\x1b[2J局"), control_character("一\\n二", prose=True), control_character("一\\n二")
    ('U+001B', None, 'U+000A')
    """
    found = (_CONTROL_IN_PROSE if prose else _CONTROL).search(text)
    return f"U+{ord(found.group(0)):04X}" if found else None


def nearest(name: str, choices: Iterable[str], limit: int = 3) -> list[str]:
    """The choices closest to ``name``: containment first, then difflib similarity.

    >>> nearest("psb2", ["psb", "post", "safety"])
    ['psb', 'post']
    """
    import difflib  # only when a name is not found

    pool = sorted(set(choices))
    if len(name) > 200:  # difflib is quadratic: a very long name is compared by its beginning
        name = name[:200]
    folded = name.casefold()
    containing = [c for c in pool if folded and (folded in c.casefold() or c.casefold() in folded)]
    containing.sort(key=lambda c: (abs(len(c) - len(name)), c))
    similar = difflib.get_close_matches(name, pool, n=limit, cutoff=0.5)
    ranked: list[str] = []
    for candidate in [*similar, *containing]:
        if candidate not in ranked:
            ranked.append(candidate)
    return ranked[:limit]
