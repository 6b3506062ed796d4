"""Line breaking for mixed Chinese and English text in terminal cells (kinsoku rules). Pure: no I/O.

Widths are display cells as the terminal draws them (East Asian wide characters count two; rich's
``cell_len``). A line may break

- at whitespace (which is dropped at the break), or
- between two characters where at least one is wide (Chinese breaks between any two characters),

but never inside a run of narrow characters (an English word, a number, an id such as ``county-transport``
or ``bureaus.yaml:100``), never before closing punctuation or 、，。；：！？ (they stay with what precedes them,
so no line starts with one and no closing bracket or quote stands alone), and never after an opening bracket
or quote. A single unbreakable unit longer than the width is the only thing that can make a line longer than
the width, unless ``fold`` asks to cut it by cells as a last resort.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from msgspec import Struct
from rich.cells import cell_len

__all__ = ["NO_END", "NO_START", "Unit", "max_unit_width", "units", "wrap", "wrap_ranges"]

NO_START = frozenset("、，。；：！？）〕］｝〉》」』】〗〙〟”’｣…‥・·%‰℃,.;:!?)]}>—–\u2019\u201d\u300b\u3009\uff09\uff3d\uff5d")
"""Characters that may not begin a line: closing brackets and quotes, and the punctuation that follows a word."""

NO_END = frozenset("（〔［｛〈《「『【〖〘〝“‘｢([{<\u2018\u201c")
"""Characters that may not end a line: opening brackets and quotes."""


class Unit(Struct, frozen=True):
    """An unbreakable stretch ``text[start:end]``, preceded by the whitespace ``text[gap:start]`` (empty if none)."""

    gap: int
    start: int
    end: int


def _wide(char: str) -> bool:
    return char >= "\u1100" and cell_len(char) > 1  # nothing before U+1100 (Hangul Jamo) takes two cells


def _may_break(before: str, after: str) -> bool:
    """Whether a line may break between two adjacent non-space characters."""
    if after in NO_START or before in NO_END:
        return False
    return _wide(before) or _wide(after)


@lru_cache(maxsize=4096)
def units(text: str) -> tuple[Unit, ...]:
    """The unbreakable units of one paragraph (no newline in it), in order. Leading whitespace belongs to the
    first unit; trailing whitespace to none. Remembered: a table measures and renders each cell more than once."""
    result: list[Unit] = []
    n = len(text)
    i = 0
    start = 0
    gap = 0
    while i < n:
        if text[i].isspace():
            j = i
            while j < n and text[j].isspace():
                j += 1
            if i == 0 or j == n:  # leading whitespace stays with the first unit; trailing is dropped
                i = j
                continue
            if text[j] in NO_START or text[i - 1] in NO_END:  # a break here would start a line badly
                i = j
                continue
            result.append(Unit(gap, start, i))
            gap, start, i = i, j, j
            continue
        if i > start and not text[i - 1].isspace() and _may_break(text[i - 1], text[i]):
            result.append(Unit(gap, start, i))
            gap = start = i
        i += 1
    end = len(text.rstrip())
    if end > start:
        result.append(Unit(gap, start, end))
    return tuple(result)


def max_unit_width(text: str) -> int:
    """The width in cells of the widest unbreakable unit: the narrowest a column can be without folding."""
    return max((cell_len(text[u.start : u.end]) for para in text.split("\n") for u in units(para)), default=0)


def _fold(text: str, start: int, end: int, first: int, width: int) -> Iterator[tuple[int, int]]:
    """Cut ``text[start:end]`` into pieces of at most ``first`` cells, then ``width`` cells (at least one char each)."""
    room = first
    piece = start
    used = 0
    for i in range(start, end):
        w = cell_len(text[i])
        if used + w > room and i > piece:
            yield piece, i
            piece, used, room = i, 0, width
        used += w
    yield piece, end


def wrap_ranges(text: str, width: int, first_indent: int = 0, indent: int = 0, fold: bool = False) -> list[tuple[int, int]]:
    """The lines of ``text`` wrapped to ``width`` cells, as (start, end) offsets into ``text``.

    ``first_indent`` and ``indent`` are the cells the caller puts before the first and the following lines of each
    paragraph. Newlines in ``text`` are hard breaks. With ``fold``, a unit too long for a line is cut by cells.
    """
    lines: list[tuple[int, int]] = []
    offset = 0
    for para in text.split("\n"):
        lines.extend((offset + s, offset + e) for s, e in _wrap_paragraph(para, width, first_indent, indent, fold))
        offset += len(para) + 1
    return lines


def _wrap_paragraph(text: str, width: int, first_indent: int, indent: int, fold: bool) -> list[tuple[int, int]]:
    parts = units(text)
    if not parts:
        return [(0, 0)]
    lines: list[tuple[int, int]] = []
    line_start: int | None = None
    line_end = 0
    used = 0

    def room() -> int:
        return max(width - (first_indent if not lines else indent), 1)

    for unit in parts:
        unit_width = cell_len(text[unit.start : unit.end])
        if line_start is not None:
            gap_width = cell_len(text[unit.gap : unit.start])
            if used + gap_width + unit_width <= room():
                used += gap_width + unit_width
                line_end = unit.end
                continue
            lines.append((line_start, line_end))
            line_start = None
        if unit_width <= room() or not fold:
            line_start, line_end, used = unit.start, unit.end, unit_width
            continue
        pieces = list(_fold(text, unit.start, unit.end, room(), max(width - indent, 1)))
        lines.extend(pieces[:-1])
        line_start, line_end = pieces[-1]
        used = cell_len(text[line_start:line_end])
    if line_start is not None:
        lines.append((line_start, line_end))
    return lines


def wrap(text: str, width: int, first_indent: str = "", indent: str = "", fold: bool = False) -> list[str]:
    """``text`` wrapped to ``width`` cells, each line with its indent (``first_indent`` on a paragraph's first line)."""
    result = []
    paragraph_start = True
    previous_end = -1
    for start, end in wrap_ranges(text, width, cell_len(first_indent), cell_len(indent), fold):
        if previous_end >= 0:
            paragraph_start = "\n" in text[previous_end:start]
        result.append((first_indent if paragraph_start else indent) + text[start:end])
        previous_end = end
    return result
