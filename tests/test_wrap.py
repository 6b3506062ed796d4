"""Line breaking of mixed Chinese and English text in terminal cells (dutygraph.cli.wrap): examples and properties."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from dutygraph.cli.wrap import NO_END, NO_START, max_unit_width, units, wrap, wrap_ranges

QUOTE = (
    "“经营者未依法取得许可从事经营活动的，由法律、法规、国务院决定规定的部门予以查处；"
    "法律、法规、国务院决定没有规定或者规定不明确的，由省、自治区、直辖市人民政府确定的部门予以查处。”"
)


def test_chinese_breaks_between_characters_and_fills_the_width() -> None:
    lines = wrap(QUOTE, 30)
    assert all(cell_len(line) <= 30 for line in lines)
    assert min(cell_len(line) for line in lines[:-1]) >= 26  # greedy: only kinsoku leaves a line short
    assert "".join(lines) == QUOTE


def test_no_line_starts_with_closing_punctuation_and_no_closing_quote_stands_alone() -> None:
    for width in range(4, 60):
        lines = wrap(QUOTE, width)
        assert not any(line[0] in NO_START for line in lines), width
        assert not any(line[-1] in NO_END for line in lines), width
        assert lines[-1] != "”" and lines[-1] != "。”"


def test_english_words_and_ids_are_never_broken() -> None:
    text = "operating without fireworks permits: county-transport leads (rt-24-1, bureaus.yaml:100) 由市公安局查处"
    for width in range(18, 50):
        lines = wrap(text, width)
        words = {w for line in lines for w in line.split()}
        for word in ("operating", "fireworks", "county-transport", "(rt-24-1,", "bureaus.yaml:100)"):
            assert any(word in w for w in words), (width, lines)


def test_the_space_between_english_and_chinese_counts_in_the_width() -> None:
    text = "no lead for enforcement against unlicensed 生产列入工业产品生产许可证目录的危险化学品: no legal order"
    for width in range(13, 90):
        assert all(cell_len(line) <= width for line in wrap(text, width, "  ", "  ")), width


def test_a_word_longer_than_the_width_stays_whole_unless_folding_is_asked() -> None:
    assert wrap("an extraordinarily long word", 8) == ["an", "extraordinarily", "long", "word"]
    folded = wrap("an extraordinarily", 8, fold=True)
    assert folded == ["an", "extraord", "inarily"]
    assert all(cell_len(line) <= 8 for line in folded)


def test_continuation_lines_are_indented_and_count_in_the_width() -> None:
    lines = wrap(QUOTE, 40, first_indent="  ", indent="   ")
    assert lines[0].startswith("  “") and all(line.startswith("   ") for line in lines[1:])
    assert all(cell_len(line) <= 40 for line in lines)


def test_newlines_are_hard_breaks_and_each_paragraph_starts_with_the_first_indent() -> None:
    assert wrap("甲乙\n丙丁", 10, first_indent="> ", indent="  ") == ["> 甲乙", "> 丙丁"]
    assert wrap("", 10) == [""]


def test_max_unit_width_is_the_widest_unbreakable_unit() -> None:
    assert max_unit_width("市公安局 county-transport") == len("county-transport")
    assert max_unit_width("查处。”") == cell_len("处。”")
    assert max_unit_width("（另有规定）") == cell_len("（另") == cell_len("定）")


# -- properties --------------------------------------------------------------------------------------------

PIECES = st.sampled_from(
    [*"市公安局焰火晚会燃放许可证危险化学品", *"abcXYZ019-_./:#", *sorted(NO_START), *sorted(NO_END), " ", "  ", "\n", "\t", "‘", "…"]
)
TEXTS = st.lists(PIECES, max_size=120).map("".join) | st.text(max_size=60)
BOUNDED = settings(max_examples=300, deadline=timedelta(milliseconds=500))


def _walk(text: str, width: int, fold: bool) -> list[tuple[int, int]]:
    """The lines as ranges, checked to tile ``text``: between two lines only whitespace is dropped."""
    ranges = wrap_ranges(text, width, fold=fold)
    position = 0
    for start, end in ranges:
        assert start >= position
        assert text[position:start].strip() == "" or text[position:start].isspace(), (text, ranges)
        position = end
    assert text[position:].strip() == ""
    return ranges


@BOUNDED
@given(TEXTS, st.integers(min_value=1, max_value=50), st.booleans())
def test_lines_are_the_input_minus_the_break_whitespace(text: str, width: int, fold: bool) -> None:
    ranges = _walk(text, width, fold)
    joined = "".join(text[s:e] for s, e in ranges)
    assert "".join(joined.split()) == "".join(text.split())


@BOUNDED
@given(TEXTS, st.integers(min_value=2, max_value=50))
def test_no_line_is_wider_than_the_width_unless_one_unbreakable_unit_is(text: str, width: int) -> None:
    for start, end in wrap_ranges(text, width):
        line = text[start:end]
        if cell_len(line) > width:
            assert len(units(line.strip())) == 1, (text, width, line)
    for start, end in wrap_ranges(text, width, fold=True):
        assert cell_len(text[start:end]) <= width or len(text[start:end]) == 1


@BOUNDED
@given(TEXTS, st.integers(min_value=1, max_value=50))
def test_no_line_starts_with_closing_punctuation_or_ends_with_an_opening_one(text: str, width: int) -> None:
    ranges = wrap_ranges(text, width)
    for (_, previous_end), (start, end) in itertools.pairwise(ranges):
        if "\n" in text[previous_end:start] or start == end:
            continue  # a hard break: the source put it there
        assert text[start] not in NO_START, (text, width, [text[s:e] for s, e in ranges])
        assert text[previous_end - 1] not in NO_END, (text, width, [text[s:e] for s, e in ranges])
        before, after = text[previous_end - 1], text[start]
        narrow_word = cell_len(before) == 1 and cell_len(after) == 1 and not before.isspace() and not after.isspace()
        assert not (narrow_word and previous_end == start), "a break inside a word or an id"


@pytest.mark.parametrize("width", [1, 2, 3])
def test_tiny_widths_still_terminate(width: int) -> None:
    assert "".join(wrap(QUOTE, width, fold=True)) == QUOTE


def test_no_character_before_hangul_jamo_takes_two_cells() -> None:
    """The wrapper skips measuring characters below U+1100 (a speed-up); that holds only while rich agrees."""
    from rich.cells import cell_len

    assert [hex(code) for code in range(0x1100) if cell_len(chr(code)) > 1] == []
