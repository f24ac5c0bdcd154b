"""Bar charts as SVG markup, for printed pages and PDFs where plotly.js cannot run.

Pure: labels and numbers in, a string out. Every label is escaped, so a chart made from what
the public wrote cannot inject markup.
"""

from collections.abc import Sequence
from html import escape

BAR_COLOUR = "#0072B2"  # the first of charts.PALETTE: 5.2:1 against white
WHISKER_COLOUR = "#0b0c0c"
LABEL_WIDTH = 230
BAR_AREA = 330
ROW_HEIGHT = 26


def percentage_bars_svg(
    title: str,
    labels: Sequence[str],
    percents: Sequence[float | None],
    intervals: Sequence[tuple[float, float] | None] = (),
) -> str:
    """Horizontal bars of percentages with 95% interval whiskers, as an SVG image."""
    rows = []
    for row, (label, percent) in enumerate(zip(labels, percents, strict=True)):
        y = row * ROW_HEIGHT
        value = percent or 0.0
        width = BAR_AREA * value / 100
        rows.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 17}" text-anchor="end">'
            f"{escape(_shorten(label))}</text>"
            f'<rect x="{LABEL_WIDTH}" y="{y + 5}" width="{width:.1f}" height="16" '
            f'fill="{BAR_COLOUR}"/>'
            f'<text x="{LABEL_WIDTH + width + 6:.1f}" y="{y + 17}">{value:.1f}%</text>'
        )
        interval = intervals[row] if row < len(intervals) else None
        if interval is not None:
            low, high = (LABEL_WIDTH + BAR_AREA * bound / 100 for bound in interval)
            rows.append(
                f'<line x1="{low:.1f}" x2="{high:.1f}" y1="{y + 13}" y2="{y + 13}" '
                f'stroke="{WHISKER_COLOUR}" stroke-width="1.5"/>'
            )
    height = max(len(labels), 1) * ROW_HEIGHT + 4
    width = LABEL_WIDTH + BAR_AREA + 60
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="Arial, sans-serif" font-size="12">'
        f"<title>{escape(title)}</title>{''.join(rows)}</svg>"
    )


def _shorten(label: str, limit: int = 36) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"
