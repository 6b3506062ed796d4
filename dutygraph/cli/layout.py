"""Rich building blocks that lay out Chinese and English text right, and keep data inert.

- :class:`Flow` wraps text by the kinsoku rules of :mod:`dutygraph.cli.wrap` at whatever width rich gives it
  (a table cell, a panel), with an indent for continuation lines.
- :func:`data` turns a string from a dataset into a ``Text`` with its control characters made visible
  (:mod:`dutygraph.cli.safe`); a ``Text`` is never parsed for markup or emoji codes.
- :class:`Boxed` is a panel whose title moves into the body when it would not fit on the border.
- :class:`Names` gives entity names in the chosen language and remembers which had no English name, so that
  an English answer says so once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Protocol

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.panel import Panel
from rich.text import Text

from dutygraph.cli.safe import visible
from dutygraph.cli.wrap import max_unit_width, wrap_ranges

__all__ = ["Boxed", "Flow", "Names", "data", "flow"]


def data(text: str | None, style: str = "") -> Text:
    """A string from data as inert ``Text``: no markup, no emoji codes, control characters shown as escapes."""
    return Text(visible(text or ""), style=style)


class Flow:
    """Text wrapped by the kinsoku rules at the width it is rendered in; continuation lines get ``indent``.

    Measures, for tables, as narrow as its widest unbreakable unit (an id or an English word is never split
    unless the table leaves no room at all, and then it is folded, never cut off).
    """

    def __init__(self, text: Text, first_indent: str = "", indent: str = "") -> None:
        self.text = text
        self.first_indent = first_indent
        self.indent = indent
        self._lines: dict[int, list[Text]] = {}

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        plain = self.text.plain
        indents = max(cell_len(self.first_indent), cell_len(self.indent))
        longest = max(cell_len(line) for line in plain.split("\n")) + cell_len(self.first_indent)
        minimum = max_unit_width(plain) + indents
        return Measurement(minimum, max(longest, minimum)).clamp(max_width=options.max_width)

    def lines(self, width: int) -> list[Text]:
        """The wrapped lines at ``width`` (remembered: a table measures and renders a cell more than once)."""
        if width not in self._lines:
            self._lines[width] = self._wrap(width)
        return self._lines[width]

    def _wrap(self, width: int) -> list[Text]:
        plain = self.text.plain
        ranges = wrap_ranges(plain, width, cell_len(self.first_indent), cell_len(self.indent), fold=True)
        result: list[Text] = []
        previous_end = -1
        for start, end in ranges:
            paragraph_start = previous_end < 0 or "\n" in plain[previous_end:start]
            line = Text(self.first_indent if paragraph_start else self.indent)
            line.append_text(self.text[start:end])
            result.append(line)
            previous_end = end
        return result

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        joined = Text("\n").join(self.lines(options.max_width))
        joined.overflow = "fold"
        yield joined


def flow(text: str | None, style: str = "", first_indent: str = "", indent: str = "") -> Flow:
    """A string from data, made inert (:func:`data`) and wrapped by the kinsoku rules."""
    return Flow(data(text, style), first_indent, indent)


class Boxed:
    """A panel with its title on the top border, or, when the title does not fit there, as the body's first line."""

    def __init__(self, body: RenderableType, title: Text, border_style: str = "") -> None:
        self.body = body
        self.title = title
        self.border_style = border_style

    def _panel(self, width: int) -> Panel:
        if cell_len(self.title.plain) + 6 <= width:  # "╭─ " + title + " ─╮"
            return Panel(self.body, title=self.title, title_align="left", border_style=self.border_style)
        return Panel(Group(Flow(self.title), Text(""), self.body), border_style=self.border_style)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self._panel(options.max_width))

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self._panel(options.max_width)


class Named(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def name_en(self) -> str | None: ...


class Names:
    """Entity names in ``lang`` (``zh`` or ``en``). In English, a name the dataset gives no English for is shown
    in Chinese and remembered, so that :meth:`note` can say so once under the answer."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.untranslated: dict[str, None] = {}

    @property
    def en(self) -> bool:
        return self.lang == "en"

    def __call__(self, entity: Named | None) -> str:
        if entity is None:
            return "—"
        return self.pick(entity.name, entity.name_en)

    def pick(self, chinese: str, english: str | None) -> str:
        """``english`` in English where there is one, else ``chinese`` (remembered in English)."""
        if not self.en:
            return chinese
        if english:
            return english
        self.untranslated.setdefault(chinese)
        return chinese

    def translate(self, text: str, entities: Iterable[Named], extra: Iterable[tuple[str, str | None]] = ()) -> str:
        """In English, the names of ``entities`` (and the ``extra`` Chinese → English pairs) inside ``text`` written in
        English where the dataset gives it, longest name first; lists joined with 、 become comma lists."""
        if not self.en:
            return text
        pairs = {e.name: e.name_en for e in entities if e.name}
        pairs.update((zh, en) for zh, en in extra if zh)
        found = [zh for zh in sorted(pairs, key=len, reverse=True) if zh in text]
        if not found:
            return text

        def english(match: re.Match[str]) -> str:
            chinese = match.group()
            return self.pick(chinese, pairs[chinese])

        translated = re.sub("|".join(re.escape(zh) for zh in found), english, text)
        return translated.replace("、", ", ")

    def join(self, names: Iterable[str]) -> str:
        """Names joined as the language writes a list: 甲、乙 or A, B."""
        return (", " if self.en else "、").join(names)

    def note(self) -> Text | None:
        """In English, one line naming what is shown in Chinese because the dataset gives no English for it."""
        if not self.en or not self.untranslated:
            return None
        shown = list(self.untranslated)
        examples = "、".join(shown[:3]) + ("…" if len(shown) > 3 else "")
        return data(
            f"Shown in Chinese where the dataset gives no English name ({len(shown)}: {examples}); quotes are verbatim.",
            "dim",
        )

    def with_note(self, renderable: RenderableType) -> RenderableType:
        """``renderable`` followed by :meth:`note` when there is one."""
        note = self.note()
        return renderable if note is None else Group(renderable, Flow(note))
