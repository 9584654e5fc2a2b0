"""SVG bar charts for report pages: no script, no style attribute (strict CSP), and
accessible: ``role="img"`` with a title and a description that states every number."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import count

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_ids = count(1)


def bar_chart(
    title: str,
    labels: Sequence[str],
    values: Sequence[int | None],
    *,
    hidden: str = "not shown",
) -> SafeString:
    """Horizontal bars; a value of None (suppressed) gets no bar and says so."""
    n = next(_ids)
    width, row, label_w = 320, 24, 130
    top = max([v for v in values if v] or [1])
    height = row * len(labels) + 8
    desc = "; ".join(
        f"{label}: {hidden if v is None else v}" for label, v in zip(labels, values, strict=True)
    )
    parts = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'viewBox="0 0 {width} {height}" aria-labelledby="chart-{n}-t chart-{n}-d">',
        f'<title id="chart-{n}-t">{escape(title)}</title>',
        f'<desc id="chart-{n}-d">{escape(desc)}</desc>',
    ]
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = 4 + i * row
        parts.append(
            f'<text x="0" y="{y + 15}" font-size="11" fill="#1a1a1a">{escape(label[:22])}</text>'
        )
        if value is None:
            parts.append(
                f'<text x="{label_w}" y="{y + 15}" font-size="11" fill="#444">'
                f"{escape(hidden)}</text>"
            )
            continue
        bar = (width - label_w - 40) * value / top
        parts.append(
            f'<rect x="{label_w}" y="{y + 4}" width="{bar:.1f}" height="14" fill="#24548f"/>'
        )
        parts.append(
            f'<text x="{label_w + bar + 4:.1f}" y="{y + 15}" font-size="11" fill="#1a1a1a">'
            f"{value}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  (every text above is escaped)
