"""Load a dataset directory, validate everything in one run, and build a :class:`~dutygraph.model.Dataset`.

Validation reports every problem at once, each with its file and the line of the field at fault: YAML syntax
(aliases and deep nesting refused), empty files, data files that are directories or symlink loops, unexpected
top-level keys, the schema (unknown and missing fields, wrong types, control characters in names), ids that are
not safe names, duplicate ids, unknown references (with the nearest ids), REQUIRES cycles (each strongly
connected group of licences once), sources outside the dataset or not UTF-8 text, quotes that do not occur
verbatim in their source text, unknown duty kinds and levels, and dates that do not parse.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from dutygraph.errors import DataIssue, DatasetNotFoundError, InvalidDataError
from dutygraph.files import DatasetFiles, FileProblem, safe_relative
from dutygraph.model import (
    DUTY_KINDS,
    LEVELS,
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
from dutygraph.schema import SCHEMAS, Record, check_record, key_line, line_of, parse_yaml
from dutygraph.text import brief, describe, nearest, squash

__all__ = ["ID_PATTERN", "Inputs", "load_dataset", "read_dataset"]

ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)*")
"""Ids name files (maps, exports) and Neo4j uids (``<dataset>/<id>``): letters, digits, ``-`` and ``_``, with
single dots between them; at most :data:`ID_MAX` characters."""
ID_MAX = 100

Inputs = Mapping[str, "str | None"]
"""Every file a load read (relative path -> content hash) or looked for and found absent (-> None)."""


def id_problem(ident: str) -> str | None:
    """Why ``ident`` is not a valid id, or ``None``."""
    if len(ident) <= ID_MAX and ID_PATTERN.fullmatch(ident):
        return None
    return (
        f"{brief(ident)} is not a valid id: use letters, digits, '-' and '_', with single dots between them (at most {ID_MAX} characters)"
    )


# ---------------------------------------------------------------------------------------------------------
# Loading.


def load_dataset(root: str | Path) -> Dataset:
    """Read, validate and build the dataset in ``root``.

    Raises :class:`~dutygraph.errors.DatasetNotFoundError` when ``root`` holds no ``dataset.yaml``,
    :class:`~dutygraph.errors.InvalidDataError` with every problem found otherwise, and ``OSError`` when a file
    cannot be read (permissions).
    """
    return read_dataset(root)[0]


def read_dataset(root: str | Path) -> tuple[Dataset, Inputs]:
    """:func:`load_dataset`, also returning every file it read with its content hash (for the cache)."""
    root = Path(root)
    try:
        os.stat(root / "dataset.yaml")
    except (FileNotFoundError, NotADirectoryError):
        raise DatasetNotFoundError(f"{root} is not a dataset directory (no dataset.yaml in it)") from None
    builder = _Builder(root)
    return builder.build(), dict(builder.files.inputs)


_ABSENT = object()


class _Builder:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.files = DatasetFiles(root)
        self.issues: list[DataIssue] = []
        self.seen_ids: dict[str, Mark] = {}
        self.info_record: Record | None = None
        self.unreadable: set[str] = set()
        """Kinds whose file failed to parse: references to them are not checked (no cascade of errors)."""
        self.records: dict[int, Record] = {}
        """The record each built object came from (by object id), for the line of the field at fault."""

    # -- reading ----------------------------------------------------------------------------------------

    def _parsed(self, name: str) -> Any:
        """The YAML document of a data file; ``_ABSENT`` when there is no such file, ``None`` when it is unusable
        (the problem is recorded)."""
        try:
            data = self.files.read(name)
        except FileProblem as problem:
            self.issues.append(DataIssue(name, None, str(problem)))
            return None
        if data is None:
            return _ABSENT
        return parse_yaml(data, name, self.issues)

    def _records(self, kind: str) -> Iterator[Record]:
        name = f"{kind}.yaml"
        singular = _SINGULAR[kind]
        data = self._parsed(name)
        if data is _ABSENT:
            return
        if data is None:
            self.unreadable.add(singular)
            return
        if not isinstance(data, Mapping) or kind not in data:
            got = "" if isinstance(data, Mapping) else f", got {describe(data)}"
            self.issues.append(DataIssue(name, 1, f"expected a top-level key {kind!r} holding a list{got}"))
            self.unreadable.add(singular)
            return
        for key in data:
            if key != kind:
                hint = f" (did you mean {kind!r}?)" if nearest(str(key), [kind], 1) else ""
                self.issues.append(
                    DataIssue(name, key_line(data, key), f"unexpected top-level key {brief(key)}{hint}; the file holds only {kind!r}")
                )
        items = data[kind]
        if items is None:
            self.issues.append(DataIssue(name, key_line(data, kind), f"{kind!r} holds nothing; write '{kind}: []' for none"))
            self.unreadable.add(singular)
            return
        if not isinstance(items, list):
            self.issues.append(DataIssue(name, line_of(data, kind), f"{kind!r} must be a list, got {describe(items)}"))
            self.unreadable.add(singular)
            return
        for index, node in enumerate(items):
            ident = node.get("id") if isinstance(node, Mapping) else None
            what = f"{singular} {brief(ident)}" if isinstance(ident, str) and ident else f"{singular} #{index + 1}"
            record = check_record(node, SCHEMAS[kind], name, what, self.issues)
            if record is not None:
                yield record

    def _remember(self, record: Record, made: Any) -> Any:
        self.records[id(made)] = record
        return made

    def _info(self) -> DatasetInfo | None:
        data = self._parsed("dataset.yaml")
        if data is _ABSENT:
            self.issues.append(DataIssue("dataset.yaml", None, "the file is missing"))
            return None
        if data is None:
            return None
        record = check_record(data, SCHEMAS["dataset"], "dataset.yaml", "the dataset", self.issues)
        if record is None or not {"id", "title", "jurisdiction", "rules"} <= record.values.keys():
            return None
        problem = id_problem(record.values["id"])
        if problem:
            self.issues.append(DataIssue("dataset.yaml", record.mark("id").line, f"the dataset's id {problem}"))
        self.info_record = record
        where = record.values["jurisdiction"]
        if "name" not in where or "level" not in where:
            return None
        return DatasetInfo(
            id=record.get("id"),
            title=record.get("title"),
            title_en=record.get("title_en"),
            jurisdiction=where["name"],
            jurisdiction_en=where.get("name_en"),
            level=where["level"],
            as_of=record.get("as_of"),
            rules=tuple(
                RuleDecl(
                    r.get("rule"),
                    r.get("provisions", ()),
                    _rule_bureaus(r),
                    r.mark(),
                )
                for r in record.get("rules")
                if "rule" in r.values
            ),
        )

    # -- building ---------------------------------------------------------------------------------------

    def build(self) -> Dataset:
        info = self._info()
        documents = self._keyed("documents", self._document)
        provisions = self._keyed("provisions", self._provision)
        bureaus = self._keyed("bureaus", self._bureau)
        domains = self._keyed("domains", self._domain)
        activities = self._keyed("activities", self._activity)
        licences = self._keyed("licences", self._licence)
        duties = tuple(self._remember(r, self._duty(r)) for r in self._records("duties"))
        leads = tuple(self._remember(r, self._lead(r)) for r in self._records("leads"))
        successions = tuple(self._remember(r, self._succession(r)) for r in self._records("successions"))
        if info is None or self.info_record is None:
            raise InvalidDataError(self.issues)
        dataset = Dataset(
            root=self.root,
            info=info,
            documents=documents,
            provisions=provisions,
            bureaus=bureaus,
            domains=domains,
            activities=activities,
            licences=licences,
            duties=duties,
            leads=leads,
            successions=successions,
        )
        _Checker(dataset, self.issues, self.info_record, self.unreadable, self.records, self.files).run()
        if self.issues:
            raise InvalidDataError(self.issues)
        return dataset

    def _keyed(self, kind: str, make: Callable[[Record], Any]) -> dict[str, Any]:
        keyed: dict[str, Any] = {}
        for record in self._records(kind):
            if "id" not in record.values:
                continue
            ident = record.values["id"]
            problem = id_problem(ident)
            if problem:
                self.issues.append(DataIssue(record.file, record.mark("id").line, f"id {problem}"))
            if ident in self.seen_ids:
                first = self.seen_ids[ident]
                self.issues.append(DataIssue(record.file, record.mark().line, f"duplicate id {brief(ident)} (first used at {first})"))
                continue
            self.seen_ids[ident] = record.mark()
            keyed[ident] = self._remember(record, make(record))
        return keyed

    def _document(self, r: Record) -> Document:
        return Document(
            id=r.get("id"),
            title=r.get("title", ""),
            title_en=r.get("title_en"),
            number=r.get("number"),
            issuer=r.get("issuer"),
            kind=r.get("kind", ""),
            date=r.get("date"),
            version=r.get("version"),
            source=r.get("source", ""),
            mark=r.mark(),
            adopted=r.get("adopted"),
            approved=r.get("approved"),
            in_force=r.get("in_force"),
            superseded_by=r.get("superseded_by"),
        )

    def _provision(self, r: Record) -> Provision:
        return Provision(r.get("id"), r.get("document", ""), r.get("path", ""), r.get("quote", ""), r.mark())

    def _bureau(self, r: Record) -> Bureau:
        return Bureau(
            id=r.get("id"),
            name=r.get("name", ""),
            full_name=r.get("full_name"),
            name_en=r.get("name_en"),
            levels=r.get("level", ()),
            system=r.get("system"),
            aliases=r.get("aliases", ()),
            guided_by=r.get("guided_by"),
            agency_of=r.get("agency_of"),
            note=r.get("note"),
            provisions=r.get("provisions", ()),
            mark=r.mark(),
        )

    def _domain(self, r: Record) -> Domain:
        return Domain(r.get("id"), r.get("name", ""), r.get("name_en"), r.get("aliases", ()), r.get("provisions", ()), r.mark())

    def _activity(self, r: Record) -> Activity:
        return Activity(
            id=r.get("id"),
            name=r.get("name", ""),
            name_en=r.get("name_en"),
            aliases=r.get("aliases", ()),
            domain=r.get("domain"),
            licences=r.get("licences", ()),
            provisions=r.get("provisions", ()),
            mark=r.mark(),
            prohibition=_prohibition(r.get("prohibition")),
            members=r.get("members", ()),
            penalties=r.get("penalties", ()),
            deferred=r.get("deferred", ()),
        )

    def _licence(self, r: Record) -> Licence:
        kind = r.get("kind", LicenceKind.PERMIT.value)
        if kind not in {k.value for k in LicenceKind}:
            allowed = [k.value for k in LicenceKind]
            self.issues.append(DataIssue(r.file, r.mark("kind").line, f"unknown licence kind {brief(kind)}; allowed kinds are {allowed}"))
            kind = LicenceKind.PERMIT.value
        return Licence(
            id=r.get("id"),
            name=r.get("name", ""),
            name_en=r.get("name_en"),
            aliases=r.get("aliases", ()),
            kind=LicenceKind(kind),
            issuer=r.get("issuer"),
            enforcer=r.get("enforcer"),
            requires=r.get("requires", ()),
            provisions=r.get("provisions", ()),
            mark=r.mark(),
            changes=tuple(LicenceChange(c.get("issuer"), c.get("enforcer")) for c in r.get("changes", ())),
            also_enforced_by=r.get("also_enforced_by", ()),
        )

    def _duty(self, r: Record) -> Duty:
        return Duty(
            r.get("bureau", ""), r.get("kind", ""), r.get("target", ""), r.get("competent", False), r.get("provisions", ()), r.mark()
        )

    def _lead(self, r: Record) -> Lead:
        return Lead(
            r.get("bureau", ""),
            r.get("activity", ""),
            r.get("basis"),
            r.get("provisions", ()),
            r.mark(),
            cooperating=r.get("cooperating", ()),
            sector=r.get("sector"),
        )

    def _succession(self, r: Record) -> Succession:
        return Succession(
            r.get("predecessor", ""),
            r.get("successor", ""),
            _bound(r.get("not_before")),
            _bound(r.get("not_after")),
            r.get("provisions", ()),
            r.mark(),
            note=r.get("note"),
        )


def _rule_bureaus(r: Record) -> tuple[str, ...]:
    """A rule names one bureau (``bureau:``) or several (``bureaus:``)."""
    one = r.get("bureau")
    return (*([one] if one else []), *r.get("bureaus", ()))


def _bound(values: Mapping[str, Any] | None) -> Bound | None:
    if not values or "date" not in values:
        return None
    return Bound(values["date"], values.get("provisions", ()))


def _prohibition(values: Mapping[str, Any] | None) -> Prohibition | None:
    if values is None:
        return None
    conditions = tuple(Condition(c.get("text", ""), c.get("provisions", ())) for c in values.get("conditions", ()))
    return Prohibition(conditions, values.get("enforcer"), values.get("provisions", ()))


_SINGULAR = {
    "documents": "document",
    "provisions": "provision",
    "bureaus": "bureau",
    "domains": "domain",
    "activities": "activity",
    "licences": "licence",
    "duties": "duty",
    "leads": "lead",
    "successions": "succession",
}


# ---------------------------------------------------------------------------------------------------------
# Cross-reference checks on the built dataset.


class _Checker:
    def __init__(
        self,
        dataset: Dataset,
        issues: list[DataIssue],
        info_record: Record,
        unreadable: set[str],
        records: Mapping[int, Record],
        files: DatasetFiles,
    ) -> None:
        self.ds = dataset
        self.issues = issues
        self.info_record = info_record
        self.unreadable = unreadable
        self.records = records
        self.files = files
        self.sources: dict[str, str | None] = {}

    def problem(self, mark: Mark, message: str) -> None:
        self.issues.append(DataIssue(mark.file, mark.line, message))

    def at(self, obj: Any, *path: str | int) -> Mark:
        """Where a field of a built object (or of a record) was written, down to the list item."""
        record = obj if isinstance(obj, Record) else self.records.get(id(obj))
        if record is None:
            return obj.mark if isinstance(getattr(obj, "mark", None), Mark) else Mark("dataset.yaml")
        return record.mark_at(*path)

    def ref(self, mark: Mark, what: str, ident: str, pool: Mapping[str, object], kind: str) -> None:
        if ident in pool or any(k in self.unreadable for k in kind.split(" or ")):
            return
        close = nearest(ident, pool)
        hint = f" (did you mean {', '.join(brief(c) for c in close)}?)" if close else ""
        self.problem(mark, f"{what} names unknown {kind} {brief(ident)}{hint}")

    def cites(self, obj: Any, what: str, provisions: Iterable[str], *path: str | int) -> None:
        """Check that the provisions at ``path`` (default: the object's ``provisions``) exist."""
        where = path or ("provisions",)
        for index, ident in enumerate(provisions):
            self.ref(self.at(obj, *where, index), what, ident, self.ds.provisions, "provision")

    def run(self) -> None:
        ds = self.ds
        info = self.info_record
        self._rules()
        if ds.info.level not in LEVELS:
            self.problem(
                info.mark_at("jurisdiction", "level"),
                f"unknown jurisdiction level {brief(ds.info.level)}; allowed levels are {list(LEVELS)}",
            )
        for document in ds.documents.values():
            self._document(document)
        for provision in ds.provisions.values():
            self._provision(provision)
        for bureau in ds.bureaus.values():
            self._bureau(bureau)
        for domain in ds.domains.values():
            self.cites(domain, f"domain {brief(domain.id)}", domain.provisions)
        for activity in ds.activities.values():
            self._activity(activity)
        for licence in ds.licences.values():
            self._licence(licence)
        for duty in ds.duties:
            self._duty(duty)
        for lead in ds.leads:
            what = f"lead of {brief(lead.bureau)} for {brief(lead.activity)}"
            self.ref(self.at(lead, "bureau"), what, lead.bureau, ds.bureaus, "bureau")
            self.ref(self.at(lead, "activity"), what, lead.activity, ds.activities, "activity")
            for index, ident in enumerate(lead.cooperating):
                self.ref(self.at(lead, "cooperating", index), f"cooperating bureau of {what}", ident, ds.bureaus, "bureau")
            if lead.sector is not None:
                self.ref(self.at(lead, "sector"), f"sector of {what}", lead.sector, ds.domains, "domain")
            self.cites(lead, what, lead.provisions)
        for succession in ds.successions:
            self._succession(succession)
        self._cycles()
        self._succession_graph()
        self._aliases()

    def _rules(self) -> None:
        from dutygraph.rules import RULES

        for decl in self.ds.info.rules:
            what = f"rule {decl.key!r} of the dataset"
            if decl.key not in RULES:
                close = nearest(decl.key, RULES)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                self.problem(decl.mark, f"unknown rule {decl.key!r}{hint}; known rules are {sorted(RULES)}")
                continue
            if RULES[decl.key].needs_bureau and len(decl.bureaus) != 1:
                self.problem(decl.mark, f"{what} must name the one bureau it assigns ('bureau:')")
            for bureau in decl.bureaus:
                self.ref(decl.mark, what, bureau, self.ds.bureaus, "bureau")
            for ident in decl.provisions:
                self.ref(decl.mark, what, ident, self.ds.provisions, "provision")
        keys = [decl.key for decl in self.ds.info.rules]
        for key in sorted({k for k in keys if keys.count(k) > 1}):
            self.problem(self.info_record.mark("rules"), f"rule {key!r} is declared more than once")

    def _succession(self, succession: Succession) -> None:
        what = f"succession {brief(succession.predecessor)} -> {brief(succession.successor)}"
        self.ref(self.at(succession, "predecessor"), what, succession.predecessor, self.ds.bureaus, "bureau")
        self.ref(self.at(succession, "successor"), what, succession.successor, self.ds.bureaus, "bureau")
        self.cites(succession, what, succession.provisions)
        for side, bound in (("not_before", succession.not_before), ("not_after", succession.not_after)):
            if bound is not None:
                self.cites(succession, f"window of {what}", bound.provisions, side, "provisions")
        before, after = succession.not_before, succession.not_after
        if before is not None and after is not None and before.date > after.date:
            later = f"not_before ({before.date.isoformat()}) is later than not_after ({after.date.isoformat()})"
            self.problem(self.at(succession, "not_before"), f"{what}: {later}")
        if before is None and after is None:
            self.problem(self.at(succession), f"{what} gives no window: cite at least one dated bound (not_before or not_after)")

    def _succession_graph(self) -> None:
        """Successions must not loop (A → B → A), and one predecessor's records must bound one window."""
        graph: dict[str, list[str]] = {}
        for succession in self.ds.successions:
            graph.setdefault(succession.predecessor, []).append(succession.successor)
            graph.setdefault(succession.successor, [])
        for group in _strongly_connected(graph):
            if len(group) > 1 or group[0] in graph[group[0]]:
                first = next(s for s in self.ds.successions if s.predecessor in group)
                self.problem(self.at(first), f"successions loop: {' -> '.join(sorted(group))} succeed one another in a cycle")
        for predecessor, records in self.ds.successions_by_predecessor.items():
            befores = [s.not_before.date for s in records if s.not_before is not None]
            afters = [s.not_after.date for s in records if s.not_after is not None]
            if len(records) > 1 and befores and afters and max(befores) > min(afters):
                window = (
                    f"the latest not_before ({max(befores).isoformat()}) is later than the earliest not_after ({min(afters).isoformat()})"
                )
                self.problem(self.at(records[0]), f"the successions of {brief(predecessor)} bound no common window: {window}")

    def _aliases(self) -> None:
        """A name or alias that two entities share makes names ambiguous: report each collision once."""
        owners: dict[str, list[tuple[str, Mark]]] = {}
        pools: list[Mapping[str, Any]] = [self.ds.bureaus, self.ds.domains, self.ds.activities, self.ds.licences]
        for pool in pools:
            for entity in pool.values():
                for alias in dict.fromkeys(entity.aliases):
                    owners.setdefault(alias, []).append((entity.id, self.at(entity, "aliases")))
        names = {e.name: e.id for pool in pools for e in pool.values()}
        for alias, owned in owners.items():
            ids = [ident for ident, _ in owned]
            if alias in names and names[alias] not in ids:
                self.problem(owned[0][1], f"alias {alias!r} of {ids[0]!r} is the name of {names[alias]!r}")
            elif len(set(ids)) > 1:
                self.problem(owned[1][1], f"alias {alias!r} is shared by {' and '.join(repr(i) for i in dict.fromkeys(ids))}")

    def _document(self, document: Document) -> None:
        self.sources[document.id] = None
        where = self.at(document, "source")
        what = f"document {brief(document.id)}"
        if document.superseded_by is not None:
            later = self.at(document, "superseded_by")
            self.ref(later, f"superseded_by of {what}", document.superseded_by, self.ds.documents, "document")
        try:
            relative = str(safe_relative(document.source))
            data = self.files.read(relative)
        except FileProblem as problem:
            self.problem(where, f"{what}: source {problem}")
            return
        if data is None:
            self.problem(where, f"{what} names source {brief(document.source)}, which is not a file in the dataset")
            return
        if b"\x00" in data:
            self.problem(where, f"{what}: source {relative} is not a text file (it holds NUL bytes)")
            return
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            self.problem(where, f"{what}: source {relative} is not UTF-8 text (byte 0x{data[error.start]:02X} at offset {error.start})")
            return
        self.sources[document.id] = squash(text)

    def _provision(self, provision: Provision) -> None:
        what = f"provision {brief(provision.id)}"
        self.ref(self.at(provision, "document"), what, provision.document, self.ds.documents, "document")
        text = self.sources.get(provision.document)
        if text is None:
            return
        problem = quote_problem(provision.quote, text)
        if problem:
            source = self.ds.documents[provision.document].source
            self.problem(self.at(provision, "quote"), f"{what}: quote not found verbatim in {source}: {problem}")

    def _bureau(self, bureau: Bureau) -> None:
        what = f"bureau {brief(bureau.id)}"
        for level in bureau.levels:
            if level not in LEVELS:
                self.problem(self.at(bureau, "level"), f"{what} has unknown level {brief(level)}; allowed levels are {list(LEVELS)}")
        for role, cited in (("guided_by", bureau.guided_by), ("agency_of", bureau.agency_of)):
            if cited is not None:
                self.ref(self.at(bureau, role, "bureau"), f"{role} of {what}", cited.target, self.ds.bureaus, "bureau")
                self.cites(bureau, f"{role} of {what}", cited.provisions, role, "provisions")
                if cited.target == bureau.id:
                    self.problem(self.at(bureau, role), f"{role} of {what} names the bureau itself")
        self.cites(bureau, what, bureau.provisions)

    def _activity(self, activity: Activity) -> None:
        what = f"activity {brief(activity.id)}"
        if activity.domain is not None:
            self.ref(self.at(activity, "domain"), what, activity.domain, self.ds.domains, "domain")
        for index, cited in enumerate(activity.licences):
            self.ref(self.at(activity, "licences", index, "licence"), what, cited.target, self.ds.licences, "licence")
            self.cites(activity, what, cited.provisions, "licences", index, "provisions")
        self.cites(activity, what, activity.provisions)
        self.cites(activity, f"penalties of {what}", activity.penalties, "penalties")
        self.cites(activity, f"deferral of {what}", activity.deferred, "deferred")
        for index, member in enumerate(activity.members):
            self.ref(self.at(activity, "members", index), f"member of {what}", member, self.ds.activities, "activity")
            if member == activity.id or (member in self.ds.activities and self.ds.activities[member].members):
                self.problem(
                    self.at(activity, "members", index), f"member {brief(member)} of {what} must be an activity without members of its own"
                )
        prohibition = activity.prohibition
        if prohibition is not None:
            if activity.licences:
                self.problem(
                    self.at(activity, "prohibition"), f"{what} is a prohibition and lists licences: a banned act cannot be licensed"
                )
            self.cites(activity, f"prohibition of {what}", prohibition.provisions, "prohibition", "provisions")
            for index, condition in enumerate(prohibition.conditions):
                path = ("prohibition", "conditions", index, "provisions")
                self.cites(activity, f"condition of the prohibition of {what}", condition.provisions, *path)
            if prohibition.enforcer is not None:
                enforcer = prohibition.enforcer
                where = self.at(activity, "prohibition", "enforcer", "bureau")
                self.ref(where, f"enforcer of the prohibition of {what}", enforcer.target, self.ds.bureaus, "bureau")
                self.cites(activity, f"enforcer of the prohibition of {what}", enforcer.provisions, "prohibition", "enforcer", "provisions")

    def _licence(self, licence: Licence) -> None:
        what = f"licence {brief(licence.id)}"
        roles: list[tuple[str, Cited | None, tuple[str | int, ...]]] = [
            ("issuer", licence.issuer, ("issuer",)),
            ("enforcer", licence.enforcer, ("enforcer",)),
        ]
        for index, change in enumerate(licence.changes):
            if change.issuer is None and change.enforcer is None:
                self.problem(self.at(licence, "changes", index), f"change #{index + 1} of {what} changes neither issuer nor enforcer")
            roles += [
                (f"{role} (change #{index + 1})", cited, ("changes", index, role))
                for role, cited in (("issuer", change.issuer), ("enforcer", change.enforcer))
            ]
        roles += [("also_enforced_by", cited, ("also_enforced_by", index)) for index, cited in enumerate(licence.also_enforced_by)]
        for role, cited, path in roles:
            if cited is not None:
                self.ref(self.at(licence, *path, "bureau"), f"{role} of {what}", cited.target, self.ds.bureaus, "bureau")
                self.cites(licence, f"{role} of {what}", cited.provisions, *path, "provisions")
                if not cited.provisions:
                    self.problem(self.at(licence, *path), f"{role} of {what} cites no provision")
        for index, cited in enumerate(licence.requires):
            self.ref(self.at(licence, "requires", index, "licence"), what, cited.target, self.ds.licences, "licence")
            self.cites(licence, what, cited.provisions, "requires", index, "provisions")
        self.cites(licence, what, licence.provisions)

    def _duty(self, duty: Duty) -> None:
        what = f"duty {brief(duty.kind)} of {brief(duty.bureau)}"
        self.ref(self.at(duty, "bureau"), what, duty.bureau, self.ds.bureaus, "bureau")
        targets = {**self.ds.domains, **self.ds.activities}
        self.ref(self.at(duty, "target"), what, duty.target, targets, "domain or activity")
        if duty.kind not in DUTY_KINDS:
            close = nearest(duty.kind, DUTY_KINDS)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            self.problem(self.at(duty, "kind"), f"{what}: unknown duty kind {brief(duty.kind)}{hint}; allowed kinds are {list(DUTY_KINDS)}")
        self.cites(duty, what, duty.provisions)

    def _cycles(self) -> None:
        licences = self.ds.licences
        graph = {lic.id: [c.target for c in lic.requires if c.target in licences] for lic in licences.values()}
        for group in _strongly_connected(graph):
            if len(group) == 1 and group[0] not in graph[group[0]]:
                continue
            cycle = _shortest_cycle(graph, min(group), set(group))
            message = f"licences require each other in a cycle: {' -> '.join(cycle)}"
            if len(group) > len(cycle) - 1:
                names = ", ".join(sorted(group)[:12]) + (", …" if len(group) > 12 else "")
                message += f"; {len(group)} licences in all: {names}"
            first = licences[cycle[0]]
            index = next(i for i, c in enumerate(first.requires) if c.target == cycle[1])
            self.problem(self.at(first, "requires", index), message)


def _strongly_connected(graph: Mapping[str, list[str]]) -> list[list[str]]:
    """The strongly connected components of ``graph`` (Tarjan's algorithm, iterative: linear in the size of
    the graph and safe at any depth), ordered by their smallest member."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    for start in graph:
        if start in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(start, iter(graph[start]))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, successors = work[-1]
            advanced = False
            for nxt in successors:
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(graph[nxt])))
                    advanced = True
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                groups.append(group)
    return sorted(groups, key=min)


def _shortest_cycle(graph: Mapping[str, list[str]], start: str, within: set[str]) -> list[str]:
    """A shortest cycle through ``start`` inside one strongly connected group (breadth-first), as
    ``[start, …, start]``."""
    parent: dict[str, str] = {}
    frontier = [start]
    seen = {start}
    while frontier:
        following = []
        for node in frontier:
            for nxt in sorted(graph[node]):
                if nxt == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(parent[path[-1]])
                    return [*reversed(path), start]
                if nxt in within and nxt not in seen:
                    seen.add(nxt)
                    parent[nxt] = node
                    following.append(nxt)
        frontier = following
    raise AssertionError("a strongly connected group without a cycle")  # pragma: no cover


ELISION = "……"
"""A quote may leave out words with ……: each part must then occur verbatim, in order, in the source."""


def quote_problem(quote: str, source: str) -> str | None:
    """Why ``quote`` does not occur verbatim (whitespace ignored) in the squashed ``source``, or None.

    Says where the quote stops matching, shows the quote and the source side by side there, and names the
    likely cause (full-width vs half-width punctuation, an elision written without ……).
    """
    position = 0
    for part in (squash(p) for p in quote.split(ELISION)):
        if not part:
            continue
        found = source.find(part, position)
        if found < 0:
            return _divergence(part, source, position)
        position = found + len(part)
    return None


def _divergence(part: str, source: str, start: int) -> str:
    low, high = 0, len(part)
    while low < high:
        mid = (low + high + 1) // 2
        if source.find(part[:mid], start) >= 0:
            low = mid
        else:
            high = mid - 1
    hints = []
    if unicodedata.normalize("NFKC", part) in unicodedata.normalize("NFKC", source[start:]):
        hints.append("it matches once full-width and half-width characters are treated alike: copy the punctuation as the source has it")
    if start and part in source:
        where = f"the part {part[:12]!r} comes before the part preceding it: parts around {ELISION} must follow the source's order"
    elif low < 4:
        where = f"its beginning {part[:12]!r} does not occur in the source"
    else:
        at = source.find(part[:low], start) + low
        quoted, actual = part[low : low + 8], source[at : at + 8]
        where = f"it matches up to {part[max(0, low - 8) : low]!r}; then the quote has {quoted!r} where the source has {actual!r}"
    if ELISION not in part and len(part) > 40:
        hints.append(f"if words are left out on purpose, mark the gap with {ELISION}")
    return where + "".join(f" ({hint})" for hint in hints)
