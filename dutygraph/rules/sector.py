"""``sector`` and ``division-of-labour`` — the lead depends on the enterprise's sector.

``sector`` ("管行业必须管安全", 烟台市安全生产监督管理条例 第三条、第五条): the department that supervises the sector
the enterprise belongs to leads — the competent (主管) duty recorded on that sector (a domain). ``division-of-labour``
(第三十九条 "本条例规定的行政处罚，由安全生产监督管理部门和其他负有安全生产监督管理职责的部门按照职责分工决定"): the
same, for the activities a 法律责任 article of the dataset sanctions (``penalties``).

Where the sector is not given, or no department is recorded for it, the document itself divides the work, so the
answer is undetermined between the departments the declaration names — never a conflict, never a guess.
"""

from __future__ import annotations

from dutygraph.decision import Outcome, Rule
from dutygraph.model import RuleDecl
from dutygraph.rules.base import Context, RuleUnit, Verdict, names


def sector(ctx: Context, decl: RuleDecl) -> Verdict:
    return _by_sector(ctx, decl, Rule.SECTOR, "管行业必须管安全: the department of the enterprise's sector leads", ())


def division_of_labour(ctx: Context, decl: RuleDecl) -> Verdict:
    if not ctx.activity.penalties:
        reason = f"no 法律责任 article of the dataset sanctions {ctx.activity.name}"
        return Verdict(ctx.step(Rule.DIVISION_OF_LABOUR, Outcome.NOT_APPLICABLE, reason))
    how = "the penalty is decided by the departments by their division of labour (按照职责分工)"
    return _by_sector(ctx, decl, Rule.DIVISION_OF_LABOUR, how, ctx.activity.penalties)


def _by_sector(ctx: Context, decl: RuleDecl, rule: Rule, how: str, penalties: tuple[str, ...]) -> Verdict:
    if ctx.activity.prohibition is not None:
        how = f"违反禁止性规定 ({ctx.activity.name}): {how}"
    ban = ctx.activity.prohibition
    basis = [*ctx.activity.provisions, *(ban.provisions if ban else ()), *penalties, *decl.provisions]
    divided = names(ctx.dataset, decl.bureaus) if decl.bureaus else "the departments concerned"
    if ctx.sector is None:
        reason = f"{how}; the sector of the enterprise is not given, so it is one of {divided} (ask with a sector)"
        return Verdict(ctx.step(rule, Outcome.UNDETERMINED, reason, basis), candidates=decl.bureaus)
    sector_name = ctx.dataset.domains[ctx.sector].name
    competent = [d for d in ctx.duties_on(ctx.sector) if d.competent]
    departments = tuple(dict.fromkeys(d.bureau for d in competent))
    if len(departments) != 1:
        found = "no department is recorded" if not departments else f"several departments are recorded ({names(ctx.dataset, departments)})"
        reason = f"{how}; for the sector {sector_name} {found}, so it is one of {divided}"
        return Verdict(ctx.step(rule, Outcome.UNDETERMINED, reason, basis), candidates=departments or decl.bureaus)
    lead = departments[0]
    reason = f"{how}: {ctx.bureau(lead).name} supervises the sector {sector_name}"
    step = ctx.step(rule, Outcome.APPLIED, reason, [*basis, *(p for d in competent for p in d.provisions)])
    return Verdict(step, lead=lead, cooperating=ctx.investigating(lead))


SECTOR = RuleUnit("sector", (Rule.SECTOR,), sector)
DIVISION_OF_LABOUR = RuleUnit("division-of-labour", (Rule.DIVISION_OF_LABOUR,), division_of_labour)
