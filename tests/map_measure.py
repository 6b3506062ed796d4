"""What a reader sees at the first frame of a map, measured in the browser: each node label's on-screen box.

A label's box is computed from vis-network's node position, the view's scale and the label's font: its lines are
measured with the page's own canvas text metrics in the node's font, centred on the node (every node of the map is
a box with its label inside). Used by the browser tests, bench/maps.py and scripts/visuals.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

LABEL_BOXES = """() => {
  const net = dutygraph.network;
  const scale = net.getScale();
  const ctx = document.createElement("canvas").getContext("2d");
  const positions = net.getPositions();
  const rect = document.getElementById("network").getBoundingClientRect();
  const out = [];
  for (const node of dutygraph.nodes.get({filter: (n) => !n.hidden})) {
    const font = net.body.nodes[node.id].options.font;
    ctx.font = `${font.size}px ${font.face}`;
    const lines = String(node.label).split("\\n");
    const width = Math.max(...lines.map((line) => ctx.measureText(line).width));
    const height = lines.length * font.size;
    const centre = net.canvasToDOM(positions[node.id]);
    out.push({
      id: node.id,
      px: font.size * scale,
      box: [centre.x - width * scale / 2, centre.y - height * scale / 2, centre.x + width * scale / 2, centre.y + height * scale / 2],
      inside: centre.x >= 0 && centre.y >= 0 && centre.x <= rect.width && centre.y <= rect.height,
    });
  }
  return out;
}"""


@dataclass(frozen=True)
class FirstFrame:
    labels: int
    smallest_px: float
    overlaps: list[tuple[str, str]]
    on_screen: int

    def line(self) -> str:
        return f"{self.labels} labels, smallest {self.smallest_px:.1f} px, {len(self.overlaps)} overlaps, {self.on_screen} on screen"


def label_boxes(page: Any) -> list[dict[str, Any]]:
    boxes: list[dict[str, Any]] = page.evaluate(LABEL_BOXES)
    return boxes


def overlapping(boxes: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """Pairs of labels whose boxes intersect (touching edges do not count), by a sweep over x."""
    ordered = sorted(boxes, key=lambda b: b["box"][0])
    pairs = []
    active: list[dict[str, Any]] = []
    for box in ordered:
        x0, y0, x1, y1 = box["box"]
        active = [a for a in active if a["box"][2] > x0]
        for other in active:
            ox0, oy0, ox1, oy1 = other["box"]
            if ox0 < x1 and x0 < ox1 and oy0 < y1 and y0 < oy1:
                pairs.append((other["id"], box["id"]))
        active.append(box)
    return pairs


def first_frame(page: Any) -> FirstFrame:
    boxes = label_boxes(page)
    return FirstFrame(
        labels=len(boxes),
        smallest_px=min((b["px"] for b in boxes), default=0.0),
        overlaps=overlapping(boxes),
        on_screen=sum(1 for b in boxes if b["inside"]),
    )
