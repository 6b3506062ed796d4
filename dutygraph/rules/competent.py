"""``competent-department`` — the competent (主管) department leads where the licensing rules do not decide.

With no licence involved it is the competent department of the activity, else of its domain (notice 八（四）
leaves to the market regulator only what "无明确主管部门"). Where licences are involved but the licensing rules
could not name a lead (an unknown grantor), only a competent department recorded for the activity itself is
reached. Several competent departments conflict: undetermined between them.
"""

from __future__ import annotations

from dutygraph.decision import Outcome, Rule
from dutygraph.model import RuleDecl
from dutygraph.rules.base import Context, RuleUnit, Verdict, names


def competent_department(ctx: Context, decl: RuleDecl) -> Verdict:
    targets = [ctx.activity.id] if ctx.missing else [ctx.activity.id, ctx.activity.domain]
    # That no licence is involved rests on how the sources describe the activity: cite its provisions.
    described = ctx.activity.provisions
    for target in targets:
        if target is None:
            continue
        competent = [d for d in ctx.duties_on(target) if d.competent]
        if not competent:
            continue
        bureaus = tuple(dict.fromkeys(d.bureau for d in competent))
        provisions = [*(p for d in competent for p in d.provisions), *described, *decl.provisions]
        where = ctx.activity.name if target == ctx.activity.id else ctx.dataset.domains[target].name
        if len(bureaus) > 1:
            reason = f"the competent (主管) duties for {where} name several bureaus ({names(ctx.dataset, bureaus)}): they conflict"
            return Verdict(ctx.step(Rule.COMPETENT_DEPARTMENT, Outcome.UNDETERMINED, reason, provisions), candidates=bureaus)
        lead = bureaus[0]
        why = "the licensing rules could not name a lead" if ctx.missing else "no licence is involved"
        reason = f"{why}; {ctx.bureau(lead).name} is the competent department for {where}"
        step = ctx.step(Rule.COMPETENT_DEPARTMENT, Outcome.APPLIED, reason, provisions)
        return Verdict(step, lead=lead, cooperating=ctx.investigating(lead))
    where = ctx.activity.name if ctx.missing else f"{ctx.activity.name} or its domain"
    reason = f"the dataset records no competent (主管) department for {where}"
    return Verdict(ctx.step(Rule.COMPETENT_DEPARTMENT, Outcome.NOT_APPLICABLE, reason))


UNIT = RuleUnit("competent-department", (Rule.COMPETENT_DEPARTMENT,), competent_department)
