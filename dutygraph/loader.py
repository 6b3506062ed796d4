"""Load a dataset directory, validate everything in one run, and build a :class:`~dutygraph.model.Dataset`.

Validation reports every problem at once, each with its file and line: YAML syntax, the schema (unknown
and missing fields, wrong types), duplicate ids, unknown references (with the nearest ids), REQUIRES
cycles, quotes that do not occur verbatim in their source text, unknown duty kinds and levels, and dates
that do not parse.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from dutygraph.errors import DataIssue, DatasetNotFoundError, InvalidDataError
from dutygraph.model import (
    DUTY_KINDS,
    LEVELS,
    Activity,
    Bound,
    Bureau,
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
from dutygraph.schema import SCHEMAS, Record, check_record, line_of, read_yaml
from dutygraph.text import nearest, squash

__all__ = ["load_dataset"]


# ---------------------------------------------------------------------------------------------------------
# Loading.


def load_dataset(root: str | Path) -> Dataset:
    """Read, validate and build the dataset in ``root``.

    Raises :class:`~dutygraph.errors.DatasetNotFoundError` when ``root`` holds no ``dataset.yaml`` and
    :class:`~dutygraph.errors.InvalidDataError` with every problem found otherwise.
    """
    root = Path(root)
    if not (root / "dataset.yaml").is_file():
        raise DatasetNotFoundError(f"{root} is not a dataset directory (no dataset.yaml in it)")
    builder = _Builder(root)
    return builder.build()


class _Builder:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.issues: list[DataIssue] = []
        self.seen_ids: dict[str, Mark] = {}
        self.info_record: Record | None = None
        self.unreadable: set[str] = set()
        """Kinds whose file failed to parse: references to them are not checked (no cascade of errors)."""

    # -- reading ----------------------------------------------------------------------------------------

    def _records(self, kind: str) -> Iterator[Record]:
        name = f"{kind}.yaml"
        path = self.root / name
        if not path.is_file():
            return
        data = read_yaml(path, name, self.issues)
        if data is None:
            self.unreadable.add(_SINGULAR[kind])
            return
        if not isinstance(data, Mapping) or kind not in data:
            self.issues.append(DataIssue(name, 1, f"expected a top-level key {kind!r} holding a list"))
            return
        items = data[kind]
        if items is None:
            return
        if not isinstance(items, list):
            self.issues.append(DataIssue(name, line_of(data, kind), f"{kind!r} must be a list"))
            return
        singular = _SINGULAR[kind]
        for index, node in enumerate(items):
            ident = node.get("id") if isinstance(node, Mapping) else None
            what = f"{singular} {ident!r}" if ident else f"{singular} #{index + 1}"
            record = check_record(node, SCHEMAS[kind], name, what, self.issues)
            if record is not None:
                yield record

    def _info(self) -> DatasetInfo | None:
        data = read_yaml(self.root / "dataset.yaml", "dataset.yaml", self.issues)
        if data is None:
            return None
        record = check_record(data, SCHEMAS["dataset"], "dataset.yaml", "the dataset", self.issues)
        if record is None or not {"id", "title", "jurisdiction", "rules"} <= record.values.keys():
            return None
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
        duties = tuple(self._duty(r) for r in self._records("duties"))
        leads = tuple(self._lead(r) for r in self._records("leads"))
        successions = tuple(self._succession(r) for r in self._records("successions"))
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
        _Checker(dataset, self.issues, self.info_record, self.unreadable).run()
        if self.issues:
            raise InvalidDataError(self.issues)
        return dataset

    def _keyed(self, kind: str, make: Callable[[Record], Any]) -> dict[str, Any]:
        keyed: dict[str, Any] = {}
        for record in self._records(kind):
            if "id" not in record.values:
                continue
            ident = record.values["id"]
            if ident in self.seen_ids:
                first = self.seen_ids[ident]
                self.issues.append(DataIssue(record.file, record.mark().line, f"duplicate id {ident!r} (first used at {first})"))
                continue
            self.seen_ids[ident] = record.mark()
            keyed[ident] = make(record)
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
            self.issues.append(DataIssue(r.file, r.mark("kind").line, f"unknown licence kind {kind!r}; allowed kinds are {allowed}"))
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
    def __init__(self, dataset: Dataset, issues: list[DataIssue], info_record: Record, unreadable: set[str]) -> None:
        self.ds = dataset
        self.issues = issues
        self.info_record = info_record
        self.unreadable = unreadable
        self.sources: dict[str, str | None] = {}

    def problem(self, mark: Mark, message: str) -> None:
        self.issues.append(DataIssue(mark.file, mark.line, message))

    def ref(self, mark: Mark, what: str, ident: str, pool: Mapping[str, object], kind: str) -> None:
        if ident in pool or any(k in self.unreadable for k in kind.split(" or ")):
            return
        close = nearest(ident, pool)
        hint = f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else ""
        self.problem(mark, f"{what} names unknown {kind} {ident!r}{hint}")

    def cites(self, mark: Mark, what: str, provisions: Iterable[str]) -> None:
        for ident in provisions:
            self.ref(mark, what, ident, self.ds.provisions, "provision")

    def run(self) -> None:
        ds = self.ds
        self._rules()
        if ds.info.level not in LEVELS:
            self.problem(
                self.info_record.mark("jurisdiction"), f"unknown jurisdiction level {ds.info.level!r}; allowed levels are {list(LEVELS)}"
            )
        for document in ds.documents.values():
            self._document(document)
        for provision in ds.provisions.values():
            self._provision(provision)
        for bureau in ds.bureaus.values():
            self._bureau(bureau)
        for domain in ds.domains.values():
            self.cites(domain.mark, f"domain {domain.id!r}", domain.provisions)
        for activity in ds.activities.values():
            self._activity(activity)
        for licence in ds.licences.values():
            self._licence(licence)
        for duty in ds.duties:
            self._duty(duty)
        for lead in ds.leads:
            what = f"lead of {lead.bureau!r} for {lead.activity!r}"
            self.ref(lead.mark, what, lead.bureau, ds.bureaus, "bureau")
            self.ref(lead.mark, what, lead.activity, ds.activities, "activity")
            for ident in lead.cooperating:
                self.ref(lead.mark, f"cooperating bureau of {what}", ident, ds.bureaus, "bureau")
            if lead.sector is not None:
                self.ref(lead.mark, f"sector of {what}", lead.sector, ds.domains, "domain")
            self.cites(lead.mark, what, lead.provisions)
        for succession in ds.successions:
            self._succession(succession)
        self._cycles()
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
            self.cites(decl.mark, what, decl.provisions)
        keys = [decl.key for decl in self.ds.info.rules]
        for key in sorted({k for k in keys if keys.count(k) > 1}):
            self.problem(self.info_record.mark("rules"), f"rule {key!r} is declared more than once")

    def _succession(self, succession: Succession) -> None:
        what = f"succession {succession.predecessor!r} -> {succession.successor!r}"
        self.ref(succession.mark, what, succession.predecessor, self.ds.bureaus, "bureau")
        self.ref(succession.mark, what, succession.successor, self.ds.bureaus, "bureau")
        self.cites(succession.mark, what, succession.provisions)
        for bound in (succession.not_before, succession.not_after):
            if bound is not None:
                self.cites(succession.mark, f"window of {what}", bound.provisions)
        before, after = succession.not_before, succession.not_after
        if before is not None and after is not None and before.date > after.date:
            self.problem(
                succession.mark, f"{what}: not_before ({before.date.isoformat()}) is later than not_after ({after.date.isoformat()})"
            )
        if before is None and after is None:
            self.problem(succession.mark, f"{what} gives no window: cite at least one dated bound (not_before or not_after)")

    def _aliases(self) -> None:
        """A name or alias that two entities share makes names ambiguous: report each collision once."""
        owners: dict[str, list[tuple[str, Mark]]] = {}
        pools: list[Mapping[str, Any]] = [self.ds.bureaus, self.ds.domains, self.ds.activities, self.ds.licences]
        for pool in pools:
            for entity in pool.values():
                for alias in dict.fromkeys(entity.aliases):
                    owners.setdefault(alias, []).append((entity.id, entity.mark))
        names = {e.name: e.id for pool in pools for e in pool.values()}
        for alias, owned in owners.items():
            ids = [ident for ident, _ in owned]
            if alias in names and names[alias] not in ids:
                self.problem(owned[0][1], f"alias {alias!r} of {ids[0]!r} is the name of {names[alias]!r}")
            elif len(set(ids)) > 1:
                self.problem(owned[1][1], f"alias {alias!r} is shared by {' and '.join(repr(i) for i in dict.fromkeys(ids))}")

    def _document(self, document: Document) -> None:
        if document.superseded_by is not None:
            self.ref(document.mark, f"superseded_by of document {document.id!r}", document.superseded_by, self.ds.documents, "document")
        path = self.ds.root / document.source
        if not path.is_file():
            self.problem(document.mark, f"document {document.id!r} names source {document.source!r}, which is not a file in the dataset")
            self.sources[document.id] = None
            return
        self.sources[document.id] = squash(path.read_text(encoding="utf-8"))

    def _provision(self, provision: Provision) -> None:
        what = f"provision {provision.id!r}"
        self.ref(provision.mark, what, provision.document, self.ds.documents, "document")
        text = self.sources.get(provision.document)
        if text is None:
            return
        problem = quote_problem(provision.quote, text)
        if problem:
            source = self.ds.documents[provision.document].source
            self.problem(provision.mark, f"{what}: quote not found verbatim in {source}: {problem}")

    def _bureau(self, bureau: Bureau) -> None:
        what = f"bureau {bureau.id!r}"
        for level in bureau.levels:
            if level not in LEVELS:
                self.problem(bureau.mark, f"{what} has unknown level {level!r}; allowed levels are {list(LEVELS)}")
        for role, cited in (("guided_by", bureau.guided_by), ("agency_of", bureau.agency_of)):
            if cited is not None:
                self.ref(bureau.mark, f"{role} of {what}", cited.target, self.ds.bureaus, "bureau")
                self.cites(bureau.mark, f"{role} of {what}", cited.provisions)
                if cited.target == bureau.id:
                    self.problem(bureau.mark, f"{role} of {what} names the bureau itself")
        self.cites(bureau.mark, what, bureau.provisions)

    def _activity(self, activity: Activity) -> None:
        what = f"activity {activity.id!r}"
        if activity.domain is not None:
            self.ref(activity.mark, what, activity.domain, self.ds.domains, "domain")
        for cited in activity.licences:
            self.ref(activity.mark, what, cited.target, self.ds.licences, "licence")
            self.cites(activity.mark, what, cited.provisions)
        self.cites(activity.mark, what, activity.provisions)
        self.cites(activity.mark, f"penalties of {what}", activity.penalties)
        self.cites(activity.mark, f"deferral of {what}", activity.deferred)
        for member in activity.members:
            self.ref(activity.mark, f"member of {what}", member, self.ds.activities, "activity")
            if member == activity.id or (member in self.ds.activities and self.ds.activities[member].members):
                self.problem(activity.mark, f"member {member!r} of {what} must be an activity without members of its own")
        prohibition = activity.prohibition
        if prohibition is not None:
            if activity.licences:
                self.problem(activity.mark, f"{what} is a prohibition and lists licences: a banned act cannot be licensed")
            self.cites(activity.mark, f"prohibition of {what}", prohibition.provisions)
            for condition in prohibition.conditions:
                self.cites(activity.mark, f"condition of the prohibition of {what}", condition.provisions)
            if prohibition.enforcer is not None:
                self.ref(activity.mark, f"enforcer of the prohibition of {what}", prohibition.enforcer.target, self.ds.bureaus, "bureau")
                self.cites(activity.mark, f"enforcer of the prohibition of {what}", prohibition.enforcer.provisions)

    def _licence(self, licence: Licence) -> None:
        what = f"licence {licence.id!r}"
        changed = [
            (f"{role} (change #{i + 1})", c)
            for i, ch in enumerate(licence.changes)
            for role, c in (("issuer", ch.issuer), ("enforcer", ch.enforcer))
        ]
        for i, change in enumerate(licence.changes):
            if change.issuer is None and change.enforcer is None:
                self.problem(licence.mark, f"change #{i + 1} of licence {licence.id!r} changes neither issuer nor enforcer")
        also = [("also_enforced_by", cited) for cited in licence.also_enforced_by]
        for role, cited in (("issuer", licence.issuer), ("enforcer", licence.enforcer), *changed, *also):
            if cited is not None:
                self.ref(licence.mark, f"{role} of {what}", cited.target, self.ds.bureaus, "bureau")
                self.cites(licence.mark, f"{role} of {what}", cited.provisions)
                if not cited.provisions:
                    self.problem(licence.mark, f"{role} of {what} cites no provision")
        for cited in licence.requires:
            self.ref(licence.mark, what, cited.target, self.ds.licences, "licence")
            self.cites(licence.mark, what, cited.provisions)
        self.cites(licence.mark, what, licence.provisions)

    def _duty(self, duty: Duty) -> None:
        what = f"duty {duty.kind!r} of {duty.bureau!r}"
        self.ref(duty.mark, what, duty.bureau, self.ds.bureaus, "bureau")
        targets = {**self.ds.domains, **self.ds.activities}
        self.ref(duty.mark, what, duty.target, targets, "domain or activity")
        if duty.kind not in DUTY_KINDS:
            close = nearest(duty.kind, DUTY_KINDS)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            self.problem(duty.mark, f"{what}: unknown duty kind {duty.kind!r}{hint}; allowed kinds are {list(DUTY_KINDS)}")
        self.cites(duty.mark, what, duty.provisions)

    def _cycles(self) -> None:
        graph = {lic.id: [c.target for c in lic.requires if c.target in self.ds.licences] for lic in self.ds.licences.values()}
        for cycle in _find_cycles(graph):
            licence = self.ds.licences[cycle[0]]
            self.problem(licence.mark, f"licences require each other in a cycle: {' -> '.join([*cycle, cycle[0]])}")


def _find_cycles(graph: Mapping[str, list[str]]) -> list[list[str]]:
    """Each elementary cycle found by depth-first search, reported once from its smallest id."""
    found: set[tuple[str, ...]] = set()
    cycles: list[list[str]] = []

    def visit(node: str, path: list[str], on_path: set[str]) -> None:
        for nxt in graph.get(node, []):
            if nxt in on_path:
                cycle = path[path.index(nxt) :]
                start = cycle.index(min(cycle))
                canonical = tuple(cycle[start:] + cycle[:start])
                if canonical not in found:
                    found.add(canonical)
                    cycles.append(list(canonical))
            elif len(path) < len(graph):
                visit(nxt, [*path, nxt], on_path | {nxt})

    for start in sorted(graph):
        visit(start, [start], {start})
    return cycles


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
