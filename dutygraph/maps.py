"""Interactive responsibility maps: one self-contained HTML file that works offline.

pyvis turns the duty graph into vis-network node and edge data; the page is our own template
(``dutygraph/templates/map.html``) with vis-network inlined from the copy pyvis ships — no CDN, no web fonts,
nothing fetched. Positions are computed here (``dutygraph.maplayout``: one band per domain, bureaus beside what
they are responsible for) and physics is off, so a map of thousands of nodes opens stable and stays responsive.

Every map speaks for one date (``MapSpec.as_of``, the dataset's own date by default): the activities in force,
the decisions, the organs (with their successions) and the citations are those of that date, and the title and the
side panel say which date it is.

For the decision path, every decision the page can show is computed here with :func:`dutygraph.engine.decide`
and embedded as :func:`dutygraph.jsonview.decision_view` JSON — for each activity, one per combination of missing
licences the CLI accepts (at most ``MAX_COMBINATIONS``). The page's script only selects among them.

The matrix tab (职责分工表) is :func:`dutygraph.matrix.build_matrix` for the map's scope and date, embedded as
:func:`dutygraph.jsonview.matrix_view` JSON — the same roles, marks and rules as ``dutygraph matrix`` — built from
the very Decision objects of the decision paths.

Text from the dataset reaches the page only as JSON inside ``<script type="application/json">`` with ``<``,
``>`` and ``&`` escaped, and the page's script writes it with ``textContent`` only.
"""

from __future__ import annotations

import colorsys
import datetime as dt
import hashlib
import itertools
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from msgspec import Struct

from dutygraph.decision import Decision, TransferStatus
from dutygraph.engine import activities_in_force, cite, decide, in_time, licences_in_scope
from dutygraph.errors import UsageError
from dutygraph.files import output_path
from dutygraph.graph import edge_rows
from dutygraph.jsonview import citation_view, decision_view, matrix_view
from dutygraph.maplayout import DOMAIN_FONT, FONT, MARGIN, LayoutInput, layout
from dutygraph.matrix import MARKS, ROLE_NAMES, build_matrix
from dutygraph.model import Activity, Bureau, Dataset, Domain, Licence

__all__ = ["MapSpec", "build_map", "date_text", "map_payload", "render_map", "vis_network_assets"]

JSON = dict[str, Any]
TEMPLATES = Path(__file__).resolve().parent / "templates"

KIND_ZH = {"Bureau": "部门", "Domain": "领域", "Activity": "活动", "Licence": "许可"}
SYSTEM_COLOURS = {
    "安监": "#e8590c",
    "公安": "#1c7ed6",
    "工商": "#2f9e44",
    "交通运输": "#0c8599",
    "质监": "#7048e8",
    "环保": "#5c940d",
    "卫生": "#d6336c",
    "邮政": "#f08c00",
    "体育": "#ae3ec9",
    "住建": "#a0522d",
    "经信": "#495057",
    "能源": "#c92a2a",
    "乡镇": "#868e96",
    "海事": "#1864ab",
}
EDGE_STYLE: Mapping[str, tuple[str, str, str]] = {
    # type: (Chinese label, English label, colour)
    "ISSUES": ("发证", "issues", "#868e96"),
    "ENFORCES": ("查处无证", "investigates", "#862e9c"),
    "AUTHORIZES": ("许可", "authorizes", "#adb5bd"),
    "REQUIRES": ("前置", "requires", "#f08c00"),
    "IN_DOMAIN": ("属于", "in domain", "#ced4da"),
    "HAS_DUTY": ("职责", "duty", "#74c0fc"),
    "LEADS": ("另有规定", "explicit", "#2b8a3e"),
    "GUIDED_BY": ("受…指导", "guided by", "#b197fc"),
    "AGENCY_OF": ("隶属", "agency of", "#9775fa"),
    "MEMBER_OF": ("属于", "member of", "#adb5bd"),
    "SUCCEEDED_BY": ("继任", "succeeded by", "#495057"),
}
LEAD_COLOUR = "#e03131"
MAP_KINDS = ("Domain", "Activity", "Licence", "Bureau")
KIND_COLOURS = {
    # kind: (background, border) of its boxes; bureaus take the colour of their system
    "Domain": ("#212529", "#000000"),
    "Activity": ("#d3f9d8", "#2f9e44"),
    "Licence": ("#fff9db", "#f59f00"),
    "Bureau": ("#adb5bd", "#868e96"),
}
UNDETERMINED_COLOURS = ("#ffe8cc", "#e8590c")
NO_ANSWER_COLOURS = ("#f1f3f5", "#adb5bd")
"""An activity without an answer on the dataset's date: a group of activities, or not yet in force."""
MAX_COMBINATIONS = 16
"""Decisions embedded per activity: its default and then combinations of missing licences, smallest first."""
HEADERS = {
    "zh": {
        "Domain": "领域",
        "Licence": "许可",
        "Activity": "活动",
        "Bureau": "部门",
        "Beside": "受右侧部门指导/隶属",
        "none": "未归入领域",
    },
    "en": {
        "Domain": "Domain",
        "Licence": "Licences",
        "Activity": "Activities",
        "Bureau": "Bureaus",
        "Beside": "acting organs (of the bureau →)",
        "none": "no domain",
    },
}


MATRIX_MAX_CELLS = 40_000
"""The matrix tab draws at most this many cells (activities x bureaus) at once; a larger one asks for a filter."""


class MapSpec(Struct, frozen=True):
    """What to draw: the whole dataset, or one domain or bureau and its neighbourhood; labels in ``lang``; as on
    the date ``as_of`` (default: the dataset's own date)."""

    focus_kind: str | None = None  # "domain" | "bureau" | None for the whole dataset
    focus_id: str | None = None
    lang: str = "zh"
    as_of: dt.date | None = None

    def date(self, dataset: Dataset) -> dt.date | None:
        """The date the map speaks for: ``as_of``, else the dataset's own date."""
        return self.as_of or dataset.info.as_of


def system_colour(system: str | None) -> str:
    """A bureau's colour by its system (安监, 公安 …); unknown systems get a stable colour of their own."""
    if system in SYSTEM_COLOURS:
        return SYSTEM_COLOURS[system]
    if not system:
        return "#adb5bd"
    hue = int(hashlib.sha256(system.encode()).hexdigest()[:4], 16) / 0xFFFF
    r, g, b = colorsys.hls_to_rgb(hue, 0.45, 0.55)
    return f"#{int(r * 255):02x}{int(g * 255):02x}{int(b * 255):02x}"


def _name(entity: Bureau | Domain | Activity | Licence, lang: str) -> str:
    return entity.name_en if lang == "en" and entity.name_en else entity.name


# ---------------------------------------------------------------------------------------------------------
# Scope: which nodes a map shows.


def _scope(dataset: Dataset, spec: MapSpec) -> set[str]:
    everything = {*dataset.bureaus, *dataset.domains, *dataset.activities, *dataset.licences}
    if spec.focus_kind is None:
        return everything
    adjacent = _adjacency(dataset)
    if spec.focus_kind == "domain":
        assert spec.focus_id is not None
        activities = {a.id for a in dataset.activities_by_domain.get(spec.focus_id, ())}
        licences = {c.target for a in activities for c in dataset.activities[a].licences}
        licences |= {r.target for lic in list(licences) for r in dataset.licences[lic].requires}
        core = {spec.focus_id, *activities, *licences}
        bureaus = {n for node in core for n in adjacent[node] if n in dataset.bureaus}
        related = (c.target for b in map(dataset.bureaus.get, bureaus) if b for c in (b.guided_by, b.agency_of) if c)
        return core | bureaus | set(related)
    assert spec.focus_kind == "bureau" and spec.focus_id is not None
    near = {spec.focus_id, *adjacent[spec.focus_id]}
    near |= {a for lic in near if lic in dataset.licences for a in adjacent[lic] if a in dataset.activities}
    return near & everything


def _adjacency(dataset: Dataset) -> dict[str, set[str]]:
    adjacent: dict[str, set[str]] = defaultdict(set)
    for source, target, _, _ in edge_rows(dataset):
        adjacent[source].add(target)
        adjacent[target].add(source)
    return adjacent


# ---------------------------------------------------------------------------------------------------------
# The payload the page renders.


def _citations(dataset: Dataset, provisions: Iterable[str]) -> list[str]:
    """Citations are provision ids; the page looks their document, path and quote up in one shared table."""
    return list(dict.fromkeys(p for p in provisions if p in dataset.provisions))


def _provision_ids(value: Any, depth: int = 0) -> Any:
    """``value`` with every list of citation views under a "citations" key, at any depth, as provision ids."""
    if isinstance(value, list):
        return [_provision_ids(item, depth + 1) for item in value]
    if not isinstance(value, dict) or depth > 6:
        return value
    result = {}
    for key, item in value.items():
        if key == "citations" and isinstance(item, list) and all(isinstance(c, dict) and "provision" in c for c in item):
            result[key] = [c["provision"] for c in item]
        else:
            result[key] = _provision_ids(item, depth + 1)
    return result


def compact_decision(decision: JSON) -> JSON:
    """A decision view with every citation (its own, its steps', and any inside fields the engine adds) as a
    provision id of the shared table. Fields this module does not know are kept: the page shows them generically."""
    compact: JSON = _provision_ids(decision)
    return compact


def _cited_provisions(value: Any, depth: int = 0) -> Iterator[str]:
    """Every provision id under a "citations" key in a compacted decision."""
    if isinstance(value, list):
        for item in value:
            yield from _cited_provisions(item, depth + 1)
    elif isinstance(value, dict) and depth <= 6:
        for key, item in value.items():
            if key == "citations" and isinstance(item, list):
                yield from (c for c in item if isinstance(c, str))
            else:
                yield from _cited_provisions(item, depth + 1)


DECISION_ROLES = ("lead", "cooperating", "candidates", "guided_by")
"""Fields of a decision view that name bureaus the decision path highlights (the last one is new in the engine)."""


def decision_bureaus(view: Mapping[str, Any]) -> dict[str, str]:
    """Bureau id → its role in a decision view: the fields of ``DECISION_ROLES``, then any other field that holds
    bureau views (``{"id": …, "name_zh": …}``), named by that field."""
    roles: dict[str, str] = {}

    def walk(value: Any, role: str, depth: int = 0) -> None:
        if isinstance(value, dict):
            if isinstance(value.get("id"), str) and "name_zh" in value:
                roles.setdefault(value["id"], role)
            elif depth < 2:
                for item in value.values():
                    walk(item, role, depth + 1)
        elif isinstance(value, list) and depth < 2:
            for item in value:
                walk(item, role, depth + 1)

    for role in DECISION_ROLES:
        walk(view.get(role), role)
    for key, value in view.items():
        if key not in ("activity", "missing", "trace", "citations", *DECISION_ROLES):
            walk(value, key)
    return roles


def missing_combinations(scope: Sequence[str], own: Sequence[str]) -> list[tuple[int, ...]]:
    """Index tuples of the licence combinations to precompute: the activity's own licences (the CLI's default)
    first, then every non-empty subset by size, up to ``MAX_COMBINATIONS`` in all."""
    default = tuple(sorted(scope.index(o) for o in own))
    chosen = [default]
    for size in range(1, len(scope) + 1):
        for subset in itertools.combinations(range(len(scope)), size):
            if len(chosen) >= MAX_COMBINATIONS:
                return chosen
            if subset != default:
                chosen.append(subset)
    return chosen


def decision_paths(
    dataset: Dataset,
    activity_ids: Iterable[str],
    lang: str = "zh",
    as_of: dt.date | None = None,
    defaults: Mapping[str, Decision] | None = None,
) -> dict[str, JSON]:
    """For each activity in force on ``as_of`` (the dataset's date by default), the decisions the page can show:
    keyed by the indices (into ``licences``) of the missing licences, ``default`` naming the key of the CLI's
    default (no ``--missing``). ``defaults`` are default decisions already made (the matrix's), reused as they are.

    A combination the engine refuses (as the CLI would) is left out, and so is an activity without an answer (a
    group of activities, or one whose sources are not yet in force)."""
    wanted = set(activity_ids)
    made = defaults or {}
    paths: dict[str, JSON] = {}
    for activity in activities_in_force(dataset, as_of):
        if activity.id not in wanted:
            continue
        scope = licences_in_scope(dataset, activity)
        made_default = made.get(activity.id) or decide(dataset, activity.id, as_of=as_of)
        default = compact_decision(decision_view(made_default))
        default_key = tuple(sorted(scope.index(m["id"]) for m in default["missing"] if m["id"] in scope))
        combos: dict[str, JSON] = {",".join(map(str, default_key)): default}
        refused = 0
        for subset in missing_combinations(scope, [scope[i] for i in default_key])[1:]:
            try:
                decision = decide(dataset, activity.id, [scope[i] for i in subset], as_of=as_of)
            except UsageError:
                refused += 1
                continue
            combos[",".join(map(str, subset))] = compact_decision(decision_view(decision))
        total = 2 ** len(scope) - 1 if scope else 1
        paths[activity.id] = {
            "licences": [[lic, _name(dataset.licences[lic], lang)] for lic in scope],
            "own": [scope.index(c.target) for c in activity.licences if c.target in scope],
            "default": ",".join(map(str, default_key)),
            "combos": combos,
            "complete": len(combos) + refused >= total,
        }
    return paths


def _facts(rows: Iterable[tuple[str, str | None]]) -> list[list[str]]:
    return [[key, value if value else "—"] for key, value in rows]


class _Lookup(Struct, frozen=True):
    """Indexes built once per map, so that each node's details cost the same whatever the map's size."""

    names: Mapping[str, Bureau | Domain | Activity | Licence]
    grants: Mapping[str, list[str]]
    investigates: Mapping[str, list[str]]

    @classmethod
    def of(cls, dataset: Dataset) -> _Lookup:
        grants: dict[str, list[str]] = defaultdict(list)
        investigates: dict[str, list[str]] = defaultdict(list)
        for lic in dataset.licences.values():
            if lic.issuer:
                grants[lic.issuer.target].append(lic.name)
            if lic.enforcer:
                investigates[lic.enforcer.target].append(lic.name)
        names: dict[str, Bureau | Domain | Activity | Licence] = {**dataset.bureaus, **dataset.licences}
        names |= {**dataset.activities, **dataset.domains}
        return cls(names, grants, investigates)


STATUS_TEXT = {
    TransferStatus.BEFORE: "before the window",
    TransferStatus.INSIDE: "inside the window",
    TransferStatus.AFTER: "after the window",
}


def _in_time(dataset: Dataset, bureau: Bureau, date: dt.date | None, lang: str) -> tuple[list[str], list[str]]:
    """What the recorded successions say of ``bureau`` on ``date``: lines of text, and the provisions they rest on.

    As its predecessor: who holds its duties on the date (the engine's :func:`~dutygraph.engine.in_time`); as a
    successor: whom it succeeded, and whether the date is before, inside or after that window."""
    if date is None:
        return [], []
    lines: list[str] = []
    provisions: list[str] = []

    def names(bureaus: Iterable[Bureau]) -> str:
        return "、".join(_name(b, lang) for b in bureaus)

    found = in_time(dataset, bureau.id, date)
    transfer = found.transfer
    if transfer is not None:
        status, window, successors = STATUS_TEXT[transfer.status], transfer.window, names(transfer.successors)
        predecessor = _name(transfer.predecessor, lang)
        if transfer.status is TransferStatus.BEFORE:
            lines.append(f"{predecessor} → {successors} {window}; on {date.isoformat()} ({status}) {predecessor} holds its duties")
        elif transfer.status is TransferStatus.INSIDE:
            lines.append(
                f"{predecessor} → {successors} {window}; {date.isoformat()} is {status}: {predecessor} or {successors}, "
                "depending on a transfer date no shipped source gives"
            )
        else:
            lines.append(f"{predecessor} → {successors} {window}; on {date.isoformat()} ({status}) {names(found.bureaus)} holds the duties")
        provisions += [p for step in found.notes for c in step.citations for p in (c.provision,)]
    elif dataset.info.as_of is not None and date > dataset.info.as_of and not any(s.successor == bureau.id for s in dataset.successions):
        lines.append(
            f"no succession is recorded after {dataset.info.as_of.isoformat()}: the dataset does not say whether it was "
            f"reorganised by {date.isoformat()}"
        )
    predecessors = dict.fromkeys(s.predecessor for s in dataset.successions if s.successor == bureau.id)
    for predecessor_id in predecessors:
        before = in_time(dataset, predecessor_id, date)
        if before.transfer is None or bureau.id not in {b.id for b in before.transfer.successors}:
            continue
        status, window = STATUS_TEXT[before.transfer.status], before.transfer.window
        predecessor = _name(dataset.bureaus[predecessor_id], lang)
        what = {
            TransferStatus.BEFORE: f"{predecessor} still holds these duties",
            TransferStatus.INSIDE: f"{predecessor} or {_name(bureau, lang)}, depending on a transfer date no shipped source gives",
            TransferStatus.AFTER: f"{_name(bureau, lang)} holds them",
        }[before.transfer.status]
        lines.append(f"succeeded {predecessor} {window}; on {date.isoformat()} ({status}) {what}")
        provisions += [p for step in before.notes for c in step.citations for p in (c.provision,)]
    return lines, provisions


def _node_detail(dataset: Dataset, lookup: _Lookup, ident: str, lang: str, date: dt.date | None = None) -> JSON:
    names = lookup.names

    def name_of(other: str | None) -> str | None:
        return _name(names[other], lang) if other is not None and other in names else None

    if ident in dataset.bureaus:
        b = dataset.bureaus[ident]
        duties = [f"{d.kind}{'（主管）' if d.competent else ''} → {name_of(d.target)}" for d in dataset.duties_by_bureau.get(ident, ())]
        grants = lookup.grants.get(ident, [])
        investigates = lookup.investigates.get(ident, [])
        facts = _facts(
            [
                ("名称 name", b.name),
                ("全称 full name", b.full_name or "unknown"),
                ("English", b.name_en or "unknown"),
                ("层级 level", b.level or "unknown"),
                ("系统 system", b.system),
                ("别名 aliases", "、".join(b.aliases)),
                ("受…指导 guided by", name_of(b.guided_by.target) if b.guided_by else None),
                ("隶属 agency of", name_of(b.agency_of.target) if b.agency_of else None),
                ("发证 grants", "、".join(grants)),
                ("查处无证 investigates", "、".join(investigates)),
                ("说明 note", b.note),
            ]
        )
        in_time_lines, in_time_provisions = _in_time(dataset, b, date, lang)
        facts += [["沿革 in time", line] for line in in_time_lines]
        provisions = [*b.provisions, *(p for d in dataset.duties_by_bureau.get(ident, ()) for p in d.provisions), *in_time_provisions]
        return {
            "kind": "Bureau",
            "title": b.name,
            "facts": facts,
            "list_title": "职责 duties",
            "list": duties,
            "citations": _citations(dataset, provisions),
        }
    if ident in dataset.licences:
        lic = dataset.licences[ident]
        facts = _facts(
            [
                ("许可 licence", lic.name),
                ("English", lic.name_en),
                ("发证 granted by", name_of(lic.issuer.target) if lic.issuer else "unknown: no source names one"),
                ("查处无证 investigated by", name_of(lic.enforcer.target) if lic.enforcer else "the grantor (谁批准谁打非)"),
                ("前置 requires first", "、".join(dataset.licences[r.target].name for r in lic.requires)),
            ]
        )
        provisions = [*lic.provisions, *(p for c in (lic.issuer, lic.enforcer, *lic.requires) if c for p in c.provisions)]
        return {"kind": "Licence", "title": lic.name, "facts": facts, "citations": _citations(dataset, provisions)}
    if ident in dataset.activities:
        a = dataset.activities[ident]
        facts = _facts(
            [
                ("活动 activity", a.name),
                ("English", a.name_en),
                ("领域 domain", name_of(a.domain)),
                ("许可 licences", "、".join(dataset.licences[c.target].name for c in a.licences) or "none recorded"),
            ]
        )
        # The decision itself is the default entry of this activity's decision paths.
        return {"kind": "Activity", "title": a.name, "facts": facts, "citations": _citations(dataset, a.provisions)}
    d = dataset.domains[ident]
    competent = [name_of(x.bureau) or x.bureau for x in dataset.duties_by_target.get(ident, ()) if x.competent]
    facts = _facts([("领域 domain", d.name), ("English", d.name_en), ("主管 competent", "、".join(competent) or "none recorded")])
    activities = [_name(a, lang) for a in dataset.activities_by_domain.get(ident, ())]
    return {
        "kind": "Domain",
        "title": d.name,
        "facts": facts,
        "list_title": "活动 activities",
        "list": activities,
        "citations": _citations(dataset, d.provisions),
    }


def _default(paths: Mapping[str, JSON], activity: str) -> JSON:
    entry = paths[activity]
    decision: JSON = entry["combos"][entry["default"]]
    return decision


LINK_WEIGHTS = {"LEAD": 10.0, "LEADS": 4.0, "ENFORCES": 2.0, "ISSUES": 2.0, "HAS_DUTY": 1.0}
"""How strongly a bureau is drawn next to a node it is linked to (the layout's bureau column)."""


def _layout_input(
    dataset: Dataset,
    scope: set[str],
    raw_edges: Sequence[tuple[str, str, str, Any]],
    leads: Mapping[str, str],
    lang: str,
) -> LayoutInput:
    kinds: dict[str, str] = {}
    tables: tuple[tuple[str, Mapping[str, Any]], ...] = (
        ("Domain", dataset.domains),
        ("Activity", dataset.activities),
        ("Licence", dataset.licences),
        ("Bureau", dataset.bureaus),
    )
    for kind, table in tables:
        kinds |= {ident: kind for ident in table if ident in scope}
    names: dict[str, Bureau | Domain | Activity | Licence] = {**dataset.bureaus, **dataset.domains}
    names |= {**dataset.activities, **dataset.licences}
    links = [(b, a, LINK_WEIGHTS["LEAD"]) for a, b in leads.items()]
    leading = set(leads.values())
    for source, target, kind, props in raw_edges:
        if source in dataset.bureaus and kind in LINK_WEIGHTS:
            weight = LINK_WEIGHTS[kind] * (1.5 if kind == "HAS_DUTY" and props.get("competent") else 1.0)
            # Only lead arrows are drawn by default: a bureau that leads stands by what it leads.
            links.append((source, target, weight * (0.1 if source in leading and kind != "LEADS" else 1.0)))
    activities = [a for a in kinds if kinds[a] == "Activity"]
    return LayoutInput(
        kinds=kinds,
        labels={ident: _name(names[ident], lang) for ident in kinds},
        domain_of={a: dataset.activities[a].domain for a in activities},
        licences_of={a: [lic for lic in licences_in_scope(dataset, dataset.activities[a]) if lic in scope] for a in activities},
        links=links,
        acts_through=_beside(dataset, [b for b in kinds if kinds[b] == "Bureau"], scope),
        lead_of=dict(leads),
        headers=HEADERS["en" if lang == "en" else "zh"],
    )


def _beside(dataset: Dataset, bureaus: Iterable[str], scope: set[str]) -> dict[str, str]:
    """Bureau → the bureau on the map it stands beside: the city bureau that guides it where it acts (县级公安机关 →
    市公安局), else the bureau whose statutory agency it is (道路运输管理机构 → 市交通运输局)."""
    beside = {}
    for ident in bureaus:
        bureau = dataset.bureaus[ident]
        for cited in (bureau.guided_by, bureau.agency_of):
            if cited is not None and cited.target in scope:
                beside[ident] = cited.target
                break
    return beside


def map_payload(dataset: Dataset, spec: MapSpec = MapSpec()) -> JSON:
    """Everything the page shows, as plain data: vis nodes and edges (via pyvis), details, decision paths,
    layout bands, filters, legend."""
    lang = spec.lang
    date = spec.date(dataset)
    matrix = build_matrix(
        dataset,
        domain=spec.focus_id if spec.focus_kind == "domain" else None,
        bureau=spec.focus_id if spec.focus_kind == "bureau" else None,
        as_of=date,
    )
    scope = _scope(dataset, spec)
    if spec.focus_kind == "bureau":  # the activities its matrix column has a role for are on the map too
        scope |= {a.id for a in matrix.activities}
    paths = decision_paths(dataset, [a for a in dataset.activities if a in scope], lang, date, matrix.decisions)
    if spec.focus_kind == "domain":  # the bureaus any of its decisions names are on the map too
        named = {b for entry in paths.values() for view in entry["combos"].values() for b in decision_bureaus(view)}
        scope |= named & set(dataset.bureaus)
    raw_edges = [(s, t, kind, props) for s, t, kind, props in edge_rows(dataset) if s in scope and t in scope]
    defaults = {a: _default(paths, a) for a in paths}
    leads = {a: view["lead"]["id"] for a, view in defaults.items() if view.get("lead") and view["lead"]["id"] in scope}
    placed = layout(_layout_input(dataset, scope, raw_edges, leads, lang))
    domains_of = _domain_membership(dataset, scope, raw_edges)

    lookup = _Lookup.of(dataset)
    entities = lookup.names
    nodes: list[JSON] = []
    details: dict[str, JSON] = {}
    index: dict[str, JSON] = {}
    order = {kind: i for i, kind in enumerate(MAP_KINDS)}
    kinds = {**dict.fromkeys(dataset.bureaus, "Bureau"), **dict.fromkeys(dataset.domains, "Domain")}
    kinds |= {**dict.fromkeys(dataset.activities, "Activity"), **dict.fromkeys(dataset.licences, "Licence")}
    for ident in sorted(scope, key=lambda n: (order[kinds[n]], n)):
        entity, kind = entities[ident], kinds[ident]
        x, y = placed.positions[ident]
        node = {"id": ident, "label": placed.labels[ident], "shape": "box", "x": x, "y": y, "physics": False}
        node |= _node_style(entity, kind, defaults.get(ident), placed.widths[ident], answered=ident in paths)
        nodes.append(node)
        details[ident] = _node_detail(dataset, lookup, ident, lang, date)
        if ident in paths:  # its decisions: the page shows them as its decision path
            details[ident]["path"] = ident
        elif kind == "Activity":
            when = f"on {date.isoformat()}" if date else "on the map's date"
            details[ident]["facts"].append(["判定 decision", f"none {when}: a group of activities, or not yet in force"])
        search = {n for n in (ident, entity.name, entity.name_en, *entity.aliases, getattr(entity, "full_name", None)) if n}
        name = _name(entity, lang)
        index[ident] = {"kind": kind, "name": name, "search": sorted(search), "domains": sorted(domains_of.get(ident, ()))}

    edges: list[JSON] = []
    edge_details: dict[str, JSON] = {}
    for number, (source, target, kind, props) in enumerate(raw_edges, start=1):
        zh, en, colour = EDGE_STYLE[kind]
        text = props.get("kind") if kind == "HAS_DUTY" else (en if lang == "en" else zh)
        ident = f"e{number}"
        edge = {"id": ident, "from": source, "to": target, "color": colour, "arrows": "to", "width": 1, "kind": kind, "hidden": True}
        if kind == "HAS_DUTY" and props.get("competent"):
            edge["width"] = 2
        if kind == "REQUIRES":
            edge["dashes"] = True
        edges.append(edge)
        edge_details[ident] = {
            "kind": kind,
            "title": f"{_name(entities[source], lang)} —{text}→ {_name(entities[target], lang)}",
            "facts": _facts([("关系 relationship", kind), ("职责 duty kind", props.get("kind")), ("依据 basis", props.get("basis"))]),
            "citations": _citations(dataset, props.get("provisions", ())),
        }
    for number, (activity, bureau) in enumerate(leads.items(), start=1):
        ident = f"lead{number}"
        view = defaults[activity]
        edge = {"id": ident, "from": bureau, "to": activity, "color": LEAD_COLOUR, "width": 3, "arrows": "to", "lead": True, "kind": "LEAD"}
        edges.append(edge)
        edge_details[ident] = {
            "kind": "LEAD",
            "title": f"{_name(entities[bureau], lang)} leads enforcement against illegal {_name(entities[activity], lang)}",
            "facts": _facts([("规则 rule", view["rule"])]),
            "path": activity,
            "citations": [],
        }
    vis_nodes, vis_edges = _through_pyvis(nodes, edges)
    title = _title(dataset, spec, entities)
    systems = sorted({b.system for b in dataset.bureaus.values() if b.id in scope and b.system})
    present = {kind for _, _, kind, _ in raw_edges}
    table = matrix_view(dataset, matrix, {"type": spec.focus_kind or "dataset", "id": spec.focus_id})
    del table["citations"]  # the page's one citation table holds them, cited on the map's date
    return {
        "title": title,
        "lang": lang,
        "as_of": {
            "date": date.isoformat() if date else None,
            "dataset_date": dataset.info.as_of.isoformat() if dataset.info.as_of else None,
            "text": date_text(dataset, spec),
        },
        "dataset": {"id": dataset.info.id, "title": dataset.info.title, "jurisdiction": dataset.info.jurisdiction},
        "nodes": vis_nodes,
        "edges": vis_edges,
        "details": {**details, **edge_details},
        "paths": paths,
        "citations": _citation_table(dataset, [details, edge_details], paths, matrix.provisions(), date),
        "matrix": table,
        "matrix_style": {
            "marks": {role.value: list(marks) for role, marks in MARKS.items()},
            "names": {role.value: list(names) for role, names in ROLE_NAMES.items()},
            "systems": {str(g["system"]): system_colour(g["system"]) for g in table["columns"]},
            "max_cells": MATRIX_MAX_CELLS,
        },
        "index": index,
        "layout": {"bands": placed.bands, "headers": placed.headers, "extent": list(placed.extent), "font": FONT},
        "filters": {
            "domains": [[d, _name(dataset.domains[d], lang)] for d in dataset.domains if d in scope],
            "bureaus": [[b, _name(dataset.bureaus[b], lang)] for b in sorted(scope & set(dataset.bureaus))],
            "kinds": [[k, f"{KIND_ZH[k]} {k}"] for k in MAP_KINDS],
            "edges": [["LEAD", "牵头打非 leads enforcement", LEAD_COLOUR, True]]
            + [[kind, f"{zh} {en}", colour, False] for kind, (zh, en, colour) in EDGE_STYLE.items() if kind in present],
        },
        "legend": {
            "kinds": [[k, *KIND_COLOURS[k], f"{KIND_ZH[k]} {k}"] for k in MAP_KINDS if k != "Bureau"],
            "undetermined": [*UNDETERMINED_COLOURS, "牵头部门无法确定 lead undetermined"],
            "no_answer": [*NO_ANSWER_COLOURS, f"当日无答案（未生效或为活动组） no answer on {date.isoformat() if date else 'the date'}"],
            "systems": [[s, system_colour(s)] for s in systems],
            "lead": LEAD_COLOUR,
        },
        "counts": {
            "nodes": len(vis_nodes),
            "edges": len(vis_edges),
            "undetermined": sum(1 for view in defaults.values() if not view.get("lead")),
        },
    }


def _citation_table(
    dataset: Dataset,
    groups: Sequence[Mapping[str, JSON]],
    paths: Mapping[str, JSON],
    more: Iterable[str] = (),
    date: dt.date | None = None,
) -> dict[str, JSON]:
    """Every provision the page cites, once, cited on the map's ``date`` (a quote from a text version other than
    the one in force then says so)."""
    used: set[str] = set(more)
    for group in groups:
        for detail in group.values():
            used.update(detail.get("citations", ()))
    for entry in paths.values():
        for view in entry["combos"].values():
            used.update(_cited_provisions(view))
    return {c.provision: citation_view(c) for c in cite(dataset, sorted(p for p in used if p in dataset.provisions), date)}


def _colours(background: str, border: str) -> JSON:
    """A node's colours, the same when selected or hovered: the selection shows as a thicker border."""
    same = {"background": background, "border": border}
    return {**same, "highlight": same, "hover": same}


def _node_style(entity: Any, kind: str, decision: JSON | None, width: float, answered: bool = True) -> JSON:
    style: JSON = {"margin": MARGIN, "widthConstraint": {"minimum": width}, "borderWidth": 1, "borderWidthSelected": 3}
    if kind == "Bureau":
        colour = system_colour(entity.system)
        return style | {"color": _colours(colour, colour), "font": {"color": "#ffffff", "size": FONT}}
    if kind == "Domain":
        background, border = KIND_COLOURS["Domain"]
        return style | {"color": _colours(background, border), "font": {"size": DOMAIN_FONT, "color": "#ffffff"}}
    if kind == "Licence":
        background, border = KIND_COLOURS["Licence"]
        return style | {
            "color": _colours(background, border),
            "font": {"size": FONT, "color": "#212529"},
            "shapeProperties": {"borderDashes": [4, 3], "borderRadius": 0},
            "borderWidth": 1.5,
        }
    undetermined = decision is not None and not decision.get("lead")
    background, border = UNDETERMINED_COLOURS if undetermined else KIND_COLOURS["Activity"]
    if not answered:
        background, border = NO_ANSWER_COLOURS
    return style | {
        "color": _colours(background, border),
        "font": {"size": FONT, "color": "#212529"},
        "shapeProperties": {"borderRadius": 10},
        "borderWidth": 2.5 if undetermined else 1.5,
    }


def _domain_membership(dataset: Dataset, scope: set[str], edges: Sequence[tuple[str, str, str, Any]]) -> dict[str, set[str]]:
    """Which domains each node belongs to, for the domain filter: a domain's activities, their licences and bureaus."""
    member: dict[str, set[str]] = defaultdict(set)
    for domain in scope & set(dataset.domains):
        member[domain].add(domain)
    for activity in scope & set(dataset.activities):
        if dataset.activities[activity].domain:
            member[activity].add(dataset.activities[activity].domain or "")
    for _ in range(2):  # licences from activities, then bureaus from both
        for source, target, _, _ in edges:
            if target in member and source not in dataset.domains:
                member[source] |= member[target]
            if source in member and target in dataset.licences:
                member[target] |= member[source]
    return member


def _through_pyvis(nodes: list[JSON], edges: list[JSON]) -> tuple[list[JSON], list[JSON]]:
    """Let pyvis shape the vis-network data (it fills in its defaults), without its page or its CDN links."""
    from pyvis.network import Network

    network = Network(directed=True, cdn_resources="local")
    network.add_nodes([n["id"] for n in nodes], **{k: [n.get(k) for n in nodes] for k in ("label", "shape", "x", "y")})
    by_id = {n["id"]: n for n in network.nodes}
    for node in nodes:
        by_id[node["id"]].update({k: v for k, v in node.items() if k not in ("label", "shape", "x", "y")})
    for edge in edges:
        network.add_edge(edge["from"], edge["to"], **{k: v for k, v in edge.items() if k not in ("from", "to")})
    vis_nodes, vis_edges, *_ = network.get_network_data()
    return list(vis_nodes), list(vis_edges)


def date_text(dataset: Dataset, spec: MapSpec) -> str:
    """Which date a map speaks for, as its title and side panel say it."""
    date = spec.date(dataset)
    if date is None:
        return "日期未载 the dataset records no date"
    if date == dataset.info.as_of:
        return f"截至 as of {date.isoformat()}（文件日期 the dataset's date）"
    return f"截至 as of {date.isoformat()}"


def _title(dataset: Dataset, spec: MapSpec, entities: Mapping[str, Any]) -> str:
    if spec.focus_id is None:
        return f"{dataset.info.title} — 责任地图 responsibility map — {date_text(dataset, spec)}"
    return f"{_name(entities[spec.focus_id], spec.lang)} — {dataset.info.title} — {date_text(dataset, spec)}"


# ---------------------------------------------------------------------------------------------------------
# The page.


def vis_network_assets() -> tuple[str, str]:
    """The vis-network script and stylesheet that pyvis ships, to inline into the page."""
    import pyvis

    lib = Path(pyvis.__file__).resolve().parent / "templates" / "lib" / "vis-9.1.2"
    return (lib / "vis-network.min.js").read_text(encoding="utf-8"), (lib / "vis-network.css").read_text(encoding="utf-8")


def _json_for_script(payload: Any) -> str:
    """JSON that is safe inside <script type="application/json">: no character can close the element."""
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def render_map(payload: JSON) -> str:
    """The complete HTML page for a payload of :func:`map_payload`."""
    from html import escape

    script, style = vis_network_assets()
    page = (TEMPLATES / "map.html").read_text(encoding="utf-8")
    replacements = {
        "{{TITLE}}": escape(payload["title"]),
        "{{LANG}}": "en" if payload["lang"] == "en" else "zh-CN",
        "{{VIS_CSS}}": style,
        "{{MAP_CSS}}": (TEMPLATES / "map.css").read_text(encoding="utf-8"),
        "{{DATA}}": _json_for_script(payload),
        "{{VIS_JS}}": script.replace("</script", "<\\/script"),
        "{{MAP_JS}}": (TEMPLATES / "map.js").read_text(encoding="utf-8"),
    }
    # One pass over the template: a marker-like text inside an inserted value is never replaced again.
    return re.sub(r"\{\{[A-Z_]+\}\}", lambda match: replacements[match.group(0)], page)


def build_map(dataset: Dataset, spec: MapSpec = MapSpec()) -> str:
    """The HTML of a map of ``dataset`` (see :class:`MapSpec`)."""
    return render_map(map_payload(dataset, spec))


def write_map(dataset: Dataset, spec: MapSpec, path: Path) -> Path:
    """Write one map as a UTF-8 HTML file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(build_map(dataset, spec), encoding="utf-8")
    return path


def gallery_specs(dataset: Dataset, lang: str = "zh", as_of: dt.date | None = None) -> list[tuple[str, MapSpec]]:
    """The maps of a gallery: the whole dataset, then one per domain, as ``(file name, spec)``."""
    specs = [("map-all.html", MapSpec(lang=lang, as_of=as_of))]
    specs += [(f"map-{domain}.html", MapSpec("domain", domain, lang, as_of)) for domain in dataset.domains]
    return specs


def write_gallery(dataset: Dataset, out_dir: Path, lang: str = "zh", as_of: dt.date | None = None) -> list[Path]:
    """Every map of :func:`gallery_specs` in ``out_dir``."""
    specs = [(output_path(out_dir, name), spec) for name, spec in gallery_specs(dataset, lang, as_of)]  # all checked before any write
    return [write_map(dataset, spec, path) for path, spec in specs]
