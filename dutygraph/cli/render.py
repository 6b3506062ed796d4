"""Rich renderings of core objects for people. Text from data is always wrapped in ``Text`` (no markup)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from dutygraph.analysis import Finding, Severity
from dutygraph.engine import Citation, Decision, Outcome, Step, Transfer, TransferStatus, cite
from dutygraph.model import Activity, Bureau, Dataset, Domain, Licence
from dutygraph.resolve import Entity

__all__ = [
    "activity_panel",
    "bureau_panel",
    "bureaus_table",
    "decision_panel",
    "decisions_table",
    "domain_panel",
    "domains_table",
    "duties_table",
    "findings_table",
    "label",
    "licence_panel",
]

_OUTCOME_STYLE = {
    Outcome.APPLIED: ("✔ applied", "bold green"),
    Outcome.NOT_APPLICABLE: ("✘ not applicable", "dim"),
    Outcome.UNDETERMINED: ("? undetermined", "bold yellow"),
    Outcome.NOTE: ("→ note", "cyan"),
}

_SEVERITY_STYLE = {
    Severity.BLIND_SPOT: "bold red",
    Severity.CONFLICT: "bold magenta",
    Severity.WARNING: "yellow",
    Severity.DEBATABLE: "cyan",
    Severity.INFO: "dim",
}


def label(entity: Entity | None, lang: str) -> str:
    """The entity's name in ``lang`` (``zh`` or ``en``), falling back to Chinese where no English is given."""
    if entity is None:
        return "—"
    if lang == "en" and entity.name_en:
        return entity.name_en
    return entity.name


def _names(bureaus: Iterable[Bureau], lang: str) -> Text:
    names = [label(b, lang) for b in bureaus]
    return Text("、".join(names) if lang == "zh" else ", ".join(names)) if names else Text("—", style="dim")


def _citation_lines(citations: Sequence[Citation]) -> list[RenderableType]:
    lines: list[RenderableType] = []
    for citation in citations:
        head = Text.assemble((citation.document, "bold"), " ", (citation.path, "cyan"), f"  [{citation.provision}]")
        lines.append(head)
        lines.append(Text(f"  “{citation.quote}”", style="italic"))
        if citation.version_note:
            lines.append(Text(f"  ⚠ {citation.version_note}", style="yellow"))
    return lines


def _trace_table(trace: Sequence[Step]) -> Table:
    table = Table(show_header=True, header_style="bold", expand=True, box=None, pad_edge=False)
    table.add_column("rule", no_wrap=True)
    table.add_column("outcome", no_wrap=True)
    table.add_column("why / why not", ratio=1, overflow="fold")
    for step in trace:
        text, style = _OUTCOME_STYLE[step.outcome]
        table.add_row(Text(step.rule.value), Text(text, style=style), Text(step.reason))
    return table


def decision_panel(decision: Decision, lang: str, show_citations: bool = True) -> Panel:
    """The answer to "who leads enforcement against illegal X?", with the rule, trace and quotes."""
    summary = Table.grid(padding=(0, 2))
    summary.add_column(style="bold", no_wrap=True)
    summary.add_column(overflow="fold")
    if decision.lead is not None:
        full = f"  ({decision.lead.full_name})" if decision.lead.full_name and lang == "zh" else ""
        summary.add_row("Lead", Text(label(decision.lead, lang) + full, style="bold green"))
        if decision.agency_of is not None:
            summary.add_row("Agency of", Text(label(decision.agency_of, lang)))
        if decision.guided_by is not None:
            summary.add_row("Guided by", Text(label(decision.guided_by, lang)))
    else:
        summary.add_row("Lead", Text("undetermined — the data does not decide", style="bold yellow"))
        summary.add_row(
            "Candidates", _names(decision.candidates, lang) if decision.candidates else Text("none known: no source names one", style="dim")
        )
    summary.add_row("Rule", Text(decision.rule.value))
    summary.add_row("Cooperating", _names(decision.cooperating, lang))
    missing = [label(lic, lang) for lic in decision.missing]
    summary.add_row("Without", Text("、".join(missing) if missing else "no licence is involved"))
    if decision.as_of is not None:
        summary.add_row("As of", Text(decision.as_of.isoformat()))
    if decision.transfer is not None:
        summary.add_row("In time", _transfer_line(decision.transfer, lang))
    parts: list[RenderableType] = [summary, Text(""), Text("How it was decided", style="bold underline"), _trace_table(decision.trace)]
    if show_citations and decision.citations:
        parts += [Text(""), Text("What it rests on", style="bold underline"), *_citation_lines(decision.citations)]
    title = Text.assemble("Who leads enforcement against illegal ", (label(decision.activity, lang), "bold"), "?")
    border = "green" if decision.determined else "yellow"
    return Panel(Group(*parts), title=title, title_align="left", border_style=border)


def _transfer_line(transfer: Transfer, lang: str) -> Text:
    """One glance at the lead in time: who held the duties, who took them over, and when."""
    before, after = label(transfer.predecessor, lang), "、".join(label(b, lang) for b in transfer.successors)
    window = str(transfer.window)
    if transfer.status is TransferStatus.BEFORE:
        return Text(f"{before} — later succeeded by {after}, {window}")
    if transfer.status is TransferStatus.INSIDE:
        return Text(f"{before} or {after}: the date falls inside the transfer window ({window})", style="bold yellow")
    return Text(f"{after} — succeeded {before}, {window}")


def decisions_table(decisions: Sequence[Decision], lang: str, title: str) -> Table:
    table = Table(title=title, title_justify="left", expand=True)
    table.add_column("activity", ratio=2, overflow="fold")
    table.add_column("lead", ratio=2, overflow="fold")
    table.add_column("rule", no_wrap=True)
    table.add_column("cooperating", ratio=2, overflow="fold")
    for decision in decisions:
        lead = (
            Text(label(decision.lead, lang), style="green")
            if decision.lead
            else Text("undetermined: " + "、".join(label(b, lang) for b in decision.candidates), style="yellow")
        )
        table.add_row(Text(label(decision.activity, lang)), lead, Text(decision.rule.value), _names(decision.cooperating, lang))
    return table


def duties_table(dataset: Dataset, bureau: Bureau, lang: str) -> Table:
    table = Table(title=f"Duties of {label(bureau, lang)}", title_justify="left", expand=True)
    table.add_column("kind", no_wrap=True)
    table.add_column("field", ratio=1, overflow="fold")
    table.add_column("competent", no_wrap=True)
    table.add_column("rests on", ratio=3, overflow="fold")
    for duty in dataset.duties_by_bureau.get(bureau.id, ()):
        target: Entity = dataset.domains.get(duty.target) or dataset.activities[duty.target]
        quotes = "；".join(f"{dataset.provisions[p].path} “{dataset.provisions[p].quote}”" for p in duty.provisions)
        table.add_row(Text(duty.kind), Text(label(target, lang)), Text("主管" if duty.competent else ""), Text(quotes, style="italic"))
    return table


def _facts(rows: Iterable[tuple[str, str | None]]) -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    for key, value in rows:
        grid.add_row(key, Text(value) if value else Text("unknown", style="dim"))
    return grid


def bureau_panel(dataset: Dataset, bureau: Bureau, lang: str) -> Panel:
    guided_by = dataset.bureaus[bureau.guided_by.target].name if bureau.guided_by else None
    agency_of = dataset.bureaus[bureau.agency_of.target].name if bureau.agency_of else None
    issues = [lic.name for lic in dataset.licences.values() if lic.issuer and lic.issuer.target == bureau.id]
    enforces = [lic.name for lic in dataset.licences.values() if lic.enforcer and lic.enforcer.target == bureau.id]
    leads = [dataset.activities[lead.activity].name for lead in dataset.leads if lead.bureau == bureau.id]
    facts = _facts(
        [
            ("Name", bureau.name),
            ("Full name", bureau.full_name),
            ("English", bureau.name_en),
            ("Level", bureau.level),
            ("System", bureau.system),
            ("Aliases", "、".join(bureau.aliases) or "—"),
            ("Guided by", guided_by or "—"),
            ("Agency of", agency_of or "—"),
            ("Grants", "、".join(issues) or "—"),
            ("Investigates without", "、".join(enforces) or "—"),
            ("Explicitly leads", "、".join(leads) or "—"),
            ("Note", bureau.note or "—"),
        ]
    )
    parts: list[RenderableType] = [facts, Text(""), duties_table(dataset, bureau, lang)]
    if bureau.provisions:
        parts += [Text("What it rests on", style="bold underline"), *_citation_lines(cite(dataset, bureau.provisions))]
    return Panel(Group(*parts), title=Text(label(bureau, lang), style="bold"), title_align="left")


def activity_panel(dataset: Dataset, activity: Activity, decision: Decision, lang: str) -> Panel:
    licences = [label(dataset.licences[c.target], lang) for c in activity.licences]
    domain = dataset.domains.get(activity.domain) if activity.domain else None
    duties = [
        f"{dataset.bureaus[d.bureau].name} {d.kind}{' (主管)' if d.competent else ''}"
        for target in (activity.id, activity.domain)
        if target
        for d in dataset.duties_by_target.get(target, ())
    ]
    facts = _facts(
        [
            ("Activity", activity.name),
            ("English", activity.name_en),
            ("Domain", label(domain, lang) if domain else "—"),
            ("Licences", "、".join(licences) or "none recorded"),
            ("Duties", "；".join(duties) or "—"),
        ]
    )
    return Panel(
        Group(facts, Text(""), decision_panel(decision, lang)), title=Text(label(activity, lang), style="bold"), title_align="left"
    )


def domain_panel(dataset: Dataset, domain: Domain, decisions: Sequence[Decision], lang: str) -> Panel:
    duties = Table(title="Duties in the domain", title_justify="left", expand=True)
    duties.add_column("bureau", overflow="fold")
    duties.add_column("kind")
    duties.add_column("competent")
    for duty in dataset.duties_by_target.get(domain.id, ()):
        duties.add_row(Text(label(dataset.bureaus[duty.bureau], lang)), Text(duty.kind), Text("主管" if duty.competent else ""))
    return Panel(
        Group(duties, decisions_table(decisions, lang, "Lead enforcement per activity")),
        title=Text(label(domain, lang), style="bold"),
        title_align="left",
    )


def licence_panel(dataset: Dataset, licence: Licence, lang: str) -> Panel:
    def bureau_name(ident: str | None) -> str | None:
        return label(dataset.bureaus[ident], lang) if ident else None

    facts = _facts(
        [
            ("Licence", licence.name),
            ("English", licence.name_en),
            ("Kind", licence.kind.value),
            ("Granted by", bureau_name(licence.issuer.target if licence.issuer else None)),
            ("Investigated by", bureau_name(licence.enforcer.target if licence.enforcer else None) or "the grantor (谁批准谁打非)"),
            ("Requires first", "、".join(dataset.licences[c.target].name for c in licence.requires) or "—"),
        ]
    )
    provisions = list(
        dict.fromkeys([*licence.provisions, *(p for c in (licence.issuer, licence.enforcer, *licence.requires) if c for p in c.provisions)])
    )
    return Panel(
        Group(facts, Text(""), Text("What it rests on", style="bold underline"), *_citation_lines(cite(dataset, provisions))),
        title=Text(label(licence, lang), style="bold"),
        title_align="left",
    )


def domains_table(dataset: Dataset, lang: str) -> Table:
    table = Table(title=f"Domains — {dataset.info.title}", title_justify="left")
    table.add_column("id", style="dim")
    table.add_column("domain", overflow="fold")
    table.add_column("activities", justify="right")
    table.add_column("competent department", overflow="fold")
    for domain in dataset.domains.values():
        competent = [dataset.bureaus[d.bureau] for d in dataset.duties_by_target.get(domain.id, ()) if d.competent]
        count = len(dataset.activities_by_domain.get(domain.id, ()))
        table.add_row(Text(domain.id), Text(label(domain, lang)), str(count), _names(competent, lang))
    return table


def bureaus_table(dataset: Dataset, lang: str) -> Table:
    table = Table(title=f"Bureaus — {dataset.info.title}", title_justify="left")
    table.add_column("id", style="dim")
    table.add_column("name", overflow="fold")
    table.add_column("full name / English", overflow="fold")
    table.add_column("level")
    table.add_column("system")
    table.add_column("duties", justify="right")
    for bureau in dataset.bureaus.values():
        other = bureau.full_name if lang == "zh" else bureau.name
        table.add_row(
            Text(bureau.id),
            Text(label(bureau, lang)),
            Text(other or "unknown", style="" if other else "dim"),
            Text(bureau.level or "unknown"),
            Text(bureau.system or "—"),
            str(len(dataset.duties_by_bureau.get(bureau.id, ()))),
        )
    return table


def findings_table(findings: Sequence[Finding]) -> Table:
    table = Table(title="Gaps and overlaps", title_justify="left", expand=True)
    table.add_column("severity", no_wrap=True)
    table.add_column("kind", no_wrap=True)
    table.add_column("about", ratio=1, overflow="fold")
    table.add_column("finding", ratio=3, overflow="fold")
    for finding in findings:
        table.add_row(
            Text(finding.severity.value, style=_SEVERITY_STYLE[finding.severity]),
            Text(finding.kind),
            Text(finding.subject),
            Text(finding.message),
        )
    return table
