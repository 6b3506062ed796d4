"""The synthetic dataset generator writes dataset files that load back into the same answers."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.synth import generate, write_dataset
from dutygraph.engine import decide_all
from dutygraph.loader import load_dataset
from dutygraph.model import Dataset


@pytest.mark.slow
def test_a_written_synthetic_dataset_validates_and_answers_as_generated(liaocheng: Dataset, tmp_path: Path) -> None:
    generated = generate(2, liaocheng)
    write_dataset(generated, tmp_path / "synth")
    loaded = load_dataset(tmp_path / "synth")
    assert set(loaded.activities) == set(generated.activities) and len(loaded.successions) == len(generated.successions)
    assert [(d.activity.id, d.lead and d.lead.id, d.rule) for d in decide_all(loaded)] == [
        (d.activity.id, d.lead and d.lead.id, d.rule) for d in decide_all(generated)
    ]
