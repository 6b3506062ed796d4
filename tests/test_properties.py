"""Property-based tests (Hypothesis) of the loader, the cache codec and the resolver, on generated datasets, ids,
names and hostile file contents. Bounded in time by the ``dutygraph`` settings profile (tests/conftest.py)."""

from __future__ import annotations

import itertools
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx
from hypothesis import assume, given, note
from hypothesis import strategies as st

from dutygraph.errors import AmbiguousNameError, DatasetNotFoundError, InvalidDataError, NameNotFoundError
from dutygraph.loader import ID_PATTERN, load_dataset
from dutygraph.resolve import KINDS, names_of, resolve
from dutygraph.text import squash
from tests.conftest import MINI

FORBIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
INTERNAL_NAMES = ("Commented", "NoneType", "<class", "Scalar", "TaggedScalar", "Traceback", "object at 0x")
SOURCE = "合成文本。甲局负责本领域的监管。"


@contextmanager
def scratch() -> Iterator[Path]:
    """A fresh directory per example (function-scoped fixtures are shared across Hypothesis examples)."""
    directory = Path(tempfile.mkdtemp(prefix="dutygraph-prop-"))
    try:
        yield directory
    finally:
        shutil.rmtree(directory, ignore_errors=True)


_RAW_UNSAFE = re.compile('[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff"\\\\]')


def flow(value: Any) -> str:
    """A value as YAML flow text: strings double-quoted, with the characters YAML would not keep raw escaped."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{flow(k)}: {flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(flow(v) for v in value) + "]"
    assert isinstance(value, str)
    return '"' + _RAW_UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", value) + '"'


def yaml_text(top: str, items: list[dict[str, Any]]) -> str:
    return f"{top}:\n" + "".join(f"  - {flow(item)}\n" for item in items) if items else f"{top}: []\n"


def assert_messages_are_plain(error: InvalidDataError) -> None:
    for issue in error.issues:
        assert len(issue.message) <= 600, issue.message[:300]
        assert not any(name in issue.message for name in INTERNAL_NAMES), issue.message
        assert not FORBIDDEN.search(issue.message), repr(issue.message)


# --- generated valid datasets -------------------------------------------------------------------------------

ids = st.from_regex(ID_PATTERN, fullmatch=True).filter(lambda s: len(s) <= 40 and s not in ("doc", "prov"))
names = st.text(alphabet="甲乙丙局厅 aAbB-", min_size=1, max_size=5).map(str.strip).filter(bool)


@dataclass
class Spec:
    bureaus: list[dict[str, Any]]
    domains: list[dict[str, Any]]
    activities: list[dict[str, Any]]
    licences: list[dict[str, Any]]

    def write(self, root: Path) -> Path:
        (root / "sources").mkdir(parents=True)
        (root / "sources" / "text.txt").write_text(SOURCE, encoding="utf-8")
        rules = [
            {"rule": "licensor", "provisions": ["prov"]},
            {"rule": "default-market-regulator", "bureau": self.bureaus[0]["id"], "provisions": ["prov"]},
        ]
        info = {"id": "gen", "title": "生成", "jurisdiction": {"name": "某市", "level": "city"}, "rules": rules}
        (root / "dataset.yaml").write_text(flow(info), encoding="utf-8")
        document = {"id": "doc", "title": "文本", "kind": "notice", "source": "sources/text.txt"}
        files = {
            "documents": [document],
            "provisions": [{"id": "prov", "document": "doc", "path": "一", "quote": "甲局负责本领域的监管"}],
            "bureaus": self.bureaus,
            "domains": self.domains,
            "activities": self.activities,
            "licences": self.licences,
        }
        for top, items in files.items():
            (root / f"{top}.yaml").write_text(yaml_text(top, items), encoding="utf-8")
        return root


@st.composite
def specs(draw: st.DrawFn, cyclic: bool = False) -> Spec:
    counts = [draw(st.integers(1, 4)), draw(st.integers(0, 3)), draw(st.integers(0, 4)), draw(st.integers(0, 5))]
    pool = draw(st.lists(ids, min_size=sum(counts), max_size=sum(counts), unique=True))
    b_ids, d_ids, a_ids, l_ids = (pool[sum(counts[:i]) : sum(counts[: i + 1])] for i in range(4))

    def named(ident: str) -> dict[str, Any]:
        entry: dict[str, Any] = {"id": ident, "name": draw(names), "provisions": ["prov"]}
        # An alias is the entity's own (validation refuses one another entity answers to): "·id" keeps it so.
        aliases = [f"{alias}·{ident}" for alias in draw(st.lists(names, max_size=2, unique=True))]
        if aliases:
            entry["aliases"] = aliases
        if draw(st.booleans()):
            entry["name_en"] = draw(names)
        return entry

    bureaus = [named(b) for b in b_ids]
    for bureau in bureaus:
        if draw(st.booleans()):
            bureau["full_name"] = draw(names)
    domains = [named(d) for d in d_ids]
    licences = []
    for index, ident in enumerate(l_ids):
        licence = named(ident)
        licence["issuer"] = {"bureau": draw(st.sampled_from(b_ids)), "provisions": ["prov"]}
        later = l_ids if cyclic else l_ids[index + 1 :]
        targets = draw(st.lists(st.sampled_from(later), unique=True, max_size=3)) if later else []
        if targets:
            licence["requires"] = [{"licence": t, "provisions": ["prov"]} for t in targets]
        licences.append(licence)
    activities = []
    for ident in a_ids:
        activity = named(ident)
        if d_ids and draw(st.booleans()):
            activity["domain"] = draw(st.sampled_from(d_ids))
        held = draw(st.lists(st.sampled_from(l_ids), unique=True, max_size=2)) if l_ids else []
        if held:
            activity["licences"] = [{"licence": t, "provisions": ["prov"]} for t in held]
        activities.append(activity)
    return Spec(bureaus, domains, activities, licences)


@given(specs())
def test_a_generated_dataset_loads_as_written_and_survives_the_cache_codec(spec: Spec) -> None:
    from dutygraph.cache import decode, encode

    with scratch() as directory:
        dataset = load_dataset(spec.write(directory / "d"))
        for written, pool in ((spec.bureaus, dataset.bureaus), (spec.domains, dataset.domains), (spec.activities, dataset.activities)):
            assert list(pool) == [w["id"] for w in written]
            for entry in written:
                loaded = pool[entry["id"]]
                assert (loaded.name, loaded.aliases, loaded.name_en) == (
                    entry["name"],
                    tuple(entry.get("aliases", ())),
                    entry.get("name_en"),
                )
        for entry in spec.licences:
            assert [c.target for c in dataset.licences[entry["id"]].requires] == [r["licence"] for r in entry.get("requires", [])]
        assert decode(encode(dataset)) == dataset


@given(specs(cyclic=True))
def test_each_requires_cycle_is_reported_once(spec: Spec) -> None:
    graph = nx.DiGraph()
    graph.add_nodes_from(lic["id"] for lic in spec.licences)
    graph.add_edges_from((lic["id"], r["licence"]) for lic in spec.licences for r in lic.get("requires", []))
    loops = [c for c in nx.strongly_connected_components(graph) if len(c) > 1 or any(graph.has_edge(n, n) for n in c)]
    with scratch() as directory:
        root = spec.write(directory / "d")
        if not loops:
            load_dataset(root)
            return
        try:
            load_dataset(root)
        except InvalidDataError as error:
            cycles = [i for i in error.issues if "in a cycle" in i.message]
            assert len(cycles) == len(loops) == len(error.issues), error
            for issue, loop in zip(cycles, sorted(loops, key=min), strict=True):
                shown = issue.message.split(": ", 1)[1].split(";")[0].split(" -> ")
                assert set(shown) <= loop and shown[0] == shown[-1] == min(loop)
                assert all(graph.has_edge(a, b) for a, b in itertools.pairwise(shown))
        else:
            raise AssertionError(f"cycles {loops} not reported")


# --- ids and names ------------------------------------------------------------------------------------------


@given(st.text(max_size=30))
def test_any_text_as_an_id_is_either_a_safe_file_name_or_a_located_error(ident: str) -> None:
    from dutygraph.files import output_path

    text = yaml_text(
        "domains", [{"id": "d1", "name": "测试领域", "provisions": ["p1"]}, {"id": ident, "name": "其他", "provisions": ["p1"]}]
    )
    with scratch() as directory:
        root = shutil.copytree(MINI, directory / "d")
        (root / "domains.yaml").write_text(text, encoding="utf-8")
        try:
            dataset = load_dataset(root)
        except InvalidDataError as error:
            assert_messages_are_plain(error)
            assert any(i.file == "domains.yaml" and i.line == 3 for i in error.issues), error
            assert ident.strip() in ("", "d1") or not ID_PATTERN.fullmatch(ident.strip())
            return
        loaded = next(d for d in dataset.domains if d != "d1")
        assert ID_PATTERN.fullmatch(loaded) and "/" not in loaded and ".." not in loaded
        out = directory / "out"
        assert output_path(out, f"map-{loaded}.html").parent == out


@given(st.text(min_size=1, max_size=20), st.sampled_from(["name", "name_en", "full_name", "alias"]))
def test_any_text_as_a_name_loads_unchanged_or_is_refused_for_its_control_characters(name: str, field: str) -> None:
    bureau: dict[str, Any] = {"id": "alpha", "name": "甲局", "provisions": ["p1"]}
    if field == "alias":
        bureau["aliases"] = [name]
    else:
        bureau[field] = name
    others = (MINI / "bureaus.yaml").read_text(encoding="utf-8").splitlines(keepends=True)[2:]
    with scratch() as directory:
        root = shutil.copytree(MINI, directory / "d")
        (root / "bureaus.yaml").write_text(yaml_text("bureaus", [bureau]) + "".join(others), encoding="utf-8")
        try:
            dataset = load_dataset(root)
        except InvalidDataError as error:
            assert_messages_are_plain(error)
            assert FORBIDDEN.search(name) or not name.strip(), error
            return
        assert not FORBIDDEN.search(name)
        loaded = dataset.bureaus["alpha"]
        value = {"name": loaded.name, "name_en": loaded.name_en, "full_name": loaded.full_name, "alias": (loaded.aliases or (None,))[0]}[
            field
        ]
        assert value == name.strip()


# --- hostile file contents ----------------------------------------------------------------------------------

TOKENS = [
    "bureaus:", "domains:", "leads:", "dataset", "id:", "name:", "provisions:", "aliases:", "- ", "  ", "\n", "[", "]", "{", "}",
    ", ", ": ", "&a ", "*a", "<<: ", "? ", "!!python/object/apply:os.system ['true']", "!!binary aGVsbG8=", "!!set {a}", "'", '"',
    "\\e", "\\x9b", "1e999", "0x10", "9" * 5000, "\x1b[2J", "\t", "# c", "---", "...", "%YAML 1.1", "~", "null", "2019-02-30",
    "甲局", "alpha", "p1", "\ufeff", "\u202e", "\x00",
]  # fmt: skip
hostile_text = st.lists(st.sampled_from(TOKENS), max_size=40).map("".join)
hostile_bytes = st.one_of(hostile_text.map(lambda t: t.encode("utf-8", "surrogatepass")), st.binary(max_size=200))
FILES = ["dataset.yaml", "bureaus.yaml", "domains.yaml", "activities.yaml", "licences.yaml", "leads.yaml", "sources/notice.txt"]


@given(st.sampled_from(FILES), hostile_bytes)
def test_hostile_file_contents_give_a_dataset_or_located_errors(name: str, content: bytes) -> None:
    note(repr(content[:300]))
    with scratch() as directory:
        root = shutil.copytree(MINI, directory / "d")
        (root / name).write_bytes(content)
        try:
            load_dataset(root)
        except InvalidDataError as error:
            assert_messages_are_plain(error)
            known = {p.name for p in MINI.iterdir()} | {"documents.yaml"}
            assert all(issue.file in known for issue in error.issues), error
        except DatasetNotFoundError:
            raise AssertionError("dataset.yaml exists") from None


# --- the resolver -------------------------------------------------------------------------------------------


def answers_to(entity: Any, query: str) -> bool:
    key = squash(query).casefold()
    return any(squash(n).casefold() == key for n in names_of(entity))


@given(specs(), st.data())
def test_the_resolver_finds_exactly_what_answers_to_a_name(spec: Spec, data: st.DataObject) -> None:
    with scratch() as directory:
        dataset = load_dataset(spec.write(directory / "d"))
    entities = [*dataset.bureaus.values(), *dataset.domains.values(), *dataset.activities.values(), *dataset.licences.values()]
    known = [n for e in entities for n in names_of(e)]
    query = data.draw(st.one_of(st.sampled_from(known), names, st.text(max_size=300)), label="query")
    kinds = data.draw(st.lists(st.sampled_from(KINDS), min_size=1, max_size=4, unique=True), label="kinds")
    pools = {"bureau": dataset.bureaus, "domain": dataset.domains, "activity": dataset.activities, "licence": dataset.licences}
    matching = [e for k in kinds for e in pools[k].values() if answers_to(e, query)]
    try:
        kind, entity = resolve(dataset, query, kinds)
    except NameNotFoundError as error:
        assert not matching
        assert len(str(error)) <= 600
        return
    except AmbiguousNameError as error:
        assert len(matching) >= 2
        assert sum(squash(e.id).casefold() == squash(query).casefold() for e in matching) != 1
        assert len(error.candidates) == len(matching)
        return
    assert kind in kinds and entity in matching
    assert len(matching) == 1 or squash(entity.id).casefold() == squash(query).casefold()


@given(st.text(max_size=2000))
def test_the_resolver_echoes_a_bounded_name(query: str) -> None:
    dataset = load_dataset(MINI)
    assume(not any(answers_to(e, query) for e in [*dataset.bureaus.values(), *dataset.activities.values()]))
    try:
        resolve(dataset, query, ("bureau", "activity"))
    except NameNotFoundError as error:
        assert len(str(error)) <= 400
        assert not FORBIDDEN.search(str(error)), repr(str(error))
