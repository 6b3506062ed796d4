"""The lead-enforcement decision: who leads enforcement against an illegal activity, and why.

The dataset declares its cascade (``dataset.yaml`` ``rules``); :func:`decide` runs those rules in order
(:mod:`dutygraph.rules`, one unit each) until one decides, and records why each earlier rule did not apply.
Liaocheng's is the notice's section 八 with Decree 684: explicit → decree684-art6 → law-designated →
licensor → first-licensor → competent-department → default-market-regulator (DESIGN.md §3).

The lead is reported as the organ that acts, with the city bureau that guides it and the bureau whose
statutory agency it is; with a date, through the recorded successions (a date inside a succession window
names both organs). The engine never prints and never guesses: where the rules do not decide, the decision is
``undetermined`` and always names candidates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from msgspec import Struct, structs

from dutygraph.decision import Citation, Decision, Outcome, Rule, Step, Transfer, TransferStatus, Window, cite
from dutygraph.errors import NameNotFoundError, UsageError
from dutygraph.model import Activity, Bureau, Dataset, Duty, Licence, Succession
from dutygraph.rules import RULES, Context, Verdict
from dutygraph.text import nearest

__all__ = [
    "Citation",
    "Decision",
    "HeldDuty",
    "Outcome",
    "Rule",
    "Step",
    "Transfer",
    "TransferStatus",
    "Window",
    "activities_in_force",
    "cite",
    "decide",
    "decide_all",
    "duties_of",
    "in_time",
    "licences_in_scope",
    "rules_of",
]


def decide(
    dataset: Dataset,
    activity_id: str,
    missing: Iterable[str] | None = None,
    as_of: dt.date | None = None,
    sector: str | None = None,
) -> Decision:
    """Decide who leads enforcement against ``activity_id`` carried on without the ``missing`` licences.

    ``missing`` defaults to all the activity's own licences (unlicensed operation). ``as_of`` is the date asked
    about (default: the dataset's own date). ``sector`` is the sector (a domain id) of the enterprise, for
    rules that depend on it. A licence that is neither the activity's own nor one they require, a group
    activity, or an activity whose sources were not yet in force on ``as_of`` raises
    :class:`~dutygraph.errors.UsageError`.
    """
    if activity_id not in dataset.activities:
        raise NameNotFoundError(activity_id, ("activity",), nearest(activity_id, dataset.activities))
    activity = dataset.activities[activity_id]
    if activity.members:
        members = "、".join(dataset.activities[m].name for m in activity.members)
        raise UsageError(f"{activity.name} names a group of activities ({members}): ask about each of them")
    ctx = Context(dataset, activity, (), as_of, sector)
    _check_in_force(ctx)
    ctx = Context(dataset, activity, tuple(_missing(ctx, missing)), as_of, sector)
    trace: list[Step] = []
    ban = activity.prohibition
    if ban is not None and dataset.info.rule("prohibition") is None:
        reason = f"{activity.name} is a banned act; this dataset declares no rule that sends a ban to the organ enforcing it"
        trace.append(ctx.step(Rule.PROHIBITION, Outcome.NOTE, reason, ban.provisions))
    candidates: list[str] = []
    for decl in dataset.info.rules:
        unit = RULES[decl.key]
        verdict = unit.apply(ctx, decl)
        trace.append(verdict.step)
        trace.extend(verdict.notes)
        candidates.extend(verdict.candidates)
        if verdict.decides:
            if verdict.step.outcome is Outcome.UNDETERMINED and not verdict.candidates and unit.fallback:
                verdict = structs.replace(verdict, candidates=fallback_candidates(ctx))
            return _report(ctx, verdict, trace)
    exhausted = _exhausted(ctx, candidates)
    trace.append(exhausted.step)
    return _report(ctx, exhausted, trace)


def decide_all(dataset: Dataset, activity_ids: Iterable[str] | None = None, as_of: dt.date | None = None) -> list[Decision]:
    """The default decision (everything missing) for each activity in force on ``as_of`` (the dataset's date by
    default), in dataset order; groups are left out (their members are decided)."""
    wanted = set(dataset.activities) if activity_ids is None else set(activity_ids)
    return [decide(dataset, a.id, as_of=as_of) for a in activities_in_force(dataset, as_of) if a.id in wanted]


def activities_in_force(dataset: Dataset, as_of: dt.date | None = None) -> list[Activity]:
    """The activities that exist on ``as_of`` (their sources have taken effect), groups left out."""
    date = as_of or dataset.info.as_of
    return [a for a in dataset.activities.values() if not a.members and dataset.in_force(a.provisions, date)]


def rules_of(dataset: Dataset) -> set[Rule]:
    """Every rule value a decision of ``dataset`` may carry: those its declared rules produce, and undetermined."""
    return {Rule.UNDETERMINED, *(rule for decl in dataset.info.rules for rule in RULES[decl.key].produces)}


def licences_in_scope(dataset: Dataset, activity: Activity) -> list[str]:
    """The activity's own licences followed by every licence they require, transitively."""
    return list(Context(dataset, activity, (), None).scope)


# ---------------------------------------------------------------------------------------------------------
# The question.


def _missing(ctx: Context, missing: Iterable[str] | None) -> list[Licence]:
    """The licences asked about: by default every licence the activity needs on the date asked (a requirement
    applies from the entry into force of the provisions that set it)."""
    dataset, activity = ctx.dataset, ctx.activity
    if missing is None:
        return [dataset.licences[c.target] for c in activity.licences if ctx.in_force(c.provisions)]
    scope = licences_in_scope(dataset, activity)
    chosen: list[Licence] = []
    for ident in missing:
        requirement = [p for c in activity.licences if c.target == ident for p in c.provisions]
        if requirement and not ctx.in_force(requirement) and ident not in ctx.scope_on_date:
            since = "; ".join(sorted({dataset.documents[dataset.provisions[p].document].label for p in requirement}))
            raise UsageError(f"{dataset.licences[ident].name} was not yet required for {activity.name} on {ctx.date}: it rests on {since}")
        if ident not in scope:
            licence = dataset.licences.get(ident)
            name = licence.name if licence else ident
            allowed = "、".join(dataset.licences[i].name for i in scope) or "none"
            raise UsageError(f"{name} is not a licence that {activity.name} needs; its licences (and what they require) are: {allowed}")
        if dataset.licences[ident] not in chosen:
            chosen.append(dataset.licences[ident])
    return chosen


def _check_in_force(ctx: Context) -> None:
    """An activity whose sources had not yet taken effect on the date asked about has no answer then."""
    if ctx.in_force(ctx.activity.provisions):
        return
    documents = dict.fromkeys(ctx.dataset.provisions[p].document for p in ctx.activity.provisions)  # in the order cited
    later = [ctx.dataset.documents[d] for d in documents if (ctx.dataset.documents[d].effective or dt.date.min) > (ctx.date or dt.date.max)]
    since = "; ".join(f"{d.label} takes effect on {d.effective.isoformat()}" for d in later if d.effective)
    raise UsageError(f"{ctx.activity.name} rests on sources not yet in force on {ctx.date}: {since}")


RESPONSIBLE_KINDS = ("supervise", "license", "inspect", "investigate", "review", "certify", "register", "rectify", "dispose")
"""Duty kinds that make a bureau answerable for an activity (a candidate lead when the rules do not decide)."""


def fallback_candidates(ctx: Context) -> tuple[str, ...]:
    """Who could lead when no rule names candidates: the organs with a responsible duty on the activity itself,
    else those with one on its domain, else the organs the declared rules name."""

    def responsible(target: str | None) -> list[str]:
        return [d.bureau for d in ctx.duties_on(target) if d.kind in RESPONSIBLE_KINDS] if target else []

    declared = [b for decl in ctx.dataset.info.rules for b in decl.bureaus]
    for pool in (responsible(ctx.activity.id), responsible(ctx.activity.domain), declared):
        if pool:
            return tuple(dict.fromkeys(pool))
    return ()


def _exhausted(ctx: Context, candidates: list[str]) -> Verdict:
    """No declared rule decided: undetermined, naming the organs the rules saw, else the fallback candidates."""
    seen = tuple(dict.fromkeys(candidates)) or fallback_candidates(ctx)
    declared = "、".join(decl.key for decl in ctx.dataset.info.rules) or "none"
    reason = f"none of the rules this dataset declares ({declared}) decides"
    if not seen:
        reason += "; the dataset records no organ answerable for it, so no candidate can be named"
    return Verdict(ctx.step(Rule.UNDETERMINED, Outcome.UNDETERMINED, reason), candidates=seen)


# ---------------------------------------------------------------------------------------------------------
# Reporting the lead: who acts, who guides it, whose agency it is, and which organ it is on the date asked.


def _report(ctx: Context, verdict: Verdict, trace: list[Step]) -> Decision:
    ds = ctx.dataset
    lead = ds.bureaus[verdict.lead] if verdict.lead and verdict.step.outcome is Outcome.APPLIED else None
    date = ctx.date
    transfer = None
    candidates = [ds.bureaus[i] for i in dict.fromkeys(verdict.candidates)] if lead is None else []
    if lead is not None and date is not None:
        found = in_time(ds, lead.id, date)
        trace.extend(found.notes)
        transfer = found.transfer
        if transfer is None and ds.info.as_of is not None and date > ds.info.as_of:
            reason = (
                f"no succession of {lead.name} is recorded after {ds.info.as_of.isoformat()}: the dataset does not say "
                f"whether it was reorganised by {date.isoformat()}"
            )
            trace.append(ctx.step(Rule.JURISDICTION, Outcome.NOTE, reason))
        if transfer is not None:
            lead = _lead_on(ctx, found, trace)
            candidates = [] if lead is not None else list(found.bureaus)
    cooperating = [ds.bureaus[i] for i in dict.fromkeys(verdict.cooperating) if lead is None or i != verdict.lead]
    if date is not None:
        cooperating = [b for c in cooperating for b in _others_in_time(ctx, c, date, trace)]
        candidates = [b for c in candidates for b in _others_in_time(ctx, c, date, trace)]
    rule = verdict.step.rule if lead is not None else Rule.UNDETERMINED
    lead_id = lead.id if lead else None
    # Who guides the lead, and whose agency it is, are facts of the organ that leads on the date (not of a predecessor).
    guided_by = _related(ctx, lead, "guided_by", trace) if lead is not None else None
    agency_of = _related(ctx, lead, "agency_of", trace) if lead is not None else None
    trace.extend(_currency(ctx, trace))
    return Decision(
        activity=ctx.activity,
        missing=ctx.missing,
        lead=lead,
        rule=rule,
        cooperating=tuple({b.id: b for b in cooperating if b.id != lead_id}.values()),
        candidates=tuple({b.id: b for b in candidates}.values()),
        trace=tuple(trace),
        as_of=ctx.as_of,
        guided_by=guided_by,
        agency_of=agency_of,
        transfer=transfer,
        sector=ctx.sector,
    )


def _currency(ctx: Context, trace: list[Step]) -> list[Step]:
    """Asked about a date after the dataset's own, an answer says how current the texts it quotes are: law made
    or changed after the newest version the dataset holds is not in it (never assumed away)."""
    ds, date = ctx.dataset, ctx.date
    if date is None or ds.info.as_of is None or date <= ds.info.as_of:
        return []
    documents = {ds.provisions[c.provision].document for s in trace if s.outcome is not Outcome.NOT_APPLICABLE for c in s.citations}
    held = [ds.documents[d] for d in documents if ds.documents[d].superseded_by is None]
    versions = [v for v in (d.version or d.effective for d in held) if v is not None]
    if not versions:
        return []
    oldest, newest = min(versions), max(versions)
    reason = (
        f"the texts this answer quotes are the versions the dataset holds (from {oldest.isoformat()} to {newest.isoformat()}); "
        f"whether they were amended or replaced before {date.isoformat()} is not in the dataset"
    )
    return [ctx.step(Rule.JURISDICTION, Outcome.NOTE, reason)]


def _related(ctx: Context, bureau: Bureau, role: str, trace: list[Step]) -> Bureau | None:
    cited = bureau.guided_by if role == "guided_by" else bureau.agency_of
    if cited is None:
        return None
    other = ctx.bureau(cited.target)
    what = (
        f"{bureau.name} acts in its own name, guided by {other.name}"
        if role == "guided_by"
        else f"{bureau.name} is an agency of {other.name}"
    )
    trace.append(ctx.step(Rule.JURISDICTION, Outcome.NOTE, what, cited.provisions))
    return other


class InTime(Struct, frozen=True):
    """An organ on a date: the organs that hold its duties then, and the transfer that decided it (if any)."""

    bureaus: tuple[Bureau, ...]
    transfer: Transfer | None
    notes: tuple[Step, ...]


def in_time(dataset: Dataset, bureau_id: str, date: dt.date) -> InTime:
    """Follow ``bureau_id`` through the recorded successions to ``date``.

    Before a window the organ itself holds its duties (the transfer is reported with status ``before``);
    after it, its successor(s), followed further; inside it, the organ itself with status ``inside``: the
    predecessor or the successor, depending on a transfer date no source gives.
    """
    ctx_cite = _Citer(dataset, date)
    bureau = dataset.bureaus[bureau_id]
    notes: list[Step] = []
    seen = {bureau.id}
    while True:
        records = dataset.successions_by_predecessor.get(bureau.id, ())
        if not records:
            return InTime((bureau,), None, tuple(notes))
        successors = tuple(dataset.bureaus[s.successor] for s in records)
        window = _window(records, ctx_cite)
        status = _status(records, date)
        transfer = Transfer(bureau, successors, window, status)
        names = "、".join(s.name for s in successors)
        provisions = [p for s in records for p in (*s.provisions, *_bound_provisions(s))]
        if status is TransferStatus.BEFORE:
            notes.append(
                ctx_cite.step(f"on {date.isoformat()} {bureau.name} held these duties; they passed to {names} {window}", provisions)
            )
            return InTime((bureau,), transfer, tuple(notes))
        if status is TransferStatus.INSIDE:
            notes.append(
                ctx_cite.step(
                    f"{date.isoformat()} falls inside the window in which {bureau.name}'s duties passed to {names} ({window}): "
                    f"{bureau.name} or {names}, depending on a transfer date no shipped source gives",
                    provisions,
                )
            )
            return InTime((bureau, *successors), transfer, tuple(notes))
        notes.append(ctx_cite.step(f"{bureau.name} was succeeded by {names} {window}", provisions))
        if len(successors) > 1 or successors[0].id in seen:
            return InTime(successors, transfer, tuple(notes))
        seen.add(successors[0].id)
        nxt = in_time(dataset, successors[0].id, date)
        return InTime(nxt.bureaus, nxt.transfer or transfer, (*notes, *nxt.notes))


class _Citer(Struct, frozen=True):
    dataset: Dataset
    date: dt.date

    def step(self, reason: str, provisions: Iterable[str]) -> Step:
        return Step(Rule.JURISDICTION, Outcome.NOTE, reason, cite(self.dataset, provisions, self.date))


def _bound_provisions(succession: Succession) -> list[str]:
    return [p for b in (succession.not_before, succession.not_after) if b is not None for p in b.provisions]


def _window(records: tuple[Succession, ...], citer: _Citer) -> Window:
    befores = [s.not_before.date for s in records if s.not_before is not None]
    afters = [s.not_after.date for s in records if s.not_after is not None]
    provisions = [p for s in records for p in _bound_provisions(s)]
    return Window(max(befores, default=None), min(afters, default=None), cite(citer.dataset, provisions, notes=False))


def _status(records: tuple[Succession, ...], date: dt.date) -> TransferStatus:
    befores = [s.not_before.date for s in records if s.not_before is not None]
    afters = [s.not_after.date for s in records if s.not_after is not None]
    lower = max(befores, default=None)
    upper = min(afters, default=None)
    if lower is not None and date <= lower:
        return TransferStatus.BEFORE
    if upper is not None and date >= upper:
        return TransferStatus.AFTER
    return TransferStatus.INSIDE


def _lead_on(ctx: Context, found: InTime, trace: list[Step]) -> Bureau | None:
    """The lead organ on the date: the predecessor before or inside the window (the transfer says which), the
    successor after it; None where the duties passed to several organs and none is recorded for this one."""
    assert found.transfer is not None
    if found.transfer.status is not TransferStatus.AFTER:
        return found.transfer.predecessor
    if len(found.bureaus) == 1:
        return found.bureaus[0]
    names = "、".join(b.name for b in found.bureaus)
    reason = f"{found.transfer.predecessor.name}'s duties passed to several organs ({names}): which one acts here is not recorded"
    trace.append(ctx.step(Rule.JURISDICTION, Outcome.UNDETERMINED, reason))
    return None


def _others_in_time(ctx: Context, bureau: Bureau, date: dt.date, trace: list[Step]) -> tuple[Bureau, ...]:
    found = in_time(ctx.dataset, bureau.id, date)
    trace.extend(n for n in found.notes if n not in trace)
    return found.bureaus


class HeldDuty(Struct, frozen=True):
    """A duty an organ holds on a date: its own, one of a statutory agency or office that is part of it, or one
    it took over from a predecessor (``via`` names which, with the provisions that say so)."""

    duty: Duty
    via: Bureau | None
    how: str | None
    provisions: tuple[str, ...]


def duties_of(dataset: Dataset, bureau_id: str, as_of: dt.date | None = None) -> list[HeldDuty]:
    """The duties ``bureau_id`` holds on ``as_of`` (the dataset's date by default): its own and those of its
    agencies, and, after a succession window, those of the organs it succeeded. Duties whose sources are not in
    force on the date are left out."""
    date = as_of or dataset.info.as_of
    held: list[HeldDuty] = []
    seen: set[str] = set()

    def collect(ident: str, via: Bureau | None, how: str | None, provisions: tuple[str, ...]) -> None:
        if ident in seen:
            return
        seen.add(ident)
        for duty in dataset.duties_by_bureau.get(ident, ()):
            if dataset.in_force(duty.provisions, date):
                held.append(HeldDuty(duty, via, how, provisions))
        for agency in dataset.bureaus.values():
            if agency.agency_of is not None and agency.agency_of.target == ident:
                collect(agency.id, agency, "its agency or office", agency.agency_of.provisions)
        if date is None:
            return
        for succession in dataset.successions:
            if succession.successor != ident:
                continue
            found = in_time(dataset, succession.predecessor, date)
            if found.transfer is not None and found.transfer.status is TransferStatus.AFTER:
                predecessor = dataset.bureaus[succession.predecessor]
                collect(predecessor.id, predecessor, f"its predecessor; passed {found.transfer.window}", succession.provisions)

    collect(bureau_id, None, None, ())
    return held
