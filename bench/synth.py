"""A synthetic national-scale dataset in the dutygraph format, for benchmarks and scale tests.

Each synthetic city is a copy of the bundled Liaocheng structure with ids prefixed ``cNNN-`` and names
prefixed ``城市NNN``; quotes and source texts are unchanged, so the dataset validates like a real one.
600 cities give about 106,000 nodes and 147,000 relationships.

    python bench/synth.py --cities 600                 # print sizes and build/decision throughput
    python bench/synth.py --cities 20 --write out/     # write the dataset files (YAML) to out/
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import sys
import time
from pathlib import Path
from typing import Any

from msgspec.structs import replace

from dutygraph.datasets import default_dataset_dir
from dutygraph.engine import decide
from dutygraph.loader import load_dataset
from dutygraph.model import Cited, Dataset, DatasetInfo, LicenceChange, Prohibition, Record

__all__ = ["generate", "write_dataset"]


def _cited(prefix: str, cited: Cited | None) -> Cited | None:
    if cited is None:
        return None
    return Cited(prefix + cited.target, tuple(prefix + p for p in cited.provisions))


def _ids(prefix: str, ids: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(prefix + i for i in ids)


def _prohibition(prefix: str, ban: Prohibition | None) -> Prohibition | None:
    if ban is None:
        return None
    conditions = tuple(replace(c, provisions=_ids(prefix, c.provisions)) for c in ban.conditions)
    return replace(ban, conditions=conditions, enforcer=_cited(prefix, ban.enforcer), provisions=_ids(prefix, ban.provisions))


def generate(cities: int, base: Dataset | None = None) -> Dataset:
    """A dataset of ``cities`` copies of ``base`` (the bundled dataset by default)."""
    base = base or load_dataset(default_dataset_dir())
    docs: dict[str, Any] = {}
    provs: dict[str, Any] = {}
    bureaus: dict[str, Any] = {}
    domains: dict[str, Any] = {}
    activities: dict[str, Any] = {}
    licences: dict[str, Any] = {}
    duties: list[Any] = []
    leads: list[Any] = []
    successions: list[Any] = []
    for city in range(cities):
        p = f"c{city:03d}-"
        name = f"城市{city:03d}"
        for d in base.documents.values():
            docs[p + d.id] = replace(d, id=p + d.id, superseded_by=p + d.superseded_by if d.superseded_by else None)
        for v in base.provisions.values():
            provs[p + v.id] = replace(v, id=p + v.id, document=p + v.document)
        for b in base.bureaus.values():
            bureaus[p + b.id] = replace(
                b,
                id=p + b.id,
                name=name + b.name,
                aliases=(),
                full_name=None,
                guided_by=_cited(p, b.guided_by),
                agency_of=_cited(p, b.agency_of),
                provisions=_ids(p, b.provisions),
            )
        for m in base.domains.values():
            domains[p + m.id] = replace(m, id=p + m.id, name=name + m.name, aliases=(), provisions=_ids(p, m.provisions))
        for a in base.activities.values():
            activities[p + a.id] = replace(
                a,
                id=p + a.id,
                name=name + a.name,
                aliases=(),
                domain=p + a.domain if a.domain else None,
                licences=tuple(c for c in (_cited(p, c) for c in a.licences) if c),
                provisions=_ids(p, a.provisions),
                members=_ids(p, a.members),
                penalties=_ids(p, a.penalties),
                deferred=_ids(p, a.deferred),
                prohibition=_prohibition(p, a.prohibition),
            )
        for lic in base.licences.values():
            licences[p + lic.id] = replace(
                lic,
                id=p + lic.id,
                name=name + lic.name,
                aliases=(),
                issuer=_cited(p, lic.issuer),
                enforcer=_cited(p, lic.enforcer),
                requires=tuple(c for c in (_cited(p, c) for c in lic.requires) if c),
                provisions=_ids(p, lic.provisions),
                changes=tuple(LicenceChange(_cited(p, c.issuer), _cited(p, c.enforcer)) for c in lic.changes),
                also_enforced_by=tuple(c for c in (_cited(p, c) for c in lic.also_enforced_by) if c),
            )
        duties += [replace(d, bureau=p + d.bureau, target=p + d.target, provisions=_ids(p, d.provisions)) for d in base.duties]
        leads += [
            replace(
                x,
                bureau=p + x.bureau,
                activity=p + x.activity,
                provisions=_ids(p, x.provisions),
                cooperating=_ids(p, x.cooperating),
                sector=p + x.sector if x.sector else None,
            )
            for x in base.leads
        ]
        successions += [
            replace(
                s,
                predecessor=p + s.predecessor,
                successor=p + s.successor,
                not_before=replace(s.not_before, provisions=_ids(p, s.not_before.provisions)) if s.not_before else None,
                not_after=replace(s.not_after, provisions=_ids(p, s.not_after.provisions)) if s.not_after else None,
                provisions=_ids(p, s.provisions),
            )
            for s in base.successions
        ]
    info: DatasetInfo = replace(
        base.info,
        id=f"synth-{cities}",
        title=f"合成数据集（{cities} 个城市）",
        rules=tuple(replace(r, provisions=_ids("c000-", r.provisions), bureaus=_ids("c000-", r.bureaus)) for r in base.info.rules),
    )
    return Dataset(
        root=base.root,
        info=info,
        documents=docs,
        provisions=provs,
        bureaus=bureaus,
        domains=domains,
        activities=activities,
        licences=licences,
        duties=tuple(duties),
        leads=tuple(leads),
        successions=tuple(successions),
    )


def write_dataset(dataset: Dataset, target: Path) -> None:
    """Write ``dataset`` as dataset files (JSON is valid YAML) with its source texts: the inverse of the loader."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copytree(dataset.root / "sources", target / "sources", dirs_exist_ok=True)
    info = dataset.info
    rules = [{"rule": r.key, "bureaus": list(r.bureaus), "provisions": list(r.provisions)} for r in info.rules]
    header = {
        "id": info.id,
        "title": info.title,
        "title_en": info.title_en,
        "jurisdiction": {"name": info.jurisdiction, "name_en": info.jurisdiction_en, "level": info.level},
        "as_of": _iso(info.as_of),
        "rules": rules,
    }
    _dump(target / "dataset.yaml", header)
    files: dict[str, list[Any]] = {
        "documents": list(dataset.documents.values()),
        "provisions": list(dataset.provisions.values()),
        "bureaus": list(dataset.bureaus.values()),
        "domains": list(dataset.domains.values()),
        "activities": list(dataset.activities.values()),
        "licences": list(dataset.licences.values()),
        "duties": list(dataset.duties),
        "leads": list(dataset.leads),
        "successions": list(dataset.successions),
    }
    for name, records in files.items():
        if records:
            _dump(target / f"{name}.yaml", {name: [_record(r) for r in records]})


_CITED_KEYS = {"issuer": "bureau", "enforcer": "bureau", "guided_by": "bureau", "agency_of": "bureau", "also_enforced_by": "bureau"}
"""The key naming a cited link's target, by field (``licences`` and ``requires`` name a licence)."""


def _record(record: Any) -> dict[str, Any]:
    """A model record as the dataset file writes it: field names as in the files, cited links as mappings."""
    out: dict[str, Any] = {}
    for field in record.__struct_fields__:
        if field == "mark":
            continue
        out["level" if field == "levels" else field] = _value(field, getattr(record, field))
    return out


def _value(field: str, value: Any) -> Any:
    if isinstance(value, Cited):
        return {_CITED_KEYS.get(field, "licence"): value.target, "provisions": list(value.provisions)}
    if isinstance(value, (dt.date,)):
        return value.isoformat()
    if isinstance(value, tuple):
        return [_value(field, v) for v in value]
    if isinstance(value, Record):
        return {name: _value(name, getattr(value, name)) for name in value.__struct_fields__}
    return value


def _iso(date: dt.date | None) -> str | None:
    return date.isoformat() if date else None


def _dump(path: Path, payload: Any) -> None:
    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if v is not None and v != []}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    text = json.dumps(strip(payload), ensure_ascii=False, indent=1)
    path.write_text(text + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cities", type=int, default=600)
    parser.add_argument("--write", type=Path, help="write the dataset files to this directory")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    dataset = generate(args.cities)
    built = time.perf_counter() - started
    nodes = sum(map(len, (dataset.documents, dataset.provisions, dataset.bureaus, dataset.domains, dataset.activities, dataset.licences)))
    print(f"synthetic dataset: {args.cities} cities, {nodes:,} nodes, {len(dataset.activities):,} activities; generated in {built:.2f} s")
    from dutygraph.graph import build_graph

    started = time.perf_counter()
    graph = build_graph(dataset)
    took = time.perf_counter() - started
    print(f"networkx graph: {graph.number_of_nodes():,} nodes, {graph.number_of_edges():,} edges; built in {took:.2f} s")
    started = time.perf_counter()
    for ident in dataset.activities:
        decide(dataset, ident)
    elapsed = time.perf_counter() - started
    print(f"decisions: {len(dataset.activities):,} in {elapsed:.2f} s = {len(dataset.activities) / elapsed:,.0f} decisions/s")
    if args.write:
        write_dataset(dataset, args.write)
        started = time.perf_counter()
        load_dataset(args.write)
        print(f"wrote {args.write}; loading and validating it from files took {time.perf_counter() - started:.2f} s")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
