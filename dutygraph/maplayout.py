"""Where each node of a responsibility map goes: one band per domain, one column per kind, bureaus beside.

The map reads like a table turned into a diagram. Each domain is a horizontal band (its own slice of the map):
the domain on the left, then the licences, then the activities; the bureaus stand in a column to the right of
the bands, each at the height of what it is responsible for (what it leads first, then the licences it grants or
investigates, then its duties), so the decided-lead arrows are short and do not cross the map. An organ that
acts under another bureau (a county organ the city bureau guides, a statutory agency of a bureau) stands right
beside that bureau, on its left, between it and the activities: acting organs are the ones that lead. Within a
band, activities are ordered by the height of their lead, so arrows from one bureau fan out without crossing.

Large maps are cut into several such blocks side by side, so that the whole map keeps roughly the shape of a
screen. Every box has a width and height estimated here from its text (wide CJK characters count one em, others
0.6 em); the browser tests measure what vis-network really draws.

Everything here is plain geometry on canvas units; the page opens at a scale where a label of ``FONT`` units is
at least 12 CSS pixels.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from msgspec import Struct

__all__ = ["DOMAIN_FONT", "FONT", "Layout", "LayoutInput", "layout", "wrap"]

FONT = 14
"""Label font size of activities, licences and bureaus, in canvas units."""
DOMAIN_FONT = 16
MARGIN = 4
"""Padding between a box's border and its label (vis-network ``margin``)."""
LINE_HEIGHT = 1.0
"""vis-network draws label lines one font size apart."""
GAP = 5
"""Vertical space between two boxes of a column."""
BAND_PAD = 6
BAND_GAP = 6
HEADER_SPACE = 30
BLOCK_GAP = 160
VIEW = (1360.0, 950.0)
"""The canvas the layout aims at (a 1600x1000 window less the controls): blocks are chosen to fit its shape."""

WRAP_EM = {"Domain": 8.0, "Licence": 15.0, "Activity": 15.0, "Bureau": 13.0}
LATIN_WRAP = 1.4
"""Latin labels wrap at a wider measure: words are long, and lines of one or two words read badly."""
KIND_FONT = {"Domain": DOMAIN_FONT, "Licence": FONT, "Activity": FONT, "Bureau": FONT}

_CLOSING = set("）)」』】〕》〉”’、，。；：！？,.;:!?…")
_OPENING = set("（(「『【〔《〈“‘")
_TOKEN = re.compile(r"[A-Za-z0-9_\-./]+|\s+|.", re.S)


def char_em(ch: str) -> float:
    return 1.0 if unicodedata.east_asian_width(ch) in ("W", "F") else 0.6


def text_em(text: str) -> float:
    return round(sum(char_em(ch) for ch in text), 6)


def _tokens(text: str) -> list[str]:
    """Pieces a line may break between: words of Latin text, single CJK characters; punctuation stays attached."""
    tokens: list[str] = []
    for piece in _TOKEN.findall(text):
        if tokens and (piece[0] in _CLOSING or (tokens[-1] and tokens[-1][-1] in _OPENING)):
            tokens[-1] += piece
        else:
            tokens.append(piece)
    return tokens


def _truncate(line: str, max_em: float) -> str:
    while line and text_em(line) + 1.0 > max_em:
        line = line[:-1]
    return line.rstrip() + "…"


def _fill(tokens: Sequence[str], limit: float) -> list[list[str]]:
    """Tokens in greedy lines of at most ``limit`` ems (a token wider than that gets a line of its own)."""
    lines: list[list[str]] = [[]]
    width = 0.0
    for token in tokens:
        if not lines[-1] and not token.strip():
            continue
        extra = text_em(token)
        if lines[-1] and width + text_em(token.rstrip()) > limit:
            lines.append([])
            width = 0.0
            if not token.strip():
                continue
        lines[-1].append(token)
        width += extra
    return [line for line in lines if line]


def wrap(text: str, max_em: float, max_lines: int = 3) -> list[str]:
    """``text`` in at most ``max_lines`` lines of at most ``max_em`` ems, as even as possible; what does not fit
    ends in "…". CJK text breaks between characters, Latin text between words; a line never starts with closing
    punctuation nor ends with opening punctuation."""
    text = " ".join(text.split())
    if text_em(text) <= max_em:
        return [text]
    tokens = [piece for token in _tokens(text) for piece in (token if text_em(token) > max_em else [token])]
    lines = _fill(tokens, max_em)
    if len(lines) <= max_lines:
        limit = text_em(text) / len(lines)
        while limit < max_em:  # the narrowest limit that needs no more lines: even lines
            even = _fill(tokens, limit)
            if len(even) == len(lines):
                lines = even
                break
            limit += 0.5
    else:
        rest = "".join(token for line in lines[max_lines - 1 :] for token in line)
        lines = [*lines[: max_lines - 1], [_truncate(rest, max_em)]]
    joined = ["".join(line).strip() for line in lines]
    return [line if text_em(line) <= max_em else _truncate(line, max_em) for line in joined]


class LayoutInput(Struct, frozen=True):
    """The nodes of one map (already scoped) and what places them."""

    kinds: Mapping[str, str]
    """Node id → "Domain", "Activity", "Licence" or "Bureau", in the order the map lists them."""
    labels: Mapping[str, str]
    domain_of: Mapping[str, str | None]
    """Activity → its domain when that domain is on the map, else None."""
    licences_of: Mapping[str, Sequence[str]]
    """Activity → the licences on the map it involves (its own, then those they require)."""
    links: Sequence[tuple[str, str, float]]
    """(bureau, node, weight): how strongly a bureau belongs next to a node."""
    acts_through: Mapping[str, str]
    """Bureau → the bureau on the map it stands beside (the one that guides it, or whose agency it is)."""
    lead_of: Mapping[str, str]
    """Activity → the bureau that leads (the decided default), when on the map."""
    headers: Mapping[str, str]
    """Column kind ("Domain", "Licence", "Activity", "Bureau", "Beside") and "none" (the band of activities
    without a domain) → text drawn on the canvas."""


@dataclass
class Layout:
    positions: dict[str, tuple[float, float]] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    widths: dict[str, float] = field(default_factory=dict)
    """Each node's box width (vis-network ``widthConstraint.minimum``): one width per column."""
    heights: dict[str, float] = field(default_factory=dict)
    bands: list[dict[str, object]] = field(default_factory=list)
    headers: list[dict[str, object]] = field(default_factory=list)
    extent: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)


@dataclass
class _Band:
    domain: str | None
    activities: list[str]
    licences: list[str]
    height: float = 0.0
    top: float = 0.0
    block: int = 0


def _spread(items: Sequence[tuple[str, float, float]], weights: Mapping[str, float] | None = None) -> dict[str, float]:
    """Centres as close as possible (weighted least squares) to the wanted ones, in the given order, boxes never
    overlapping.

    ``items`` are (id, wanted centre, height), sorted by wanted centre. Pool-adjacent-violators on the wanted tops
    less each box's offset in a packed stack: the isotonic fit is the optimal placement. A heavier item (a bureau
    that leads, say) moves less than a light one."""
    offsets: list[float] = []
    offset = 0.0
    for _, _, height in items:
        offsets.append(offset)
        offset += height + GAP
    blocks: list[tuple[float, float, int]] = []  # (weighted mean, weight, count)
    for (ident, wanted, height), off in zip(items, offsets, strict=True):
        value, weight, count = wanted - height / 2 - off, max((weights or {}).get(ident, 1.0), 1e-6), 1
        while blocks and blocks[-1][0] > value:
            mean, w, n = blocks.pop()
            value, weight, count = (mean * w + value * weight) / (w + weight), w + weight, n + count
        blocks.append((value, weight, count))
    fitted = [mean for mean, _, count in blocks for _ in range(count)]
    return {ident: top + off + height / 2 for (ident, _, height), top, off in zip(items, fitted, offsets, strict=True)}


def _stack(ids: Sequence[str], heights: Mapping[str, float]) -> float:
    return sum(heights[i] for i in ids) + GAP * max(0, len(ids) - 1)


def _mean(values: Sequence[tuple[float, float]]) -> float | None:
    weight = sum(w for _, w in values)
    return sum(v * w for v, w in values) / weight if weight else None


class _Placer:
    def __init__(self, spec: LayoutInput) -> None:
        self.spec = spec
        self.result = Layout()
        self.of_kind: dict[str, list[str]] = defaultdict(list)
        for ident, kind in spec.kinds.items():
            self.of_kind[kind].append(ident)
        for ident, kind in spec.kinds.items():
            label = spec.labels[ident]
            wide = sum(1 for ch in label if char_em(ch) == 1.0)
            lines = wrap(label, WRAP_EM[kind] * (1.0 if 2 * wide >= len(label) else LATIN_WRAP))
            font = KIND_FONT[kind]
            self.result.labels[ident] = "\n".join(lines)
            self.result.heights[ident] = len(lines) * font * LINE_HEIGHT + 2 * MARGIN
        self.column_width = {
            kind: max((text_em(line) * KIND_FONT[kind] for i in ids for line in self.result.labels[i].split("\n")), default=0.0)
            + 2 * MARGIN
            + 6
            for kind, ids in self.of_kind.items()
        }
        self.beside = {b: t for b, t in spec.acts_through.items() if t in spec.kinds and t not in spec.acts_through and b != t}
        self.links: dict[str, list[tuple[str, float]]] = defaultdict(list)
        for bureau, other, weight in spec.links:
            if bureau in spec.kinds and other in spec.kinds and bureau != other:
                self.links[bureau].append((other, weight))
        self.y: dict[str, float] = {}

    # -- bands and blocks ---------------------------------------------------------------------------------

    def bands(self) -> list[_Band]:
        spec = self.spec
        by_domain: dict[str | None, _Band] = {d: _Band(d, [], []) for d in self.of_kind["Domain"]}
        for activity in self.of_kind["Activity"]:
            domain = spec.domain_of.get(activity)
            by_domain.setdefault(domain if domain in by_domain else None, _Band(None, [], [])).activities.append(activity)
        band_of_activity = {a: band for band in by_domain.values() for a in band.activities}
        users: dict[str, list[str]] = defaultdict(list)
        for activity in self.of_kind["Activity"]:
            for licence in spec.licences_of.get(activity, ()):
                if licence in spec.kinds:
                    users[licence].append(activity)
        order = list(by_domain)
        for licence in self.of_kind["Licence"]:
            count: dict[str | None, int] = defaultdict(int)
            for activity in users.get(licence, ()):
                count[band_of_activity[activity].domain] += 1
            if count:
                home = max(count, key=lambda d: (count[d], -order.index(d)))
            else:
                home = None
                by_domain.setdefault(None, _Band(None, [], []))
            by_domain[home].licences.append(licence)
        bands = [by_domain[d] for d in self.of_kind["Domain"]] + ([by_domain[None]] if None in by_domain else [])
        heights = self.result.heights
        for band in bands:
            inner = max(
                _stack(band.activities, heights),
                _stack(band.licences, heights),
                heights[band.domain] if band.domain else 0.0,
            )
            band.height = inner + 2 * BAND_PAD
        return bands

    def columns(self) -> tuple[dict[str, float], float]:
        """Left edge of each column within a block, and the block's width."""
        widths = self.column_width
        left: dict[str, float] = {}
        x = 0.0
        for kind, gap in (("Domain", 36.0), ("Licence", 48.0), ("Activity", 150.0), ("Beside", 20.0), ("Bureau", 0.0)):
            width = widths.get("Bureau", 0.0) if kind == "Beside" else widths.get(kind, 0.0)
            if kind == "Beside" and not self.beside:
                width = 0.0
            left[kind] = x
            x += width + (gap if width else 0.0)
        return left, x

    def pack(self, bands: list[_Band], block_width: float) -> int:
        total = sum(b.height + BAND_GAP for b in bands)
        best, best_fit = 1, 0.0
        for k in range(1, len(bands) + 1):
            heights = self._split(bands, k, total)
            if heights is None:
                break
            width = k * block_width + (k - 1) * BLOCK_GAP
            fit = min(VIEW[0] / width, VIEW[1] / (max(heights) + HEADER_SPACE))
            if fit > best_fit:
                best, best_fit = k, fit
            elif width > VIEW[0] * 4:
                break
        self._split(bands, best, total, assign=True)
        return best

    @staticmethod
    def _split(bands: list[_Band], k: int, total: float, assign: bool = False) -> list[float] | None:
        target = total / k
        heights = [0.0]
        for index, band in enumerate(bands):
            left = len(bands) - index
            if heights[-1] > 0 and heights[-1] + band.height / 2 > target and len(heights) < k and left >= k - len(heights):
                heights.append(0.0)
            if assign:
                band.block = len(heights) - 1
                band.top = heights[-1]
            heights[-1] += band.height + BAND_GAP
        return heights if len(heights) == k else None

    # -- placing ------------------------------------------------------------------------------------------

    def place_bands(self, bands: list[_Band]) -> None:
        heights = self.result.heights
        for band in bands:
            middle = band.top + band.height / 2
            if band.domain:
                self.y[band.domain] = middle
            top = middle - _stack(band.activities, heights) / 2
            for activity in band.activities:
                self.y[activity] = top + heights[activity] / 2
                top += heights[activity] + GAP
            wanted = []
            for licence in band.licences:
                around = [(self.y[a], 1.0) for a in band.activities if licence in self.spec.licences_of.get(a, ())]
                mean = _mean(around)
                wanted.append((licence, middle if mean is None else mean, heights[licence]))
            wanted.sort(key=lambda item: item[1])
            placed = _spread(wanted)
            if placed:
                stack = _stack(band.licences, heights)
                low, high = band.top + BAND_PAD, band.top + band.height - BAND_PAD
                top_edge = placed[wanted[0][0]] - heights[wanted[0][0]] / 2
                bottom_edge = max(placed[i] + heights[i] / 2 for i in placed)
                if bottom_edge - top_edge > high - low + 0.5:  # the fit left gaps that do not fit: pack evenly
                    cursor = middle - stack / 2
                    for ident, _, height in wanted:
                        placed[ident] = cursor + height / 2
                        cursor += height + GAP
                else:
                    shift = max(0.0, low - top_edge) - max(0.0, bottom_edge - high)
                    placed = {i: v + shift for i, v in placed.items()}
            self.y.update(placed)

    def block_of(self, bands: list[_Band]) -> dict[str, int]:
        block = {}
        for band in bands:
            for ident in (band.domain, *band.activities, *band.licences):
                if ident is not None:
                    block[ident] = band.block
        for bureau in self.of_kind["Bureau"]:
            if bureau in self.beside:
                continue
            weight: dict[int, float] = defaultdict(float)
            for other, w in self.links.get(bureau, ()):
                if other in block:
                    weight[block[other]] += w
            block[bureau] = max(weight, key=lambda b: (weight[b], -b)) if weight else 0
        for bureau, target in self.beside.items():
            block[bureau] = block.get(target, 0)
        return block

    def place_bureaus(self, block: Mapping[str, int], bottom: float) -> None:
        heights = self.result.heights
        per_block: dict[int, list[tuple[str, float, float]]] = defaultdict(list)
        beside_of: dict[str, list[str]] = defaultdict(list)
        for organ, guide in self.beside.items():
            beside_of[guide].append(organ)
        for bureau in self.of_kind["Bureau"]:
            if bureau in self.beside:
                continue
            # A bureau stands where it and the organs beside it belong: they share its row.
            links = [link for b in (bureau, *beside_of.get(bureau, ())) for link in self.links.get(b, ())]
            near = [(self.y[o], w) for o, w in links if o in self.y and block.get(o) == block[bureau]]
            wanted = _mean(near)
            per_block[block[bureau]].append((bureau, bottom if wanted is None else wanted, heights[bureau]))
        weight = {b: sum(w for x in (b, *beside_of.get(b, ())) for _, w in self.links.get(x, ())) for b in self.of_kind["Bureau"]}
        for items in per_block.values():
            items.sort(key=lambda item: item[1])
            self.y.update(_spread(items, weight))
        beside: dict[int, list[tuple[str, float, float]]] = defaultdict(list)
        for bureau, target in self.beside.items():
            beside[block[bureau]].append((bureau, self.y[target], heights[bureau]))
        for items in beside.values():
            items.sort(key=lambda item: item[1])
            self.y.update(_spread(items))

    def reorder(self, bands: list[_Band]) -> None:
        """Activities ordered by the height of their lead (then of their other bureaus), to avoid crossings."""
        for band in bands:
            keys = {}
            for number, activity in enumerate(band.activities):
                lead = self.spec.lead_of.get(activity)
                keys[activity] = (self.y[lead] if lead in self.y else self.y[activity], number)
            band.activities.sort(key=keys.__getitem__)

    def run(self) -> Layout:
        bands = self.bands()
        left, block_width = self.columns()
        blocks = self.pack(bands, block_width)
        block = self.block_of(bands)
        bottom = max((b.top + b.height for b in bands), default=0.0)
        for _ in range(3):
            self.place_bands(bands)
            self.place_bureaus(block, bottom)
            self.reorder(bands)
        self.place_bands(bands)
        self.place_bureaus(block, bottom)
        return self.finish(bands, block, left, block_width, blocks)

    def finish(self, bands: list[_Band], block: Mapping[str, int], left: Mapping[str, float], block_width: float, blocks: int) -> Layout:
        result = self.result
        widths = self.column_width
        for ident, kind in self.spec.kinds.items():
            column = "Beside" if ident in self.beside else kind
            width = widths["Bureau"] if column == "Beside" else widths[kind]
            x = block.get(ident, 0) * (block_width + BLOCK_GAP) + left[column] + width / 2
            result.positions[ident] = (round(x, 1), round(self.y.get(ident, 0.0), 1))
            result.widths[ident] = round(width, 1)
        slice_right = left["Activity"] + widths.get("Activity", 0.0) + 14
        for band in bands:
            x0 = band.block * (block_width + BLOCK_GAP)
            label = self.spec.labels[band.domain] if band.domain else self.spec.headers.get("none", "")
            result.bands.append(
                {
                    "domain": band.domain,
                    "label": "" if band.domain else label,
                    "x0": round(x0 - 14, 1),
                    "x1": round(x0 + slice_right, 1),
                    "y0": round(band.top, 1),
                    "y1": round(band.top + band.height, 1),
                    "label_x": round(x0 + left["Domain"] + widths.get("Domain", 0.0) / 2, 1),
                }
            )
        boxes = []
        for ident, (x, y) in result.positions.items():
            half_width, half_height = result.widths[ident] / 2, result.heights[ident] / 2
            boxes.append((x - half_width, y - half_height, x + half_width, y + half_height))
        boxes += [(float(b["x0"]), float(b["y0"]), float(b["x1"]), float(b["y1"])) for b in result.bands]  # type: ignore[arg-type]
        top = min((b[1] for b in boxes), default=0.0)
        for number in range(blocks):
            x0 = number * (block_width + BLOCK_GAP)
            for kind in ("Domain", "Licence", "Activity", "Beside", "Bureau"):
                present = bool(self.beside) if kind == "Beside" else bool(self.of_kind.get(kind))
                text = self.spec.headers.get(kind)
                if present and text:
                    width = widths["Bureau"] if kind == "Beside" else widths[kind]
                    result.headers.append({"x": round(x0 + left[kind] + width / 2, 1), "y": round(top - 16, 1), "text": text})
        if result.headers:
            boxes.append((min(b[0] for b in boxes), top - HEADER_SPACE, max(b[2] for b in boxes), top))
        if boxes:
            result.extent = (
                round(min(b[0] for b in boxes), 1),
                round(min(b[1] for b in boxes), 1),
                round(max(b[2] for b in boxes), 1),
                round(max(b[3] for b in boxes), 1),
            )
        return result


def layout(spec: LayoutInput) -> Layout:
    """Positions, wrapped labels, box widths, domain bands and column headers of one map."""
    return _Placer(spec).run()
