"""Bar charts drawn as inline SVG on the server: they render with no internet and no JavaScript."""

from __future__ import annotations

from markupsafe import Markup, escape

BAR_COLOUR = "#1f6f8b"
TEXT_COLOUR = "#1d2733"


def _fmt(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def column_chart(bars: list[tuple[str, int]], title: str, width: int = 640, height: int = 220) -> Markup:
    """Vertical bars (e.g. the twelve months), value above each bar, label below."""
    top, bottom, side = 24, 28, 8
    peak = max((value for _, value in bars), default=0) or 1
    slot = (width - 2 * side) / max(len(bars), 1)
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="100%" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>'
    ]
    for index, (label, value) in enumerate(bars):
        bar_height = (height - top - bottom) * value / peak
        x = side + index * slot + slot * 0.15
        y = height - bottom - bar_height
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" height="{bar_height:.1f}" '
            f'fill="{BAR_COLOUR}"><title>{escape(label)}: {_fmt(value)}</title></rect>'
        )
        parts.append(
            f'<text x="{x + slot * 0.35:.1f}" y="{y - 4:.1f}" text-anchor="middle" font-size="11" '
            f'fill="{TEXT_COLOUR}">{_fmt(value) if value else ""}</text>'
        )
        parts.append(
            f'<text x="{x + slot * 0.35:.1f}" y="{height - 10}" text-anchor="middle" font-size="11" '
            f'fill="{TEXT_COLOUR}">{escape(label)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def _short(label: str, limit: int = 36) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def bar_chart(bars: list[tuple[str, int]], title: str, width: int = 640, row: int = 26) -> Markup:
    """Horizontal bars with the category name on the left (channels, genres, themes)."""
    label_width, side = 250, 8
    height = max(len(bars), 1) * row + 8
    peak = max((value for _, value in bars), default=0) or 1
    room = width - label_width - 60
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="100%" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>'
    ]
    if not bars:
        parts.append(f'<text x="{side}" y="18" font-size="12" fill="{TEXT_COLOUR}">Chưa có số liệu</text>')
    for index, (label, value) in enumerate(bars):
        y = 4 + index * row
        length = room * value / peak
        parts.append(
            f'<text x="{label_width - 6}" y="{y + row * 0.62:.1f}" text-anchor="end" font-size="12" '
            f'fill="{TEXT_COLOUR}">{escape(_short(label))}</text>'
        )
        parts.append(
            f'<rect x="{label_width}" y="{y + 3}" width="{length:.1f}" height="{row - 8}" '
            f'fill="{BAR_COLOUR}"><title>{escape(label)}: {_fmt(value)}</title></rect>'
        )
        parts.append(
            f'<text x="{label_width + length + 6:.1f}" y="{y + row * 0.62:.1f}" font-size="12" '
            f'fill="{TEXT_COLOUR}">{_fmt(value)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
