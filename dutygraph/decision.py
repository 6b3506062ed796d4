"""What a decision is made of: the rules' names, each step of the trace, citations, the time window of a
succession, and the :class:`Decision` itself. Plain frozen data: the engine builds it, the CLI, the JSON
view, the matrix and the HTML map render it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import StrEnum

from msgspec import Struct

from dutygraph.model import Activity, Bureau, Dataset, Licence

__all__ = ["Citation", "Decision", "Outcome", "Rule", "Step", "Transfer", "TransferStatus", "Window", "cite"]


class Rule(StrEnum):
    """The rule that decided. Which rules may decide is declared by each dataset (``dataset.yaml`` ``rules``)."""

    EXPLICIT = "explicit"
    PROHIBITION = "prohibition"
    SECTOR = "sector"
    DIVISION_OF_LABOUR = "division-of-labour"
    DEFERS_TO_LAW = "defers-to-law"
    DECREE684_ART6 = "decree684-art6"
    LAW_DESIGNATED = "law-designated"
    LICENSOR = "licensor"
    FIRST_LICENSOR = "first-licensor"
    COMPETENT_DEPARTMENT = "competent-department"
    DEFAULT_MARKET_REGULATOR = "default-market-regulator"
    UNDETERMINED = "undetermined"
    JURISDICTION = "jurisdiction"
    """Not a deciding rule: a trace note on who acts (guidance, agencies) and on successions in time."""


class Outcome(StrEnum):
    APPLIED = "applied"
    NOT_APPLICABLE = "not-applicable"
    UNDETERMINED = "undetermined"
    NOTE = "note"


class Citation(Struct, frozen=True):
    provision: str
    document: str
    path: str
    quote: str
    version_note: str | None = None


class Step(Struct, frozen=True):
    """One rule considered: whether it applied, why (or why not), and what it rests on."""

    rule: Rule
    outcome: Outcome
    reason: str
    citations: tuple[Citation, ...] = ()


class Window(Struct, frozen=True):
    """When a transfer happened, as far as the sources bound it: after ``not_before`` (the latest dated source
    naming the predecessor) and by ``not_after`` (the earliest naming the successor); None where unknown."""

    not_before: dt.date | None
    not_after: dt.date | None
    citations: tuple[Citation, ...]

    def __str__(self) -> str:
        start = self.not_before.isoformat() if self.not_before else "an unknown date"
        end = self.not_after.isoformat() if self.not_after else "an unknown date"
        return f"between {start} and {end}"


class TransferStatus(StrEnum):
    BEFORE = "before"
    """The date asked about precedes the window: the predecessor acted (and was later succeeded)."""
    INSIDE = "inside"
    """The date lies inside the window: predecessor or successor, depending on the unknown transfer date."""
    AFTER = "after"
    """The date follows the window: the successor acts."""


class Transfer(Struct, frozen=True):
    """The lead organ in time: the organ the rules name, who succeeded it, and where the date falls."""

    predecessor: Bureau
    successors: tuple[Bureau, ...]
    window: Window
    status: TransferStatus


class Decision(Struct, frozen=True):
    activity: Activity
    missing: tuple[Licence, ...]
    lead: Bureau | None
    rule: Rule
    cooperating: tuple[Bureau, ...]
    candidates: tuple[Bureau, ...]
    trace: tuple[Step, ...]
    as_of: dt.date | None = None
    guided_by: Bureau | None = None
    """The city bureau that guides the acting organ (a county organ that issues the licence itself)."""
    agency_of: Bureau | None = None
    """The bureau whose statutory agency the lead is."""
    transfer: Transfer | None = None
    """The lead's succession in time, where one is recorded."""
    sector: str | None = None

    @property
    def determined(self) -> bool:
        return self.lead is not None

    @property
    def uncertain_in_time(self) -> bool:
        """The date asked about falls inside a succession window of the lead: two organs are named."""
        return self.transfer is not None and self.transfer.status is TransferStatus.INSIDE

    @property
    def citations(self) -> tuple[Citation, ...]:
        """The citations of the steps that applied (or left it undetermined, or noted), without repeats."""
        seen: dict[str, Citation] = {}
        for step in self.trace:
            if step.outcome is Outcome.NOT_APPLICABLE:
                continue
            for citation in step.citations:
                seen.setdefault(citation.provision, citation)
        return tuple(seen.values())


def cite(dataset: Dataset, provision_ids: Iterable[str], as_of: dt.date | None = None, *, notes: bool = True) -> tuple[Citation, ...]:
    """The citations of ``provision_ids``, each once, in order, with a note where the quoted text version is
    later than ``as_of`` (the dataset's own date by default). ``notes=False`` for citations that attest what a
    text said on its own date (the bounds of a succession window), where a later version is no caveat."""
    citations = []
    for ident in dict.fromkeys(provision_ids):
        provision = dataset.provisions[ident]
        document = dataset.documents[provision.document]
        citations.append(
            Citation(
                provision=ident,
                document=document.label,
                path=provision.path,
                quote=provision.quote,
                version_note=dataset.citation_version_note(ident, as_of) if notes else None,
            )
        )
    return tuple(citations)
