"""dutygraph: who is responsible, and who leads enforcement against illegal, unlicensed operation.

The core (this package minus ``dutygraph.cli``) never prints. Typical use::

    from dutygraph import open_dataset, decide
    dataset = open_dataset()                  # the bundled Liaocheng 2018 dataset
    decision = decide(dataset, "fw-display")  # who leads against unlicensed fireworks displays
    decision.lead.name, decision.rule         # ('市公安局', <Rule.LAW_DESIGNATED: 'law-designated'>)
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["Decision", "DutygraphError", "Rule", "__version__", "decide", "decide_all", "load_dataset", "open_dataset"]

_LAZY = {
    "Decision": "dutygraph.engine",
    "Rule": "dutygraph.engine",
    "decide": "dutygraph.engine",
    "decide_all": "dutygraph.engine",
    "DutygraphError": "dutygraph.errors",
    "load_dataset": "dutygraph.loader",
    "open_dataset": "dutygraph.datasets",
}


def __getattr__(name: str) -> object:
    """Import the public API on first use, so that ``dutygraph --help`` and cached queries start fast."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'dutygraph' has no attribute {name!r}")
