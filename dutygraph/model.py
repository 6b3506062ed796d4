"""The domain model: frozen dataclasses for every node and relationship kind of a duty dataset.

A :class:`Dataset` is the validated, immutable content of one dataset directory, with the indexes the
decision engine needs. The networkx graph (``dutygraph.graph``) is a projection of it for exporters and maps.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TypeVar

__all__ = [
    "DUTY_KINDS",
    "LEVELS",
    "RULE_KEYS",
    "Activity",
    "Bureau",
    "Cited",
    "Dataset",
    "DatasetInfo",
    "Document",
    "Domain",
    "Duty",
    "Lead",
    "Licence",
    "LicenceKind",
    "Mark",
    "Provision",
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
)
"""The controlled vocabulary of duty kinds (HAS_DUTY.kind)."""

T = TypeVar("T")

RULE_KEYS: tuple[str, ...] = (
    "explicit",
    "decree684-art6",
    "decree684-art7",
    "licensor",
    "first-licensor",
    "competent-department",
    "default-market-regulator",
)
"""The keys of dataset.yaml ``rules``: the rules of the cascade whose legal basis a dataset cites."""

LEVELS: tuple[str, ...] = ("national", "provincial", "city", "county", "township")


@dataclass(frozen=True)
class Mark:
    """Where a fact was written: a dataset file (relative to the dataset root) and a 1-based line."""

    file: str
    line: int | None = None

    def __str__(self) -> str:
        return self.file if self.line is None else f"{self.file}:{self.line}"


@dataclass(frozen=True)
class Cited:
    """A link to another entity with the provisions it rests on (an ISSUES, REQUIRES, … fact)."""

    target: str
    provisions: tuple[str, ...]


@dataclass(frozen=True)
class DatasetInfo:
    id: str
    title: str
    title_en: str | None
    jurisdiction: str
    jurisdiction_en: str | None
    level: str
    as_of: dt.date | None
    market_regulator: str
    rules: Mapping[str, tuple[str, ...]]
    """The provisions each rule of the cascade rests on, keyed by :data:`RULE_KEYS`."""


@dataclass(frozen=True)
class Document:
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

    @property
    def label(self) -> str:
        """How a citation names the document: its title, with its number where it has one."""
        return f"{self.title}（{self.number}）" if self.number else self.title


@dataclass(frozen=True)
class Provision:
    id: str
    document: str
    path: str
    quote: str
    mark: Mark


@dataclass(frozen=True)
class Bureau:
    id: str
    name: str
    full_name: str | None
    name_en: str | None
    level: str | None
    system: str | None
    aliases: tuple[str, ...]
    counterpart: Cited | None
    note: str | None
    provisions: tuple[str, ...]
    mark: Mark


@dataclass(frozen=True)
class Domain:
    id: str
    name: str
    name_en: str | None
    aliases: tuple[str, ...]
    provisions: tuple[str, ...]
    mark: Mark


class LicenceKind(StrEnum):
    PERMIT = "permit"
    BUSINESS = "business"


@dataclass(frozen=True)
class Licence:
    id: str
    name: str
    name_en: str | None
    aliases: tuple[str, ...]
    kind: LicenceKind
    issuer: Cited | None
    enforcer: Cited | None
    requires: tuple[Cited, ...]
    provisions: tuple[str, ...]
    mark: Mark


@dataclass(frozen=True)
class Activity:
    id: str
    name: str
    name_en: str | None
    aliases: tuple[str, ...]
    domain: str | None
    licences: tuple[Cited, ...]
    provisions: tuple[str, ...]
    mark: Mark


@dataclass(frozen=True)
class Duty:
    bureau: str
    kind: str
    target: str
    competent: bool
    provisions: tuple[str, ...]
    mark: Mark


@dataclass(frozen=True)
class Lead:
    bureau: str
    activity: str
    basis: str | None
    provisions: tuple[str, ...]
    mark: Mark


@dataclass(frozen=True)
class Succession:
    predecessor: str
    successor: str
    date: dt.date
    provisions: tuple[str, ...]
    mark: Mark


@dataclass(frozen=True)
class Dataset:
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
    duties_by_target: Mapping[str, tuple[Duty, ...]] = field(init=False, repr=False)
    duties_by_bureau: Mapping[str, tuple[Duty, ...]] = field(init=False, repr=False)
    leads_by_activity: Mapping[str, tuple[Lead, ...]] = field(init=False, repr=False)
    activities_by_domain: Mapping[str, tuple[Activity, ...]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "duties_by_target", _group(self.duties, lambda d: d.target))
        object.__setattr__(self, "duties_by_bureau", _group(self.duties, lambda d: d.bureau))
        object.__setattr__(self, "leads_by_activity", _group(self.leads, lambda lead: lead.activity))
        with_domain = [a for a in self.activities.values() if a.domain is not None]
        object.__setattr__(self, "activities_by_domain", _group(with_domain, lambda a: a.domain or ""))

    def citation_version_note(self, provision_id: str) -> str | None:
        """Say so when a provision's text version is later than the date the dataset describes."""
        document = self.documents[self.provisions[provision_id].document]
        as_of = self.info.as_of
        if as_of is None or document.version is None or document.version <= as_of:
            return None
        return (
            f"quoted from the text version of {document.version.isoformat()}, later than "
            f"{as_of.isoformat()}: the wording in force then may differ"
        )


def _group(items: Iterable[T], key: Callable[[T], str]) -> dict[str, tuple[T, ...]]:
    grouped: dict[str, list[T]] = {}
    for item in items:
        grouped.setdefault(key(item), []).append(item)
    return {k: tuple(v) for k, v in grouped.items()}
