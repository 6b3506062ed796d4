"""Load the duty graph into Neo4j, wipe one dataset, and run the analyst queries of ``cypher/``.

All Cypher lives in ``cypher/*.cypher`` (read here, never written in Python strings); values travel only as
parameters and label and relationship type names come only from the fixed whitelists of
:mod:`dutygraph.graph`. Loading is batched (``UNWIND $rows … MERGE … SET``), each batch in its own
transaction, and idempotent: loading twice gives the same nodes, relationships and properties, so re-running an
interrupted load completes it.

A load makes the database hold exactly the dataset: it marks the Dataset node ``loadState: 'loading'`` with a
fresh ``loadId`` first, stamps every node and relationship it writes with that ``loadId`` (replacing their
properties), then removes this dataset's nodes and relationships that it did not write, and only then marks the
Dataset node ``'complete'``. The analyst queries refuse a dataset whose last load did not complete
(:class:`~dutygraph.errors.Neo4jIncompleteLoadError`).
"""

from __future__ import annotations

import re
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from msgspec import Struct

from dutygraph.datasets import cypher_dir
from dutygraph.errors import NameNotFoundError, Neo4jConnectionError, Neo4jIncompleteLoadError, Neo4jLoadError, UsageError
from dutygraph.graph import EDGE_TYPES, NODE_LABELS, edge_rows, node_rows
from dutygraph.model import Dataset
from dutygraph.text import brief, nearest

__all__ = [
    "DATASET_LABEL",
    "LoadReport",
    "Neo4jStore",
    "Progress",
    "check_query_name",
    "cypher_file",
    "node_batches",
    "query_header",
    "query_names",
    "relationship_batches",
    "split_statements",
]

DATASET_LABEL = "Dataset"
LABELS: tuple[str, ...] = (DATASET_LABEL, *NODE_LABELS)

Progress = Callable[[str, int], None]
"""Called after each batch with what was loaded (a label or type) and how many rows the batch held."""

Row = dict[str, Any]


def cypher_file(relative: str) -> str:
    """The text of a Cypher file under ``cypher/``."""
    path = cypher_dir() / relative
    if not path.is_file():
        raise UsageError(f"no Cypher file {relative!r} in {cypher_dir()}")
    return path.read_text(encoding="utf-8")


def query_names() -> list[str]:
    """The analyst queries shipped in ``cypher/queries/``."""
    return sorted(p.stem for p in (cypher_dir() / "queries").glob("*.cypher"))


def check_query_name(name: str) -> None:
    """Raise :class:`~dutygraph.errors.NameNotFoundError` (with the nearest names) unless ``name`` is an analyst query."""
    names = query_names()
    if name not in names:
        raise NameNotFoundError(name, ("analyst query",), nearest(name, names), hint=f"the queries are: {', '.join(names)}")


_HEADER_FIELD = re.compile(r"^(\w[\w ]*):\s+(.*)$")
_PROSE_FIELDS = ("Purpose", "Returns")


def query_parameters(name: str) -> list[str]:
    """The parameters an analyst query's header declares (``$name`` at the start of each Parameters line)."""
    lines = next((lines for field, lines in query_header(name) if field == "Parameters"), [])
    return [match.group(1) for line in lines if (match := re.match(r"\$(\w+)", line.strip()))]


def query_header(name: str) -> list[tuple[str, list[str]]]:
    """The header of an analyst query: the ``//`` lines before its first statement, as (field, lines) pairs.

    A field starts with ``// Field: text``; the indented ``//`` lines after it continue it. Prose fields
    (Purpose, Returns) are joined into one line; the others (Parameters, Example) keep one line per item.
    Comments inside the query are not part of the header.
    """
    check_query_name(name)
    fields: list[tuple[str, list[str]]] = []
    for line in cypher_file(f"queries/{name}.cypher").splitlines():
        if not line.startswith("//"):
            break
        body = line[2:]
        text = body.strip()
        match = _HEADER_FIELD.match(text)
        if match and not body[1:2].isspace():  # "// Field: …", not an indented continuation
            fields.append((match.group(1), [match.group(2)]))
        elif fields and text:
            fields[-1][1].append(text)
    return [(key, [" ".join(lines)] if key in _PROSE_FIELDS else lines) for key, lines in fields]


def split_statements(text: str) -> list[str]:
    """The statements of a Cypher script: ``//`` comment lines dropped, split on ``;`` at line ends."""
    code = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//"))
    return [s.strip() for s in re.split(r";\s*(?:\n|$)", code) if s.strip()]


def _node_file(label: str) -> str:
    if label not in LABELS:
        raise ValueError(f"label {label!r} is not one of {LABELS}")
    return f"load/node-{label.lower()}.cypher"


def _relationship_file(kind: str) -> str:
    if kind not in EDGE_TYPES:
        raise ValueError(f"relationship type {kind!r} is not one of {EDGE_TYPES}")
    return f"load/rel-{kind.lower().replace('_', '-')}.cypher"


def _uid(dataset: str, ident: str) -> str:
    return f"{dataset}/{ident}"


def _chunks(rows: Sequence[Row], size: int) -> Iterator[Sequence[Row]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def node_rows_by_label(dataset: Dataset) -> dict[str, list[Row]]:
    """Rows for the node load statements, grouped by label; the Dataset node comes first."""
    ds = dataset.info.id
    info = dataset.info
    header: dict[str, Any] = {
        "id": ds,
        "dataset": ds,
        "title": info.title,
        "jurisdiction": info.jurisdiction,
        "level": info.level,
        "rules": [rule.key for rule in info.rules],
    }
    named = [f"{rule.key}:{bureau}" for rule in info.rules for bureau in rule.bureaus]
    if named:
        header["ruleBureaus"] = named  # the bureaus each declared rule names, as '<rule>:<bureau id>'
    default = info.rule("default-market-regulator")
    if default is not None and default.bureaus:
        header["defaultLead"] = default.bureaus[0]
    if info.as_of:
        header["asOf"] = info.as_of.isoformat()
    header["loadState"] = "complete"  # what a completed load leaves, and what an import of the CSV export holds
    grouped: dict[str, list[Row]] = {DATASET_LABEL: [{"uid": _uid(ds, ds), "props": header}]}
    for ident, label, props in node_rows(dataset):
        grouped.setdefault(label, []).append({"uid": _uid(ds, ident), "props": {**props, "id": ident, "dataset": ds}})
    return grouped


def relationship_rows_by_type(dataset: Dataset) -> dict[str, list[Row]]:
    """Rows for the relationship load statements, grouped by type; ``key`` numbers parallel relationships."""
    ds = dataset.info.id
    seen: Counter[tuple[str, str, str]] = Counter()
    grouped: dict[str, list[Row]] = defaultdict(list)
    for source, target, kind, props in edge_rows(dataset):
        seen[(source, target, kind)] += 1
        key = str(seen[(source, target, kind)])
        # No empty lists (as for nodes): neo4j-admin imports an empty array cell as no property, and a load matches it.
        stored = {k: v for k, v in props.items() if v is not None and v != []}
        grouped[kind].append({"from": _uid(ds, source), "to": _uid(ds, target), "key": key, "props": {**stored, "dataset": ds}})
    return dict(grouped)


def node_batches(dataset: Dataset, size: int) -> Iterator[tuple[str, str, Sequence[Row]]]:
    """``(label, statement file, rows)`` for every node batch."""
    for label, rows in node_rows_by_label(dataset).items():
        for chunk in _chunks(rows, size):
            yield label, _node_file(label), chunk


def relationship_batches(dataset: Dataset, size: int) -> Iterator[tuple[str, str, Sequence[Row]]]:
    """``(type, statement file, rows)`` for every relationship batch."""
    for kind, rows in relationship_rows_by_type(dataset).items():
        for chunk in _chunks(rows, size):
            yield kind, _relationship_file(kind), chunk


class LoadReport(Struct, frozen=True):
    dataset: str
    nodes: Mapping[str, int]
    relationships: Mapping[str, int]
    batches: int
    wiped: int = 0
    pruned: int = 0
    """Nodes and relationships of an earlier load that this one removed (they are no longer in the data)."""


@dataclass
class Neo4jStore:
    """A connection to a Neo4j database, holding one dutygraph session configuration."""

    uri: str
    user: str | None = None
    password: str | None = None
    database: str | None = None
    _driver: Any = field(default=None, init=False, repr=False)

    # -- connection -------------------------------------------------------------------------------------------

    def __enter__(self) -> Neo4jStore:
        self.connect()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def connect(self) -> None:
        import neo4j
        from neo4j.exceptions import AuthError, ConfigurationError, Neo4jError, ServiceUnavailable

        auth = (self.user or "neo4j", self.password) if self.password else None
        try:
            # Server notices (e.g. "null value eliminated in set function") are not the user's concern here.
            self._driver = neo4j.GraphDatabase.driver(self.uri, auth=auth, notifications_min_severity="OFF")
            self._driver.verify_connectivity()
        except AuthError as error:
            hint = "" if self.password else " (set NEO4J_PASSWORD)"
            raise Neo4jConnectionError(f"Neo4j at {self.uri} refused the credentials{hint}: {error.message}") from None
        except (ServiceUnavailable, OSError) as error:
            raise Neo4jConnectionError(f"cannot reach Neo4j at {self.uri}: {' '.join(str(error).split())}") from None
        except (ConfigurationError, ValueError) as error:
            raise Neo4jConnectionError(f"bad Neo4j address {brief(self.uri)}: {error}") from None
        except Neo4jError as error:
            raise Neo4jConnectionError(f"Neo4j at {self.uri}: {error.message}") from None

    def close(self) -> None:
        if self._driver is not None:
            self._driver.close()
            self._driver = None

    def _session(self) -> Any:
        if self._driver is None:
            self.connect()
        return self._driver.session(database=self.database)

    # -- writing ----------------------------------------------------------------------------------------------

    def apply_schema(self) -> int:
        """Create the constraints and indexes of ``cypher/schema.cypher``; returns how many statements ran."""
        statements = split_statements(cypher_file("schema.cypher"))
        with self._session() as session:
            for statement in statements:
                session.run(statement).consume()
        return len(statements)

    def load(self, dataset: Dataset, batch_size: int = 2000, progress: Progress | None = None, wipe: bool = False) -> LoadReport:
        """Load ``dataset`` in batches, nodes first, then remove what an earlier load left and the data no longer
        holds; with ``wipe``, remove that dataset's nodes first."""
        self.apply_schema()
        wiped = self.wipe(dataset.info.id) if wipe else 0
        ds = dataset.info.id
        uid = _uid(ds, ds)
        load = uuid.uuid4().hex
        nodes: Counter[str] = Counter()
        relationships: Counter[str] = Counter()
        batches = 0
        plan = [*node_batches(dataset, batch_size), *relationship_batches(dataset, batch_size)]
        texts = {name: cypher_file(name) for _, name, _ in plan}
        kinds = [{"uid": row["uid"], "label": label} for label, rows in node_rows_by_label(dataset).items() for row in rows]
        with self._session() as session:
            session.execute_write(_run, cypher_file("load/begin.cypher"), dataset=ds, uid=uid, load=load)
            retire = cypher_file("load/retire-relabelled.cypher")
            for chunk in _chunks(kinds, batch_size):
                session.execute_write(_run, retire, rows=list(chunk))
            for number, (what, name, rows) in enumerate(plan, start=1):
                try:
                    session.execute_write(_run, texts[name], rows=list(rows), load=load)
                except Exception as error:  # any failure names the batch; the load is idempotent
                    raise Neo4jLoadError(
                        f"batch {number} of {len(plan)} ({len(rows)} {what} rows, {name}) failed: {_brief(error)}; "
                        "nothing of that batch was written; re-run the load to complete it"
                    ) from error
                (nodes if what in LABELS else relationships)[what] += len(rows)
                batches += 1
                if progress is not None:
                    progress(what, len(rows))
            pruned = sum(
                self._until_done(session, cypher_file(f"load/prune-{part}.cypher"), dict(dataset=ds, load=load), batch_size)
                for part in ("relationships", "nodes")
            )
            completed = session.execute_write(_count, cypher_file("load/complete.cypher"), "completed", uid=uid, load=load)
        if not completed:
            raise Neo4jLoadError(f"another load of dataset {ds!r} started while this one ran; let it complete, or load again")
        return LoadReport(ds, dict(nodes), dict(relationships), batches, wiped, pruned)

    @staticmethod
    def _until_done(session: Any, text: str, params: dict[str, Any], batch: int) -> int:
        total = 0
        while True:
            deleted: int = session.execute_write(_count, text, "deleted", **params, batch=batch)
            total += deleted
            if deleted < batch:
                return total

    def wipe(self, dataset_id: str, batch: int = 5000) -> int:
        """Delete the nodes (and their relationships) of one dataset, batch by batch; returns how many."""
        with self._session() as session:
            return self._until_done(session, cypher_file("load/wipe.cypher"), {"dataset": dataset_id}, batch)

    # -- reading ----------------------------------------------------------------------------------------------

    def query(self, name: str, params: Mapping[str, Any]) -> list[dict[str, Any]]:
        """Run the analyst query ``cypher/queries/<name>.cypher`` with ``params``; rows as plain dicts."""
        check_query_name(name)
        text = cypher_file(f"queries/{name}.cypher")
        dataset = params.get("dataset")
        # A parameter the header declares but the caller leaves out is null (Neo4j refuses a missing one).
        values = {**dict.fromkeys(query_parameters(name)), **params}
        with self._session() as session:
            if isinstance(dataset, str):
                self._require_complete(session, dataset)
            return [record.data() for record in session.run(text, values)]

    def load_state(self, dataset_id: str) -> str | None:
        """The state of the dataset's last load: ``'loading'``, ``'complete'``, or ``None`` (never loaded)."""
        with self._session() as session:
            return self._state(session, dataset_id)

    @staticmethod
    def _state(session: Any, dataset_id: str) -> str | None:
        rows = [r.data() for r in session.run(cypher_file("load/state.cypher"), uid=_uid(dataset_id, dataset_id))]
        state = rows[0]["state"] if rows else None
        return str(state) if state is not None else None

    def _require_complete(self, session: Any, dataset_id: str) -> None:
        if self._state(session, dataset_id) not in (None, "complete"):
            raise Neo4jIncompleteLoadError(
                f"Neo4j holds an incomplete load of dataset {brief(dataset_id)} (it was interrupted or failed); "
                "run `dutygraph neo4j load` again to complete it"
            )

    def counts(self, dataset_id: str) -> tuple[dict[str, int], dict[str, int]]:
        """Nodes per label and relationships per type of one dataset."""
        text = cypher_file("queries/counts.cypher")
        with self._session() as session:
            rows = [record.data() for record in session.run(text, {"dataset": dataset_id})]
        nodes = {r["name"]: r["count"] for r in rows if r["what"] == "label"}
        relationships = {r["name"]: r["count"] for r in rows if r["what"] == "type"}
        return nodes, relationships


def _run(tx: Any, text: str, **params: Any) -> None:
    tx.run(text, params).consume()


def _count(tx: Any, text: str, column: str, **params: Any) -> int:
    record = tx.run(text, params).single()
    return int(record[column]) if record else 0


def _brief(error: Exception) -> str:
    message = getattr(error, "message", None) or str(error)
    return message.splitlines()[0] if message else type(error).__name__
