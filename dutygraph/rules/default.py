"""``default-market-regulator`` — notice 八（四）: "市工商局…负责依法牵头查处不涉及许可审批且无明确主管部门的无照经营行为".

The residual lead the dataset names (``bureau:`` in its declaration) takes unlicensed operation that involves
no licence and has no competent department. It never fires where a licence is involved.
"""

from __future__ import annotations

from dutygraph.decision import Outcome, Rule
from dutygraph.model import RuleDecl
from dutygraph.rules.base import Context, RuleUnit, Verdict


def default_lead(ctx: Context, decl: RuleDecl) -> Verdict:
    if ctx.missing:
        involved = "、".join(lic.name for lic in ctx.missing)
        reason = f"licences are involved ({involved}): the residual rule covers only operation that involves none"
        return Verdict(ctx.step(Rule.DEFAULT_MARKET_REGULATOR, Outcome.NOT_APPLICABLE, reason))
    if ctx.activity.prohibition is not None:
        reason = f"{ctx.activity.name} is a prohibited act, not unlicensed business: the residual rule does not cover it"
        return Verdict(ctx.step(Rule.DEFAULT_MARKET_REGULATOR, Outcome.NOT_APPLICABLE, reason))
    lead = decl.bureaus[0]  # validation requires exactly one (needs_bureau)
    reason = f"no licence and no competent department: {ctx.bureau(lead).name} leads by default"
    step = ctx.step(Rule.DEFAULT_MARKET_REGULATOR, Outcome.APPLIED, reason, [*decl.provisions, *ctx.activity.provisions])
    return Verdict(step, lead=lead, cooperating=ctx.investigating(lead))


UNIT = RuleUnit("default-market-regulator", (Rule.DEFAULT_MARKET_REGULATOR,), default_lead, needs_bureau=True)
