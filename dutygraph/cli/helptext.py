"""``--help`` that fits the terminal in display cells: Chinese in help text counts two columns per character.

typer's plain help formatter (click's) measures text in characters, so a help line with Chinese examples runs
past 80 columns. :class:`CellGroup` and :class:`CellCommand` give every command a formatter that wraps by
the kinsoku rules of :mod:`dutygraph.cli.wrap`, in cells.
"""

from __future__ import annotations

from collections.abc import Sequence

from typer.core import TyperCommand, TyperGroup

__all__ = ["CellCommand", "CellGroup", "paragraphs"]

_Context = TyperGroup.context_class
_Formatter = _Context.formatter_class


def paragraphs(text: str, width: int, indent: str = "") -> list[str]:
    """``text`` wrapped to ``width`` cells paragraph by paragraph (blank lines separate paragraphs; a paragraph
    whose first line is ``\\b`` is kept as written), each line prefixed with ``indent`` and the paragraph's own
    indentation."""
    from dutygraph.cli.wrap import wrap  # only for --help: a query never pays for it

    out: list[str] = []
    for block in text.expandtabs().split("\n\n"):
        lines = [line for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        if out:
            out.append("")
        if lines[0].strip() == "\b":
            out.extend(indent + line for line in lines[1:])
            continue
        own = " " * (len(lines[0]) - len(lines[0].lstrip()))
        joined = " ".join(line.strip() for line in lines)
        out.extend(wrap(joined, width, indent + own, indent + own))
    return out


class CellHelpFormatter(_Formatter):  # type: ignore[misc,valid-type]
    """click's help formatter with text and definition lists wrapped in display cells."""

    width: int
    current_indent: int

    def write_text(self, text: str) -> None:
        lines = paragraphs(text, self.width, " " * self.current_indent)
        self.write("\n".join(lines) + "\n")

    def write_dl(self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        from rich.cells import cell_len

        rows = list(rows)
        if not rows:
            return
        first_col = min(max(cell_len(row[0]) for row in rows), col_max) + col_spacing
        text_width = max(self.width - first_col - self.current_indent, 10)
        hanging = " " * (first_col + self.current_indent)
        for row in rows:
            first, second = row[0], (row[1] if len(row) > 1 else "")
            self.write(" " * self.current_indent + first)
            if not second:
                self.write("\n")
                continue
            if cell_len(first) <= first_col - col_spacing:
                self.write(" " * (first_col - cell_len(first)))
            else:
                self.write("\n" + hanging)
            lines = paragraphs(second, text_width) or [""]
            self.write(lines[0] + "\n")
            for line in lines[1:]:
                self.write((hanging + line if line else "") + "\n")


class _CellContext(_Context):  # type: ignore[misc,valid-type]
    formatter_class = CellHelpFormatter


class CellGroup(TyperGroup):
    """A typer group whose help (and its commands' help, when they are :class:`CellCommand`) is measured in cells."""

    context_class = _CellContext


class CellCommand(TyperCommand):
    context_class = _CellContext
