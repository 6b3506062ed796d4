from __future__ import annotations

import pytest

from dutygraph.errors import AmbiguousNameError, NameNotFoundError
from dutygraph.model import Dataset
from dutygraph.resolve import resolve


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("psb", "psb"),
        ("市公安局", "psb"),
        ("聊城市公安局", "psb"),
        ("Liaocheng Public Security Bureau", "psb"),
        ("liaocheng public security bureau", "psb"),
        ("公安局", "psb"),
        ("县级公安机关", "county-psb"),
    ],
)
def test_bureaus_resolve_by_id_name_full_name_english_and_alias(liaocheng: Dataset, name: str, expected: str) -> None:
    assert resolve(liaocheng, name, ("bureau",))[1].id == expected


def test_activities_resolve_by_alias_and_ignore_whitespace(liaocheng: Dataset) -> None:
    assert resolve(liaocheng, "焰火晚会", ("activity",))[1].id == "fw-display"
    assert resolve(liaocheng, " 焰火晚会 燃放 ", ("activity",))[1].id == "fw-display"


def test_an_unknown_name_lists_the_nearest_names(liaocheng: Dataset) -> None:
    with pytest.raises(NameNotFoundError) as caught:
        resolve(liaocheng, "焰火", ("activity", "domain"))
    assert caught.value.candidates == ("焰火燃放", "焰火晚会", "焰火晚会燃放")


def test_a_name_of_another_kind_is_pointed_out(liaocheng: Dataset) -> None:
    with pytest.raises(NameNotFoundError, match="市公安局 is a bureau"):
        resolve(liaocheng, "市公安局", ("activity", "domain"))


def test_a_name_shared_by_two_entities_is_ambiguous_never_guessed(mini: Dataset) -> None:
    from msgspec.structs import replace

    twin = replace(mini.bureaus["beta"], id="beta-2", aliases=("共同",))
    alpha = replace(mini.bureaus["alpha"], aliases=("共同",))
    doubled = replace(mini, bureaus={**mini.bureaus, "alpha": alpha, "beta-2": twin})
    for shared in ("乙局", "共同"):
        with pytest.raises(AmbiguousNameError) as caught:
            resolve(doubled, shared, ("bureau",))
        assert len(caught.value.candidates) == 2


def test_an_entitys_own_name_beats_another_entitys_alias(mini: Dataset) -> None:
    from msgspec.structs import replace

    domain = replace(mini.domains["d1"], aliases=("一号活动",))
    shadowed = replace(mini, domains={"d1": domain})
    assert resolve(shadowed, "一号活动", ("activity", "domain"))[1].id == "a-licensor"
