"""Plain-data views of core objects: the stable ``--json`` schema (documented in the README).

Every function returns JSON-ready dicts and lists; the CLI dumps them, the HTML map embeds them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dutygraph.engine import Citation, Decision, HeldDuty, Step, Transfer, cite
from dutygraph.model import Activity, Bureau, Dataset, Domain, Duty, Licence

if TYPE_CHECKING:
    from dutygraph.analysis import Finding
    from dutygraph.matrix import Matrix, RoleMark

__all__ = [
    "SCHEMA_VERSION",
    "activity_view",
    "bureau_detail_view",
    "bureau_view",
    "citation_view",
    "decision_view",
    "domain_view",
    "duty_view",
    "finding_view",
    "held_duty_view",
    "licence_view",
    "matrix_view",
    "transfer_view",
]

SCHEMA_VERSION = 1
"""Bumped on any incompatible change of the JSON output."""

JSON = dict[str, Any]


def bureau_view(bureau: Bureau) -> JSON:
    return {
        "id": bureau.id,
        "name_zh": bureau.name,
        "full_name_zh": bureau.full_name,
        "name_en": bureau.name_en,
        "level": bureau.level,
        "system": bureau.system,
        "guided_by": bureau.guided_by.target if bureau.guided_by else None,
        "agency_of": bureau.agency_of.target if bureau.agency_of else None,
    }


def activity_view(activity: Activity) -> JSON:
    return {"id": activity.id, "name_zh": activity.name, "name_en": activity.name_en, "domain": activity.domain}


def domain_view(domain: Domain) -> JSON:
    return {"id": domain.id, "name_zh": domain.name, "name_en": domain.name_en}


def licence_view(dataset: Dataset, licence: Licence) -> JSON:
    return {
        "id": licence.id,
        "name_zh": licence.name,
        "name_en": licence.name_en,
        "kind": licence.kind.value,
        "issuer": licence.issuer.target if licence.issuer else None,
        "enforcer": licence.enforcer.target if licence.enforcer else None,
        "requires": [c.target for c in licence.requires],
        "citations": [citation_view(c) for c in cite_ids(dataset, _licence_provisions(licence))],
    }


def _licence_provisions(licence: Licence) -> list[str]:
    ids = list(licence.provisions)
    for cited in (licence.issuer, licence.enforcer, *licence.requires):
        if cited is not None:
            ids.extend(cited.provisions)
    return list(dict.fromkeys(ids))


def cite_ids(dataset: Dataset, provision_ids: list[str] | tuple[str, ...]) -> list[Citation]:
    return list(cite(dataset, provision_ids))


def citation_view(citation: Citation) -> JSON:
    return {
        "provision": citation.provision,
        "document": citation.document,
        "path": citation.path,
        "quote": citation.quote,
        "version_note": citation.version_note,
    }


def step_view(step: Step) -> JSON:
    return {
        "rule": step.rule.value,
        "outcome": step.outcome.value,
        "reason": step.reason,
        "citations": [citation_view(c) for c in step.citations],
    }


def decision_view(decision: Decision) -> JSON:
    return {
        "activity": {k: v for k, v in activity_view(decision.activity).items() if k != "domain"},
        "domain": decision.activity.domain,
        "missing": [{"id": lic.id, "name_zh": lic.name, "name_en": lic.name_en} for lic in decision.missing],
        "lead": bureau_view(decision.lead) if decision.lead else None,
        "rule": decision.rule.value,
        "cooperating": [bureau_view(b) for b in decision.cooperating],
        "candidates": [bureau_view(b) for b in decision.candidates],
        "as_of": decision.as_of.isoformat() if decision.as_of else None,
        "sector": decision.sector,
        "guided_by": bureau_view(decision.guided_by) if decision.guided_by else None,
        "agency_of": bureau_view(decision.agency_of) if decision.agency_of else None,
        "transfer": transfer_view(decision.transfer) if decision.transfer else None,
        "trace": [step_view(s) for s in decision.trace],
        "citations": [citation_view(c) for c in decision.citations],
    }


def transfer_view(transfer: Transfer) -> JSON:
    window = transfer.window
    return {
        "status": transfer.status.value,
        "predecessor": bureau_view(transfer.predecessor),
        "successors": [bureau_view(b) for b in transfer.successors],
        "not_before": window.not_before.isoformat() if window.not_before else None,
        "not_after": window.not_after.isoformat() if window.not_after else None,
        "citations": [citation_view(c) for c in window.citations],
    }


def held_duty_view(dataset: Dataset, held: HeldDuty) -> JSON:
    """A duty an organ holds on a date; ``via`` names the agency or predecessor it is held through, if any."""
    via = None
    if held.via is not None:
        via = {**bureau_view(held.via), "how": held.how, "citations": [citation_view(c) for c in cite_ids(dataset, held.provisions)]}
    return {**duty_view(dataset, held.duty), "via": via}


def duty_view(dataset: Dataset, duty: Duty) -> JSON:
    target = dataset.domains.get(duty.target) or dataset.activities[duty.target]
    return {
        "bureau": duty.bureau,
        "kind": duty.kind,
        "competent": duty.competent,
        "target": {
            "id": target.id,
            "type": "domain" if duty.target in dataset.domains else "activity",
            "name_zh": target.name,
            "name_en": target.name_en,
        },
        "citations": [citation_view(c) for c in cite_ids(dataset, duty.provisions)],
    }


def bureau_detail_view(dataset: Dataset, bureau: Bureau) -> JSON:
    issues = [lic for lic in dataset.licences.values() if lic.issuer and lic.issuer.target == bureau.id]
    enforces = [lic for lic in dataset.licences.values() if lic.enforcer and lic.enforcer.target == bureau.id]
    return {
        **bureau_view(bureau),
        "aliases": list(bureau.aliases),
        "note": bureau.note,
        "levels": list(bureau.levels),
        "duties": [duty_view(dataset, d) for d in dataset.duties_by_bureau.get(bureau.id, ())],
        "issues": [lic.id for lic in issues],
        "enforces": [lic.id for lic in enforces],
        "leads": [lead.activity for lead in dataset.leads if lead.bureau == bureau.id],
        "citations": [citation_view(c) for c in cite_ids(dataset, bureau.provisions)],
    }


def finding_view(finding: Finding) -> JSON:
    return {
        "severity": finding.severity.value,
        "kind": finding.kind,
        "subject": finding.subject,
        "message": finding.message,
        "provisions": list(finding.provisions),
    }


def _mark_view(mark: RoleMark) -> JSON:
    return {
        "role": mark.role.value,
        "rule": mark.rule,
        "licences": list(mark.licences),
        "kinds": list(mark.kinds),
        "scope": list(mark.scope),
        "domain_wide": mark.domain_wide,
        "provisions": list(mark.provisions),
    }


def matrix_view(dataset: Dataset, matrix: Matrix, scope: JSON) -> JSON:
    """The responsibility matrix: roles, column groups (systems), row groups (domains) with one row per activity and
    its non-empty cells, and every cited provision once."""
    from dutygraph.matrix import ROLE_NAMES

    rows = []
    for group in matrix.rows:
        activities = []
        for activity in group.activities:
            decision = matrix.decisions[activity.id]
            cells = [
                {"bureau": bureau.id, "roles": [_mark_view(m) for m in matrix.roles(activity.id, bureau.id)]}
                for bureau in matrix.bureaus
                if matrix.roles(activity.id, bureau.id)
            ]
            activities.append(
                {
                    "activity": activity_view(activity),
                    "rule": decision.rule.value,
                    "lead": decision.lead.id if decision.lead else None,
                    "candidates": [b.id for b in decision.candidates],
                    "cells": cells,
                }
            )
        rows.append({"domain": domain_view(group.domain) if group.domain else None, "activities": activities})
    return {
        "dataset": dataset.info.id,
        "as_of": matrix.as_of.isoformat() if matrix.as_of else None,
        "scope": scope,
        "roles": [{"role": role.value, "name_zh": zh, "name_en": en} for role, (zh, en) in ROLE_NAMES.items()],
        "columns": [{"system": g.system, "bureaus": [bureau_view(b) for b in g.bureaus]} for g in matrix.columns],
        "rows": rows,
        "citations": {c.provision: citation_view(c) for c in cite(dataset, matrix.provisions())},
    }
