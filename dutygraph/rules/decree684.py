"""``decree684-art6`` — 无证无照经营查处办法 第六条: the permits are held but the business licence (营业执照) is
missing, so the department that registers businesses (工商) investigates. With permits missing too, Art 7
sends the case to Art 5 (the licensing rules that follow).
"""

from __future__ import annotations

from dutygraph.decision import Outcome, Rule
from dutygraph.model import RuleDecl
from dutygraph.rules.base import Context, RuleUnit, Verdict


def decree684_art6(ctx: Context, decl: RuleDecl) -> Verdict:
    if not ctx.business:
        reason = "the business licence (营业执照) is not among the missing licences"
        return Verdict(ctx.step(Rule.DECREE684_ART6, Outcome.NOT_APPLICABLE, reason))
    if ctx.permits:
        reason = (
            f"permits are missing too ({'、'.join(p.name for p in ctx.permits)}): operating without both a permit and a business "
            "licence is handled as operating without the permit (Art 7, Art 5)"
        )
        return Verdict(ctx.step(Rule.DECREE684_ART6, Outcome.NOT_APPLICABLE, reason, decl.provisions))
    investigator = ctx.investigator(ctx.business[0])
    if investigator.bureau is None:
        reason = f"no source names who investigates operating without {ctx.business[0].name}"
        return Verdict(ctx.step(Rule.DECREE684_ART6, Outcome.NOT_APPLICABLE, reason))
    lead = investigator.bureau
    reason = f"the permits are held but the business licence is missing: {ctx.bureau(lead).name} investigates"
    provisions = [*ctx.required_by(ctx.business), *investigator.provisions, *decl.provisions]
    step = ctx.step(Rule.DECREE684_ART6, Outcome.APPLIED, reason, provisions)
    return Verdict(step, lead=lead, cooperating=ctx.investigating(lead))


UNIT = RuleUnit("decree684-art6", (Rule.DECREE684_ART6,), decree684_art6)
