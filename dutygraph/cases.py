"""Decision cases kept as data (``cases.yaml`` beside a dataset): question -> expected lead, rule, cooperating.

``dutygraph validate`` runs them and the test suite collects them, so a curator adds a case without writing
Python. Names in a case resolve like names on the command line (id, Chinese name, alias, English name).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from msgspec import Struct

from dutygraph.engine import Decision, Rule, decide
from dutygraph.errors import DataIssue, DutygraphError, InvalidDataError
from dutygraph.model import Bureau, Dataset
from dutygraph.resolve import resolve
from dutygraph.schema import Field, check_record, read_yaml
from dutygraph.text import brief

__all__ = ["CASES_FILE", "Case", "CaseResult", "load_cases", "run_case"]

CASES_FILE = "cases.yaml"

_EXPECT = (
    Field("lead", "str"),
    Field("rule", "str"),
    Field("error", "str"),
    Field("cooperating", "strs"),
    Field("candidates", "strs"),
    Field("guided_by", "str"),
    Field("transfer", "str"),
)
_CASE = (
    Field("name", "str", True),
    Field("activity", "str", True),
    Field("missing", "strs"),
    Field("as_of", "date"),
    Field("sector", "str"),
    Field("basis", "str"),
    Field("debatable", "str"),
    Field("expect", "map", True, _EXPECT),
)


class Case(Struct, frozen=True):
    name: str
    activity: str
    missing: tuple[str, ...] | None
    as_of: dt.date | None
    sector: str | None
    lead: str | None
    rule: str | None
    cooperating: tuple[str, ...] | None
    candidates: tuple[str, ...] | None
    guided_by: str | None
    transfer: str | None
    file: str
    line: int | None
    basis: str | None = None
    error: str | None = None
    """The question has no answer: deciding it must fail with an error whose message contains this text."""
    debatable: str | None = None
    """Why a lawyer could argue the answer: the point where the law leaves room (reported by ``gaps``)."""


class CaseResult(Struct, frozen=True):
    case: Case
    decision: Decision | None
    problems: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return not self.problems


def load_cases(root: str | Path) -> list[Case]:
    """The cases in ``root/cases.yaml`` (none when the file is absent); schema errors raise InvalidDataError."""
    path = Path(root) / CASES_FILE
    if not path.is_file():
        return []
    issues: list[DataIssue] = []
    data = read_yaml(path, CASES_FILE, issues)
    cases: list[Case] = []
    items = data.get("cases") if isinstance(data, dict) else None
    if data is not None and not isinstance(items, list):
        issues.append(DataIssue(CASES_FILE, 1, "expected a top-level key 'cases' holding a list"))
    for index, node in enumerate(items or []):
        record = check_record(node, _CASE, CASES_FILE, f"case #{index + 1}", issues)
        if record is None or not {"name", "activity", "expect"} <= record.values.keys():
            continue
        expect = record.values["expect"]
        rules = {r.value for r in Rule if r is not Rule.JURISDICTION}
        if ("rule" in expect) == ("error" in expect):
            line = record.mark("expect").line
            issues.append(
                DataIssue(CASES_FILE, line, f"case {record.values['name']!r}: expect either a rule or an error (the text it says)")
            )
            continue
        if "rule" in expect and expect["rule"] not in rules:
            issues.append(
                DataIssue(
                    CASES_FILE,
                    record.mark("expect").line,
                    f"case {brief(record.values['name'])}: unknown rule {brief(expect.get('rule'))}; allowed rules are {sorted(rules)}",
                )
            )
            continue
        if expect.get("transfer") not in (None, "before", "inside", "after"):
            line = record.mark("expect").line
            issues.append(DataIssue(CASES_FILE, line, f"case {record.values['name']!r}: transfer must be before, inside or after"))
            continue
        cases.append(
            Case(
                name=record.values["name"],
                activity=record.values["activity"],
                missing=record.values.get("missing"),
                as_of=record.values.get("as_of"),
                sector=record.values.get("sector"),
                lead=expect.get("lead"),
                rule=expect.get("rule"),
                error=expect.get("error"),
                cooperating=expect.get("cooperating"),
                candidates=expect.get("candidates"),
                guided_by=expect.get("guided_by"),
                transfer=expect.get("transfer"),
                file=CASES_FILE,
                line=record.mark().line,
                basis=record.values.get("basis"),
                debatable=record.values.get("debatable"),
            )
        )
    if issues:
        raise InvalidDataError(issues)
    return cases


def run_case(dataset: Dataset, case: Case) -> CaseResult:
    """Decide the case's question and compare with what it expects; every mismatch is one problem."""
    try:
        _, activity = resolve(dataset, case.activity, ("activity",))
        missing = [resolve(dataset, m, ("licence",))[1].id for m in case.missing] if case.missing else None
        sector = resolve(dataset, case.sector, ("domain",))[1].id if case.sector else None
        try:
            decision = decide(dataset, activity.id, missing, case.as_of, sector)
        except DutygraphError as error:
            if case.error is not None and case.error in str(error):
                return CaseResult(case, None, ())
            raise
        if case.error is not None:
            return CaseResult(case, decision, (f"decided ({decision.rule.value}), expected the error {case.error!r}",))
        expected_lead = _bureau_id(dataset, case.lead)
        expected_guide = _bureau_id(dataset, case.guided_by)
        cooperating = _bureau_ids(dataset, case.cooperating)
        candidates = _bureau_ids(dataset, case.candidates)
    except DutygraphError as error:
        return CaseResult(case, None, (str(error),))
    problems = []
    if _id(decision.lead) != expected_lead:
        problems.append(f"lead is {_named(decision.lead)}, expected {_named(dataset.bureaus.get(expected_lead or ''))}")
    if case.guided_by is not None and _id(decision.guided_by) != expected_guide:
        problems.append(f"guided by {_named(decision.guided_by)}, expected {_named(dataset.bureaus.get(expected_guide or ''))}")
    actual_transfer = decision.transfer.status.value if decision.transfer else None
    if case.transfer is not None and actual_transfer != case.transfer:
        problems.append(f"the date falls {actual_transfer or 'outside any'} succession window, expected {case.transfer}")
    if decision.rule.value != case.rule:
        problems.append(f"rule is {decision.rule.value!r}, expected {case.rule!r}")
    for role, actual, expected in (("cooperating", decision.cooperating, cooperating), ("candidates", decision.candidates, candidates)):
        if expected is not None and {b.id for b in actual} != expected:
            problems.append(f"{role} are {_listed(actual)}, expected {_listed(dataset.bureaus[i] for i in sorted(expected))}")
    return CaseResult(case, decision, tuple(problems))


def _bureau_id(dataset: Dataset, name: str | None) -> str | None:
    return resolve(dataset, name, ("bureau",))[1].id if name else None


def _id(bureau: Bureau | None) -> str | None:
    return bureau.id if bureau else None


def _named(bureau: Bureau | None) -> str:
    """A bureau as a curator reads it in a failing case: its name and id, or "no lead"."""
    return f"{bureau.name} ({bureau.id})" if bureau else "no lead"


def _listed(bureaus: Iterable[Bureau]) -> str:
    named = [_named(b) for b in bureaus]
    return "、".join(named) if named else "none"


def _bureau_ids(dataset: Dataset, names: tuple[str, ...] | None) -> set[str] | None:
    if names is None:
        return None
    return {resolve(dataset, n, ("bureau",))[1].id for n in names}
