"""The rules of the lead-enforcement cascade, one small unit each (see :mod:`dutygraph.rules.base`).

A dataset declares which of these it applies, in which order, and on which of its own provisions
(``dataset.yaml`` ``rules``); no other rule ever decides for it.
"""

from __future__ import annotations

from collections.abc import Mapping

from dutygraph.rules import competent, decree684, default, explicit, first_licensor, licensor, prohibition
from dutygraph.rules.base import Context, RuleUnit, Verdict

__all__ = ["RULES", "Context", "RuleUnit", "Verdict"]

RULES: Mapping[str, RuleUnit] = {
    unit.key: unit
    for unit in (
        explicit.UNIT,
        prohibition.UNIT,
        decree684.UNIT,
        licensor.LAW_DESIGNATED,
        licensor.LICENSOR,
        first_licensor.UNIT,
        competent.UNIT,
        default.UNIT,
    )
}
"""Every rule a dataset may declare, by key."""
