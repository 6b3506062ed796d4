"""The rules of the lead-enforcement cascade, one small unit each (see :mod:`dutygraph.rules.base`).

A dataset declares which of these it applies, in which order, and on which of its own provisions
(``dataset.yaml`` ``rules``); no other rule ever decides for it.
"""

from __future__ import annotations

from collections.abc import Mapping

from dutygraph.rules import competent, decree684, default, defers, explicit, first_licensor, licensor, prohibition, sector
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
        sector.DIVISION_OF_LABOUR,
        sector.SECTOR,
        competent.UNIT,
        default.UNIT,
        defers.UNIT,
    )
}
"""Every rule a dataset may declare, by key."""
