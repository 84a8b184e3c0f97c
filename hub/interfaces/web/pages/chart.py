"""Bar charts in SVG, drawn on the server (each page also has a table of the numbers): a
vote's results, and the needs a convening's planners book."""

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
    return bar_chart([(choice, int(tally[choice.lower()] or 0)) for choice in choices])


def bar_chart(counts: list[tuple[str, int]], label_width: int = LABEL_WIDTH) -> Chart:
    """One bar per (key, count), the longest the largest count; the template words the keys."""
    most = max((count for _, count in counts), default=0) or 1
    bars = tuple(
        Bar(choice, count, index * (BAR_HEIGHT + GAP), round(BAR_SPACE * count / most))
        for index, (choice, count) in enumerate(counts)
    )
    height = max(len(bars) * (BAR_HEIGHT + GAP) - GAP, 0)
    return Chart(bars, label_width + BAR_SPACE + 40, height, label_width)
