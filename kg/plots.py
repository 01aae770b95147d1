"""Plots of the responsibility network (matplotlib, PNG), with Chinese labels that render."""

from __future__ import annotations

import io
import warnings
from functools import lru_cache
from pathlib import Path

from .analyze import Analysis

# Fonts with Simplified Chinese glyphs, in order of preference.
CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN", "WenQuanYi Zen Hei",
                "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC", "Hiragino Sans GB", "SimHei",
                "Noto Sans CJK JP", "Noto Serif CJK SC", "AR PL UMing CN")
_FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", str(Path.home() / ".local/share/fonts"),
              str(Path.home() / ".fonts"), "/System/Library/Fonts", "/Library/Fonts", "C:/Windows/Fonts")
_FONT_FILE_HINTS = ("cjk", "wqy", "sourcehan", "notosanssc", "msyh", "simhei", "pingfang")


@lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """The family name of an installed font with Chinese glyphs, or None."""
    from matplotlib import font_manager

    def known() -> str | None:
        names = {f.name for f in font_manager.fontManager.ttflist}
        return next((family for family in CJK_FAMILIES if family in names), None)

    found = known()
    if found:
        return found
    # matplotlib's font cache may predate the font's installation: add candidate files directly
    for folder in map(Path, _FONT_DIRS):
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.suffix.lower() in (".ttf", ".otf", ".ttc") and any(h in path.name.lower() for h in _FONT_FILE_HINTS):
                try:
                    font_manager.fontManager.addfont(str(path))
                except (RuntimeError, OSError, ValueError):
                    continue
    return known()


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    family = cjk_font()
    if family is None:
        warnings.warn("no font with Chinese glyphs found (install fonts-noto-cjk): "
                      "Chinese labels in the plots will not render", stacklevel=3)
    plt.rcParams["font.family"] = [family or "sans-serif", "DejaVu Sans"]
    plt.rcParams["axes.unicode_minus"] = False
    plt.rcParams["svg.hashsalt"] = "policy-kg"
    return plt


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight", metadata={"Software": None})
    return buf.getvalue()


def lead_involvement_chart(a: Analysis) -> bytes | None:
    """Horizontal bars per unit: items led, supported and (where any) held jointly; together, involvement.
    None when the graph has no unit."""
    if not a.units:
        return None
    plt = _pyplot()
    units = sorted(a.units, key=lambda u: (u["involved_tasks"], u["lead_tasks"], u["label"]))
    labels = [u["label"] for u in units]
    lead = [u["lead_tasks"] for u in units]
    support = [u["support_tasks"] for u in units]
    joint = [u["responsible_tasks"] for u in units] if a.has_responsible else [0] * len(units)
    fig, ax = plt.subplots(figsize=(9, 0.28 * len(units) + 1.5))
    ax.barh(labels, lead, color="#c0392b", label="牵头 lead")
    ax.barh(labels, support, left=lead, color="#5d8aa8", label="配合 support")
    if a.has_responsible:
        ax.barh(labels, joint, left=[l + s for l, s in zip(lead, support)], color="#8e6bb8",
                label="共同负责 jointly responsible")
    for y, (l, s, j) in enumerate(zip(lead, support, joint)):
        ax.text(l + s + j + 0.1, y, str(l + s + j), va="center", fontsize=8)
    if a.key_tasks_only:
        ax.set_xlabel("重点工作数 key tasks")
        ax.set_title("各责任单位牵头与参与的重点工作 Key tasks led and supported per unit")
    else:
        ax.set_xlabel("事项数 items")
        ax.set_title("各责任单位牵头、配合与共同负责的事项 Items led, supported and held jointly per unit"
                     if a.has_responsible else "各责任单位牵头与配合的事项 Items led and supported per unit")
    ax.legend(loc="lower right")
    ax.margins(y=0.01)
    ax.grid(axis="x", alpha=0.3)
    png = _png(fig)
    plt.close(fig)
    return png


def unit_area_heatmap(a: Analysis) -> bytes | None:
    """Units × policy areas: items each unit is involved in per area (leads in brackets). None when the graph
    has no policy area (pol:area: Wenzhou's 总体任务) or no unit."""
    if not a.areas or not a.units:
        return None
    plt = _pyplot()
    import numpy as np

    units = sorted(a.units, key=lambda u: (-u["involved_tasks"], -u["lead_tasks"], u["label"]))
    areas = [r["area"] for r in a.areas]
    index = {name: j for j, name in enumerate(areas)}
    involved = np.zeros((len(units), len(areas)), dtype=int)
    led = np.zeros_like(involved)
    row_of = {u["iri"]: i for i, u in enumerate(units)}
    for (unit, area), (n_involved, n_led) in a.unit_areas.items():
        involved[row_of[unit], index[area]] = n_involved
        led[row_of[unit], index[area]] = n_led
    fig, ax = plt.subplots(figsize=(2.2 + 1.3 * len(areas), 0.3 * len(units) + 1.8))
    ax.imshow(involved, cmap="Blues", aspect="auto", vmin=0)
    ax.set_xticks(range(len(areas)), [f"{r['number']} {r['area']}" for r in a.areas], rotation=20, ha="right")
    ax.set_yticks(range(len(units)), [u["label"] for u in units])
    top = involved.max() or 1
    for i in range(len(units)):
        for j in range(len(areas)):
            if involved[i, j]:
                text = f"{involved[i, j]}" + (f" ({led[i, j]})" if led[i, j] else "")
                ax.text(j, i, text, ha="center", va="center", fontsize=7,
                        color="white" if involved[i, j] > top / 2 else "black")
    if a.key_tasks_only:
        ax.set_title("单位 × 总体任务：参与（牵头）的重点工作数\nUnits × policy areas: key tasks involved (led)")
    else:
        ax.set_title("单位 × 总体任务：参与（牵头）的事项数\nUnits × policy areas: items involved (led)")
    png = _png(fig)
    plt.close(fig)
    return png
