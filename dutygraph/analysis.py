"""Gaps and overlaps: blind spots (监管盲区), conflicts and weak points of a dataset, with reasons.

Each :class:`Finding` names what it is about and why it matters. ``blind-spot`` and ``conflict`` findings
make ``dutygraph gaps --strict`` fail; ``warning`` and ``info`` findings are reported only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from enum import StrEnum

from msgspec import Struct

from dutygraph.engine import Decision, Outcome, Rule, TransferStatus, decide_all, duties_of, in_time
from dutygraph.model import LEVELS, Dataset

__all__ = ["Finding", "Severity", "find_gaps"]


class Severity(StrEnum):
    BLIND_SPOT = "blind-spot"
    CONFLICT = "conflict"
    WARNING = "warning"
    DEBATABLE = "debatable"
    """A decision the curators found the law leaves room to argue (cases.yaml ``debatable``)."""
    INFO = "info"

    @property
    def strict(self) -> bool:
        """Whether ``gaps --strict`` fails on it."""
        return self in (Severity.BLIND_SPOT, Severity.CONFLICT)


class Finding(Struct, frozen=True):
    severity: Severity
    kind: str
    subject: str
    message: str
    provisions: tuple[str, ...] = ()


def find_gaps(dataset: Dataset, as_of: dt.date | None = None) -> list[Finding]:
    """Every finding for the dataset, most severe first."""
    decisions = decide_all(dataset, as_of=as_of)
    findings = [
        *_undetermined(decisions),
        *_explicit_conflicts(decisions),
        *_law_overlaps(dataset),
        *_uncertain_in_time(dataset, decisions, as_of),
        *_unassigned(dataset),
        *_leads_outside_jurisdiction(dataset, decisions),
        *_leads_without_duty(dataset, decisions),
        *_domains_without_competent(dataset),
        *_unknown_issuers(dataset),
        *_later_versions(dataset, decisions),
        *_overlaps(dataset),
        *_acting_organs(decisions),
        *_debatable(dataset),
    ]
    order = list(Severity)
    return sorted(findings, key=lambda f: order.index(f.severity))


def _undetermined(decisions: list[Decision]) -> Iterator[Finding]:
    for decision in decisions:
        if decision.determined:
            continue
        last = next((s for s in reversed(decision.trace) if s.outcome is Outcome.UNDETERMINED), None)
        if last is not None and last.rule in (Rule.SECTOR, Rule.DIVISION_OF_LABOUR):
            candidates = "、".join(b.name for b in decision.candidates)
            yield Finding(
                Severity.INFO,
                "divided-by-sector",
                decision.activity.name,
                f"the lead for {decision.activity.name} depends on the enterprise's sector: one of {candidates} (ask with --sector)",
                tuple(c.provision for c in last.citations),
            )
            continue
        reason = last.reason if last else "the cascade did not decide"
        candidates = "、".join(b.name for b in decision.candidates) or "none known"
        if "candidates" not in reason:
            reason += f" (candidates: {candidates})"
        yield Finding(
            Severity.BLIND_SPOT,
            "undetermined-lead",
            decision.activity.name,
            f"no lead for enforcement against illegal {decision.activity.name}: {reason}",
            tuple(c.provision for c in decision.citations),
        )


def _explicit_conflicts(decisions: list[Decision]) -> Iterator[Finding]:
    for decision in decisions:
        for step in decision.trace:
            if step.rule in (Rule.EXPLICIT, Rule.COMPETENT_DEPARTMENT) and step.outcome.value == "undetermined":
                yield Finding(
                    Severity.CONFLICT,
                    f"{step.rule.value}-conflict",
                    decision.activity.name,
                    step.reason,
                    tuple(c.provision for c in step.citations),
                )


def _law_overlaps(dataset: Dataset) -> Iterator[Finding]:
    """Two texts designating different organs to act against operating without one licence."""
    for licence in dataset.licences.values():
        for other in licence.also_enforced_by:
            first = licence.enforcer.target if licence.enforcer else None
            if other.target == first:
                continue
            organs = "、".join(dataset.bureaus[b].name for b in (first, other.target) if b)
            yield Finding(
                Severity.CONFLICT,
                "law-overlap",
                licence.name,
                f"the texts designate different organs ({organs}) to act against operating without {licence.name}",
                (*(licence.enforcer.provisions if licence.enforcer else ()), *other.provisions),
            )


def _uncertain_in_time(dataset: Dataset, decisions: list[Decision], as_of: dt.date | None) -> Iterator[Finding]:
    """On the date asked, the organs whose duties may or may not have passed to their successor yet."""
    date = as_of or dataset.info.as_of
    if date is None:
        return
    for bureau_id in dataset.successions_by_predecessor:
        found = in_time(dataset, bureau_id, date)
        if found.transfer is None or found.transfer.status is not TransferStatus.INSIDE:
            continue
        duties = dataset.duties_by_bureau.get(bureau_id, ())
        leads = [d.activity.name for d in decisions if d.transfer is not None and d.transfer.predecessor.id == bureau_id]
        if not duties and not leads:
            continue
        bureau = dataset.bureaus[bureau_id]
        successors = "、".join(b.name for b in found.transfer.successors)
        what = f"{len(duties)} duties" + (f" and the lead for {'、'.join(leads)}" if leads else "")
        yield Finding(
            Severity.WARNING,
            "uncertain-organ",
            bureau.name,
            f"on {date.isoformat()} {bureau.name}'s {what} lie inside the window in which they passed to {successors} "
            f"({found.transfer.window}): which organ held them that day is not known",
            tuple(c.provision for c in found.transfer.window.citations),
        )


def _acting_organs(decisions: list[Decision]) -> Iterator[Finding]:
    """Leads that a county organ carries in its own name while a city bureau guides it."""
    for decision in decisions:
        if decision.lead is not None and decision.guided_by is not None:
            yield Finding(
                Severity.INFO,
                "guided-organ-acts",
                decision.activity.name,
                f"{decision.lead.name} acts in its own name against illegal {decision.activity.name}; "
                f"{decision.guided_by.name} guides it, it does not replace it",
                tuple(c.provision for c in decision.citations),
            )


def _debatable(dataset: Dataset) -> Iterator[Finding]:
    """The points the curators' review found debatable (cases.yaml ``debatable``), under their own heading."""
    from dutygraph.cases import load_cases

    for case in load_cases(dataset.root):
        if case.debatable:
            yield Finding(Severity.DEBATABLE, "debatable", case.name, case.debatable, ())


def _unassigned(dataset: Dataset) -> Iterator[Finding]:
    for activity in dataset.activities.values():
        targets = [activity.id, activity.domain] if activity.domain else [activity.id]
        if not any(dataset.duties_by_target.get(t) for t in targets):
            yield Finding(
                Severity.BLIND_SPOT,
                "no-duty",
                activity.name,
                f"no bureau has any duty for {activity.name} or its domain",
                activity.provisions,
            )


def _leads_outside_jurisdiction(dataset: Dataset, decisions: list[Decision]) -> Iterator[Finding]:
    level = dataset.info.level
    for decision in decisions:
        lead = decision.lead
        if lead is None or not lead.levels or any(LEVELS.index(lv) >= LEVELS.index(level) for lv in lead.levels):
            continue
        yield Finding(
            Severity.WARNING,
            "lead-outside-jurisdiction",
            decision.activity.name,
            f"the lead against illegal {decision.activity.name} is {lead.name}, a {lead.level} organ: the sources do not "
            f"say which organ in {dataset.info.jurisdiction} acts for it",
            tuple(c.provision for c in decision.citations),
        )


def _leads_without_duty(dataset: Dataset, decisions: list[Decision]) -> Iterator[Finding]:
    for decision in decisions:
        lead = decision.lead
        if lead is None or decision.rule in (Rule.EXPLICIT, Rule.DEFAULT_MARKET_REGULATOR):
            continue
        activity = decision.activity
        targets = {activity.id, activity.domain}
        responsible = [b.id for b in (lead, decision.agency_of, decision.guided_by) if b is not None]
        # The duties each holds on the date: its own, its agencies', and those it took over from a predecessor.
        if any(h.duty.target in targets for ident in responsible for h in duties_of(dataset, ident, decision.as_of)):
            continue
        yield Finding(
            Severity.WARNING,
            "lead-without-duty",
            activity.name,
            f"{lead.name} leads enforcement against illegal {activity.name} ({decision.rule.value}), but the "
            "dataset gives it no duty in that field: a likely point of dispute (推诿)",
        )


def _domains_without_competent(dataset: Dataset) -> Iterator[Finding]:
    for domain in dataset.domains.values():
        if any(d.competent for d in dataset.duties_by_target.get(domain.id, ())):
            continue
        supervisors = sorted({dataset.bureaus[d.bureau].name for d in dataset.duties_by_target.get(domain.id, ()) if d.kind == "supervise"})
        who = f" (supervised by {'、'.join(supervisors)} by division of labour)" if supervisors else ""
        default = dataset.info.rule("default-market-regulator")
        unlicensed = [
            a.name
            for a in dataset.activities_by_domain.get(domain.id, ())
            if not a.licences
            and a.prohibition is None
            and not a.members
            and not dataset.leads_by_activity.get(a.id)
            and not any(d.competent for d in dataset.duties_by_target.get(a.id, ()))
        ]
        fall = ""
        if default is not None and unlicensed:
            fall = f"; {'、'.join(unlicensed)} would fall to {dataset.bureaus[default.bureaus[0]].name} by default"
        yield Finding(
            Severity.INFO,
            "no-competent-department",
            domain.name,
            f"no single competent (主管) department for {domain.name}{who}{fall}",
            domain.provisions,
        )


def _unknown_issuers(dataset: Dataset) -> Iterator[Finding]:
    for licence in dataset.licences.values():
        if licence.issuer is None:
            yield Finding(
                Severity.WARNING, "unknown-issuer", licence.name, f"no shipped source names who grants {licence.name}", licence.provisions
            )


def _later_versions(dataset: Dataset, decisions: list[Decision]) -> Iterator[Finding]:
    for decision in decisions:
        late = sorted({c.provision for c in decision.citations if c.version_note})
        if late:
            yield Finding(
                Severity.INFO,
                "later-text-version",
                decision.activity.name,
                f"the decision for {decision.activity.name} quotes text versions later than the dataset's date ({', '.join(late)})",
                tuple(late),
            )


def _overlaps(dataset: Dataset) -> Iterator[Finding]:
    for target, duties in dataset.duties_by_target.items():
        supervisors = sorted({d.bureau for d in duties if d.kind == "supervise"})
        if len(supervisors) < 2:
            continue
        name = dataset.domains[target].name if target in dataset.domains else dataset.activities[target].name
        names = "、".join(dataset.bureaus[b].name for b in supervisors)
        yield Finding(Severity.INFO, "shared-supervision", name, f"{names} all supervise {name}, each by its own division of labour")
