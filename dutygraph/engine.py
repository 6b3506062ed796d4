"""The lead-enforcement decision: who leads the crackdown on an illegal (unlicensed) activity, and why.

The cascade follows 聊政字〔2018〕39号 section 八 and Decree 684 (see DESIGN.md §3):

1. ``explicit`` — an explicit assignment in the dataset (另有规定);
2. ``decree684-art6`` — the permits are held but the business licence is missing: the market regulator;
3. ``law-designated`` / ``licensor`` — each missing permit's law-designated investigator, else its issuer
   (谁批准谁打非); one bureau leads;
4. ``first-licensor`` — several bureaus: the investigator of the first licence in the legal (REQUIRES) order
   leads and the other licensing departments cooperate; no unique first licence means ``undetermined``;
5. ``competent-department`` — no licence involved: the competent (主管) department of the activity or domain;
6. ``default-market-regulator`` — no licence and no competent department: the market regulator.

Bureaus are reported as the organ at the dataset's jurisdiction (through ``counterpart``) and, with
``as_of``, as the organ that existed on that date (through successions). The engine never prints and never
guesses: where the data does not decide, the decision is ``undetermined`` and names the candidates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from dutygraph.errors import NameNotFoundError, UsageError
from dutygraph.model import Activity, Bureau, Dataset, Licence, LicenceKind
from dutygraph.text import nearest

__all__ = [
    "Citation",
    "Decision",
    "Outcome",
    "Rule",
    "Step",
    "cite",
    "decide",
    "decide_all",
    "licences_in_scope",
    "localize",
]


class Rule(StrEnum):
    """The rule that decided, in cascade order."""

    EXPLICIT = "explicit"
    DECREE684_ART6 = "decree684-art6"
    LAW_DESIGNATED = "law-designated"
    LICENSOR = "licensor"
    FIRST_LICENSOR = "first-licensor"
    COMPETENT_DEPARTMENT = "competent-department"
    DEFAULT_MARKET_REGULATOR = "default-market-regulator"
    UNDETERMINED = "undetermined"
    JURISDICTION = "jurisdiction"
    """Not a deciding rule: the trace step that maps bureaus to the dataset's jurisdiction and date."""


class Outcome(StrEnum):
    APPLIED = "applied"
    NOT_APPLICABLE = "not-applicable"
    UNDETERMINED = "undetermined"
    NOTE = "note"


@dataclass(frozen=True)
class Citation:
    provision: str
    document: str
    path: str
    quote: str
    version_note: str | None = None


@dataclass(frozen=True)
class Step:
    """One rule considered: whether it applied, why (or why not), and what it rests on."""

    rule: Rule
    outcome: Outcome
    reason: str
    citations: tuple[Citation, ...] = ()


@dataclass(frozen=True)
class Decision:
    activity: Activity
    missing: tuple[Licence, ...]
    lead: Bureau | None
    rule: Rule
    cooperating: tuple[Bureau, ...]
    candidates: tuple[Bureau, ...]
    trace: tuple[Step, ...]
    as_of: dt.date | None = None

    @property
    def determined(self) -> bool:
        return self.lead is not None

    @property
    def citations(self) -> tuple[Citation, ...]:
        """The citations of the steps that applied (or left it undetermined), without repeats."""
        seen: dict[str, Citation] = {}
        for step in self.trace:
            if step.outcome is Outcome.NOT_APPLICABLE:
                continue
            for citation in step.citations:
                seen.setdefault(citation.provision, citation)
        return tuple(seen.values())


# ---------------------------------------------------------------------------------------------------------


def decide(
    dataset: Dataset,
    activity_id: str,
    missing: Iterable[str] | None = None,
    as_of: dt.date | None = None,
) -> Decision:
    """Decide who leads enforcement against ``activity_id`` carried on without the ``missing`` licences.

    ``missing`` defaults to all the activity's own licences (unlicensed operation). A licence that is neither
    the activity's own nor one they require raises :class:`~dutygraph.errors.UsageError`.
    """
    if activity_id not in dataset.activities:
        raise NameNotFoundError(activity_id, ("activity",), nearest(activity_id, dataset.activities))
    return _Decider(dataset, dataset.activities[activity_id], as_of).run(missing)


def decide_all(dataset: Dataset, activity_ids: Iterable[str] | None = None, as_of: dt.date | None = None) -> list[Decision]:
    """The default decision (everything missing) for each activity, in dataset order."""
    ids = list(dataset.activities) if activity_ids is None else list(activity_ids)
    return [decide(dataset, ident, as_of=as_of) for ident in ids]


def licences_in_scope(dataset: Dataset, activity: Activity) -> list[str]:
    """The activity's own licences followed by every licence they require, transitively."""
    ordered: list[str] = []
    pending = [c.target for c in activity.licences]
    while pending:
        ident = pending.pop(0)
        if ident in ordered:
            continue
        ordered.append(ident)
        pending.extend(c.target for c in dataset.licences[ident].requires)
    return ordered


@dataclass(frozen=True)
class Localized:
    """A bureau as reported at the dataset's jurisdiction and date, with the steps that mapped it."""

    bureau: Bureau
    notes: tuple[Step, ...]


def localize(dataset: Dataset, bureau_id: str, as_of: dt.date | None = None) -> Localized:
    """Map a bureau to its counterpart at the dataset's jurisdiction, then through successions to ``as_of``."""
    notes: list[Step] = []
    bureau = dataset.bureaus[bureau_id]
    seen = {bureau.id}
    while bureau.counterpart is not None and bureau.level != dataset.info.level:
        local = dataset.bureaus[bureau.counterpart.target]
        if local.id in seen:
            break
        seen.add(local.id)
        notes.append(
            Step(
                Rule.JURISDICTION,
                Outcome.NOTE,
                f"{bureau.name} ({bureau.level or 'level unknown'}) acts in {dataset.info.jurisdiction} through {local.name}",
                cite(dataset, bureau.counterpart.provisions),
            )
        )
        bureau = local
    if bureau.level is not None and bureau.level != dataset.info.level and bureau.counterpart is None:
        notes.append(
            Step(
                Rule.JURISDICTION,
                Outcome.NOTE,
                f"{bureau.name} is a {bureau.level} organ; the dataset records no {dataset.info.level}-level "
                f"counterpart in {dataset.info.jurisdiction}, so it is reported as is",
            )
        )
    if as_of is not None:
        bureau = _successor_on(dataset, bureau, as_of, notes)
    return Localized(bureau, tuple(notes))


def _successor_on(dataset: Dataset, bureau: Bureau, as_of: dt.date, notes: list[Step]) -> Bureau:
    seen = {bureau.id}
    while True:
        nxt = [s for s in dataset.successions if s.predecessor == bureau.id and s.date <= as_of]
        if not nxt:
            return bureau
        succession = max(nxt, key=lambda s: s.date)
        successor = dataset.bureaus[succession.successor]
        if successor.id in seen:
            return bureau
        seen.add(successor.id)
        notes.append(
            Step(
                Rule.JURISDICTION,
                Outcome.NOTE,
                f"{bureau.name} was succeeded by {successor.name} on {succession.date.isoformat()}",
                cite(dataset, succession.provisions),
            )
        )
        bureau = successor


def cite(dataset: Dataset, provision_ids: Iterable[str]) -> tuple[Citation, ...]:
    citations = []
    for ident in provision_ids:
        provision = dataset.provisions[ident]
        document = dataset.documents[provision.document]
        citations.append(
            Citation(
                provision=ident,
                document=document.label,
                path=provision.path,
                quote=provision.quote,
                version_note=dataset.citation_version_note(ident),
            )
        )
    return tuple(citations)


def _names(bureaus: Iterable[Bureau]) -> str:
    return "、".join(b.name for b in bureaus)


@dataclass(frozen=True)
class _Investigator:
    """Who investigates operating without one licence, before localisation, and on what basis."""

    licence: Licence
    bureau_id: str | None
    designated: bool
    provisions: tuple[str, ...]


class _Decider:
    def __init__(self, dataset: Dataset, activity: Activity, as_of: dt.date | None) -> None:
        self.ds = dataset
        self.activity = activity
        self.as_of = as_of
        self.trace: list[Step] = []

    # -- helpers ------------------------------------------------------------------------------------------

    def cite(self, provision_ids: Iterable[str]) -> tuple[Citation, ...]:
        return cite(self.ds, provision_ids)

    def rule_provisions(self, key: str) -> tuple[str, ...]:
        """The provisions the dataset gives for a rule of the cascade (dataset.yaml ``rules``)."""
        return self.ds.info.rules.get(key, ())

    def step(self, rule: Rule, outcome: Outcome, reason: str, provisions: Iterable[str] = ()) -> None:
        self.trace.append(Step(rule, outcome, reason, self.cite(provisions)))

    def local(self, bureau_id: str) -> Bureau:
        localized = localize(self.ds, bureau_id, self.as_of)
        for note in localized.notes:
            if note not in self.trace:
                self.trace.append(note)
        return localized.bureau

    def localized(self, bureau_ids: Iterable[str]) -> dict[str, Bureau]:
        """The distinct local organs of ``bureau_ids``, in order, keyed by id."""
        local = [self.local(ident) for ident in bureau_ids]
        return {b.id: b for b in local}

    def conflict(
        self, rule: Rule, missing: Sequence[Licence], bureaus: dict[str, Bureau], what: str, provisions: Sequence[str]
    ) -> Decision | None:
        """An undetermined decision when ``what`` names several bureaus (never a guess between them); else None."""
        if len(bureaus) <= 1:
            return None
        self.step(rule, Outcome.UNDETERMINED, f"{what} name several bureaus ({_names(bureaus.values())}): they conflict", provisions)
        return self.decision(missing, Rule.UNDETERMINED, None, candidates=bureaus.values())

    def decision(
        self,
        missing: Sequence[Licence],
        rule: Rule,
        lead: Bureau | None,
        cooperating: Iterable[Bureau] = (),
        candidates: Iterable[Bureau] = (),
    ) -> Decision:
        lead_id = lead.id if lead else None
        unique_coop = {b.id: b for b in cooperating if b.id != lead_id}
        return Decision(
            activity=self.activity,
            missing=tuple(missing),
            lead=lead,
            rule=rule,
            cooperating=tuple(unique_coop.values()),
            candidates=tuple({b.id: b for b in candidates}.values()),
            trace=tuple(self.trace),
            as_of=self.as_of,
        )

    def resolve_missing(self, missing: Iterable[str] | None) -> list[Licence]:
        scope = licences_in_scope(self.ds, self.activity)
        if missing is None:
            return [self.ds.licences[c.target] for c in self.activity.licences]
        chosen: list[Licence] = []
        for ident in missing:
            if ident not in scope:
                licence = self.ds.licences.get(ident)
                name = licence.name if licence else ident
                allowed = "、".join(self.ds.licences[i].name for i in scope) or "none"
                raise UsageError(
                    f"{name} is not a licence that {self.activity.name} needs; its licences (and what they require) are: {allowed}"
                )
            if self.ds.licences[ident] not in chosen:
                chosen.append(self.ds.licences[ident])
        return chosen

    # -- the cascade ----------------------------------------------------------------------------------------

    def run(self, missing_ids: Iterable[str] | None) -> Decision:
        missing = self.resolve_missing(missing_ids)
        explicit = self.explicit(missing)
        if explicit is not None:
            return explicit
        permits = [lic for lic in missing if lic.kind is LicenceKind.PERMIT]
        business = [lic for lic in missing if lic.kind is LicenceKind.BUSINESS]
        if missing:
            art6 = self.decree684_art6(missing, permits, business)
            if art6 is not None:
                return art6
            return self.licensing(missing, permits)
        return self.without_licence(missing)

    def explicit(self, missing: Sequence[Licence]) -> Decision | None:
        leads = self.ds.leads_by_activity.get(self.activity.id, ())
        if not leads:
            self.step(Rule.EXPLICIT, Outcome.NOT_APPLICABLE, f"no explicit assignment (另有规定) names a lead for {self.activity.name}")
            return None
        provisions = [p for lead in leads for p in lead.provisions]
        bureaus = self.localized(lead.bureau for lead in leads)
        conflict = self.conflict(Rule.EXPLICIT, missing, bureaus, "the explicit assignments", provisions)
        if conflict is not None:
            return conflict
        lead = next(iter(bureaus.values()))
        basis = "; ".join(lead_.basis for lead_ in leads if lead_.basis)
        self.step(Rule.EXPLICIT, Outcome.APPLIED, f"explicitly assigned to {lead.name}" + (f" ({basis})" if basis else ""), provisions)
        return self.decision(missing, Rule.EXPLICIT, lead, self.investigating(lead))

    def decree684_art6(self, missing: Sequence[Licence], permits: Sequence[Licence], business: Sequence[Licence]) -> Decision | None:
        if not business:
            self.step(
                Rule.DECREE684_ART6,
                Outcome.NOT_APPLICABLE,
                "the business licence (营业执照) is not among the missing licences",
                self.rule_provisions("decree684-art6"),
            )
            return None
        if permits:
            self.step(
                Rule.DECREE684_ART6,
                Outcome.NOT_APPLICABLE,
                f"permits are missing too ({'、'.join(p.name for p in permits)}): operating without both a "
                "permit and a business licence is handled under Art 5 (Art 7)",
                self.rule_provisions("decree684-art7"),
            )
            return None
        investigator = self.investigator(business[0])
        if investigator.bureau_id is None:
            self.step(Rule.DECREE684_ART6, Outcome.UNDETERMINED, f"no source names who investigates operating without {business[0].name}")
            return self.decision(missing, Rule.UNDETERMINED, None)
        lead = self.local(investigator.bureau_id)
        self.step(
            Rule.DECREE684_ART6,
            Outcome.APPLIED,
            f"the permits are held but the business licence is missing: {lead.name} investigates (Decree 684 Art 6)",
            [*investigator.provisions, *self.rule_provisions("decree684-art6")],
        )
        return self.decision(missing, Rule.DECREE684_ART6, lead, self.investigating(lead))

    def investigator(self, licence: Licence) -> _Investigator:
        if licence.enforcer is not None:
            return _Investigator(licence, licence.enforcer.target, True, licence.enforcer.provisions)
        if licence.issuer is not None:
            return _Investigator(licence, licence.issuer.target, False, licence.issuer.provisions)
        return _Investigator(licence, None, False, licence.provisions)

    def licensing(self, missing: Sequence[Licence], permits: Sequence[Licence]) -> Decision:
        investigators = [self.investigator(p) for p in permits]
        unknown = [i for i in investigators if i.bureau_id is None]
        local = {i.licence.id: self.local(i.bureau_id) for i in investigators if i.bureau_id is not None}
        distinct = {b.id: b for b in local.values()}
        granted = [p for lic in permits if lic.issuer is not None for p in lic.issuer.provisions]
        provisions = [p for i in investigators for p in i.provisions]
        rule_provisions = self.rule_provisions("licensor")
        if not unknown and len(distinct) == 1:
            lead = next(iter(distinct.values()))
            designated = all(i.designated for i in investigators)
            rule = Rule.LAW_DESIGNATED if designated else Rule.LICENSOR
            how = "the law designates" if designated else "谁批准谁打非: the licensing department"
            self.step(
                rule,
                Outcome.APPLIED,
                f"operating without {'、'.join(p.name for p in permits)}: {how} {lead.name}",
                [*provisions, *granted, *rule_provisions],
            )
            return self.decision(missing, rule, lead, self.investigating(lead))
        if unknown:
            why = f"no source names who grants or investigates {'、'.join(i.licence.name for i in unknown)}"
        else:
            why = f"the missing permits point to several departments ({_names(distinct.values())})"
        self.step(Rule.LAW_DESIGNATED, Outcome.NOT_APPLICABLE, why, provisions)
        return self.first_licensor(missing, permits, investigators, local)

    def first_licensor(
        self,
        missing: Sequence[Licence],
        permits: Sequence[Licence],
        investigators: Sequence[_Investigator],
        local: dict[str, Bureau],
    ) -> Decision:
        ids = {p.id for p in permits}
        first = [p for p in permits if not (self.requires_closure(p.id) & ids)]
        order_provisions = [p for lic in permits for c in lic.requires if c.target in ids for p in c.provisions]
        rule_provisions = self.rule_provisions("first-licensor")
        first_ids = {p.id for p in first}
        first_bureaus = {local[p.id].id: local[p.id] for p in first if p.id in local}
        others = [local[i.licence.id] for i in investigators if i.licence.id in local and i.licence.id not in first_ids]
        others += [self.local(p.issuer.target) for p in permits if p.issuer is not None]
        unknown_first = [p for p in first if p.id not in local]
        if len(first_bureaus) == 1 and not unknown_first:
            lead = next(iter(first_bureaus.values()))
            self.step(
                Rule.FIRST_LICENSOR,
                Outcome.APPLIED,
                f"{'、'.join(p.name for p in first)} comes first in the legal order, so {lead.name} leads; "
                "the other licensing departments cooperate",
                [*order_provisions, *rule_provisions, *(p for i in investigators if i.licence.id in first_ids for p in i.provisions)],
            )
            return self.decision(missing, Rule.FIRST_LICENSOR, lead, others)
        candidates = [*first_bureaus.values()]
        if unknown_first:
            reason = f"the investigator of {'、'.join(p.name for p in unknown_first)} is unknown; the dataset cannot say who leads"
        elif len(first) > 1:
            reason = (
                f"no legal order among {'、'.join(p.name for p in first)} is recorded, so the first licence is "
                f"not known; candidates: {_names(candidates)}"
            )
        else:
            reason = f"the first licence points to several departments: {_names(candidates)}"
        self.step(Rule.FIRST_LICENSOR, Outcome.UNDETERMINED, reason, [*order_provisions, *rule_provisions])
        return self.decision(missing, Rule.UNDETERMINED, None, candidates=[*candidates, *others])

    def requires_closure(self, licence_id: str) -> set[str]:
        closure: set[str] = set()
        pending = [c.target for c in self.ds.licences[licence_id].requires]
        while pending:
            ident = pending.pop()
            if ident not in closure:
                closure.add(ident)
                pending.extend(c.target for c in self.ds.licences[ident].requires)
        return closure

    def without_licence(self, missing: Sequence[Licence]) -> Decision:
        for rule in (Rule.DECREE684_ART6, Rule.LAW_DESIGNATED, Rule.FIRST_LICENSOR):
            self.step(rule, Outcome.NOT_APPLICABLE, f"no licence is involved: the dataset records none for {self.activity.name}")
        # That no licence is involved rests on how the sources describe the activity: its provisions are cited
        # (with their version notes) wherever the decision depends on it.
        described = self.activity.provisions
        for target in (self.activity.id, self.activity.domain):
            if target is None:
                continue
            competent = [d for d in self.ds.duties_by_target.get(target, ()) if d.competent]
            if not competent:
                continue
            bureaus = self.localized(d.bureau for d in competent)
            provisions = [*(p for d in competent for p in d.provisions), *described]
            where = self.activity.name if target == self.activity.id else self.ds.domains[target].name
            conflict = self.conflict(Rule.COMPETENT_DEPARTMENT, missing, bureaus, f"the competent (主管) duties for {where}", provisions)
            if conflict is not None:
                return conflict
            lead = next(iter(bureaus.values()))
            self.step(
                Rule.COMPETENT_DEPARTMENT,
                Outcome.APPLIED,
                f"no licence is involved; {lead.name} is the competent department for {where}",
                provisions,
            )
            return self.decision(missing, Rule.COMPETENT_DEPARTMENT, lead, self.investigating(lead))
        self.step(
            Rule.COMPETENT_DEPARTMENT,
            Outcome.NOT_APPLICABLE,
            f"the dataset records no competent (主管) department for {self.activity.name} or its domain",
        )
        lead = self.local(self.ds.info.market_regulator)
        self.step(
            Rule.DEFAULT_MARKET_REGULATOR,
            Outcome.APPLIED,
            f"no licence and no competent department: {lead.name} leads by default",
            [*self.rule_provisions("default-market-regulator"), *described],
        )
        return self.decision(missing, Rule.DEFAULT_MARKET_REGULATOR, lead, self.investigating(lead))

    def investigating(self, lead: Bureau) -> list[Bureau]:
        """Other bureaus with an ``investigate`` duty on the activity itself cooperate."""
        duties = self.ds.duties_by_target.get(self.activity.id, ())
        return [self.local(d.bureau) for d in duties if d.kind == "investigate" and d.bureau != lead.id]
