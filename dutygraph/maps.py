"""Interactive responsibility maps: one self-contained HTML file that works offline.

pyvis turns the duty graph into vis-network node and edge data; the page is our own template
(``dutygraph/templates/map.html``) with vis-network inlined from the copy pyvis ships — no CDN, no web fonts,
nothing fetched. Positions are computed here (a radial layout: domains inside, their activities and licences
around them, bureaus on the outer ring next to what they are responsible for) and physics is off, so a map of
thousands of nodes opens stable and stays responsive.

Text from the dataset reaches the page only as JSON inside ``<script type="application/json">`` with ``<``,
``>`` and ``&`` escaped, and the page's script writes it with ``textContent`` only.
"""

from __future__ import annotations

import colorsys
import hashlib
import json
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dutygraph.engine import Decision, cite, decide
from dutygraph.files import output_path
from dutygraph.graph import edge_rows
from dutygraph.jsonview import citation_view, decision_view
from dutygraph.model import Activity, Bureau, Dataset, Domain, Licence

__all__ = ["MapSpec", "build_map", "map_payload", "render_map", "vis_network_assets"]

JSON = dict[str, Any]
TEMPLATES = Path(__file__).resolve().parent / "templates"

SHAPES = {"Bureau": "box", "Domain": "hexagon", "Activity": "dot", "Licence": "diamond"}
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
    "ENFORCES": ("查处无证", "investigates", "#c92a2a"),
    "AUTHORIZES": ("许可", "authorizes", "#adb5bd"),
    "REQUIRES": ("前置", "requires", "#f08c00"),
    "IN_DOMAIN": ("属于", "in domain", "#ced4da"),
    "HAS_DUTY": ("职责", "duty", "#74c0fc"),
    "LEADS": ("另有规定", "explicit", "#2b8a3e"),
    "ACTS_THROUGH": ("由…实施", "acts through", "#b197fc"),
    "SUCCEEDED_BY": ("继任", "succeeded by", "#495057"),
}
LEAD_COLOUR = "#e03131"
MAP_KINDS = ("Domain", "Activity", "Licence", "Bureau")


@dataclass(frozen=True)
class MapSpec:
    """What to draw: the whole dataset, or one domain or bureau and its neighbourhood; labels in ``lang``."""

    focus_kind: str | None = None  # "domain" | "bureau" | None for the whole dataset
    focus_id: str | None = None
    lang: str = "zh"


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


def _short(text: str, limit: int = 14) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


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
        return core | bureaus | {b.counterpart.target for b in map(dataset.bureaus.get, bureaus) if b and b.counterpart}
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
# Layout: rings around the centre.


def _spread(wanted: Sequence[tuple[str, float]], min_gap: float) -> dict[str, float]:
    """Angles as close to the wanted ones as possible, at least ``min_gap`` apart, in circular order."""
    if not wanted:
        return {}
    ordered = sorted(wanted, key=lambda item: (item[1] % math.tau, item[0]))
    if min_gap * len(ordered) >= math.tau:
        return {ident: i * math.tau / len(ordered) for i, (ident, _) in enumerate(ordered)}
    placed: list[float] = []
    for _, angle in ordered:
        angle %= math.tau
        placed.append(max(angle, placed[-1] + min_gap) if placed else angle)
    overflow = placed[-1] - (placed[0] + math.tau - min_gap)
    if overflow > 0:  # wrapped past the first: shift everything back evenly
        placed = [a - overflow * (i + 1) / len(placed) for i, a in enumerate(placed)]
    return {ident: angle for (ident, _), angle in zip(ordered, placed, strict=True)}


def _ring_radius(count: int, spacing: float, inner: float) -> float:
    return max(inner, count * spacing / math.tau)


def _mean_angle(angles: Iterable[float]) -> float | None:
    values = list(angles)
    if not values:
        return None
    return math.atan2(sum(math.sin(a) for a in values), sum(math.cos(a) for a in values))


def _layout(dataset: Dataset, nodes: set[str], edges: Sequence[tuple[str, str]]) -> dict[str, tuple[float, float]]:
    neighbours: dict[str, list[str]] = defaultdict(list)
    for source, target in edges:
        neighbours[source].append(target)
        neighbours[target].append(source)
    angle: dict[str, float] = {}
    radius: dict[str, float] = {}

    def ring(ids: list[str], inner: float, spacing: float, fallback: float = 0.0) -> None:
        if not ids:
            return
        wanted = []
        for ident in ids:
            mean = _mean_angle(angle[n] for n in neighbours[ident] if n in angle)
            wanted.append((ident, fallback if mean is None else mean))
        r = _ring_radius(len(ids), spacing, inner)
        for ident, a in _spread(wanted, spacing / r).items():
            angle[ident], radius[ident] = a, r

    # Domains get sectors in proportion to their activities; each domain sits in the middle of its sector and
    # its activities fan out across it, so a domain's field reads as one slice of the map.
    activities = sorted(n for n in nodes if n in dataset.activities)
    by_domain: dict[str | None, list[str]] = defaultdict(list)
    for ident in activities:
        domain = dataset.activities[ident].domain
        by_domain[domain if domain in nodes else None].append(ident)
    domains = sorted(n for n in nodes if n in dataset.domains)
    sectors: list[str | None] = [*domains, *([None] if by_domain.get(None) else [])]
    weights = [max(1, len(by_domain.get(d, []))) for d in sectors]
    total = sum(weights) or 1
    wanted: list[tuple[str, float]] = []
    start = 0.0
    domain_radius = 0.0 if len(domains) <= 1 else _ring_radius(len(domains), 260, 220)
    for sector, weight in zip(sectors, weights, strict=True):
        width = math.tau * weight / total
        if sector is not None:
            angle[sector], radius[sector] = start + width / 2, domain_radius
        members = by_domain.get(sector, [])
        wanted += [(ident, start + width * (k + 0.5) / len(members)) for k, ident in enumerate(members)]
        start += width
    placed = [(d, angle[d]) for d in domains]
    for ident, a in _spread(placed, 300 / max(domain_radius, 1.0)).items():
        angle[ident] = a
    if activities:
        r = _ring_radius(len(activities), 120, domain_radius + 330)
        for ident, a in _spread(wanted, 120 / r).items():
            angle[ident], radius[ident] = a, r
    inner = max(radius.values(), default=0.0)
    licences = sorted(n for n in nodes if n in dataset.licences)
    ring(licences, inner + 300, 120, fallback=math.pi / 2)
    inner = max(radius.values(), default=0.0)
    bureaus = sorted(n for n in nodes if n in dataset.bureaus)
    ring(bureaus, inner + 330, 170, fallback=-math.pi / 2)
    return {n: (round(radius[n] * math.cos(angle[n]), 1), round(radius[n] * math.sin(angle[n]), 1)) for n in angle}


# ---------------------------------------------------------------------------------------------------------
# The payload the page renders.


def _citations(dataset: Dataset, provisions: Iterable[str]) -> list[str]:
    """Citations are provision ids; the page looks their document, path and quote up in one shared table."""
    return list(dict.fromkeys(p for p in provisions if p in dataset.provisions))


def _compact(decision: JSON) -> JSON:
    """A decision view with its citations as provision ids (the trace steps' own citations are not shown)."""
    trace = [{k: v for k, v in step.items() if k != "citations"} for step in decision["trace"]]
    return {**decision, "trace": trace, "citations": [c["provision"] for c in decision["citations"]]}


def _facts(rows: Iterable[tuple[str, str | None]]) -> list[list[str]]:
    return [[key, value if value else "—"] for key, value in rows]


@dataclass(frozen=True)
class _Lookup:
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


def _node_detail(dataset: Dataset, lookup: _Lookup, ident: str, lang: str, decision: Decision | None) -> JSON:
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
                ("本地由 acts through", name_of(b.counterpart.target) if b.counterpart else None),
                ("发证 grants", "、".join(grants)),
                ("查处无证 investigates", "、".join(investigates)),
                ("说明 note", b.note),
            ]
        )
        provisions = [*b.provisions, *(p for d in dataset.duties_by_bureau.get(ident, ()) for p in d.provisions)]
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
        detail: JSON = {"kind": "Activity", "title": a.name, "facts": facts, "citations": _citations(dataset, a.provisions)}
        if decision is not None:
            detail["decision"] = _compact(decision_view(decision))
        return detail
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


def map_payload(dataset: Dataset, spec: MapSpec = MapSpec()) -> JSON:
    """Everything the page shows, as plain data: vis nodes and edges (via pyvis), details, filters, legend."""
    scope = _scope(dataset, spec)
    decisions = {a: decide(dataset, a) for a in sorted(scope & set(dataset.activities))}
    raw_edges = [(s, t, kind, props) for s, t, kind, props in edge_rows(dataset) if s in scope and t in scope]
    lead_edges = [(d.lead.id, a, d) for a, d in decisions.items() if d.lead is not None and d.lead.id in scope]
    positions = _layout(dataset, scope, [(s, t) for s, t, _, _ in raw_edges] + [(b, a) for b, a, _ in lead_edges])
    domains_of = _domain_membership(dataset, scope, raw_edges)
    lang = spec.lang

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
        x, y = positions.get(ident, (0.0, 0.0))
        label = _name(entity, lang)
        node = {"id": ident, "label": _short(label), "shape": SHAPES[kind], "x": x, "y": y, "physics": False}
        node |= _node_style(entity, kind, decisions.get(ident))
        nodes.append(node)
        details[ident] = _node_detail(dataset, lookup, ident, lang, decisions.get(ident))
        search = {n for n in (ident, entity.name, entity.name_en, *entity.aliases, getattr(entity, "full_name", None)) if n}
        index[ident] = {"kind": kind, "name": label, "search": sorted(search), "domains": sorted(domains_of.get(ident, ()))}

    edges: list[JSON] = []
    edge_details: dict[str, JSON] = {}
    labels_on = len(raw_edges) <= 400
    for number, (source, target, kind, props) in enumerate(raw_edges, start=1):
        zh, en, colour = EDGE_STYLE[kind]
        text = props.get("kind") if kind == "HAS_DUTY" else (en if lang == "en" else zh)
        ident = f"e{number}"
        edge = {"id": ident, "from": source, "to": target, "color": colour, "arrows": "to", "width": 1}
        if labels_on:
            edge["label"] = text
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
    for number, (bureau, activity, decision) in enumerate(lead_edges, start=1):
        ident = f"lead{number}"
        label = f"牵头打非 · {decision.rule.value}" if lang == "zh" else f"leads enforcement · {decision.rule.value}"
        edge = {"id": ident, "from": bureau, "to": activity, "color": LEAD_COLOUR, "width": 4, "arrows": "to", "lead": True}
        if labels_on:
            edge["label"] = label
        edges.append(edge)
        edge_details[ident] = {
            "kind": "LEAD",
            "title": f"{_name(entities[bureau], lang)} leads enforcement against illegal {_name(entities[activity], lang)}",
            "facts": _facts([("规则 rule", decision.rule.value)]),
            "decision": _compact(decision_view(decision)),
            "citations": [c.provision for c in decision.citations],
        }
    vis_nodes, vis_edges = _through_pyvis(nodes, edges)
    title = _title(dataset, spec, entities)
    systems = sorted({b.system for b in dataset.bureaus.values() if b.id in scope and b.system})
    return {
        "title": title,
        "lang": lang,
        "dataset": {"id": dataset.info.id, "title": dataset.info.title, "jurisdiction": dataset.info.jurisdiction},
        "nodes": vis_nodes,
        "edges": vis_edges,
        "details": {**details, **edge_details},
        "citations": _citation_table(dataset, [details, edge_details]),
        "index": index,
        "filters": {
            "domains": [[d, _name(dataset.domains[d], lang)] for d in sorted(scope & set(dataset.domains))],
            "bureaus": [[b, _name(dataset.bureaus[b], lang)] for b in sorted(scope & set(dataset.bureaus))],
            "kinds": [[k, f"{KIND_ZH[k]} {k}"] for k in MAP_KINDS],
        },
        "legend": {
            "kinds": [[k, SHAPES[k], f"{KIND_ZH[k]} {k}"] for k in MAP_KINDS],
            "systems": [[s, system_colour(s)] for s in systems],
            "lead": LEAD_COLOUR,
        },
        "counts": {
            "nodes": len(vis_nodes),
            "edges": len(vis_edges),
            "undetermined": sum(1 for d in decisions.values() if not d.determined),
        },
    }


def _citation_table(dataset: Dataset, groups: Sequence[Mapping[str, JSON]]) -> dict[str, JSON]:
    used: set[str] = set()
    for group in groups:
        for detail in group.values():
            used.update(detail.get("citations", ()))
            used.update(detail.get("decision", {}).get("citations", ()))
    return {c.provision: citation_view(c) for c in cite(dataset, sorted(used))}


def _node_style(entity: Any, kind: str, decision: Decision | None) -> JSON:
    if kind == "Bureau":
        colour = system_colour(entity.system)
        return {"color": {"background": colour, "border": colour}, "font": {"color": "#ffffff", "size": 16}, "margin": 8}
    if kind == "Domain":
        return {
            "color": {"background": "#212529", "border": "#000000"},
            "size": 38,
            "font": {"size": 22, "color": "#212529", "strokeWidth": 4},
        }
    if kind == "Licence":
        return {"color": {"background": "#ffd43b", "border": "#f08c00"}, "size": 14, "font": {"size": 13}}
    undetermined = decision is not None and not decision.determined
    background = "#fff3bf" if undetermined else "#d3f9d8"
    border = "#f59f00" if undetermined else "#2f9e44"
    return {
        "color": {"background": background, "border": border},
        "size": 16,
        "borderWidth": 3 if undetermined else 2,
        "font": {"size": 14},
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


def _title(dataset: Dataset, spec: MapSpec, entities: Mapping[str, Any]) -> str:
    if spec.focus_id is None:
        return f"{dataset.info.title} — 责任地图 responsibility map"
    return f"{_name(entities[spec.focus_id], spec.lang)} — {dataset.info.title}"


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


def gallery_specs(dataset: Dataset, lang: str = "zh") -> list[tuple[str, MapSpec]]:
    """The maps of a gallery: the whole dataset, then one per domain, as ``(file name, spec)``."""
    specs = [("map-all.html", MapSpec(lang=lang))]
    specs += [(f"map-{domain}.html", MapSpec("domain", domain, lang)) for domain in dataset.domains]
    return specs


def write_gallery(dataset: Dataset, out_dir: Path, lang: str = "zh") -> list[Path]:
    """Every map of :func:`gallery_specs` in ``out_dir``."""
    specs = [(output_path(out_dir, name), spec) for name, spec in gallery_specs(dataset, lang)]  # all checked before any write
    return [write_map(dataset, spec, path) for path, spec in specs]
