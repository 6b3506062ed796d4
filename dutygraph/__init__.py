"""dutygraph: who is responsible, and who leads enforcement against illegal, unlicensed operation.

The core (this package minus ``dutygraph.cli``) never prints. Typical use::

    from dutygraph import open_dataset, decide
    dataset = open_dataset()                  # the bundled Liaocheng 2018 dataset
    decision = decide(dataset, "fw-display")  # who leads against unlicensed fireworks displays
    decision.lead.name, decision.rule         # ('市公安局', <Rule.LAW_DESIGNATED: 'law-designated'>)
"""

from __future__ import annotations

__version__ = "0.1.0"

from dutygraph.datasets import open_dataset  # noqa: E402
from dutygraph.engine import Decision, Rule, decide, decide_all  # noqa: E402
from dutygraph.errors import DutygraphError  # noqa: E402
from dutygraph.loader import load_dataset  # noqa: E402

__all__ = ["Decision", "DutygraphError", "Rule", "__version__", "decide", "decide_all", "load_dataset", "open_dataset"]
