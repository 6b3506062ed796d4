"""The responsibility matrix (职责分工表): activities against bureaus, each cell the roles a bureau has there.

Rows are activities grouped by domain; columns are bureaus grouped by system. A cell holds :class:`RoleMark` s —
leads 打非 (by which rule), a candidate lead where the data does not decide, issues a licence the activity needs,
the law-designated investigator, competent (主管), supervises, cooperates, guides, other duties — each citing the
provisions it rests on.

The matrix is built in one place from two sources and nothing else:

- the public attributes of the engine's :class:`~dutygraph.engine.Decision` (lead, rule, cooperating,
  candidates, citations), through :data:`DECISION_ROLES` — a new Decision attribute that names bureaus becomes a
  role with one line there; and
- dataset facts: the issuer and law-designated investigator of every licence the activity needs (its own and
  what they require) and the duties on the activity or its domain, through :data:`DUTY_ROLES`.

So the lead cells are exactly ``decide``'s answers (a test checks it on every dataset).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from enum import StrEnum

from msgspec import Struct

from dutygraph.engine import Decision, activities_in_force, decide_all, licences_in_scope
from dutygraph.model import Activity, Bureau, Dataset, Domain

__all__ = [
    "DECISION_ROLES",
    "DUTY_ROLES",
    "MARKS",
    "ROLE_NAMES",
    "ColumnGroup",
    "Matrix",
    "Role",
    "RoleMark",
    "RowGroup",
    "build_matrix",
]


class Role(StrEnum):
    """What a bureau does for an activity, in the order a cell lists them."""

    LEADS = "leads"
    CANDIDATE = "candidate"
    ISSUES = "issues"
    INVESTIGATES = "investigates"
    COMPETENT = "competent"
    SUPERVISES = "supervises"
    COOPERATES = "cooperates"
    GUIDES = "guides"
    OTHER = "other-duty"


ROLE_NAMES: Mapping[Role, tuple[str, str]] = {
    Role.LEADS: ("牵头打非", "leads enforcement against illegal operation"),
    Role.CANDIDATE: ("可能牵头（未定）", "could lead: the data does not decide"),
    Role.ISSUES: ("许可", "issues a licence it needs"),
    Role.INVESTIGATES: ("查处", "investigates (law-designated, or an investigate duty)"),
    Role.COMPETENT: ("主管", "competent department"),
    Role.SUPERVISES: ("监管", "supervises"),
    Role.COOPERATES: ("配合", "cooperates"),
    Role.GUIDES: ("指导", "guides"),
    Role.OTHER: ("其他职责", "other duties"),
}
"""Each role's name in Chinese and in English."""

MARKS: dict[Role, tuple[str, str]] = {
    Role.LEADS: ("牵", "L"),
    Role.CANDIDATE: ("?", "?"),
    Role.ISSUES: ("发", "I"),
    Role.INVESTIGATES: ("查", "X"),
    Role.COMPETENT: ("主", "M"),
    Role.SUPERVISES: ("监", "S"),
    Role.COOPERATES: ("配", "C"),
    Role.GUIDES: ("导", "G"),
    Role.OTHER: ("·", "·"),
}
"""The mark of each role in a matrix cell (terminal grid and HTML tab), in Chinese and in English."""

DECISION_ROLES: tuple[tuple[Role, Callable[[Decision], Iterable[Bureau]]], ...] = (
    (Role.LEADS, lambda d: (d.lead,) if d.lead is not None else ()),
    (Role.CANDIDATE, lambda d: d.candidates),
    (Role.COOPERATES, lambda d: d.cooperating),
    (Role.GUIDES, lambda d: (d.guided_by,) if d.guided_by is not None else ()),
)
"""The roles a Decision gives bureaus, each citing the decision's citations. One line per Decision attribute."""

DUTY_ROLES: Mapping[str, Role] = {
    "supervise": Role.SUPERVISES,
    "license": Role.ISSUES,
    "investigate": Role.INVESTIGATES,
    "cooperate": Role.COOPERATES,
    "guide": Role.GUIDES,
}
"""The role of a duty by its kind; a competent (主管) duty is :attr:`Role.COMPETENT`, any other kind :attr:`Role.OTHER`."""


class RoleMark(Struct, frozen=True):
    """One role of a bureau for an activity and what it rests on."""

    role: Role
    provisions: tuple[str, ...]
    rule: str | None = None
    """For ``leads`` and ``candidate``: the rule of the cascade that decided (or left it undetermined)."""
    licences: tuple[str, ...] = ()
    """For roles from licences: the licences (ids) the bureau issues or investigates."""
    kinds: tuple[str, ...] = ()
    """For roles from duties: the duty kinds (supervise, inspect, …)."""
    scope: tuple[str, ...] = ()
    """For roles from duties: what the duties are on — the activity's id and/or its domain's id."""

    domain_wide: bool = False
    """Whether the role comes only from duties on the activity's whole domain (not from the decision, a licence or a
    duty on the activity itself)."""

    def merge(self, other: RoleMark) -> RoleMark:
        def union(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
            return tuple(dict.fromkeys((*a, *b)))

        return RoleMark(
            self.role,
            union(self.provisions, other.provisions),
            self.rule or other.rule,
            union(self.licences, other.licences),
            union(self.kinds, other.kinds),
            union(self.scope, other.scope),
            self.domain_wide and other.domain_wide,
        )


class RowGroup(Struct, frozen=True):
    domain: Domain | None
    activities: tuple[Activity, ...]


class ColumnGroup(Struct, frozen=True):
    system: str | None
    bureaus: tuple[Bureau, ...]


class Matrix(Struct, frozen=True):
    rows: tuple[RowGroup, ...]
    columns: tuple[ColumnGroup, ...]
    decisions: Mapping[str, Decision]
    cells: Mapping[tuple[str, str], tuple[RoleMark, ...]]
    """Keyed by (activity id, bureau id); only cells with at least one role."""
    as_of: dt.date | None = None

    @property
    def activities(self) -> tuple[Activity, ...]:
        return tuple(a for group in self.rows for a in group.activities)

    @property
    def bureaus(self) -> tuple[Bureau, ...]:
        return tuple(b for group in self.columns for b in group.bureaus)

    def roles(self, activity_id: str, bureau_id: str) -> tuple[RoleMark, ...]:
        return self.cells.get((activity_id, bureau_id), ())

    def provisions(self) -> list[str]:
        """Every provision a cell cites, in first-cited order."""
        return list(dict.fromkeys(p for marks in self.cells.values() for mark in marks for p in mark.provisions))


def _decision_marks(decision: Decision) -> Iterable[tuple[str, RoleMark]]:
    provisions = tuple(dict.fromkeys(c.provision for c in decision.citations))
    for role, bureaus_of in DECISION_ROLES:
        rule = decision.rule.value if role in (Role.LEADS, Role.CANDIDATE) else None
        for bureau in bureaus_of(decision):
            yield bureau.id, RoleMark(role, provisions, rule=rule)


def _fact_marks(dataset: Dataset, activity: Activity) -> Iterable[tuple[str, RoleMark]]:
    for ident in licences_in_scope(dataset, activity):
        licence = dataset.licences[ident]
        if licence.issuer is not None:
            yield licence.issuer.target, RoleMark(Role.ISSUES, licence.issuer.provisions, licences=(ident,))
        if licence.enforcer is not None:
            yield licence.enforcer.target, RoleMark(Role.INVESTIGATES, licence.enforcer.provisions, licences=(ident,))
    for target in (activity.id, activity.domain):
        if target is None:
            continue
        for duty in dataset.duties_by_target.get(target, ()):
            role = Role.COMPETENT if duty.competent else DUTY_ROLES.get(duty.kind, Role.OTHER)
            wide = target != activity.id
            yield duty.bureau, RoleMark(role, duty.provisions, kinds=(duty.kind,), scope=(target,), domain_wide=wide)


def _system_groups(dataset: Dataset, bureau_ids: Iterable[str]) -> tuple[ColumnGroup, ...]:
    wanted = set(bureau_ids)
    order: dict[str | None, list[Bureau]] = {}
    for bureau in dataset.bureaus.values():
        order.setdefault(bureau.system, [])
        if bureau.id in wanted:
            order[bureau.system].append(bureau)
    groups = [ColumnGroup(system, tuple(bureaus)) for system, bureaus in order.items() if bureaus and system is not None]
    if order.get(None):
        groups.append(ColumnGroup(None, tuple(order[None])))
    return tuple(groups)


def build_matrix(
    dataset: Dataset,
    *,
    domain: str | None = None,
    bureau: str | None = None,
    as_of: dt.date | None = None,
    decisions: Iterable[Decision] | None = None,
) -> Matrix:
    """The responsibility matrix of the dataset, or of one domain's activities, or of one bureau's column.

    ``decisions`` defaults to :func:`~dutygraph.engine.decide_all` (everything missing) for the activities in scope,
    at ``as_of``.
    """
    in_force = activities_in_force(dataset, as_of)
    activities = [a for a in in_force if domain is None or a.domain == domain]
    given = {d.activity.id: d for d in decisions} if decisions is not None else {}
    missing = [a.id for a in activities if a.id not in given]
    decided = {**given, **{d.activity.id: d for d in decide_all(dataset, missing, as_of=as_of)}} if missing else given
    cells: dict[tuple[str, str], dict[Role, RoleMark]] = {}
    for activity in activities:
        for bureau_id, mark in [*_decision_marks(decided[activity.id]), *_fact_marks(dataset, activity)]:
            cell = cells.setdefault((activity.id, bureau_id), {})
            cell[mark.role] = cell[mark.role].merge(mark) if mark.role in cell else mark
    if bureau is not None:
        cells = {key: roles for key, roles in cells.items() if key[1] == bureau}
    ordered = {key: tuple(sorted(roles.values(), key=lambda m: list(Role).index(m.role))) for key, roles in cells.items()}
    in_rows = {a for a, _ in ordered}
    groups: list[RowGroup] = []
    by_domain: dict[str | None, list[Activity]] = {}
    for activity in activities:
        if bureau is None or activity.id in in_rows:
            by_domain.setdefault(activity.domain, []).append(activity)
    for domain_id in [*dataset.domains, None]:
        if by_domain.get(domain_id):
            groups.append(RowGroup(dataset.domains[domain_id] if domain_id else None, tuple(by_domain[domain_id])))
    columns = _system_groups(dataset, [bureau] if bureau is not None else {b for _, b in ordered})
    return Matrix(tuple(groups), columns, {a.id: decided[a.id] for a in activities}, ordered, as_of)
