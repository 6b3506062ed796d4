"""``prohibition`` — an act the sources ban outright (禁止…), not a missing licence: the department the
sources charge with enforcing the ban leads ("违反禁令").

E.g. 聊城市禁止燃放烟花爆竹条例: discharge in the banned areas and times, enforced by the public security organs.
"""

from __future__ import annotations

from dutygraph.decision import Outcome, Rule
from dutygraph.model import RuleDecl
from dutygraph.rules.base import Context, RuleUnit, Verdict


def prohibition(ctx: Context, decl: RuleDecl) -> Verdict:
    ban = ctx.activity.prohibition
    if ban is None:
        return Verdict(ctx.step(Rule.PROHIBITION, Outcome.NOT_APPLICABLE, f"{ctx.activity.name} is not a prohibited act"))
    where = "；".join(c.text for c in ban.conditions)
    conditions = [p for c in ban.conditions for p in c.provisions]
    what = f"违反禁令: {ctx.activity.name}" + (f"（{where}）" if where else "")
    if ban.enforcer is None:
        reason = f"{what}; no source names who enforces the ban"
        return Verdict(ctx.step(Rule.PROHIBITION, Outcome.UNDETERMINED, reason, [*ban.provisions, *conditions]))
    lead = ban.enforcer.target
    reason = f"{what}: the sources charge {ctx.bureau(lead).name} with enforcing the ban"
    # The ban and the article that names its enforcer are the basis; a licensing clause declared for the rule is not.
    provisions = [*ban.provisions, *conditions, *ban.enforcer.provisions]
    return Verdict(ctx.step(Rule.PROHIBITION, Outcome.APPLIED, reason, provisions), lead=lead, cooperating=ctx.investigating(lead))


UNIT = RuleUnit("prohibition", (Rule.PROHIBITION,), prohibition)
