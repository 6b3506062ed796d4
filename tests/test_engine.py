"""The decision engine: traces, why-not reasons, citations, jurisdiction and date mapping, misuse."""

from __future__ import annotations

import datetime as dt

import pytest

from dutygraph.engine import Outcome, Rule, decide, decide_all, licences_in_scope, localize
from dutygraph.errors import UsageError
from dutygraph.model import Dataset

CASCADE = [Rule.EXPLICIT, Rule.DECREE684_ART6, Rule.LAW_DESIGNATED, Rule.FIRST_LICENSOR, Rule.COMPETENT_DEPARTMENT]


def deciding_rules(decision_trace: tuple[object, ...]) -> list[Rule]:
    return [s.rule for s in decision_trace if s.rule is not Rule.JURISDICTION]  # type: ignore[attr-defined]


def test_every_higher_rule_says_why_it_did_not_apply(liaocheng: Dataset) -> None:
    for decision in decide_all(liaocheng):
        steps = [s for s in decision.trace if s.rule is not Rule.JURISDICTION]
        assert steps, decision.activity.id
        *before, last = steps
        assert last.outcome in (Outcome.APPLIED, Outcome.UNDETERMINED), decision.activity.id
        for step in before:
            assert step.outcome is Outcome.NOT_APPLICABLE, (decision.activity.id, step)
            assert step.reason, (decision.activity.id, step)
        rule_order = [r for r in deciding_rules(decision.trace) if r in CASCADE]
        assert rule_order == sorted(rule_order, key=CASCADE.index), decision.activity.id


def test_the_fireworks_display_answer_rests_on_the_notice_and_articles_33_and_42(liaocheng: Dataset) -> None:
    decision = decide(liaocheng, "fw-display")
    paths = {(c.document, c.path) for c in decision.citations}
    assert ("烟花爆竹安全管理条例（国务院令第455号）", "第四十二条第一款") in paths
    assert ("烟花爆竹安全管理条例（国务院令第455号）", "第三十三条") in paths
    assert any(c.path == "二" and "聊政字〔2018〕39号" in c.document for c in decision.citations)


def test_citation_quotes_are_the_provisions_quotes(liaocheng: Dataset) -> None:
    for decision in decide_all(liaocheng):
        for citation in decision.citations:
            assert citation.quote == liaocheng.provisions[citation.provision].quote


def test_citations_from_later_text_versions_say_so(liaocheng: Dataset) -> None:
    decision = decide(liaocheng, "road-freight")
    late = [c for c in decision.citations if c.version_note]
    assert {c.provision for c in late} == {"rt-63", "rt-24-1"}
    assert "2019-03-02" in (late[0].version_note or "")
    on_time = decide(liaocheng, "fw-display")
    assert not any(c.version_note for c in on_time.citations)


def test_a_county_issuer_is_reported_as_its_city_counterpart_and_the_trace_shows_both(liaocheng: Dataset) -> None:
    decision = decide(liaocheng, "hc-toxic-purchase")
    assert decision.lead is not None and decision.lead.id == "psb"
    notes = [s for s in decision.trace if s.rule is Rule.JURISDICTION]
    assert notes and "县级公安机关" in notes[0].reason and "市公安局" in notes[0].reason
    assert notes[0].citations[0].provision == "n39-3-psb"


def test_a_provincial_organ_without_counterpart_is_reported_as_is_with_a_note(liaocheng: Dataset) -> None:
    decision = decide(liaocheng, "hc-production")
    assert decision.lead is not None and decision.lead.id == "prov-safety"
    assert any("reported as is" in s.reason for s in decision.trace if s.rule is Rule.JURISDICTION)


def test_as_of_maps_bureaus_through_successions(mini: Dataset) -> None:
    before = decide(mini, "a-licensor", as_of=dt.date(2019, 2, 28))
    after = decide(mini, "a-licensor", as_of=dt.date(2019, 3, 1))
    assert before.lead is not None and before.lead.id == "alpha"
    assert after.lead is not None and after.lead.id == "alpha-new"
    assert any("succeeded by 新甲局" in s.reason for s in after.trace)
    assert decide(mini, "a-licensor").lead.id == "alpha"  # type: ignore[union-attr]


def test_first_licensor_takes_the_earliest_licence_of_the_requires_chain(liaocheng: Dataset) -> None:
    decision = decide(liaocheng, "hc-toxic-road-transport", ["toxic-road-pass", "dg-road-permit"])
    assert decision.rule is Rule.FIRST_LICENSOR
    assert decision.lead is not None and decision.lead.id == "road-transport-agency"
    applied = [s for s in decision.trace if s.outcome is Outcome.APPLIED]
    assert "危险货物道路运输许可" in applied[-1].reason
    assert "hc-50-2" in {c.provision for c in applied[-1].citations}


def test_undetermined_decisions_name_candidates_and_never_a_lead(liaocheng: Dataset) -> None:
    decision = decide(liaocheng, "hc-catalogue-production")
    assert decision.lead is None and decision.rule is Rule.UNDETERMINED
    assert {b.id for b in decision.candidates} == {"prov-safety", "quality"}
    assert "no legal order" in decision.trace[-1].reason


def test_missing_licences_must_belong_to_the_activity(liaocheng: Dataset) -> None:
    with pytest.raises(UsageError, match="is not a licence that 焰火晚会燃放 needs"):
        decide(liaocheng, "fw-display", ["hc-trading-permit"])


def test_a_prerequisite_licence_is_in_scope(liaocheng: Dataset) -> None:
    scope = licences_in_scope(liaocheng, liaocheng.activities["fw-road-transport"])
    assert scope == ["fw-road-transport-permit", "dg-road-permit"]


def test_localize_without_counterpart_returns_the_bureau(liaocheng: Dataset) -> None:
    assert localize(liaocheng, "psb").bureau.id == "psb"
    assert localize(liaocheng, "psb").notes == ()


def test_decisions_are_deterministic(liaocheng: Dataset) -> None:
    assert decide_all(liaocheng) == decide_all(liaocheng)


def test_an_unknown_activity_id_is_a_name_error_with_suggestions(liaocheng: Dataset) -> None:
    from dutygraph.errors import NameNotFoundError

    with pytest.raises(NameNotFoundError) as caught:
        decide(liaocheng, "fw-displays")
    assert "fw-display" in caught.value.candidates
