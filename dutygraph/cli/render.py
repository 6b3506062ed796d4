"""Rich renderings of core objects for people.

Text from data always goes through :func:`~dutygraph.cli.layout.data` or :func:`~dutygraph.cli.layout.flow`
(inert ``Text``, control characters visible) and wraps by the kinsoku rules; ids never wrap. Every public
function takes ``lang`` (``zh`` or ``en``) and returns one renderable; in English it ends with one line saying
what is shown in Chinese because the dataset has no English for it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from dutygraph.analysis import Finding, Severity
from dutygraph.cli.layout import Boxed, Flow, Names, data, flow
from dutygraph.engine import Citation, Decision, HeldDuty, Outcome, Transfer, TransferStatus, cite, licences_in_scope
from dutygraph.model import Activity, Bureau, Dataset, Domain, Duty, Licence, Succession

__all__ = [
    "NARROW",
    "activity_panel",
    "bureau_panel",
    "bureaus_table",
    "decision_panel",
    "decisions_table",
    "domain_panel",
    "domains_table",
    "duties_table",
    "findings_view",
    "licence_panel",
]

NARROW = 100
"""Below this many columns, wide tables are stacked: one block per row instead of side-by-side columns."""

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

_COMPETENT = {"zh": "主管", "en": "competent"}


def _heading(text: str) -> Text:
    return Text(text, style="bold underline")


def _id(ident: str, style: str = "dim") -> Text:
    return data(ident, style)


def _bureau_list(bureaus: Iterable[Bureau], names: Names) -> RenderableType:
    listed = [names(b) for b in bureaus]
    return flow(names.join(listed)) if listed else Text("—", style="dim")


# -- citations ----------------------------------------------------------------------------------------------


def _document_label(dataset: Dataset, citation: Citation, names: Names) -> str:
    provision = dataset.provisions.get(citation.provision)
    document = dataset.documents.get(provision.document) if provision else None
    if document is None or not names.en or not document.title_en:
        return citation.document
    return f"{document.title_en} ({document.number})" if document.number else document.title_en


def _citation_lines(dataset: Dataset, citations: Iterable[Citation], names: Names) -> list[RenderableType]:
    """Each citation once: the document, the article and the provision id, then the quote, indented."""
    lines: list[RenderableType] = []
    for citation in dict((c.provision, c) for c in citations).values():
        document = data(_document_label(dataset, citation, names), "bold")
        head = Text.assemble(document, " ", data(citation.path, "cyan"), "  ", data(f"[{citation.provision}]"))
        lines.append(Flow(head, indent="  "))
        lines.append(flow(f"“{citation.quote}”", "italic", first_indent="  ", indent="   "))
        if citation.version_note:
            lines.append(flow(f"⚠ {citation.version_note}", "yellow", first_indent="  ", indent="    "))
    return lines


def _rests_on(dataset: Dataset, citations: Sequence[Citation], names: Names) -> list[RenderableType]:
    return [Text(""), _heading("What it rests on"), *_citation_lines(dataset, citations, names)] if citations else []


# -- decisions ----------------------------------------------------------------------------------------------


def _trace_table(dataset: Dataset, decision: Decision, names: Names) -> Table:
    """The rules the cascade considered; in English, the names inside each reason are given in English too."""
    table = Table(show_header=True, header_style="bold", expand=True, box=None, pad_edge=False)
    table.add_column("rule", no_wrap=True)
    table.add_column("outcome", no_wrap=True)
    table.add_column("why / why not", ratio=1)
    activity = decision.activity
    domain = dataset.domains.get(activity.domain) if activity.domain else None
    entities: list[Activity | Bureau | Domain | Licence] = [activity, *dataset.bureaus.values(), *decision.missing]
    entities += [dataset.licences[i] for i in licences_in_scope(dataset, activity)]
    entities += [domain] if domain else []
    place = [(dataset.info.jurisdiction, dataset.info.jurisdiction_en)]
    for step in decision.trace:
        text, style = _OUTCOME_STYLE[step.outcome]
        table.add_row(_id(step.rule.value, ""), Text(text, style=style), flow(names.translate(step.reason, entities, place)))
    return table


def _facts(rows: Iterable[tuple[str, RenderableType | str | None]]) -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    for key, value in rows:
        if value is None or value == "":
            grid.add_row(key, Text("unknown", style="dim"))
        else:
            grid.add_row(key, flow(value) if isinstance(value, str) else value)
    return grid


def _cooperating(dataset: Dataset, decision: Decision, names: Names) -> RenderableType:
    """The cooperating bureaus, each with why where the dataset says: the missing licences it grants or investigates,
    or its duty to investigate the activity (the trace names only the rule)."""
    if not decision.cooperating:
        return Text("—", style="dim")

    def holders(licence: Licence, role: str) -> set[str]:
        cited = [licence.issuer, *(c.issuer for c in licence.changes)] if role == "grants" else [licence.enforcer]
        return {c.target for c in cited if c is not None}

    listed = []
    for bureau in decision.cooperating:
        why = [f"{role} {names(lic)}" for role in ("grants", "investigates") for lic in decision.missing if bureau.id in holders(lic, role)]
        kinds = {d.kind for d in dataset.duties_by_target.get(decision.activity.id, ()) if d.bureau == bureau.id}
        if kinds & {"investigate", "cooperate"}:
            why.append(f"{'investigates' if 'investigate' in kinds else 'cooperates on'} {names(decision.activity)}")
        listed.append(names(bureau) + (f" ({'; '.join(why)})" if why else ""))
    return flow(names.join(listed))


def _decision_body(dataset: Dataset, decision: Decision, names: Names, show_citations: bool) -> Group:
    rows: list[tuple[str, RenderableType | str | None]] = []
    if decision.lead is not None:
        full = f"  ({decision.lead.full_name})" if decision.lead.full_name and not names.en else ""
        transfer = decision.transfer
        if transfer is not None and decision.uncertain_in_time:
            both = names.join([names(transfer.predecessor), *(names(b) for b in transfer.successors)])
            rows.append(("Lead", flow(f"{both} — one of them, depending on the transfer date (see In time)", "bold yellow")))
        else:
            rows.append(("Lead", flow(names(decision.lead) + full, "bold green")))
        if decision.agency_of is not None:
            rows.append(("Agency of", flow(names(decision.agency_of))))
        if decision.guided_by is not None:
            rows.append(("Guided by", flow(names(decision.guided_by))))
    else:
        rows.append(("Lead", Text("undetermined — the data does not decide", style="bold yellow")))
        rows.append(
            (
                "Candidates",
                _bureau_list(decision.candidates, names) if decision.candidates else Text("none known: no source names one", style="dim"),
            )
        )
    rows.append(("Rule", _id(decision.rule.value, "")))
    rows.append(("Cooperating", _cooperating(dataset, decision, names)))
    missing = [names(lic) for lic in decision.missing]
    rows.append(("Without", flow(names.join(missing)) if missing else Text("no licence is involved")))
    if decision.as_of is not None:
        rows.append(("As of", Text(decision.as_of.isoformat())))
    if decision.transfer is not None:
        rows.append(("In time", _transfer_line(decision.transfer, names)))
    parts: list[RenderableType] = [_facts(rows), Text(""), _heading("How it was decided"), _trace_table(dataset, decision, names)]
    if show_citations:
        parts += _rests_on(dataset, decision.citations, names)
    return Group(*parts)


def _transfer_line(transfer: Transfer, names: Names) -> RenderableType:
    """One glance at the lead in time: who held the duties, who took them over, and when."""
    before, after = names(transfer.predecessor), names.join(names(b) for b in transfer.successors)
    window = str(transfer.window)
    if transfer.status is TransferStatus.BEFORE:
        return flow(f"{before} — later succeeded by {after}, {window}")
    if transfer.status is TransferStatus.INSIDE:
        return flow(f"{before} or {after}: the date falls inside the transfer window ({window})", "bold yellow")
    return flow(f"{after} — succeeded {before}, {window}")


def _decision_panel(dataset: Dataset, decision: Decision, names: Names, show_citations: bool = True) -> Boxed:
    title = Text.assemble("Who leads enforcement against illegal ", data(names(decision.activity), "bold"), "?")
    body = _decision_body(dataset, decision, names, show_citations)
    return Boxed(body, title, border_style="green" if decision.determined else "yellow")


def decision_panel(dataset: Dataset, decision: Decision, lang: str, show_citations: bool = True) -> RenderableType:
    """The answer to "who leads enforcement against illegal X?", with the rule, trace and quotes."""
    names = Names(lang)
    return names.with_note(_decision_panel(dataset, decision, names, show_citations))


def _decisions_table(decisions: Sequence[Decision], names: Names, title: Text) -> Table:
    table = Table(title=title, title_justify="left", expand=True)
    # Sized by content (no ratios): an empty "cooperating" column leaves its room to the names.
    table.add_column("activity")
    table.add_column("lead")
    table.add_column("rule", no_wrap=True)
    table.add_column("cooperating")
    for decision in decisions:
        if decision.lead:
            lead: RenderableType = flow(names(decision.lead), "green")
        else:
            lead = flow("undetermined: " + names.join(names(b) for b in decision.candidates), "yellow")
        table.add_row(flow(names(decision.activity)), lead, _id(decision.rule.value, ""), _bureau_list(decision.cooperating, names))
    return table


def decisions_table(scope: Domain | Activity, decisions: Sequence[Decision], lang: str) -> RenderableType:
    """One row per activity of a domain, or per member of a group of activities: who leads, by which rule, with whom."""
    names = Names(lang)
    title = Text.assemble("Who leads enforcement in ", data(names(scope)))
    return names.with_note(_decisions_table(decisions, names, title))


# -- duties ---------------------------------------------------------------------------------------------------


def _duty_target(dataset: Dataset, duty: Duty) -> Domain | Activity:
    return dataset.domains.get(duty.target) or dataset.activities[duty.target]


def _duties(dataset: Dataset, bureau: Bureau, held: Sequence[HeldDuty], names: Names) -> tuple[Table, list[Citation]]:
    """The duties table (each duty cites its provisions by article and id; a duty held through an agency or taken
    over from a predecessor says so) and the citations, each once."""
    table = Table(title=Text.assemble("Duties of ", data(names(bureau))), title_justify="left", expand=True)
    table.add_column("kind", no_wrap=True)
    table.add_column("field", ratio=2)
    table.add_column("competent", no_wrap=True)
    table.add_column("rests on", ratio=2)
    through = any(h.via is not None for h in held)
    if through:
        table.add_column("through", ratio=1)
    provisions: list[str] = []
    for item in held:
        duty = item.duty
        cited = ("; " if names.en else "；").join(f"{dataset.provisions[p].path} [{p}]" for p in duty.provisions)
        cells: list[RenderableType] = [
            _id(duty.kind, ""),
            flow(names(_duty_target(dataset, duty))),
            Text(_COMPETENT[names.lang] if duty.competent else ""),
            flow(cited),
        ]
        if through:
            cells.append(flow(f"{names(item.via)}: {item.how}") if item.via is not None else Text(""))
        table.add_row(*cells)
        provisions.extend([*duty.provisions, *item.provisions])
    return table, list(cite(dataset, dict.fromkeys(provisions)))


def duties_table(dataset: Dataset, bureau: Bureau, held: Sequence[HeldDuty], lang: str) -> RenderableType:
    """A bureau's duties on a date (its agencies' and predecessors' included); the quotes follow, each once."""
    names = Names(lang)
    table, citations = _duties(dataset, bureau, held, names)
    return names.with_note(Group(table, *_rests_on(dataset, citations, names)))


# -- show -----------------------------------------------------------------------------------------------------


def _successions(dataset: Dataset, bureau: Bureau, names: Names) -> tuple[str | None, str | None]:
    """Whom the bureau succeeded and who succeeded it, each with the window the sources bound."""
    earlier = [s for s in dataset.successions if s.successor == bureau.id]
    later = dataset.successions_by_predecessor.get(bureau.id, ())

    def window(s: Succession) -> str:
        start = s.not_before.date.isoformat() if s.not_before else "an unknown date"
        end = s.not_after.date.isoformat() if s.not_after else "an unknown date"
        return f"between {start} and {end}"

    took = names.join(f"{names(dataset.bureaus[s.predecessor])} ({window(s)})" for s in earlier)
    gave = names.join(f"{names(dataset.bureaus[s.successor])} ({window(s)})" for s in later)
    return took or None, gave or None


def bureau_panel(dataset: Dataset, bureau: Bureau, held: Sequence[HeldDuty], lang: str) -> RenderableType:
    names = Names(lang)
    succeeded, succeeded_by = _successions(dataset, bureau, names)
    guided_by = dataset.bureaus[bureau.guided_by.target] if bureau.guided_by else None
    agency_of = dataset.bureaus[bureau.agency_of.target] if bureau.agency_of else None
    issues = [names(lic) for lic in dataset.licences.values() if lic.issuer and lic.issuer.target == bureau.id]
    enforces = [names(lic) for lic in dataset.licences.values() if lic.enforcer and lic.enforcer.target == bureau.id]
    leads = [names(dataset.activities[lead.activity]) for lead in dataset.leads if lead.bureau == bureau.id]
    name_rows: list[tuple[str, RenderableType | str | None]] = (
        [("Name", names(bureau)), ("Chinese name", bureau.name), ("Full name", bureau.full_name)]
        if names.en
        else [("Name", bureau.name), ("Full name", bureau.full_name), ("English", bureau.name_en)]
    )
    facts = _facts(
        [
            *name_rows,
            ("Level", bureau.level),
            ("System", names.pick(bureau.system, None) if bureau.system else None),
            ("Aliases", names.join(bureau.aliases) or "—"),
            ("Guided by", names(guided_by) if guided_by else "—"),
            ("Agency of", names(agency_of) if agency_of else "—"),
            ("Succeeded", succeeded or "—"),
            ("Succeeded by", succeeded_by or "none recorded (not: none happened)"),
            ("Grants", names.join(issues) or "—"),
            ("Investigates without", names.join(enforces) or "—"),
            ("Explicitly leads", names.join(leads) or "—"),
            ("Note", bureau.note or "—"),
        ]
    )
    table, citations = _duties(dataset, bureau, held, names)
    citations += [c for c in cite(dataset, bureau.provisions) if c not in citations]
    parts: list[RenderableType] = [facts, Text(""), table, *_rests_on(dataset, citations, names)]
    return names.with_note(Boxed(Group(*parts), data(names(bureau), "bold")))


def activity_panel(dataset: Dataset, activity: Activity, decision: Decision, lang: str) -> RenderableType:
    names = Names(lang)
    licences = [names(dataset.licences[c.target]) for c in activity.licences]
    domain = dataset.domains.get(activity.domain) if activity.domain else None
    competent = f" ({_COMPETENT[lang]})"
    duties = [
        f"{names(dataset.bureaus[d.bureau])} {d.kind}{competent if d.competent else ''}"
        for target in (activity.id, activity.domain)
        if target
        for d in dataset.duties_by_target.get(target, ())
    ]
    name_rows: list[tuple[str, RenderableType | str | None]] = (
        [("Activity", names(activity)), ("Chinese name", activity.name)]
        if names.en
        else [("Activity", activity.name), ("English", activity.name_en)]
    )
    facts = _facts(
        [
            *name_rows,
            ("Domain", names(domain) if domain else "—"),
            ("Licences", names.join(licences) or "none recorded"),
            ("Duties", ("; " if names.en else "；").join(duties) or "—"),
        ]
    )
    body = Group(facts, Text(""), _decision_panel(dataset, decision, names))
    return names.with_note(Boxed(body, data(names(activity), "bold")))


def domain_panel(dataset: Dataset, domain: Domain, decisions: Sequence[Decision], lang: str) -> RenderableType:
    names = Names(lang)
    duties = Table(title="Duties in the domain", title_justify="left", expand=True)
    duties.add_column("bureau", ratio=1)
    duties.add_column("kind", no_wrap=True)
    duties.add_column("competent", no_wrap=True)
    for duty in dataset.duties_by_target.get(domain.id, ()):
        duties.add_row(flow(names(dataset.bureaus[duty.bureau])), _id(duty.kind, ""), Text(_COMPETENT[lang] if duty.competent else ""))
    per_activity = _decisions_table(decisions, names, Text("Lead enforcement per activity"))
    return names.with_note(Boxed(Group(duties, per_activity), data(names(domain), "bold")))


def licence_panel(dataset: Dataset, licence: Licence, lang: str) -> RenderableType:
    names = Names(lang)

    def bureau_name(ident: str | None) -> str | None:
        return names(dataset.bureaus[ident]) if ident else None

    name_rows: list[tuple[str, RenderableType | str | None]] = (
        [("Licence", names(licence)), ("Chinese name", licence.name)]
        if names.en
        else [("Licence", licence.name), ("English", licence.name_en)]
    )
    grantor = "the grantor" + ("" if names.en else " (谁批准谁打非)")
    facts = _facts(
        [
            *name_rows,
            ("Kind", licence.kind.value),
            ("Granted by", bureau_name(licence.issuer.target if licence.issuer else None)),
            ("Investigated by", bureau_name(licence.enforcer.target if licence.enforcer else None) or grantor),
            ("Requires first", names.join(names(dataset.licences[c.target]) for c in licence.requires) or "—"),
        ]
    )
    provisions = list(
        dict.fromkeys([*licence.provisions, *(p for c in (licence.issuer, licence.enforcer, *licence.requires) if c for p in c.provisions)])
    )
    body = Group(facts, *_rests_on(dataset, cite(dataset, provisions), names))
    return names.with_note(Boxed(body, data(names(licence), "bold")))


# -- lists ----------------------------------------------------------------------------------------------------


def _dataset_title(dataset: Dataset, names: Names) -> str:
    return names.pick(dataset.info.title, dataset.info.title_en)


def domains_table(dataset: Dataset, lang: str) -> RenderableType:
    names = Names(lang)
    table = Table(title=Text.assemble("Domains — ", data(_dataset_title(dataset, names))), title_justify="left")
    table.add_column("id", no_wrap=True, style="dim")
    table.add_column("domain")
    table.add_column("activities", justify="right", no_wrap=True)
    table.add_column("competent department")
    for domain in dataset.domains.values():
        competent = [dataset.bureaus[d.bureau] for d in dataset.duties_by_target.get(domain.id, ()) if d.competent]
        count = len(dataset.activities_by_domain.get(domain.id, ()))
        table.add_row(_id(domain.id, ""), flow(names(domain)), str(count), _bureau_list(competent, names))
    return names.with_note(table)


def bureaus_table(dataset: Dataset, lang: str, width: int) -> RenderableType:
    """Every bureau; in Chinese its name and full name, in English its English name and its Chinese name.
    Below :data:`NARROW` columns the two names share a column, as do level, system and the count of duties."""
    names = Names(lang)
    table = Table(title=Text.assemble("Bureaus — ", data(_dataset_title(dataset, names))), title_justify="left")
    name_header, other_header = ("English name", "Chinese name") if names.en else ("name", "full name")
    narrow = width < NARROW
    table.add_column("id", no_wrap=True, style="dim")
    if narrow:
        table.add_column(f"{name_header} / {other_header}")
        table.add_column("level · system · duties")
    else:
        for header in (name_header, other_header):
            table.add_column(header)
        for header in ("level", "system", "duties"):
            table.add_column(header, no_wrap=True, justify="right" if header == "duties" else "left")
    for bureau in dataset.bureaus.values():
        other = bureau.name if names.en else bureau.full_name
        other_cell = flow(other) if other else Text("unknown", style="dim")
        level = bureau.level or "unknown"
        system = names.pick(bureau.system, None) if bureau.system else "—"
        count = len(dataset.duties_by_bureau.get(bureau.id, ()))
        if narrow:
            both = Group(flow(names(bureau)), flow(other, "dim") if other else Text("unknown", style="dim"))
            table.add_row(_id(bureau.id, ""), both, flow(f"{level} · {system} · {count}"))
        else:
            table.add_row(_id(bureau.id, ""), flow(names(bureau)), other_cell, Text(level), data(system), str(count))
    return names.with_note(table)


def findings_view(findings: Sequence[Finding], width: int) -> RenderableType:
    """The gaps: a table on a wide terminal, one block per finding below :data:`NARROW` columns."""
    title = Text("Gaps and overlaps", style="bold")
    if width < NARROW:
        blocks: list[RenderableType] = [title]
        for finding in findings:
            head = Text.assemble(
                (finding.severity.value, _SEVERITY_STYLE[finding.severity]), " · ", data(finding.kind), " · ", data(finding.subject, "bold")
            )
            blocks += [Text(""), Flow(head, indent="  "), flow(finding.message, first_indent="  ", indent="  ")]
        return Group(*blocks)
    table = Table(title=title, title_justify="left", expand=True)
    table.add_column("severity", no_wrap=True)
    table.add_column("kind", no_wrap=True)
    table.add_column("about", ratio=1)
    table.add_column("finding", ratio=3)
    for finding in findings:
        table.add_row(
            Text(finding.severity.value, style=_SEVERITY_STYLE[finding.severity]),
            _id(finding.kind, ""),
            flow(finding.subject),
            flow(finding.message),
        )
    return table
