"""Small text helpers shared by validation, name resolution and rendering."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

__all__ = ["nearest", "squash"]

_WHITESPACE = re.compile(r"\s+")


def squash(text: str) -> str:
    """Remove all whitespace, so that a quote matches a source text broken across lines and pages.

    >>> squash("组织查\\n\\n处非法")
    '组织查处非法'
    """
    return _WHITESPACE.sub("", text)


def nearest(name: str, choices: Iterable[str], limit: int = 3) -> list[str]:
    """The choices closest to ``name``: containment first, then difflib similarity.

    >>> nearest("psb2", ["psb", "post", "safety"])
    ['psb']
    """
    pool = sorted(set(choices))
    folded = name.casefold()
    containing = [c for c in pool if folded and (folded in c.casefold() or c.casefold() in folded)]
    containing.sort(key=lambda c: (abs(len(c) - len(name)), c))
    similar = difflib.get_close_matches(name, pool, n=limit, cutoff=0.5)
    ranked: list[str] = []
    for candidate in [*similar, *containing]:
        if candidate not in ranked:
            ranked.append(candidate)
    return ranked[:limit]
