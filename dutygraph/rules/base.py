"""The contract every rule of the cascade follows, and the one read-only context they share.

A rule is a small function ``(Context, RuleDecl) -> Verdict``. It either decides (``applied``: a lead), ends
the cascade without a lead (``undetermined``: the candidates it found), or passes (``not-applicable``: why
not, and any candidates it saw, so that an undetermined end never comes empty-handed). Rules name bureaus by
id as the law names them; the engine reports them (guidance, agencies, successions) afterwards.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from functools import cached_property

from msgspec import Struct

from dutygraph.decision import Citation, Outcome, Rule, Step, cite
from dutygraph.model import Activity, Bureau, Cited, Dataset, Duty, Lead, Licence, LicenceKind, RuleDecl

__all__ = ["Context", "Investigator", "RuleUnit", "Verdict", "names"]


class Verdict(Struct, frozen=True):
    """What one rule concluded about the question."""

    step: Step
    lead: str | None = None
    cooperating: tuple[str, ...] = ()
    candidates: tuple[str, ...] = ()
    notes: tuple[Step, ...] = ()
    """Notes recorded after this rule's own step (e.g. a law-designated investigator beside the lead)."""

    @property
    def decides(self) -> bool:
        return self.step.outcome is not Outcome.NOT_APPLICABLE


class RuleUnit(Struct, frozen=True):
    """A rule of the cascade: its dataset key, the :class:`Rule` values it can decide with, and its function."""

    key: str
    produces: tuple[Rule, ...]
    apply: Callable[[Context, RuleDecl], Verdict]
    needs_bureau: bool = False
    """The declaration must name a bureau (``bureau:``), e.g. the residual default lead."""
    fallback: bool = True
    """Where the rule ends undetermined naming no candidate, the engine names the organs answerable for the
    activity; a rule whose point is that the dataset's organs are not the answer (defers-to-law) turns it off."""


class Investigator(Struct, frozen=True):
    """Who investigates operating without one licence, and on what basis: a law-designated investigator, else
    the issuer (谁批准谁打非), else nobody known."""

    licence: Licence
    bureau: str | None
    designated: bool
    provisions: tuple[str, ...]


class Context(Struct, frozen=True, dict=True):
    """The question and the dataset, shared read-only by every rule."""

    dataset: Dataset
    activity: Activity
    missing: tuple[Licence, ...]
    as_of: dt.date | None
    sector: str | None = None

    @property
    def date(self) -> dt.date | None:
        """The date the question is asked about: ``as_of``, else the dataset's own date."""
        return self.as_of or self.dataset.info.as_of

    def cite(self, provisions: Iterable[str]) -> tuple[Citation, ...]:
        return cite(self.dataset, provisions, self.date)

    def step(self, rule: Rule, outcome: Outcome, reason: str, provisions: Iterable[str] = ()) -> Step:
        return Step(rule, outcome, reason, self.cite(provisions))

    def bureau(self, ident: str) -> Bureau:
        return self.dataset.bureaus[ident]

    @cached_property
    def permits(self) -> tuple[Licence, ...]:
        return tuple(lic for lic in self.missing if lic.kind is LicenceKind.PERMIT)

    @cached_property
    def business(self) -> tuple[Licence, ...]:
        return tuple(lic for lic in self.missing if lic.kind is LicenceKind.BUSINESS)

    # -- facts in time -----------------------------------------------------------------------------------

    def in_force(self, provisions: Iterable[str]) -> bool:
        """A fact applies from the entry into force of every document it rests on (unknown dates: in force)."""
        return self.dataset.in_force(provisions, self.date)

    @cached_property
    def explicit_leads(self) -> tuple[Lead, ...]:
        return tuple(lead for lead in self.dataset.leads_by_activity.get(self.activity.id, ()) if self.in_force(lead.provisions))

    def duties_on(self, target: str) -> tuple[Duty, ...]:
        return tuple(d for d in self.dataset.duties_by_target.get(target, ()) if self.in_force(d.provisions))

    # -- licences ------------------------------------------------------------------------------------------

    def issuer(self, licence: Licence) -> Cited | None:
        """Who grants ``licence`` on the date asked: the latest change in force, else the dataset's own text."""
        return self._holder(licence.issuer, [c.issuer for c in licence.changes])

    def enforcer(self, licence: Licence) -> Cited | None:
        """Whom a law designates to act against operating without ``licence`` on the date asked."""
        return self._holder(licence.enforcer, [c.enforcer for c in licence.changes])

    def _holder(self, original: Cited | None, changes: list[Cited | None]) -> Cited | None:
        applying = [c for c in changes if c is not None and self.in_force(c.provisions)]
        return applying[-1] if applying else original

    def investigator(self, licence: Licence) -> Investigator:
        enforcer, issuer = self.enforcer(licence), self.issuer(licence)
        if enforcer is not None:
            return Investigator(licence, enforcer.target, True, enforcer.provisions)
        if issuer is not None:
            return Investigator(licence, issuer.target, False, issuer.provisions)
        return Investigator(licence, None, False, licence.provisions)

    def required_by(self, licences: Iterable[Licence]) -> list[str]:
        """The provisions that make the activity need ``licences`` (its own licences, or what they require)."""
        wanted = {lic.id for lic in licences}
        own = [p for c in self.activity.licences if c.target in wanted for p in c.provisions]
        scope = self.scope
        chained = [p for ident in scope for c in self.dataset.licences[ident].requires if c.target in wanted for p in c.provisions]
        return [*own, *chained]

    @cached_property
    def scope_on_date(self) -> tuple[str, ...]:
        """The licences the activity needs on the date asked (requirements in force), and what they require."""
        return self._required_from([c.target for c in self.activity.licences if self.in_force(c.provisions)])

    @cached_property
    def scope(self) -> tuple[str, ...]:
        """The activity's own licences and every licence they require, transitively."""
        return self._required_from([c.target for c in self.activity.licences])

    def _required_from(self, pending: list[str]) -> tuple[str, ...]:
        ordered: list[str] = []
        while pending:
            ident = pending.pop(0)
            if ident not in ordered:
                ordered.append(ident)
                pending.extend(c.target for c in self.dataset.licences[ident].requires)
        return tuple(ordered)

    def requires_closure(self, licence_id: str) -> set[str]:
        """Every licence that ``licence_id`` requires, transitively (the legal order behind 第一个许可)."""
        closure: set[str] = set()
        pending = [c.target for c in self.dataset.licences[licence_id].requires]
        while pending:
            ident = pending.pop()
            if ident not in closure:
                closure.add(ident)
                pending.extend(c.target for c in self.dataset.licences[ident].requires)
        return closure

    # -- bureaus -----------------------------------------------------------------------------------------

    def principal(self, ident: str) -> str:
        """The bureau an organ belongs to: its parent where it is a statutory agency, else itself."""
        seen = {ident}
        bureau = self.bureau(ident)
        while bureau.agency_of is not None and bureau.agency_of.target not in seen:
            seen.add(bureau.agency_of.target)
            bureau = self.bureau(bureau.agency_of.target)
        return bureau.id

    def same_side(self, a: str, b: str) -> bool:
        """Whether two organs are one side of a cooperation: the same bureau, one the agency of the other, or
        the same system (a county organ and the city bureau that guides it)."""
        if self.principal(a) == self.principal(b):
            return True
        system_a, system_b = self.bureau(self.principal(a)).system, self.bureau(self.principal(b)).system
        return system_a is not None and system_a == system_b

    def competent(self) -> tuple[Duty, ...]:
        """The competent (主管) duties recorded on the activity itself."""
        return tuple(d for d in self.duties_on(self.activity.id) if d.competent)

    def investigating(self, lead: str) -> tuple[str, ...]:
        """Other bureaus with an ``investigate`` or ``cooperate`` duty on the activity itself cooperate."""
        kinds = ("investigate", "cooperate")
        return tuple(d.bureau for d in self.duties_on(self.activity.id) if d.kind in kinds and not self.same_side(d.bureau, lead))


def names(dataset: Dataset, bureau_ids: Sequence[str]) -> str:
    return "、".join(dataset.bureaus[i].name for i in dict.fromkeys(bureau_ids))
