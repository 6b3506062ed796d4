"""``defers-to-law`` — the document names no organ and defers to the laws and regulations that set the liability
(烟台市安全生产监督管理条例 第三十二条 "法律、法规已规定法律责任的，适用其规定"). It ends the cascade undetermined, saying
so, with the organs the declaration names (if any) as candidates: the dataset cannot answer from its own sources.
"""

from __future__ import annotations

from dutygraph.decision import Outcome, Rule
from dutygraph.model import RuleDecl
from dutygraph.rules.base import Context, RuleUnit, Verdict


def defers_to_law(ctx: Context, decl: RuleDecl) -> Verdict:
    reason = (
        f"the dataset's sources name no organ for {ctx.activity.name}; they defer to the laws and regulations that set "
        "the liability, which this dataset does not hold"
    )
    return Verdict(ctx.step(Rule.DEFERS_TO_LAW, Outcome.UNDETERMINED, reason, decl.provisions), candidates=decl.bureaus)


UNIT = RuleUnit("defers-to-law", (Rule.DEFERS_TO_LAW,), defers_to_law)
