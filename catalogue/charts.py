"""Geometry for the server-rendered SVG bar charts (statistics page, browse year histogram).

The templates draw the <svg>; these helpers only work out where each bar goes, so that
no JavaScript or inline style is needed (the CSP allows neither).
"""

# Horizontal bar chart: label column, bar area, room for the count after the bar.
WIDTH = 640
LABEL_WIDTH = 250
BAR_AREA = 330
ROW_HEIGHT = 26
BAR_HEIGHT = 18
LABEL_CHARS = 36

# Vertical histogram (years): one slot per bar.
HISTOGRAM_SLOT = 16
HISTOGRAM_GAP = 3
HISTOGRAM_HEIGHT = 60


def short(text: str, limit: int = LABEL_CHARS) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def bar_chart(rows: list[dict]) -> dict:
    """Rows {"label", "count", "url"?} as horizontal bars, in the order given."""
    most = max((row["count"] for row in rows), default=0) or 1
    bars = []
    for i, row in enumerate(rows):
        width = round(BAR_AREA * row["count"] / most, 1)
        y = i * ROW_HEIGHT
        bars.append(
            {
                **row,
                "short_label": short(row["label"]),
                "y": y,
                "text_y": y + BAR_HEIGHT - 4,
                "width": max(width, 1) if row["count"] else 0,
                "count_x": LABEL_WIDTH + width + 6,
            }
        )
    return {
        "bars": bars,
        "width": WIDTH,
        "height": max(len(rows), 1) * ROW_HEIGHT,
        "label_x": LABEL_WIDTH - 8,
        "bar_x": LABEL_WIDTH,
        "bar_height": BAR_HEIGHT,
    }


def histogram(rows: list[dict]) -> dict:
    """Rows {"label", "count", "url"} as vertical bars, in the order given."""
    most = max((row["count"] for row in rows), default=0) or 1
    bar_width = HISTOGRAM_SLOT - HISTOGRAM_GAP
    bars = []
    for i, row in enumerate(rows):
        height = round(HISTOGRAM_HEIGHT * row["count"] / most, 1)
        if row["count"]:
            height = max(height, 2)
        bars.append(
            {
                **row,
                "x": i * HISTOGRAM_SLOT,
                "y": HISTOGRAM_HEIGHT - height,
                "width": bar_width,
                "height": height,
            }
        )
    return {
        "bars": bars,
        "width": max(len(rows), 1) * HISTOGRAM_SLOT,
        "height": HISTOGRAM_HEIGHT,
        "bar_width": bar_width,
    }
