"""The responsibility matrix for people: a grid of role marks split into column groups that fit the terminal, one
bureau's roles as a list with their provisions, and CSV for spreadsheets."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from rich import box
from rich.cells import cell_len
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from dutygraph.cli.layout import Flow, Names, data, flow
from dutygraph.cli.safe import visible
from dutygraph.cli.wrap import max_unit_width
from dutygraph.matrix import MARKS, ROLE_NAMES, Matrix, Role, RoleMark
from dutygraph.model import Bureau, Dataset

__all__ = ["matrix_bureau", "matrix_csv", "matrix_grid"]


_STYLE = {Role.LEADS: "bold green", Role.CANDIDATE: "bold yellow"}
_MIN_COLUMN = 8
"""Cells of a bureau column at least: four Chinese characters of its name per line."""
_MAX_WORD = 15
"""A bureau column widens for the longest word of its (English) name up to this many cells."""


def _mark(mark: RoleMark, en: bool) -> Text:
    return Text(MARKS[mark.role][1 if en else 0], style="dim" if mark.domain_wide else _STYLE.get(mark.role, ""))


def _cell(marks: Sequence[RoleMark], en: bool) -> Text:
    """The marks of a cell; those that come only from a duty on the whole domain in parentheses after the others."""
    own = Text("").join(_mark(m, en) for m in marks if not m.domain_wide)
    wide = [m for m in marks if m.domain_wide]
    if wide:
        own.append_text(Text.assemble("(", Text("").join(_mark(m, en) for m in wide), ")"))
    return own


def legend(names: Names) -> RenderableType:
    en = names.en
    parts = [f"{MARKS[role][1 if en else 0]} {ROLE_NAMES[role][1 if en else 0]}" for role in Role]
    text = "; ".join(parts)
    return Flow(Text(f"Legend: {text}; (…) only through a duty on the whole domain."), indent="  ")


def _chunks(bureaus: Sequence[tuple[str | None, Bureau]], widths: dict[str, int], room: int) -> list[list[tuple[str | None, Bureau]]]:
    """Columns packed greedily into groups that fit ``room`` cells, keeping a system together where it fits."""
    chunks: list[list[tuple[str | None, Bureau]]] = [[]]
    used = 0
    index = 0
    while index < len(bureaus):
        end = index
        while end < len(bureaus) and bureaus[end][0] == bureaus[index][0]:
            end += 1
        run = bureaus[index:end]
        run_width = sum(widths[b.id] + 3 for _, b in run)
        if chunks[-1] and used + run_width > room and run_width <= room:
            chunks.append([])
            used = 0
        for pair in run:
            width = widths[pair[1].id] + 3
            if chunks[-1] and used + width > room:
                chunks.append([])
                used = 0
            chunks[-1].append(pair)
            used += width
        index += len(run)
    return [chunk for chunk in chunks if chunk]


def matrix_grid(dataset: Dataset, matrix: Matrix, lang: str, width: int, title: Text) -> RenderableType:
    """The matrix as grids of marks: activities down (grouped by domain, with the rule under each), bureaus across
    (grouped by system), split into as many grids as the width needs. Rows where none of a grid's bureaus has a
    role are left out of that grid."""
    names = Names(lang)
    en = names.en
    columns = [(group.system, bureau) for group in matrix.columns for bureau in group.bureaus]
    widths = {
        b.id: max(
            _MIN_COLUMN,
            min(max_unit_width(names(b)), _MAX_WORD),
            *(cell_len(_cell(matrix.roles(a.id, b.id), en).plain) for a in matrix.activities),
        )
        for _, b in columns
    }
    activity_width = min(max([12, *(cell_len(names(a)) for a in matrix.activities)]), 24 if width < 120 else 30)
    room = max(width - activity_width - 4, _MIN_COLUMN + 3)
    title.stylize("bold")
    parts: list[RenderableType] = [Flow(title), legend(names)]
    for chunk in _chunks(columns, widths, room):
        table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, header_style="bold")
        table.add_column("activity", width=activity_width)
        for system, bureau in chunk:
            header = Group(data(names.pick(system, None) if system else "—", "dim"), flow(names(bureau)))
            table.add_column(header, width=widths[bureau.id], no_wrap=True)
        for group in matrix.rows:
            rows = [a for a in group.activities if any(matrix.roles(a.id, b.id) for _, b in chunk)]
            if not rows:
                continue
            heading = names(group.domain) if group.domain else "no domain"
            table.add_row(flow(heading, "bold underline"), *("" for _ in chunk))
            for activity in rows:
                decision = matrix.decisions[activity.id]
                label = Group(flow(names(activity)), data(decision.rule.value, "dim"))
                table.add_row(label, *(_cell(matrix.roles(activity.id, b.id), en) for _, b in chunk))
        parts += [Text(""), table]
    return names.with_note(Group(*parts))


def _detail(dataset: Dataset, mark: RoleMark, names: Names) -> str:
    """What a role concerns: the rule, the licences, the duty kinds (for other duties), and whether it is domain-wide."""
    what = [mark.rule] if mark.rule else []
    if mark.licences:
        what.append(names.join(names(dataset.licences[i]) for i in mark.licences))
    if mark.role is Role.OTHER:
        what.append(", ".join(mark.kinds))
    if mark.domain_wide:
        what.append("whole domain")
    return "; ".join(what)


def _mark_text(dataset: Dataset, mark: RoleMark, names: Names) -> str:
    name = ROLE_NAMES[mark.role][1 if names.en else 0]
    detail = _detail(dataset, mark, names)
    cited = " ".join(mark.provisions)
    return f"{name}{f' ({detail})' if detail else ''} [{cited}]" if cited else f"{name}{f' ({detail})' if detail else ''}"


def matrix_bureau(dataset: Dataset, matrix: Matrix, bureau: Bureau, lang: str) -> RenderableType:
    """One bureau's column as a list: per domain and activity, each role with what it concerns and its provisions."""
    names = Names(lang)
    title = Text.assemble(("Roles of ", "bold"), data(names(bureau), "bold"), " (responsibility matrix, one bureau)")
    parts: list[RenderableType] = [Flow(title), legend(names)]
    for group in matrix.rows:
        heading = names(group.domain) if group.domain else "no domain"
        parts += [Text(""), flow(heading, "bold underline")]
        for activity in group.activities:
            marks = matrix.roles(activity.id, bureau.id)
            head = Text.assemble(_cell(marks, names.en), " ", data(names(activity), "bold"))
            parts.append(Flow(head, first_indent="  ", indent="    "))
            parts += [flow(_mark_text(dataset, m, names), first_indent="    ", indent="      ") for m in marks]
    return names.with_note(Group(*parts))


def matrix_csv(dataset: Dataset, matrix: Matrix, lang: str) -> str:
    """The matrix as CSV: one row per activity, one column per bureau (``name (id)``), each cell its roles with what
    they concern and their provision ids. Control characters in data are written as escapes."""
    names = Names(lang)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    bureaus = matrix.bureaus
    header = ["domain", "activity_id", "activity", "rule", "lead", *(f"{names(b)} ({b.id})" for b in bureaus)]
    writer.writerow([visible(cell) for cell in header])
    separator = "; " if names.en else "；"
    for group in matrix.rows:
        for activity in group.activities:
            decision = matrix.decisions[activity.id]
            row = [
                names(group.domain) if group.domain else "",
                activity.id,
                names(activity),
                decision.rule.value,
                names(decision.lead) if decision.lead else "",
            ]
            row += [separator.join(_mark_text(dataset, m, names) for m in matrix.roles(activity.id, b.id)) for b in bureaus]
            writer.writerow([visible(cell) for cell in row])
    return out.getvalue()
