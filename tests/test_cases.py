"""The decision cases kept as data beside each dataset (cases.yaml), one test per case."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from dutygraph.cases import Case, load_cases, run_case
from dutygraph.datasets import default_dataset_dir
from dutygraph.loader import load_dataset

FIXTURES = Path(__file__).parent / "fixtures"
BUNDLED = sorted(p for p in default_dataset_dir().parent.iterdir() if (p / "dataset.yaml").is_file())
DATASETS = [*BUNDLED, FIXTURES / "mini", FIXTURES / "sectors"]
CASES = [(root, case) for root in DATASETS for case in load_cases(root)]
dataset_at = cache(load_dataset)


@pytest.mark.parametrize(("root", "case"), CASES, ids=[f"{root.name}:{case.name}" for root, case in CASES])
def test_case(root: Path, case: Case) -> None:
    result = run_case(dataset_at(root), case)
    assert result.passed, f"{root.name}/{case.file}:{case.line}: {'; '.join(result.problems)}"


@pytest.mark.parametrize("root", DATASETS, ids=[root.name for root in DATASETS])
def test_every_declared_rule_is_exercised_by_a_case(root: Path) -> None:
    """A rule a dataset declares but no case reaches is a rule nobody has checked against the sources."""
    dataset = dataset_at(root)
    reached = {step.rule.value for case in load_cases(root) if (d := run_case(dataset, case).decision) for step in d.trace}
    assert {decl.key for decl in dataset.info.rules} <= reached | {"licensor"}


def test_the_bundled_dataset_has_enough_cases_covering_every_rule_and_domain() -> None:
    dataset = dataset_at(default_dataset_dir())
    cases = load_cases(dataset.root)
    assert len(cases) >= 30
    rules = {case.rule for case in cases}
    assert rules >= {
        "explicit",
        "decree684-art6",
        "law-designated",
        "first-licensor",
        "competent-department",
        "default-market-regulator",
        "undetermined",
    }
    decided = [run_case(dataset, case).decision for case in cases]
    domains = {d.activity.domain for d in decided if d is not None}
    assert set(dataset.domains) <= domains


def test_the_mini_dataset_cases_cover_the_licensor_rule_and_successions() -> None:
    cases = load_cases(Path(__file__).parent / "fixtures" / "mini")
    assert "licensor" in {case.rule for case in cases}
    assert any(case.as_of for case in cases)


def test_a_wrong_expectation_fails_with_the_reason() -> None:
    dataset = dataset_at(default_dataset_dir())
    case = Case("wrong", "焰火晚会燃放", None, None, None, "市安监局", "explicit", ("市工商局",), None, None, None, "cases.yaml", 1)
    result = run_case(dataset, case)
    assert not result.passed
    assert result.problems == (
        "lead is 市公安局 (psb), expected 市安监局 (safety)",
        "rule is 'law-designated', expected 'explicit'",
        "cooperating are none, expected 市工商局 (aic)",
    )


def test_a_case_expecting_no_lead_says_no_lead() -> None:
    dataset = dataset_at(default_dataset_dir())
    case = Case("wrong", "焰火晚会燃放", None, None, None, None, "undetermined", None, None, None, None, "cases.yaml", 1)
    assert run_case(dataset, case).problems[0] == "lead is 市公安局 (psb), expected no lead"
