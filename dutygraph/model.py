"""The domain model: frozen records (``msgspec.Struct``) for every node and relationship kind of a duty dataset.

A :class:`Dataset` is the validated, immutable content of one dataset directory, with the indexes the
decision engine needs. The networkx graph (``dutygraph.graph``) is a projection of it for exporters and maps.
"""

# No ``from __future__ import annotations`` here: the cache decoder reads these annotations, and evaluated ones
# spare it evaluating every field type from text on each start (about 3 ms of a query).

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import TypeVar

from msgspec import Struct

__all__ = [
    "DUTY_KINDS",
    "LEVELS",
    "Activity",
    "Bound",
    "Bureau",
    "Cited",
    "Condition",
    "Dataset",
    "DatasetInfo",
    "Document",
    "Domain",
    "Duty",
    "Lead",
    "Licence",
    "LicenceChange",
    "LicenceKind",
    "Mark",
    "Prohibition",
    "Provision",
    "Record",
    "RuleDecl",
    "Succession",
]

DUTY_KINDS: tuple[str, ...] = (
    "supervise",
    "license",
    "inspect",
    "investigate",
    "guide",
    "register",
    "assess",
    "rescue",
    "monitor",
    "cooperate",
    "certify",
    "dispose",
    "rectify",
    "educate",
    "review",
    "organise",
    "coordinate",
    "designate",
    "announce",
    "receive-reports",
)
"""The controlled vocabulary of duty kinds (HAS_DUTY.kind)."""

T = TypeVar("T")


LEVELS: tuple[str, ...] = ("national", "provincial", "city", "county", "township")


class Record(Struct, frozen=True, forbid_unknown_fields=True):
    """A fact of a dataset: immutable, hashable, equal by value; decoded from the cache strictly (an unknown field
    is an error, not ignored)."""


class Mark(Record, frozen=True):
    """Where a fact was written: a dataset file (relative to the dataset root) and a 1-based line."""

    file: str
    line: int | None = None

    def __str__(self) -> str:
        return self.file if self.line is None else f"{self.file}:{self.line}"


class Cited(Record, frozen=True):
    """A link to another entity with the provisions it rests on (an ISSUES, REQUIRES, … fact)."""

    target: str
    provisions: tuple[str, ...]


class RuleDecl(Record, frozen=True):
    """A rule of the lead-enforcement cascade as a dataset declares it: its key (a unit of
    :mod:`dutygraph.rules`), the provisions of the dataset's own sources that establish it, and the bureau it
    names where the rule names one (the residual default lead)."""

    key: str
    provisions: tuple[str, ...]
    bureaus: tuple[str, ...]
    """The bureaus the rule itself names: the residual default lead, or the departments among which a division of
    labour is made (烟台 第三十九条: 安全生产监督管理部门和其他负有安全生产监督管理职责的部门)."""
    mark: Mark


class DatasetInfo(Record, frozen=True):
    id: str
    title: str
    title_en: str | None
    jurisdiction: str
    jurisdiction_en: str | None
    level: str
    as_of: dt.date | None
    rules: tuple[RuleDecl, ...]
    """The cascade, in order: no rule the dataset does not declare ever decides."""

    def rule(self, key: str) -> RuleDecl | None:
        return next((r for r in self.rules if r.key == key), None)


class Document(Record, frozen=True):
    id: str
    title: str
    title_en: str | None
    number: str | None
    issuer: str | None
    kind: str
    date: dt.date | None
    version: dt.date | None
    source: str
    mark: Mark
    adopted: dt.date | None = None
    approved: dt.date | None = None
    in_force: dt.date | None = None
    superseded_by: str | None = None
    """A later version of this text (another document of the dataset), from whose version date on this
    wording is no longer the one in force."""

    @property
    def label(self) -> str:
        """How a citation names the document: its title, with its number where it has one."""
        return f"{self.title}（{self.number}）" if self.number else self.title

    @property
    def effective(self) -> dt.date | None:
        """The date from which the document's facts apply: entry into force, else its own date."""
        return self.in_force or self.date


class Provision(Record, frozen=True):
    id: str
    document: str
    path: str
    quote: str
    mark: Mark


class Bureau(Record, frozen=True):
    """A government organ or office.

    ``guided_by``: the city bureau that guides this organ where it acts (县级公安机关, guided by 市公安局);
    the organ still acts in its own name. ``agency_of``: the bureau whose statutory agency this is
    (道路运输管理机构 of 市交通运输局).
    """

    id: str
    name: str
    full_name: str | None
    name_en: str | None
    levels: tuple[str, ...]
    system: str | None
    aliases: tuple[str, ...]
    guided_by: Cited | None
    agency_of: Cited | None
    note: str | None
    provisions: tuple[str, ...]
    mark: Mark

    @property
    def level(self) -> str | None:
        """The organ's level; an organ acting at several levels (市、县公安机关) is shown as ``city/county``."""
        return "/".join(self.levels) if self.levels else None


class Domain(Record, frozen=True):
    id: str
    name: str
    name_en: str | None
    aliases: tuple[str, ...]
    provisions: tuple[str, ...]
    mark: Mark


class LicenceKind(StrEnum):
    PERMIT = "permit"
    BUSINESS = "business"


class LicenceChange(Record, frozen=True):
    """A later text that changes who grants a licence or who acts against operating without it (e.g. the 2022
    道路运输条例 moves both from 道路运输管理机构 to 交通运输主管部门). It applies from the entry into force of the
    documents it cites; a role it leaves out keeps its earlier holder."""

    issuer: Cited | None
    enforcer: Cited | None


class Licence(Record, frozen=True):
    id: str
    name: str
    name_en: str | None
    aliases: tuple[str, ...]
    kind: LicenceKind
    issuer: Cited | None
    """Who grants it, as the dataset's own texts state it (later texts: ``changes``)."""
    enforcer: Cited | None
    requires: tuple[Cited, ...]
    provisions: tuple[str, ...]
    mark: Mark
    changes: tuple[LicenceChange, ...] = ()
    also_enforced_by: tuple[Cited, ...] = ()
    """Other organs that another text designates to act against operating without it: an overlap between texts
    (e.g. 烟花爆竹安全管理条例 第三十六条 and 安全生产许可证条例 第二十三条), shown in answers and reported by gaps."""


class Condition(Record, frozen=True):
    """A cited condition of a prohibition: the area, time or place where the act is banned."""

    text: str
    provisions: tuple[str, ...]


class Prohibition(Record, frozen=True):
    """An act the sources ban outright (禁止…), with the conditions of the ban and who enforces it."""

    conditions: tuple[Condition, ...]
    enforcer: Cited | None
    provisions: tuple[str, ...]


class Activity(Record, frozen=True):
    id: str
    name: str
    name_en: str | None
    aliases: tuple[str, ...]
    domain: str | None
    licences: tuple[Cited, ...]
    provisions: tuple[str, ...]
    mark: Mark
    prohibition: Prohibition | None = None
    members: tuple[str, ...] = ()
    """A name the law uses for a group of activities (烟花爆竹经营 = 批发 + 零售): answered per member."""
    penalties: tuple[str, ...] = ()
    """The provisions of the 法律责任 articles that sanction the activity (a breach of an obligation or ban)."""
    deferred: tuple[str, ...] = ()
    """The provisions by which the dataset's sources leave the activity to other law, naming no organ."""


class Duty(Record, frozen=True):
    bureau: str
    kind: str
    target: str
    competent: bool
    provisions: tuple[str, ...]
    mark: Mark


class Lead(Record, frozen=True):
    """An explicit assignment (另有规定): ``bureau`` leads for ``activity``, with the departments the same
    provisions name to cooperate; ``sector`` limits it to enterprises of one sector (a domain id)."""

    bureau: str
    activity: str
    basis: str | None
    provisions: tuple[str, ...]
    mark: Mark
    cooperating: tuple[str, ...] = ()
    sector: str | None = None


class Bound(Record, frozen=True):
    """One end of a succession window: a dated source and the provisions that attest it."""

    date: dt.date
    provisions: tuple[str, ...]


class Succession(Record, frozen=True):
    """Institutional reform: ``successor`` took over ``predecessor``'s duties at a date no source gives
    exactly, known only to lie in the window [``not_before``, ``not_after``].

    ``not_before`` is the latest dated source that still names the predecessor, ``not_after`` the earliest
    that names the successor; either may be unknown (None). Mergers are several records with one successor.
    """

    predecessor: str
    successor: str
    not_before: Bound | None
    not_after: Bound | None
    provisions: tuple[str, ...]
    mark: Mark
    note: str | None = None


class Dataset(Record, frozen=True, dict=True):
    """A validated dataset. Build it with :func:`dutygraph.loader.load_dataset`."""

    root: Path
    info: DatasetInfo
    documents: Mapping[str, Document]
    provisions: Mapping[str, Provision]
    bureaus: Mapping[str, Bureau]
    domains: Mapping[str, Domain]
    activities: Mapping[str, Activity]
    licences: Mapping[str, Licence]
    duties: tuple[Duty, ...]
    leads: tuple[Lead, ...]
    successions: tuple[Succession, ...]
    # The indexes the engine reads, built on first use (not stored: a cached dataset holds only the records).

    @cached_property
    def duties_by_target(self) -> Mapping[str, tuple[Duty, ...]]:
        return _group(self.duties, lambda d: d.target)

    @cached_property
    def duties_by_bureau(self) -> Mapping[str, tuple[Duty, ...]]:
        return _group(self.duties, lambda d: d.bureau)

    @cached_property
    def leads_by_activity(self) -> Mapping[str, tuple[Lead, ...]]:
        return _group(self.leads, lambda lead: lead.activity)

    @cached_property
    def activities_by_domain(self) -> Mapping[str, tuple[Activity, ...]]:
        return _group((a for a in self.activities.values() if a.domain is not None), lambda a: a.domain or "")

    @cached_property
    def successions_by_predecessor(self) -> Mapping[str, tuple[Succession, ...]]:
        return _group(self.successions, lambda s: s.predecessor)

    def in_force(self, provisions: Iterable[str], date: dt.date | None) -> bool:
        """Whether a fact resting on ``provisions`` applies on ``date``: every document it cites has taken effect
        (a document whose entry into force is unknown counts as in force; no date means no limit)."""
        if date is None:
            return True
        for ident in provisions:
            effective = self.documents[self.provisions[ident].document].effective
            if effective is not None and effective > date:
                return False
        return True

    def citation_version_note(self, provision_id: str, as_of: dt.date | None = None) -> str | None:
        """Say so when a provision's text version is later than the date asked about (the dataset's own
        date by default): the wording in force then may differ."""
        document = self.documents[self.provisions[provision_id].document]
        when = as_of or self.info.as_of
        later = self.documents.get(document.superseded_by or "")
        if when is not None and later is not None and later.version is not None and later.version <= when:
            return (
                f"quoted from the text version of {document.version or 'unknown date'}, superseded by the version of "
                f"{later.version.isoformat()}: the wording in force on {when.isoformat()} may differ"
            )
        if when is None or document.version is None or document.version <= when:
            return None
        version = document.version.isoformat()
        return f"quoted from the text version of {version}, later than {when.isoformat()}: the wording in force then may differ"


def _group(items: Iterable[T], key: Callable[[T], str]) -> dict[str, tuple[T, ...]]:
    grouped: dict[str, list[T]] = {}
    for item in items:
        grouped.setdefault(key(item), []).append(item)
    return {k: tuple(v) for k, v in grouped.items()}
