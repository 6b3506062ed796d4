"""Decision cases kept as data (``cases.yaml`` beside a dataset): question -> expected lead, rule, cooperating.

``dutygraph validate`` runs them and the test suite collects them, so a curator adds a case without writing
Python. Names in a case resolve like names on the command line (id, Chinese name, alias, English name).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from dutygraph.engine import Decision, Rule, decide
from dutygraph.errors import DataIssue, DutygraphError, InvalidDataError
from dutygraph.model import Dataset
from dutygraph.resolve import resolve
from dutygraph.schema import Field, check_record, read_yaml
from dutygraph.text import brief

__all__ = ["CASES_FILE", "Case", "CaseResult", "load_cases", "run_case"]

CASES_FILE = "cases.yaml"

_EXPECT = (
    Field("lead", "str"),
    Field("rule", "str", True),
    Field("cooperating", "strs"),
    Field("candidates", "strs"),
)
_CASE = (
    Field("name", "str", True),
    Field("activity", "str", True),
    Field("missing", "strs"),
    Field("as_of", "date"),
    Field("expect", "map", True, _EXPECT),
)


@dataclass(frozen=True)
class Case:
    name: str
    activity: str
    missing: tuple[str, ...] | None
    as_of: dt.date | None
    lead: str | None
    rule: str
    cooperating: tuple[str, ...] | None
    candidates: tuple[str, ...] | None
    file: str
    line: int | None


@dataclass(frozen=True)
class CaseResult:
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
        if expect.get("rule") not in rules:
            issues.append(
                DataIssue(
                    CASES_FILE,
                    record.mark("expect").line,
                    f"case {brief(record.values['name'])}: unknown rule {brief(expect.get('rule'))}; allowed rules are {sorted(rules)}",
                )
            )
            continue
        cases.append(
            Case(
                name=record.values["name"],
                activity=record.values["activity"],
                missing=record.values.get("missing"),
                as_of=record.values.get("as_of"),
                lead=expect.get("lead"),
                rule=expect["rule"],
                cooperating=expect.get("cooperating"),
                candidates=expect.get("candidates"),
                file=CASES_FILE,
                line=record.mark().line,
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
        decision = decide(dataset, activity.id, missing, case.as_of)
        expected_lead = resolve(dataset, case.lead, ("bureau",))[1].id if case.lead else None
        cooperating = _bureau_ids(dataset, case.cooperating)
        candidates = _bureau_ids(dataset, case.candidates)
    except DutygraphError as error:
        return CaseResult(case, None, (str(error),))
    problems = []
    actual_lead = decision.lead.id if decision.lead else None
    if actual_lead != expected_lead:
        problems.append(f"lead is {actual_lead!r}, expected {expected_lead!r}")  # ids of the dataset, or None
    if decision.rule.value != case.rule:
        problems.append(f"rule is {decision.rule.value!r}, expected {brief(case.rule)}")
    if cooperating is not None and {b.id for b in decision.cooperating} != cooperating:
        problems.append(f"cooperating are {sorted(b.id for b in decision.cooperating)}, expected {sorted(cooperating)}")
    if candidates is not None and {b.id for b in decision.candidates} != candidates:
        problems.append(f"candidates are {sorted(b.id for b in decision.candidates)}, expected {sorted(candidates)}")
    return CaseResult(case, decision, tuple(problems))


def _bureau_ids(dataset: Dataset, names: tuple[str, ...] | None) -> set[str] | None:
    if names is None:
        return None
    return {resolve(dataset, n, ("bureau",))[1].id for n in names}
