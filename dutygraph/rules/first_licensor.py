"""``first-licensor`` — notice 八（三）: where several licences are involved, "由法律法规设定的第一个实施许可部门牵头打非
…其他负有许可职责的部门做好配合工作".

The first licence is the missing permit that requires no other missing permit (the legal REQUIRES order). The
department that grants it leads; where a law designates another investigator for it, the trace says so with
both citations. The departments that grant the other missing permits cooperate — never the lead itself, its
own agencies or its own system. No unique first licence, or an unknown grantor, leaves it undetermined.
"""

from __future__ import annotations

from collections.abc import Iterable

from dutygraph.decision import Outcome, Rule
from dutygraph.model import Licence, RuleDecl
from dutygraph.rules.base import Context, RuleUnit, Verdict, names


def first_licensor(ctx: Context, decl: RuleDecl) -> Verdict:
    permits = ctx.permits
    if len(permits) < 2:
        reason = "fewer than two permits are missing: there is no order of licences to follow"
        return Verdict(ctx.step(Rule.FIRST_LICENSOR, Outcome.NOT_APPLICABLE, reason))
    ids = {p.id for p in permits}
    first = [p for p in permits if not (ctx.requires_closure(p.id) & ids)]
    order = [p for lic in permits for c in lic.requires if c.target in ids for p in c.provisions]
    grantors = _grantors(ctx, permits)
    if len(first) > 1:
        candidates = _grantors(ctx, first)
        reason = (
            f"no legal order among {_licences(first)} is recorded, so the first licence is not known; "
            f"candidates: {names(ctx.dataset, candidates)}"
        )
        step = ctx.step(Rule.FIRST_LICENSOR, Outcome.UNDETERMINED, reason, [*order, *decl.provisions])
        return Verdict(step, candidates=candidates or grantors)
    licence = first[0]
    issuer = ctx.issuer(licence)
    if issuer is None:
        reason = f"{licence.name} comes first in the legal order, but no source names the department that grants it"
        return Verdict(ctx.step(Rule.FIRST_LICENSOR, Outcome.NOT_APPLICABLE, reason, [*order, *licence.provisions]), candidates=grantors)
    lead = issuer.target
    others = [p for p in permits if p is not licence]
    cooperating = tuple(b for b in _grantors(ctx, others) if not ctx.same_side(b, lead))
    reason = (
        f"{licence.name} comes first in the legal order ({_order(ctx, permits)}); {ctx.bureau(lead).name}, which grants it, "
        "leads, and the departments that grant the other licences cooperate"
    )
    notes = []
    enforcer = ctx.enforcer(licence)
    if enforcer is not None and enforcer.target != lead:
        investigator = ctx.bureau(enforcer.target).name
        why = (
            f"the law designates {investigator} to investigate operating without {licence.name}; "
            f"it acts in the case that {ctx.bureau(lead).name} leads"
        )
        notes.append(ctx.step(Rule.FIRST_LICENSOR, Outcome.NOTE, why, enforcer.provisions))
    step = ctx.step(Rule.FIRST_LICENSOR, Outcome.APPLIED, reason, [*order, *issuer.provisions, *decl.provisions])
    return Verdict(step, lead=lead, cooperating=cooperating, notes=tuple(notes))


def _grantors(ctx: Context, licences: Iterable[Licence]) -> tuple[str, ...]:
    """The departments that grant ``licences`` on the date asked, each once (unknown grantors left out)."""
    return tuple(dict.fromkeys(c.target for c in map(ctx.issuer, licences) if c is not None))


def _licences(licences: list[Licence]) -> str:
    return "、".join(p.name for p in licences)


def _order(ctx: Context, permits: tuple[Licence, ...]) -> str:
    ranked = sorted(permits, key=lambda p: len(ctx.requires_closure(p.id) & {q.id for q in permits}))
    return " → ".join(p.name for p in ranked)


UNIT = RuleUnit("first-licensor", (Rule.FIRST_LICENSOR,), first_licensor)
