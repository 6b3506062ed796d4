"""``dutygraph lead``: who leads enforcement against illegal X. Typer declares the command (:mod:`dutygraph.cli.commands`);
this is what it does, shared with the fast path (:mod:`dutygraph.cli.fast`), so neither needs typer to answer."""

from __future__ import annotations

from dutygraph.cli.common import Lang, console, emit_json, open_data, question_date
from dutygraph.cli.status import ExitCode
from dutygraph.errors import UsageError
from dutygraph.model import Activity, Domain

__all__ = ["lead", "licence_names"]


def licence_names(missing: list[str] | None) -> list[str]:
    """The names given with --missing (repeated, or separated by commas); an empty one is a usage error."""
    names = [name.strip() for item in missing or [] for name in item.split(",")]
    if any(not name for name in names):
        raise UsageError("--missing needs a licence name, got an empty one")
    return names


def lead(
    name: str,
    missing: list[str] | None = None,
    as_of: str | None = None,
    sector: str | None = None,
    citations: bool = True,
    data: str | None = None,
    as_json: bool = False,
    lang: Lang = Lang.zh,
) -> ExitCode:
    """Answer, print the answer, and return the exit code: 4 when the data does not decide, 9 when the date falls
    inside a succession window, else 0."""
    from dutygraph.engine import activities_in_force, decide
    from dutygraph.jsonview import decision_view
    from dutygraph.resolve import resolve

    date = question_date(as_of)
    licences = licence_names(missing)  # a usage error before the dataset is opened
    dataset = open_data(data)
    kind, entity = resolve(dataset, name, ("activity", "domain"))
    sector_id = resolve(dataset, sector, ("domain",))[1].id if sector else None
    group = isinstance(entity, Activity) and bool(entity.members)
    if kind == "domain" or group:
        if missing:
            raise UsageError(f"--missing applies to one activity, not to a whole {kind if kind == 'domain' else 'group of activities'}")
        members = entity.members if isinstance(entity, Activity) else [a.id for a in dataset.activities_by_domain.get(entity.id, ())]
        in_force = {a.id for a in activities_in_force(dataset, date)}
        decisions = [decide(dataset, ident, as_of=date, sector=sector_id) for ident in members if ident in in_force]
    else:
        licence_ids = [resolve(dataset, m, ("licence",))[1].id for m in licences]
        decisions = [decide(dataset, entity.id, licence_ids or None, date, sector_id)]
    if as_json:
        from dutygraph.jsonview import activity_view, domain_view

        if kind == "domain":
            emit_json({"domain": domain_view(entity), "decisions": [decision_view(d) for d in decisions]})  # type: ignore[arg-type]
        elif group:
            emit_json({"group": activity_view(entity), "decisions": [decision_view(d) for d in decisions]})  # type: ignore[arg-type]
        else:
            emit_json(decision_view(decisions[0]))
    else:
        from dutygraph.cli import render

        if kind == "domain" or group:
            assert isinstance(entity, (Domain, Activity))
            console().print(render.decisions_table(entity, decisions, lang.value))
        else:
            console().print(render.decision_panel(dataset, decisions[0], lang.value, citations))
    if not all(d.determined for d in decisions):
        return ExitCode.UNDETERMINED
    if any(d.uncertain_in_time for d in decisions):
        return ExitCode.UNCERTAIN_IN_TIME
    return ExitCode.OK
