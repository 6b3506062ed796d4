"""``explicit`` — an explicit assignment (另有规定): the sources name who leads for this activity.

Liaocheng: notice 八（二） "（另有规定的除外）"; e.g. 市邮政局 for 寄递危险化学品 (notice 三). An assignment limited to
a sector applies only when the question names that sector. Several bureaus assigned for the same question
conflict: the decision is undetermined between them.
"""

from __future__ import annotations

from dutygraph.decision import Outcome, Rule
from dutygraph.model import RuleDecl
from dutygraph.rules.base import Context, RuleUnit, Verdict, names


def explicit(ctx: Context, decl: RuleDecl) -> Verdict:
    leads = [lead for lead in ctx.explicit_leads if lead.sector is None or lead.sector == ctx.sector]
    if not leads:
        reason = f"no explicit assignment names a lead for {ctx.activity.name}"
        if any(lead.sector for lead in ctx.explicit_leads):
            reason += " in the sector asked about"
        return Verdict(ctx.step(Rule.EXPLICIT, Outcome.NOT_APPLICABLE, reason))
    provisions = [*(p for lead in leads for p in lead.provisions), *decl.provisions]
    bureaus = list(dict.fromkeys(lead.bureau for lead in leads))
    if len(bureaus) > 1:
        reason = f"the explicit assignments name several bureaus ({names(ctx.dataset, bureaus)}): they conflict"
        return Verdict(ctx.step(Rule.EXPLICIT, Outcome.UNDETERMINED, reason, provisions), candidates=tuple(bureaus))
    lead = bureaus[0]
    basis = "; ".join(dict.fromkeys(lead_.basis for lead_ in leads if lead_.basis))
    cooperating = tuple(dict.fromkeys(c for lead_ in leads for c in lead_.cooperating))
    reason = f"explicitly assigned to {ctx.bureau(lead).name}" + (f" ({basis})" if basis else "")
    if cooperating:
        reason += f"; the same provisions name {names(ctx.dataset, cooperating)} to cooperate"
    step = ctx.step(Rule.EXPLICIT, Outcome.APPLIED, reason, provisions)
    return Verdict(step, lead=lead, cooperating=(*cooperating, *ctx.investigating(lead)))


UNIT = RuleUnit("explicit", (Rule.EXPLICIT,), explicit)
