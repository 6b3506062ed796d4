"""The Cypher ``lead`` query (cypher/queries/lead.cypher) gives the Python engine's decision, against a real Neo4j 5.26.

The questions are enumerated from the data, never written down here: for every dataset under ``data/``, every
fixture dataset under ``tests/fixtures/``, a synthetic multi-city dataset (bench/synth.py) and a few seeded random
datasets that exercise every construct the engine reads, every activity with the licences it
needs by default, with every subset of the licences in its scope, every question of the dataset's
``cases.yaml``, every sector its leads, cases and sector rules name, and on the dates around every succession
window bound and every later document's entry into force. For each, the query's row must give what
:func:`dutygraph.engine.decide` gives: the lead, the rule, the cooperating bureaus, the candidates, the guiding
bureau, the principal bureau and the succession in time (status, predecessor, successors, window). Where the
engine refuses the question (an activity not yet in force, a licence outside the activity's scope) the query
returns no row; a group activity answers with one row per member.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from dutygraph.cases import load_cases
from dutygraph.datasets import data_dir
from dutygraph.engine import decide, licences_in_scope
from dutygraph.errors import UsageError
from dutygraph.loader import load_dataset
from dutygraph.model import (
    Activity,
    Bound,
    Bureau,
    Cited,
    Condition,
    Dataset,
    DatasetInfo,
    Document,
    Domain,
    Duty,
    Lead,
    Licence,
    LicenceChange,
    LicenceKind,
    Mark,
    Prohibition,
    Provision,
    RuleDecl,
    Succession,
)
from dutygraph.neo4j_store import Neo4jStore
from dutygraph.resolve import resolve
from dutygraph.rules import RULES
from tests.conftest import FIXTURES

pytestmark = pytest.mark.neo4j

MAX_SUBSET_SCOPE = 4
"""Every non-empty subset of an activity's licence scope is asked when the scope has at most this many licences."""

SEEDS = (1, 2, 3, 4)
"""The random datasets: each seed gives one dataset exercising every construct the engine reads."""

SYNTHETIC_CITIES = 3
"""Copies of the bundled dataset in the synthetic multi-city dataset (bench/synth.py)."""


def dataset_roots() -> list[Path]:
    """Every bundled dataset and every fixture dataset (a directory with a dataset.yaml)."""
    roots = [p for p in sorted(data_dir().iterdir()) if (p / "dataset.yaml").is_file()]
    roots += [p for p in sorted(FIXTURES.iterdir()) if (p / "dataset.yaml").is_file()]
    return roots


@dataclass(frozen=True)
class Question:
    activity: str
    missing: tuple[str, ...] | None = None
    as_of: dt.date | None = None
    sector: str | None = None

    def __str__(self) -> str:
        parts = [self.activity]
        if self.missing is not None:
            parts.append(f"missing={list(self.missing)}")
        if self.as_of is not None:
            parts.append(f"as_of={self.as_of.isoformat()}")
        if self.sector is not None:
            parts.append(f"sector={self.sector}")
        return " ".join(parts)


# ---------------------------------------------------------------------------------------------------------
# The questions a dataset suggests.


def dates_of_interest(dataset: Dataset) -> list[dt.date | None]:
    """The dataset's own date (None); for each succession window the last day before it and the first inside it at
    its start (``not_before`` is still 'before'), the last inside and the first after it at its end (``not_after``
    is 'after'); and for every document later than the dataset's date the day before it takes effect and that day."""
    day = dt.timedelta(days=1)
    dates: list[dt.date | None] = [None]
    for succession in dataset.successions:
        if succession.not_before is not None:
            dates += [succession.not_before.date, succession.not_before.date + day]
        if succession.not_after is not None:
            dates += [succession.not_after.date - day, succession.not_after.date]
    start = dataset.info.as_of or dt.date.min
    for document in dataset.documents.values():
        if document.effective is not None and document.effective > start:
            dates += [document.effective - day, document.effective]
    return list(dict.fromkeys(dates))


def sectors_of_interest(dataset: Dataset) -> list[str]:
    """The sectors the explicit leads and cases name, and every domain where a rule depends on the sector."""
    sectors = [lead.sector for lead in dataset.leads if lead.sector]
    sectors += [resolve(dataset, case.sector, ("domain",))[1].id for case in load_cases(dataset.root) if case.sector]
    if any(decl.key in ("sector", "division-of-labour") for decl in dataset.info.rules):
        sectors += list(dataset.domains)
    return list(dict.fromkeys(sectors))


def questions(dataset: Dataset, with_cases: bool = True, dates: list[dt.date | None] | None = None) -> Iterator[Question]:
    dates = dates_of_interest(dataset) if dates is None else dates
    for activity in dataset.activities.values():
        for as_of in dates:
            yield Question(activity.id, as_of=as_of)
        if activity.members:
            continue
        scope = licences_in_scope(dataset, activity)
        if len(scope) <= MAX_SUBSET_SCOPE:
            for size in range(1, len(scope) + 1):
                for subset in itertools.combinations(scope, size):
                    yield Question(activity.id, tuple(subset))
        for sector in sectors_of_interest(dataset):
            yield Question(activity.id, sector=sector)
    if with_cases:
        for case in load_cases(dataset.root):
            activity = resolve(dataset, case.activity, ("activity",))[1].id
            missing = tuple(resolve(dataset, m, ("licence",))[1].id for m in case.missing) if case.missing is not None else None
            sector = resolve(dataset, case.sector, ("domain",))[1].id if case.sector else None
            yield Question(activity, missing, case.as_of, sector)
            for as_of in dates:
                yield Question(activity, missing, as_of, sector)


# ---------------------------------------------------------------------------------------------------------
# The two answers, in one comparable shape.


def python_rows(dataset: Dataset, question: Question) -> list[dict[str, Any]]:
    """The engine's decision for the question, one per member for a group; none where the engine refuses it."""
    activity = dataset.activities[question.activity]
    rows = []
    for ident in sorted(activity.members) if activity.members else [activity.id]:
        try:
            decision = decide(dataset, ident, question.missing, question.as_of, question.sector)
        except UsageError:
            continue
        transfer = decision.transfer
        rows.append(
            {
                "activity": ident,
                "rule": decision.rule.value,
                "lead": decision.lead.id if decision.lead else None,
                "cooperating": sorted(b.id for b in decision.cooperating),
                "candidates": sorted(b.id for b in decision.candidates),
                "guidedBy": decision.guided_by.id if decision.guided_by else None,
                "agencyOf": decision.agency_of.id if decision.agency_of else None,
                "transfer": None
                if transfer is None
                else {
                    "status": transfer.status.value,
                    "predecessor": transfer.predecessor.id,
                    "successors": sorted(b.id for b in transfer.successors),
                    "notBefore": transfer.window.not_before.isoformat() if transfer.window.not_before else None,
                    "notAfter": transfer.window.not_after.isoformat() if transfer.window.not_after else None,
                },
            }
        )
    return rows


def cypher_rows(store: Neo4jStore, dataset: Dataset, question: Question) -> list[dict[str, Any]]:
    params = {
        "dataset": dataset.info.id,
        "activity": question.activity,
        "missing": list(question.missing) if question.missing is not None else None,
        "asOf": question.as_of.isoformat() if question.as_of else None,
        "sector": question.sector,
    }
    rows = []
    for row in store.query("lead", params):
        transfer = row["transfer"]
        rows.append(
            {
                "activity": row["activity"]["id"],
                "rule": row["rule"],
                "lead": row["lead"]["id"] if row["lead"] else None,
                "cooperating": sorted(b["id"] for b in row["cooperating"]),
                "candidates": sorted(b["id"] for b in row["candidates"]),
                "guidedBy": row["guidedBy"]["id"] if row["guidedBy"] else None,
                "agencyOf": row["agencyOf"]["id"] if row["agencyOf"] else None,
                "transfer": None
                if transfer is None
                else {
                    "status": transfer["status"],
                    "predecessor": transfer["predecessor"]["id"],
                    "successors": sorted(b["id"] for b in transfer["successors"]),
                    "notBefore": transfer["notBefore"],
                    "notAfter": transfer["notAfter"],
                },
            }
        )
    return sorted(rows, key=lambda r: str(r["activity"]))


def check_parity(store: Neo4jStore, dataset: Dataset, with_cases: bool = True, dates: list[dt.date | None] | None = None) -> int:
    """Compare every question on the loaded ``dataset``; returns how many questions the engine answered."""
    answered = 0
    mismatches = []
    for question in dict.fromkeys(questions(dataset, with_cases, dates)):
        expected = python_rows(dataset, question)
        actual = cypher_rows(store, dataset, question)
        answered += bool(expected)
        if actual != expected:
            mismatches.append(f"{question}\n    python: {expected}\n    cypher: {actual}")
    assert not mismatches, f"{len(mismatches)} questions of {dataset.info.id} differ:\n" + "\n".join(mismatches[:15])
    return answered


# ---------------------------------------------------------------------------------------------------------
# The tests.


@dataclass
class Loaded:
    store: Neo4jStore
    datasets: dict[str, Dataset]


@pytest.fixture(scope="module")
def loaded(neo4j_uri: str) -> Iterator[Loaded]:
    """Every dataset loaded side by side, once: the query planner then sees settled statistics, and each dataset's
    answers are checked next to the others (the query is confined to ``$dataset``)."""
    datasets = {root.name: load_dataset(root) for root in dataset_roots()}
    datasets |= {f"random-{seed}": random_dataset(seed) for seed in SEEDS}
    datasets["synth"] = synthetic_cities()
    with Neo4jStore(neo4j_uri) as store:
        for dataset in datasets.values():
            store.load(dataset, wipe=True)
        yield Loaded(store, datasets)


@pytest.mark.parametrize("name", [root.name for root in dataset_roots()])
def test_the_lead_query_agrees_with_the_engine_on_every_question_of_the_dataset(loaded: Loaded, name: str) -> None:
    dataset = loaded.datasets[name]
    answered = check_parity(loaded.store, dataset)
    assert answered >= len([a for a in dataset.activities.values() if not a.members])


@pytest.mark.parametrize("seed", SEEDS)
def test_the_lead_query_agrees_with_the_engine_on_a_random_dataset(loaded: Loaded, seed: int) -> None:
    dataset = loaded.datasets[f"random-{seed}"]
    answered = check_parity(loaded.store, dataset, with_cases=False)
    assert answered >= len(dataset.activities) // 2


def test_the_lead_query_agrees_with_the_engine_on_a_synthetic_multi_city_dataset(loaded: Loaded) -> None:
    """Many copies of the bundled dataset in one (bench/synth.py): every activity of every city, on the dataset's
    date and after the last succession window — no answer mixes up cities."""
    dataset = loaded.datasets["synth"]
    latest = max(d for d in dates_of_interest(dataset) if d is not None)
    answered = check_parity(loaded.store, dataset, with_cases=False, dates=[None, latest])
    assert answered >= len([a for a in dataset.activities.values() if not a.members])


def synthetic_cities() -> Dataset:
    from bench.synth import generate

    return generate(SYNTHETIC_CITIES)


def test_the_random_datasets_reach_every_rule_and_every_transfer_status() -> None:
    """The random datasets are worth comparing on: between them every rule applies (or ends the cascade
    undetermined), some answers are undetermined, and the dates fall before, inside and after succession windows."""
    deciding: set[str] = set()
    outcomes: set[str] = set()
    statuses: set[str] = set()
    for seed in SEEDS:
        dataset = random_dataset(seed)
        for question in questions(dataset, with_cases=False):
            activity = dataset.activities[question.activity]
            if activity.members:
                continue
            try:
                decision = decide(dataset, activity.id, question.missing, question.as_of, question.sector)
            except UsageError:
                continue
            deciding.update(
                s.rule.value for s in decision.trace if s.rule.value in RULES and s.outcome.value in ("applied", "undetermined")
            )
            outcomes.add(decision.rule.value)
            if decision.transfer:
                statuses.add(decision.transfer.status.value)
    assert deciding == set(RULES)
    assert "undetermined" in outcomes
    assert statuses == {"before", "inside", "after"}


# ---------------------------------------------------------------------------------------------------------
# Random datasets: every construct the engine reads (rules declared in any order, licences with issuers,
# designated investigators, later changes and overlaps, REQUIRES chains, prohibitions, group activities,
# penalties, sector leads with cooperating bureaus, duties of every kind, agencies, guidance, systems,
# successions with one or two window bounds, merges and splits, documents entering into force later).

_KINDS = ("supervise", "investigate", "cooperate", "license", "inspect", "guide", "educate")
CASCADE = (
    "explicit",
    "prohibition",
    "decree684-art6",
    "law-designated",
    "licensor",
    "first-licensor",
    "division-of-labour",
    "competent-department",
    "default-market-regulator",
)


def random_dataset(seed: int) -> Dataset:
    rng = random.Random(seed)
    ident = f"random-{seed}"
    mark = Mark("synthetic")
    documents = {
        "doc-a": Document("doc-a", "甲文件", None, None, None, "notice", dt.date(2018, 1, 1), None, "a.txt", mark),
        "doc-b": Document(
            "doc-b", "乙条例", None, None, None, "regulation", dt.date(2019, 3, 1), None, "b.txt", mark, in_force=dt.date(2019, 6, 1)
        ),
        "doc-c": Document("doc-c", "丙文件", None, None, None, "notice", None, None, "c.txt", mark),
        "doc-d": Document("doc-d", "丁条例", None, None, None, "regulation", dt.date(2020, 1, 1), None, "d.txt", mark),
    }
    provisions = {f"{d}-{k}": Provision(f"{d}-{k}", d, f"第{k}条", f"{d}{k}", mark) for d in documents for k in range(1, 4)}
    early = [p for p in provisions if p.startswith(("doc-a", "doc-c"))]
    later = [p for p in provisions if p.startswith(("doc-b", "doc-d"))]

    def cite(late: float = 0.2) -> tuple[str, ...]:
        pool = later if rng.random() < late else early
        return tuple(rng.sample(pool, rng.randint(1, 2)))

    systems = (None, "甲", "乙", "丙")
    bureaus: dict[str, Bureau] = {}
    for i in range(12):
        bid = f"b{i}"
        previous = list(bureaus)
        agency_of = Cited(rng.choice(previous), cite(0)) if previous and rng.random() < 0.2 else None
        guided_by = Cited(rng.choice(previous), cite(0)) if previous and rng.random() < 0.2 else None
        bureaus[bid] = Bureau(bid, f"局{i}", None, None, ("city",), rng.choice(systems), (), guided_by, agency_of, None, cite(0), mark)
    names = list(bureaus)
    domains = {f"dom{i}": Domain(f"dom{i}", f"领域{i}", None, (), cite(0), mark) for i in range(3)}

    licences: dict[str, Licence] = {}
    for i in range(9):
        lid = f"lic{i}"
        kind = LicenceKind.BUSINESS if i in (0, 5) else LicenceKind.PERMIT
        issuer = Cited(rng.choice(names), cite(0)) if rng.random() < 0.85 else None
        enforcer = Cited(rng.choice(names), cite(0)) if rng.random() < 0.4 else None
        requires = tuple(Cited(r, cite(0)) for r in licences if rng.random() < 0.25)
        changes = tuple(
            LicenceChange(
                Cited(rng.choice(names), cite(1)) if rng.random() < 0.6 else None,
                Cited(rng.choice(names), cite(1)) if rng.random() < 0.5 else None,
            )
            for _ in range(rng.choice((0, 0, 1, 2)))
        )
        also = tuple(Cited(rng.choice(names), cite()) for _ in range(rng.choice((0, 0, 0, 1))))
        licences[lid] = Licence(
            lid, f"许可{i}", None, (), kind, issuer, enforcer, requires, cite(0), mark, changes=changes, also_enforced_by=also
        )
    permits = [lid for lid, lic in licences.items() if lic.kind is LicenceKind.PERMIT]

    activities: dict[str, Activity] = {}
    for i in range(16):
        aid = f"act{i}"
        own = rng.sample(permits, rng.choice((0, 0, 1, 1, 2, 3)))
        if rng.random() < 0.3:
            own.append(rng.choice(("lic0", "lic5")))  # at most one business licence of its own (see the report)
        prohibition = None
        if not own and rng.random() < 0.3:
            enforcer = Cited(rng.choice(names), cite(0)) if rng.random() < 0.7 else None
            prohibition = Prohibition((Condition("禁区", cite(0)),), enforcer, cite(0))
        activities[aid] = Activity(
            aid,
            f"活动{i}",
            None,
            (),
            rng.choice([*domains, None]),
            tuple(Cited(lid, cite()) for lid in own),
            cite(0.1),
            mark,
            prohibition=prohibition,
            penalties=cite(0) if rng.random() < 0.4 else (),
            deferred=cite(0) if rng.random() < 0.15 else (),
        )
    members = tuple(rng.sample(list(activities), 2))
    activities["group"] = Activity("group", "活动组", None, (), None, (), cite(0), mark, members=members)
    targets = [a for a in activities if a != "group"] + list(domains)
    duties = tuple(Duty(rng.choice(names), rng.choice(_KINDS), rng.choice(targets), rng.random() < 0.3, cite(), mark) for _ in range(30))
    duties += tuple(
        Duty(rng.choice(names), "supervise", domain, True, cite(), mark) for domain in domains for _ in range(rng.choice((0, 1, 1, 2)))
    )
    leads = tuple(
        Lead(
            rng.choice(names),
            rng.choice([a for a in activities if a != "group"]),
            None,
            cite(),
            mark,
            tuple(rng.sample(names, rng.choice((0, 1, 2)))),
            rng.choice((None, None, *domains)),
        )
        for _ in range(6)
    )
    successions = []
    for _ in range(7):
        a, b = sorted(rng.sample(range(len(names)), 2))
        start = dt.date(2018, 6, 1) + dt.timedelta(days=rng.randint(0, 900))
        end = start + dt.timedelta(days=rng.randint(0, 400))
        shape = rng.random()
        not_before = Bound(start, cite(0)) if shape < 0.8 else None
        not_after = Bound(end, cite(0)) if shape > 0.2 else None
        successions.append(Succession(names[a], names[b], not_before, not_after, cite(0), mark))
    # A cascade like the real ones (sector always decides, so it comes late), with a rule left out or two
    # neighbours swapped now and then: only the declared rules decide, in the declared order.
    keys = [k for k in CASCADE if rng.random() < 0.9]
    for _ in range(2):
        i = rng.randrange(len(keys) - 1)
        keys[i], keys[i + 1] = keys[i + 1], keys[i]
    if rng.random() < 0.7:
        keys.insert(len(keys) - rng.randint(0, 1), "sector")
    keys.insert(rng.randint(0, len(keys) // 2), "defers-to-law")
    rules = []
    for key in keys:
        if key == "default-market-regulator":
            named: tuple[str, ...] = (rng.choice(names),)
        elif key in ("sector", "division-of-labour", "defers-to-law"):
            named = tuple(rng.sample(names, rng.choice((0, 2))))
        else:
            named = ()
        rules.append(RuleDecl(key, cite(0), named, mark))
    info = DatasetInfo(ident, f"随机数据集{seed}", None, "随机市", None, "city", rng.choice((dt.date(2019, 1, 1), None)), tuple(rules))
    return Dataset(
        root=Path(f"/nonexistent/{ident}"),
        info=info,
        documents=documents,
        provisions=provisions,
        bureaus=bureaus,
        domains=domains,
        activities=activities,
        licences=licences,
        duties=duties,
        leads=leads,
        successions=tuple(successions),
    )
