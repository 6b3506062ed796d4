"""The duty graph: a networkx MultiDiGraph with the node and relationship kinds of DESIGN.md §2.

Node ids are the dataset's ids (unique across kinds); every node has ``label`` (Document, Provision, Bureau,
Domain, Activity, Licence) and camelCase properties; every edge has ``type`` (ISSUES, AUTHORIZES, REQUIRES,
ENFORCES, IN_DOMAIN, HAS_DUTY, LEADS, SUCCEEDED_BY, GUIDED_BY, AGENCY_OF, MEMBER_OF, PART_OF) and ``provisions``, the ids of the
provisions it rests on. Exporters, the HTML maps and the Neo4j loader all read this one structure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import networkx as nx

from dutygraph.model import Cited, Dataset

__all__ = ["EDGE_TYPES", "NODE_LABELS", "build_graph", "edge_rows", "node_rows"]

NODE_LABELS: tuple[str, ...] = ("Document", "Provision", "Bureau", "Domain", "Activity", "Licence")
EDGE_TYPES: tuple[str, ...] = (
    "ISSUES",
    "AUTHORIZES",
    "REQUIRES",
    "ENFORCES",
    "IN_DOMAIN",
    "HAS_DUTY",
    "LEADS",
    "SUCCEEDED_BY",
    "GUIDED_BY",
    "AGENCY_OF",
    "MEMBER_OF",
    "PART_OF",
)

Props = dict[str, Any]


def _clean(props: Props) -> Props:
    """Drop unknown (None) values and empty lists: Neo4j stores no nulls, and an empty CSV array cell imports as
    no property, so a load and an import of the export give the same graph."""
    return {k: v for k, v in props.items() if v is not None and v != []}


def _iso(date: dt.date | None) -> str | None:
    return date.isoformat() if date else None


def node_rows(dataset: Dataset) -> Iterator[tuple[str, str, Props]]:
    """``(id, label, properties)`` for every node, in a stable order."""
    for d in dataset.documents.values():
        yield (
            d.id,
            "Document",
            _clean(
                {
                    "number": d.number,
                    "title": d.title,
                    "titleEn": d.title_en,
                    "issuer": d.issuer,
                    "kind": d.kind,
                    "date": _iso(d.date),
                    "adopted": _iso(d.adopted),
                    "approved": _iso(d.approved),
                    "inForce": _iso(d.in_force),
                    "version": _iso(d.version),
                    "source": d.source,
                }
            ),
        )
    for p in dataset.provisions.values():
        yield p.id, "Provision", {"document": p.document, "path": p.path, "quote": p.quote}
    for b in dataset.bureaus.values():
        yield (
            b.id,
            "Bureau",
            _clean(
                {
                    "name": b.name,
                    "fullName": b.full_name,
                    "nameEn": b.name_en,
                    "level": b.level,
                    "levels": list(b.levels),
                    "system": b.system,
                    "aliases": list(b.aliases),
                    "note": b.note,
                    "provisions": list(b.provisions),
                }
            ),
        )
    for dom in dataset.domains.values():
        yield (
            dom.id,
            "Domain",
            _clean({"name": dom.name, "nameEn": dom.name_en, "aliases": list(dom.aliases), "provisions": list(dom.provisions)}),
        )
    for a in dataset.activities.values():
        ban = a.prohibition
        props: Props = {
            "name": a.name,
            "nameEn": a.name_en,
            "aliases": list(a.aliases),
            "provisions": list(a.provisions),
            "penalties": list(a.penalties),
            "deferred": list(a.deferred),
        }
        if ban is not None:
            props |= {"prohibited": True, "conditions": [c.text for c in ban.conditions]}
        yield a.id, "Activity", _clean(props)
    for lic in dataset.licences.values():
        yield (
            lic.id,
            "Licence",
            _clean(
                {
                    "name": lic.name,
                    "nameEn": lic.name_en,
                    "aliases": list(lic.aliases),
                    "kind": lic.kind.value,
                    "provisions": list(lic.provisions),
                }
            ),
        )


def edge_rows(dataset: Dataset) -> Iterator[tuple[str, str, str, Props]]:
    """``(source, target, type, properties)`` for every relationship, in a stable order."""
    for p in dataset.provisions.values():
        yield p.id, p.document, "PART_OF", {"provisions": [p.id]}
    for lic in dataset.licences.values():
        # The original text's holders; a later text's (`change`: its 1-based position in `changes`, the latest in
        # force wins); other texts that also designate an investigator (`also`: not the designated one).
        held: list[tuple[Cited | None, str, Props]] = [(lic.issuer, "ISSUES", {}), (lic.enforcer, "ENFORCES", {})]
        for number, change in enumerate(lic.changes, start=1):
            held += [(change.issuer, "ISSUES", {"change": number}), (change.enforcer, "ENFORCES", {"change": number})]
        held += [(cited, "ENFORCES", {"also": True}) for cited in lic.also_enforced_by]
        for cited, kind, extra in held:
            if cited is not None:
                yield cited.target, lic.id, kind, {**extra, "provisions": list(cited.provisions)}
        for req in lic.requires:
            yield lic.id, req.target, "REQUIRES", {"provisions": list(req.provisions)}
    for a in dataset.activities.values():
        for cited in a.licences:
            yield cited.target, a.id, "AUTHORIZES", {"provisions": list(cited.provisions)}
        if a.domain:
            yield a.id, a.domain, "IN_DOMAIN", {"provisions": list(a.provisions)}
        for member in a.members:
            yield member, a.id, "MEMBER_OF", {"provisions": list(a.provisions)}
        if a.prohibition is not None and a.prohibition.enforcer is not None:
            enforcer = a.prohibition.enforcer
            yield enforcer.target, a.id, "ENFORCES", {"provisions": list(enforcer.provisions)}
    for duty in dataset.duties:
        yield duty.bureau, duty.target, "HAS_DUTY", {"kind": duty.kind, "competent": duty.competent, "provisions": list(duty.provisions)}
    for lead in dataset.leads:
        props = {"basis": lead.basis, "cooperating": list(lead.cooperating), "sector": lead.sector, "provisions": list(lead.provisions)}
        yield lead.bureau, lead.activity, "LEADS", _clean(props)
    for s in dataset.successions:
        bounds = [p for b in (s.not_before, s.not_after) if b is not None for p in b.provisions]
        window = {
            "notBefore": _iso(s.not_before.date if s.not_before else None),
            "notAfter": _iso(s.not_after.date if s.not_after else None),
        }
        yield s.predecessor, s.successor, "SUCCEEDED_BY", _clean({**window, "provisions": list(dict.fromkeys([*s.provisions, *bounds]))})
    for b in dataset.bureaus.values():
        if b.guided_by:
            yield b.id, b.guided_by.target, "GUIDED_BY", {"provisions": list(b.guided_by.provisions)}
        if b.agency_of:
            yield b.id, b.agency_of.target, "AGENCY_OF", {"provisions": list(b.agency_of.provisions)}


def build_graph(dataset: Dataset) -> nx.MultiDiGraph:
    """The dataset as a MultiDiGraph; ``graph.graph`` holds the dataset's id, title and jurisdiction."""
    graph = nx.MultiDiGraph(
        dataset=dataset.info.id,
        title=dataset.info.title,
        jurisdiction=dataset.info.jurisdiction,
        level=dataset.info.level,
    )
    for ident, label, props in node_rows(dataset):
        graph.add_node(ident, label=label, **props)
    for source, target, kind, props in edge_rows(dataset):
        graph.add_edge(source, target, type=kind, **props)
    return graph
