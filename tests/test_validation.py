"""Validation: one deliberately broken fixture per failure mode, each with the exact errors expected.

A broken fixture (tests/fixtures/broken/<mode>/) holds the files that differ from the valid mini dataset and
``expected.txt``, the exact stderr of ``dutygraph validate``.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from dutygraph.errors import DatasetNotFoundError, InvalidDataError
from dutygraph.loader import load_dataset
from tests.conftest import CliResult

FIXTURES = Path(__file__).parent / "fixtures"
BROKEN = sorted(p for p in (FIXTURES / "broken").iterdir() if p.is_dir())


def assemble(broken: Path, target: Path) -> Path:
    shutil.copytree(FIXTURES / "mini", target)
    for overlay in broken.glob("*.yaml"):
        shutil.copy(overlay, target / overlay.name)
    return target


def test_every_failure_mode_has_a_fixture() -> None:
    modes = {p.name for p in BROKEN}
    assert modes >= {
        "yaml-syntax",
        "unknown-field",
        "missing-field",
        "unknown-reference",
        "duplicate-id",
        "requires-cycle",
        "quote-not-found",
        "unknown-duty-kind",
        "bad-date",
        "missing-source",
        "many-errors",
        "uncited-fact",
        "undeclared-rule",
        "alias-collision",
        "quote-width",
        "quote-elision",
        "flow-comma",
        "succession-cycle",
    }


@pytest.mark.parametrize("broken", BROKEN, ids=[p.name for p in BROKEN])
def test_broken_fixture_gives_exactly_the_expected_errors(broken: Path, tmp_path: Path, run_cli: Callable[..., CliResult]) -> None:
    dataset = assemble(broken, tmp_path / "dataset")
    result = run_cli("validate", str(dataset))
    assert result.code == 5
    assert result.stdout == ""
    assert result.stderr == (broken / "expected.txt").read_text(encoding="utf-8")


def test_all_errors_are_reported_in_one_run(tmp_path: Path) -> None:
    dataset = assemble(FIXTURES / "broken" / "many-errors", tmp_path / "dataset")
    with pytest.raises(InvalidDataError) as caught:
        load_dataset(dataset)
    files = {issue.file for issue in caught.value.issues}
    assert files == {"successions.yaml", "provisions.yaml", "licences.yaml", "duties.yaml"}
    assert all(issue.line is not None for issue in caught.value.issues)


def test_the_valid_mini_dataset_loads() -> None:
    dataset = load_dataset(FIXTURES / "mini")
    assert set(dataset.activities) >= {"a-licensor", "a-chain", "a-conflict", "a-default"}


def test_a_folder_without_dataset_yaml_is_not_a_dataset(tmp_path: Path) -> None:
    with pytest.raises(DatasetNotFoundError, match=r"no dataset\.yaml"):
        load_dataset(tmp_path)


def test_quotes_are_matched_ignoring_line_and_page_breaks(liaocheng: object) -> None:
    """The gazette breaks 组织查|处非法 across a page; the quote is still found."""
    from dutygraph.model import Dataset

    assert isinstance(liaocheng, Dataset)
    source = (liaocheng.root / liaocheng.documents["notice-39"].source).read_text(encoding="utf-8")
    quote = liaocheng.provisions["n39-2-joint"].quote
    assert quote not in source  # broken by a page break in the source text
    assert "组织查\n\n处非法" in source


def test_every_bundled_quote_occurs_in_its_source(liaocheng: object) -> None:
    """Independent re-check of the loader's quote check on the bundled dataset."""
    import re

    from dutygraph.model import Dataset

    assert isinstance(liaocheng, Dataset)
    for provision in liaocheng.provisions.values():
        text = (liaocheng.root / liaocheng.documents[provision.document].source).read_text(encoding="utf-8")
        assert re.sub(r"\s", "", provision.quote) in re.sub(r"\s", "", text), provision.id
