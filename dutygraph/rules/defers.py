"""``defers-to-law`` — for an activity the sources leave to other law (``deferred``: e.g. 烟台市安全生产监督管理条例
第四十条 "依法给予处分", naming no organ; 第三十二条 "法律、法规已规定法律责任的，适用其规定"), the dataset cannot
answer from its own sources: the cascade ends undetermined, saying so, with the organs the declaration names (if
any) as candidates. Other activities pass.
"""

from __future__ import annotations

from dutygraph.decision import Outcome, Rule
from dutygraph.model import RuleDecl
from dutygraph.rules.base import Context, RuleUnit, Verdict


def defers_to_law(ctx: Context, decl: RuleDecl) -> Verdict:
    if not ctx.activity.deferred:
        reason = f"the sources do not leave {ctx.activity.name} to other law"
        return Verdict(ctx.step(Rule.DEFERS_TO_LAW, Outcome.NOT_APPLICABLE, reason))
    reason = (
        f"the sources name no organ for {ctx.activity.name} and leave it to the laws and regulations that set the "
        "liability, which this dataset does not hold"
    )
    provisions = [*ctx.activity.deferred, *decl.provisions]
    return Verdict(ctx.step(Rule.DEFERS_TO_LAW, Outcome.UNDETERMINED, reason, provisions), candidates=decl.bureaus)


UNIT = RuleUnit("defers-to-law", (Rule.DEFERS_TO_LAW,), defers_to_law, fallback=False)
