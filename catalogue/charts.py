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
# A long label wraps onto this many lines of the label column (the last one shortened).
LABEL_LINES = 2
LINE_HEIGHT = 14

# Vertical histogram (years): one slot per bar.
HISTOGRAM_SLOT = 16
HISTOGRAM_GAP = 3
HISTOGRAM_HEIGHT = 60


def short(text: str, limit: int = LABEL_CHARS) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def wrap(text: str, limit: int = LABEL_CHARS, lines: int = LABEL_LINES) -> list[str]:
    """Words filled into at most `lines` lines of `limit` characters; what does not fit
    ends the last line with "…" (a word longer than a line is cut)."""
    filled: list[str] = []
    words = str(text).split()
    while words and len(filled) < lines:
        line = short(words.pop(0), limit)
        while words and len(line) + 1 + len(words[0]) <= limit:
            line += " " + words.pop(0)
        filled.append(line)
    if words:
        filled[-1] = short(filled[-1] + " " + " ".join(words), limit)
    return filled or [""]


def bar_chart(rows: list[dict]) -> dict:
    """Rows {"label", "count", "url"?} as horizontal bars, in the order given; a long
    label wraps in its column (an SVG text does not), the row growing to hold it."""
    most = max((row["count"] for row in rows), default=0) or 1
    bars = []
    y = 0
    for row in rows:
        width = round(BAR_AREA * row["count"] / most, 1)
        lines = wrap(row["label"])
        height = max(ROW_HEIGHT, len(lines) * LINE_HEIGHT + ROW_HEIGHT - BAR_HEIGHT)
        bar_y = y + (height - ROW_HEIGHT) / 2
        first = bar_y + BAR_HEIGHT / 2 + 4 - (len(lines) - 1) * LINE_HEIGHT / 2
        bars.append(
            {
                **row,
                "lines": [(line, first + i * LINE_HEIGHT) for i, line in enumerate(lines)],
                "y": bar_y,
                "text_y": bar_y + BAR_HEIGHT - 4,
                "width": max(width, 1) if row["count"] else 0,
                "count_x": LABEL_WIDTH + width + 6,
            }
        )
        y += height
    return {
        "bars": bars,
        "width": WIDTH,
        "height": max(y, ROW_HEIGHT),
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
