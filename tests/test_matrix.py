"""The responsibility matrix: built from the engine's decisions and the dataset's facts, in the terminal, JSON and CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from dutygraph.engine import activities_in_force, decide, licences_in_scope
from dutygraph.loader import load_dataset
from dutygraph.matrix import Role, build_matrix
from dutygraph.model import Dataset
from tests.conftest import FIXTURES, ROOT, TODAY, CliResult

Run = Callable[..., CliResult]


def _datasets() -> list[Path]:
    """Every dataset the repository ships: the bundled ones under data/ and the valid test fixtures."""
    bundled = sorted(p.parent for p in (ROOT / "data").glob("*/dataset.yaml"))
    fixtures = sorted(p.parent for p in FIXTURES.glob("*/dataset.yaml"))
    assert bundled and fixtures
    return [*bundled, *fixtures]


@pytest.fixture(scope="module", params=_datasets(), ids=lambda p: p.name)
def dataset(request: pytest.FixtureRequest) -> Dataset:
    return load_dataset(request.param)


def _dates(dataset: Dataset) -> list[dt.date | None]:
    """The dataset's own date, and each bound of every succession window (before, inside and after)."""
    bounds = {b.date for s in dataset.successions for b in (s.not_before, s.not_after) if b is not None}
    return [None, *sorted(bounds | {d + dt.timedelta(days=1) for d in bounds})]


def test_every_lead_cell_is_decides_answer(dataset: Dataset) -> None:
    for as_of in _dates(dataset):
        matrix = build_matrix(dataset, as_of=as_of)
        in_force = activities_in_force(dataset, as_of)
        assert {a.id for a in matrix.activities} == {a.id for a in in_force}
        for activity in in_force:
            expected = decide(dataset, activity.id, as_of=as_of)
            leads = {b.id: m for b in matrix.bureaus for m in matrix.roles(activity.id, b.id) if m.role is Role.LEADS}
            assert set(leads) == ({expected.lead.id} if expected.lead else set()), (activity.id, as_of)
            assert all(m.rule == expected.rule.value for m in leads.values())
            candidates = {b.id for b in matrix.bureaus for m in matrix.roles(activity.id, b.id) if m.role is Role.CANDIDATE}
            assert candidates == {b.id for b in expected.candidates}
            cooperating = {b.id for b in matrix.bureaus for m in matrix.roles(activity.id, b.id) if m.role is Role.COOPERATES}
            assert {b.id for b in expected.cooperating} <= cooperating
            if leads:
                cited = {c.provision for c in expected.citations}
                assert set(next(iter(leads.values())).provisions) == cited


def test_licence_roles_cite_the_issuer_and_the_law_designated_investigator(dataset: Dataset) -> None:
    matrix = build_matrix(dataset)
    for activity in activities_in_force(dataset):
        for ident in licences_in_scope(dataset, activity):
            licence = dataset.licences[ident]
            for role, cited in ((Role.ISSUES, licence.issuer), (Role.INVESTIGATES, licence.enforcer)):
                if cited is None:
                    continue
                (mark,) = [m for m in matrix.roles(activity.id, cited.target) if m.role is role]
                assert ident in mark.licences and set(cited.provisions) <= set(mark.provisions)


def test_duties_on_the_activity_or_its_domain_are_roles(dataset: Dataset) -> None:
    matrix = build_matrix(dataset)
    for activity in activities_in_force(dataset):
        for target in (activity.id, activity.domain):
            for duty in dataset.duties_by_target.get(target or "", ()):
                marks = [m for m in matrix.roles(activity.id, duty.bureau) if duty.kind in m.kinds]
                assert marks and any(set(duty.provisions) <= set(m.provisions) for m in marks)
                if duty.competent:
                    assert any(m.role is Role.COMPETENT for m in marks)


def test_every_column_has_a_role_and_columns_are_grouped_by_system(liaocheng: Dataset) -> None:
    matrix = build_matrix(liaocheng)
    systems = [g.system for g in matrix.columns]
    assert len(systems) == len(set(systems))
    for bureau in matrix.bureaus:
        assert any(matrix.roles(a.id, bureau.id) for a in matrix.activities), bureau.id
    for group in matrix.columns:
        assert all(b.system == group.system for b in group.bureaus)


def test_one_domain_and_one_bureau(liaocheng: Dataset) -> None:
    domain = build_matrix(liaocheng, domain="fireworks")
    assert [g.domain.id for g in domain.rows if g.domain] == ["fireworks"]
    assert {a.id for a in domain.activities} == {a.id for a in activities_in_force(liaocheng) if a.domain == "fireworks"}
    bureau = build_matrix(liaocheng, bureau="county-psb")
    assert [b.id for b in bureau.bureaus] == ["county-psb"]
    assert {"hc-toxic-purchase", "hc-toxic-road-transport"} <= {a.id for a in bureau.activities}
    assert all(bureau.roles(a.id, "county-psb") for a in bureau.activities)


def test_a_decision_role_is_one_line_and_the_guiding_bureau_is_one(liaocheng: Dataset, monkeypatch: pytest.MonkeyPatch) -> None:
    import dutygraph.matrix

    matrix = build_matrix(liaocheng, as_of=dt.date(2018, 6, 1))
    guided = {a.id: d.guided_by.id for a in matrix.activities if (d := matrix.decisions[a.id]).guided_by is not None}
    assert guided  # the bundled data has county organs acting under a city bureau's guidance
    for activity, bureau in guided.items():
        assert any(m.role is Role.GUIDES for m in matrix.roles(activity, bureau)), activity
    without = tuple(r for r in dutygraph.matrix.DECISION_ROLES if r[0] is not Role.GUIDES)
    monkeypatch.setattr(dutygraph.matrix, "DECISION_ROLES", without)
    bare = build_matrix(liaocheng, as_of=dt.date(2018, 6, 1))
    lost = [a for a, b in guided.items() if not any(m.role is Role.GUIDES for m in bare.roles(a, b))]
    assert lost  # the one line is what puts the guiding bureau in the matrix


# -- the command ------------------------------------------------------------------------------------------------


def test_matrix_json_has_the_documented_shape(run_cli: Run, liaocheng: Dataset) -> None:
    result = run_cli("matrix", "--json")
    assert result.code == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["schema_version"] == 1 and payload["scope"] == {"type": "dataset", "id": None}
    assert {"dataset", "as_of", "roles", "columns", "rows", "citations"} <= payload.keys()
    rows = [row for group in payload["rows"] for row in group["activities"]]
    assert len(rows) == len(activities_in_force(liaocheng, TODAY))
    for row in rows:
        expected = decide(liaocheng, row["activity"]["id"], as_of=TODAY)
        assert row["lead"] == (expected.lead.id if expected.lead else None) and row["rule"] == expected.rule.value
        leads = [c["bureau"] for c in row["cells"] for r in c["roles"] if r["role"] == "leads"]
        assert leads == ([row["lead"]] if row["lead"] else [])
        for cell in row["cells"]:
            for role in cell["roles"]:
                assert set(role["provisions"]) <= payload["citations"].keys()
                assert {"role", "rule", "licences", "kinds", "scope", "domain_wide", "provisions"} == role.keys()


def test_matrix_csv_has_a_row_per_activity_and_a_column_per_bureau(run_cli: Run, liaocheng: Dataset) -> None:
    result = run_cli("matrix", "危险化学品", "--format", "csv", "--lang", "en")
    assert result.code == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    header, body = rows[0], rows[1:]
    assert header[:5] == ["domain", "activity_id", "activity", "rule", "lead"]
    assert [r[1] for r in body] == [a.id for a in activities_in_force(liaocheng, TODAY) if a.domain == "hazchem"]
    toxic = next(r for r in body if r[1] == "hc-toxic-purchase")
    decision = decide(liaocheng, "hc-toxic-purchase", as_of=TODAY)
    assert decision.lead is not None and decision.guided_by is not None
    lead = next(i for i, name in enumerate(header) if name.endswith(f"({decision.lead.id})"))
    guide = next(i for i, name in enumerate(header) if name.endswith(f"({decision.guided_by.id})"))
    assert toxic[lead].startswith(f"leads enforcement against illegal operation ({decision.rule.value}) [")
    assert "guides [" in toxic[guide]


def test_matrix_for_one_bureau_lists_roles_with_provisions(run_cli: Run) -> None:
    result = run_cli("matrix", "市公安局")
    assert result.code == 0
    assert "牵头打非 (law-designated) [fw-3 fw-33 lfb-10 fw-42 " in result.stdout


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["matrix", "nosuch"], 3, "Error: no domain or bureau named 'nosuch'"),
        (["matrix", "--json", "--format", "csv"], 2, "Error: --json and --format csv are two outputs: choose one"),
        (["matrix", "--format", "xlsx"], 2, "Error: --format must be table or csv, got 'xlsx'"),
        (["matrix", "--as-of", "2018-4-16"], 2, "Error: --as-of takes a date written YYYY-MM-DD"),
    ],
)
def test_matrix_usage_errors(run_cli: Run, args: list[str], code: int, message: str) -> None:
    result = run_cli(*args)
    assert result.code == code and result.stderr.startswith(message), result.stderr


@pytest.mark.parametrize("width", [80, 120])
def test_the_whole_matrix_fits_the_terminal(run_cli: Run, monkeypatch: pytest.MonkeyPatch, width: int, liaocheng: Dataset) -> None:
    from rich.cells import cell_len

    monkeypatch.setenv("COLUMNS", str(width))
    for lang in ("zh", "en"):
        output = run_cli("matrix", "--lang", lang).stdout
        assert max(cell_len(line) for line in output.splitlines()) <= width
        grids = output.split("\n\n", 1)[1]  # after the title and the legend
        if lang == "zh":  # each lead shows once, whichever grid its bureau falls in
            assert grids.count("牵") == sum(1 for a in activities_in_force(liaocheng, TODAY) if decide(liaocheng, a.id, as_of=TODAY).lead)
