"""A vote's results as a bar chart in SVG, drawn on the server (the page also has a table)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

BAR_HEIGHT = 28
GAP = 12
LABEL_WIDTH = 90
BAR_SPACE = 200


@dataclass(frozen=True)
class Bar:
    choice: str
    count: int
    y: int
    width: int


@dataclass(frozen=True)
class Chart:
    bars: tuple[Bar, ...]
    width: int
    height: int
    label_width: int


def results_chart(tally: dict[str, Any], choices: tuple[str, ...]) -> Chart:
    counts = [(choice, int(tally[choice.lower()] or 0)) for choice in choices]
    most = max((count for _, count in counts), default=0) or 1
    bars = tuple(
        Bar(choice, count, index * (BAR_HEIGHT + GAP), round(BAR_SPACE * count / most))
        for index, (choice, count) in enumerate(counts)
    )
    height = len(bars) * (BAR_HEIGHT + GAP) - GAP
    return Chart(bars, LABEL_WIDTH + BAR_SPACE + 40, height, LABEL_WIDTH)
