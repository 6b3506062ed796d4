"""``law-designated`` and ``licensor`` — who acts against operating without the missing permits.

``law-designated`` (无证无照经营查处办法 第五条): each missing permit's investigator is the department a law
designates for operating without it; when all of them are one organ, it leads.
``licensor`` (notice 八（二） "谁负责批准合法，谁负责打击非法"): where no law designates one, the department that
grants the permit acts; when all the missing permits point to one organ, it leads.

Both pass when the permits point to several organs (then ``first-licensor`` decides) or when an investigator
is unknown, naming the organs they know as candidates.
"""

from __future__ import annotations

from dutygraph.decision import Outcome, Rule, Step
from dutygraph.model import RuleDecl
from dutygraph.rules.base import Context, Investigator, RuleUnit, Verdict, names


def law_designated(ctx: Context, decl: RuleDecl) -> Verdict:
    investigators = [ctx.investigator(p) for p in ctx.permits]
    passed = _pass(ctx, Rule.LAW_DESIGNATED, investigators)
    if passed is not None:
        return passed
    undesignated = [i.licence.name for i in investigators if not i.designated]
    if undesignated:
        reason = f"no law designates who investigates operating without {'、'.join(undesignated)}"
        return Verdict(ctx.step(Rule.LAW_DESIGNATED, Outcome.NOT_APPLICABLE, reason))
    # The designating article is the basis itself; the declaration's provisions (Decree 684 Art 5, which speaks of
    # 经营 only) are not cited for every designated investigator.
    return _applied(ctx, Rule.LAW_DESIGNATED, investigators, "the law designates", ())


def licensor(ctx: Context, decl: RuleDecl) -> Verdict:
    investigators = [ctx.investigator(p) for p in ctx.permits]
    passed = _pass(ctx, Rule.LICENSOR, investigators)
    if passed is not None:
        return passed
    how = "谁批准谁打非: the licensing department"
    return _applied(ctx, Rule.LICENSOR, investigators, how, decl.provisions)


def _pass(ctx: Context, rule: Rule, investigators: list[Investigator]) -> Verdict | None:
    """Why the rule cannot pick one organ (no permit missing, an unknown investigator, several organs), or None."""
    if not ctx.permits:
        reason = "no permit is missing" if ctx.missing else f"no licence is involved: the dataset records none for {ctx.activity.name}"
        return Verdict(ctx.step(rule, Outcome.NOT_APPLICABLE, reason))
    known = tuple(dict.fromkeys(i.bureau for i in investigators if i.bureau is not None))
    provisions = [p for i in investigators for p in i.provisions]
    unknown = [i.licence.name for i in investigators if i.bureau is None]
    if unknown:
        reason = f"no source names who grants or investigates {'、'.join(unknown)}"
        return Verdict(ctx.step(rule, Outcome.NOT_APPLICABLE, reason, provisions), candidates=known)
    if len(known) > 1:
        reason = f"the missing permits point to several departments ({names(ctx.dataset, known)})"
        return Verdict(ctx.step(rule, Outcome.NOT_APPLICABLE, reason, provisions), candidates=known)
    return None


def _applied(ctx: Context, rule: Rule, investigators: list[Investigator], how: str, basis: tuple[str, ...]) -> Verdict:
    lead = investigators[0].bureau
    assert lead is not None  # _pass returned None: every investigator is known and they are one organ
    provisions = [*ctx.required_by(ctx.permits), *(p for i in investigators for p in i.provisions)]
    reason = f"operating without {'、'.join(p.name for p in ctx.permits)}: {how} {ctx.bureau(lead).name}"
    step = ctx.step(rule, Outcome.APPLIED, reason, [*provisions, *basis])
    return Verdict(step, lead=lead, cooperating=ctx.investigating(lead), notes=tuple(_overlaps(ctx, rule, lead)))


def _overlaps(ctx: Context, rule: Rule, lead: str) -> list[Step]:
    """Another text designating another organ for the same missing permit: said in the answer, never hidden."""
    notes = []
    for licence in ctx.permits:
        for other in licence.also_enforced_by:
            if other.target != lead and ctx.in_force(other.provisions):
                why = (
                    f"another text also designates {ctx.bureau(other.target).name} to act against operating without {licence.name}: "
                    "the texts overlap (see gaps)"
                )
                notes.append(ctx.step(rule, Outcome.NOTE, why, other.provisions))
    return notes


LAW_DESIGNATED = RuleUnit("law-designated", (Rule.LAW_DESIGNATED,), law_designated)
LICENSOR = RuleUnit("licensor", (Rule.LICENSOR,), licensor)
