"""The decision engine: the declared cascade, traces, why-not reasons, citations, acting organs, time, misuse."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from msgspec import structs

from dutygraph.datasets import open_dataset
from dutygraph.decision import TransferStatus
from dutygraph.engine import Outcome, Rule, activities_in_force, decide, decide_all, licences_in_scope, rules_of
from dutygraph.errors import UsageError
from dutygraph.model import Dataset
from tests.conftest import FIXTURES, ROOT


def deciding_steps(decision_trace: tuple[object, ...]) -> list[object]:
    return [s for s in decision_trace if s.rule is not Rule.JURISDICTION and s.outcome is not Outcome.NOTE]  # type: ignore[attr-defined]


ALL = [*(p for p in (ROOT / "data").iterdir() if (p / "dataset.yaml").is_file()), FIXTURES / "mini", FIXTURES / "sectors"]


@pytest.mark.parametrize("root", ALL, ids=[p.name for p in ALL])
def test_every_earlier_declared_rule_says_why_it_did_not_apply(root: Path) -> None:
    dataset = open_dataset(root)
    declared = [d.key for d in dataset.info.rules]
    for decision in decide_all(dataset):
        *before, last = deciding_steps(decision.trace)
        assert last.outcome in (Outcome.APPLIED, Outcome.UNDETERMINED), decision.activity.id  # type: ignore[attr-defined]
        for step in before:
            assert step.outcome is Outcome.NOT_APPLICABLE and step.reason, (decision.activity.id, step)  # type: ignore[attr-defined]
        assert len(before) <= len(declared)


@pytest.mark.parametrize("root", ALL, ids=[p.name for p in ALL])
def test_no_decision_rests_on_a_rule_the_dataset_does_not_declare(root: Path) -> None:
    dataset = open_dataset(root)
    allowed = rules_of(dataset)
    for decision in decide_all(dataset):
        assert decision.rule in allowed, decision.activity.id


def test_an_undeclared_rule_never_fires(mini: Dataset) -> None:
    without_default = structs.replace(
        mini, info=structs.replace(mini.info, rules=tuple(r for r in mini.info.rules if r.key != "default-market-regulator"))
    )
    assert decide(mini, "a-default").rule is Rule.DEFAULT_MARKET_REGULATOR
    decision = decide(without_default, "a-default")
    assert decision.rule is Rule.UNDETERMINED and decision.lead is None
    assert "default-market-regulator" not in decision.trace[-1].reason
    assert all(s.rule is not Rule.DEFAULT_MARKET_REGULATOR for s in decision.trace)


def test_the_fireworks_display_answer_rests_on_articles_33_and_42(liaocheng: Dataset) -> None:
    decision = decide(liaocheng, "fw-display")
    paths = {(c.document, c.path) for c in decision.citations}
    assert ("烟花爆竹安全管理条例（国务院令第455号）", "第四十二条第一款") in paths
    assert ("烟花爆竹安全管理条例（国务院令第455号）", "第三十三条") in paths


def test_a_law_designated_lead_does_not_cite_the_licensor_clause(liaocheng: Dataset) -> None:
    decision = decide(liaocheng, "fw-display")
    assert decision.rule is Rule.LAW_DESIGNATED
    assert "n39-8-2" not in {c.provision for c in decision.citations}


def test_citation_quotes_are_the_provisions_quotes(liaocheng: Dataset) -> None:
    for decision in decide_all(liaocheng):
        for citation in decision.citations:
            assert citation.quote == liaocheng.provisions[citation.provision].quote


def test_citations_from_later_text_versions_say_so(liaocheng: Dataset) -> None:
    decision = decide(liaocheng, "road-freight")
    late = [c for c in decision.citations if c.version_note]
    assert {"rt-63", "rt-24-1"} <= {c.provision for c in late}
    assert "2019-03-02" in (late[0].version_note or "")
    assert not any(c.version_note for c in decide(liaocheng, "fw-display").citations)


def test_a_county_issuer_acts_in_its_own_name_guided_by_the_city_bureau(liaocheng: Dataset) -> None:
    decision = decide(liaocheng, "hc-toxic-purchase")
    assert decision.lead is not None and decision.lead.id == "county-psb"
    assert decision.guided_by is not None and decision.guided_by.id == "psb"
    notes = [s for s in decision.trace if s.rule is Rule.JURISDICTION]
    assert notes and "县级公安机关" in notes[0].reason and "市公安局" in notes[0].reason
    assert notes[0].citations[0].provision == "n39-3-psb"


def test_a_statutory_agency_is_reported_with_its_bureau(liaocheng: Dataset) -> None:
    decision = decide(liaocheng, "hc-road-transport", as_of=dt.date(2018, 6, 1))
    assert decision.lead is not None and decision.lead.id == "road-transport-agency"
    assert decision.agency_of is not None and decision.agency_of.id == "transport"
    assert any("rt-7" in {c.provision for c in s.citations} for s in decision.trace if s.rule is Rule.JURISDICTION)


def test_first_licensor_is_the_grantor_of_the_first_licence_and_others_cooperate(liaocheng: Dataset) -> None:
    decision = decide(liaocheng, "hc-toxic-road-transport", ["toxic-road-pass", "dg-road-permit"])
    assert decision.rule is Rule.FIRST_LICENSOR
    first = liaocheng.licences["dg-road-permit"]
    assert first.issuer is not None and decision.lead is not None and decision.lead.id == first.issuer.target
    second = liaocheng.licences["toxic-road-pass"]
    assert second.issuer is not None and [b.id for b in decision.cooperating] == [second.issuer.target]
    applied = next(s for s in decision.trace if s.outcome is Outcome.APPLIED)
    assert "危险货物道路运输许可" in applied.reason
    assert "hc-50-2" in {c.provision for c in applied.citations}


def test_first_licensor_names_a_law_designated_investigator_that_differs_from_the_grantor(mini: Dataset) -> None:
    l1 = mini.licences["l1"]
    designated = structs.replace(l1, enforcer=structs.replace(mini.licences["l3"].enforcer, target="gamma"))  # type: ignore[arg-type]
    changed = structs.replace(mini, licences={**mini.licences, "l1": designated})
    decision = decide(changed, "a-chain", ["l2", "l1"])
    assert decision.lead is not None and decision.lead.id == "alpha"
    notes = [s for s in decision.trace if s.rule is Rule.FIRST_LICENSOR and s.outcome is Outcome.NOTE]
    assert notes and "丙局" in notes[0].reason and notes[0].citations


def test_first_licensor_never_makes_the_leads_own_agency_or_system_cooperate(liaocheng: Dataset) -> None:
    date = dt.date(2018, 6, 1)
    for activity in activities_in_force(liaocheng, date):
        scope = [c.target for c in activity.licences if liaocheng.in_force(c.provisions, date)]
        if len(scope) < 2:
            continue
        decision = decide(liaocheng, activity.id, scope, as_of=date)
        if decision.rule is not Rule.FIRST_LICENSOR or decision.lead is None:
            continue
        for bureau in decision.cooperating:
            assert bureau.agency_of is None or bureau.agency_of.target != decision.lead.id, activity.id
            assert bureau.system != decision.lead.system, activity.id


def test_undetermined_decisions_name_candidates_and_never_a_lead(liaocheng: Dataset) -> None:
    for decision in decide_all(liaocheng):
        if decision.lead is None:
            assert decision.candidates, decision.activity.id
    decision = decide(liaocheng, "hc-catalogue-production")
    assert decision.rule is Rule.UNDETERMINED
    assert {b.id for b in decision.candidates} == {"prov-safety", "prov-quality"}
    assert "no legal order" in deciding_steps(decision.trace)[-1].reason  # type: ignore[attr-defined]


def test_an_unknown_grantor_lets_the_cascade_reach_the_competent_department(mini: Dataset) -> None:
    unknown = structs.replace(mini.licences["l1"], issuer=None)
    competent = structs.replace(mini.duties_by_target["a-competent"][0], target="a-licensor")
    changed = structs.replace(mini, licences={**mini.licences, "l1": unknown}, duties=(*mini.duties, competent))
    decision = decide(changed, "a-licensor")
    assert decision.rule is Rule.COMPETENT_DEPARTMENT
    assert decision.lead is not None and decision.lead.id == "beta"
    assert any("no source names who grants" in s.reason for s in decision.trace)


@pytest.mark.parametrize(
    ("date", "status", "lead"),
    [
        (dt.date(2019, 1, 15), TransferStatus.BEFORE, "alpha"),
        (dt.date(2019, 2, 1), TransferStatus.INSIDE, "alpha"),
        (dt.date(2019, 3, 1), TransferStatus.AFTER, "alpha-new"),
    ],
)
def test_as_of_follows_the_succession_window(mini: Dataset, date: dt.date, status: TransferStatus, lead: str) -> None:
    decision = decide(mini, "a-licensor", as_of=date)
    assert decision.lead is not None and decision.lead.id == lead
    assert decision.transfer is not None and decision.transfer.status is status
    assert decision.transfer.window.not_before == dt.date(2019, 1, 15)
    assert decision.transfer.window.not_after == dt.date(2019, 3, 1)
    assert {c.provision for c in decision.transfer.window.citations} == {"p6a", "p6"}
    if status is TransferStatus.INSIDE:
        assert decision.uncertain_in_time
        note = next(s for s in decision.trace if "falls inside the window" in s.reason)
        assert "甲局" in note.reason and "新甲局" in note.reason


def test_without_a_date_the_dataset_date_is_asked_and_a_later_succession_is_still_named(mini: Dataset) -> None:
    decision = decide(mini, "a-licensor")
    assert decision.lead is not None and decision.lead.id == "alpha"
    assert decision.transfer is not None and decision.transfer.status is TransferStatus.BEFORE
    assert [b.id for b in decision.transfer.successors] == ["alpha-new"]


def test_missing_licences_must_belong_to_the_activity(liaocheng: Dataset) -> None:
    with pytest.raises(UsageError, match="is not a licence that 焰火晚会燃放 needs"):
        decide(liaocheng, "fw-display", ["hc-trading-permit"])


def test_a_prerequisite_licence_is_in_scope(liaocheng: Dataset) -> None:
    scope = licences_in_scope(liaocheng, liaocheng.activities["fw-road-transport"])
    assert scope == ["fw-road-transport-permit", "dg-road-permit"]


def test_decisions_are_deterministic(liaocheng: Dataset) -> None:
    assert decide_all(liaocheng) == decide_all(liaocheng)


def test_an_unknown_activity_id_is_a_name_error_with_suggestions(liaocheng: Dataset) -> None:
    from dutygraph.errors import NameNotFoundError

    with pytest.raises(NameNotFoundError) as caught:
        decide(liaocheng, "fw-displays")
    assert "fw-display" in caught.value.candidates


def test_a_division_of_labour_is_undetermined_between_the_named_departments_never_a_conflict(sectors: Dataset) -> None:
    decision = decide(sectors, "no-training")
    assert decision.lead is None and {b.id for b in decision.candidates} == {"safety", "others"}
    step = deciding_steps(decision.trace)[-1]
    assert step.rule is Rule.DIVISION_OF_LABOUR and "sector of the enterprise is not given" in step.reason  # type: ignore[attr-defined]
    assert {"s4", "s5"} <= {c.provision for c in step.citations}  # type: ignore[attr-defined]
    assert "conflict" not in step.reason  # type: ignore[attr-defined]


def test_the_sector_decides_where_its_department_is_recorded(sectors: Dataset) -> None:
    decision = decide(sectors, "no-training", sector="sector-a")
    assert decision.lead is not None and decision.lead.id == "alpha"
    assert decision.rule is Rule.DIVISION_OF_LABOUR and decision.sector == "sector-a"


def test_a_prohibition_is_worded_as_a_breach_of_the_ban_not_as_unlicensed(sectors: Dataset) -> None:
    decision = decide(sectors, "banned-area-work")
    assert decision.rule is Rule.PROHIBITION and decision.lead is not None and decision.lead.id == "safety"
    applied = next(s for s in decision.trace if s.outcome is Outcome.APPLIED)
    assert applied.reason.startswith("违反禁令") and "unlicensed" not in applied.reason
    assert all("营业执照" not in s.reason for s in decision.trace)


def test_facts_apply_only_from_their_sources_entry_into_force(sectors: Dataset) -> None:
    with pytest.raises(UsageError, match="not yet in force on 2018-12-01"):
        decide(sectors, "banned-area-work", as_of=dt.date(2018, 12, 1))


def test_an_undetermined_rule_without_candidates_falls_back_to_answerable_organs(sectors: Dataset) -> None:
    ban = sectors.activities["banned-area-work"]
    assert ban.prohibition is not None
    unenforced = structs.replace(ban, prohibition=structs.replace(ban.prohibition, enforcer=None))
    changed = structs.replace(sectors, activities={**sectors.activities, ban.id: unenforced})
    decision = decide(changed, ban.id)
    assert decision.lead is None and {b.id for b in decision.candidates} == {"safety", "others"}


def test_a_deferral_to_other_law_names_no_organ_of_the_dataset(sectors: Dataset) -> None:
    decision = decide(sectors, "unnamed-breach")
    assert decision.lead is None and decision.candidates == ()
    last = deciding_steps(decision.trace)[-1]
    assert last.rule is Rule.DEFERS_TO_LAW and "does not hold" in last.reason  # type: ignore[attr-defined]


def test_an_organ_holds_the_duties_of_its_agencies(liaocheng: Dataset) -> None:
    from dutygraph.engine import duties_of

    held = duties_of(liaocheng, "transport")
    via = {h.via.id for h in held if h.via is not None}
    own = [h for h in held if h.via is None]
    assert own and all(h.duty.bureau == "transport" for h in own)
    agencies = {b.id for b in liaocheng.bureaus.values() if b.agency_of and b.agency_of.target == "transport"}
    assert via <= agencies | {s.predecessor for s in liaocheng.successions}


def test_a_successor_holds_its_predecessors_duties_after_the_window(mini: Dataset) -> None:
    from dutygraph.engine import duties_of

    before = duties_of(mini, "alpha-new", dt.date(2019, 1, 1))
    after = duties_of(mini, "alpha-new", dt.date(2019, 3, 1))
    assert not before
    assert {h.duty.target for h in after} == {d.target for d in mini.duties_by_bureau["alpha"]}
    assert all(
        h.via is not None and h.via.id == "alpha" and "predecessor" in (h.how or "") and "2019-03-01" in (h.how or "") for h in after
    )
