"""The weekly trend of a campaign's metrics as a picture (SVG or PNG), for the console and
reports: reply and positive-reply rates per ISO week, all leads with their 95% band and each
segment as a line; "No data yet" when no lead was written to in the weeks shown.

Drawn with matplotlib's Agg canvas (no display, no pyplot state). SVG text stays text, so the
segment names (operator input) are in the file as XML-escaped strings, never markup.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any, Literal

PlotFormat = Literal["svg", "png"]
MAX_SEGMENT_LINES = 8
"""Segments drawn as lines (the largest); the rest are in the all-leads line only."""
MAX_LABEL_CHARS = 40
PANELS = (("reply_rate", "Reply rate"), ("positive_reply_rate", "Positive-reply rate"))
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def plain_label(text: str) -> str:
    """Return a data label safe for the plot: no control characters (not allowed in XML), no
    mathtext (`$`), not hidden from the legend (a leading `_`), and short."""
    text = _CONTROL.sub(" ", text).strip() or "?"
    if len(text) > MAX_LABEL_CHARS:
        text = text[: MAX_LABEL_CHARS - 1] + "…"
    text = text.replace("$", r"\$")
    return f" {text}" if text.startswith("_") else text


class UnknownPlotFormat(ValueError):
    """The plot's file name ends in neither .svg nor .png."""


def format_of(path: Path) -> PlotFormat:
    """Return the picture format a file name asks for (UnknownPlotFormat unless .svg/.png)."""
    suffix = path.suffix.lower()
    if suffix not in (".svg", ".png"):
        raise UnknownPlotFormat(f"--plot {path.name}: name an .svg or .png file")
    return "svg" if suffix == ".svg" else "png"


def _week_ticks(weekly: list[dict[str, Any]]) -> list[str]:
    return [f"{row['week'][5:]}\nn={row['sent']}" for row in weekly]


def _draw_panel(axes: Any, metrics: dict[str, Any], key: str, title: str) -> None:
    weekly = metrics["weekly"]
    xs = list(range(len(weekly)))
    low = [row[f"{key}_ci"][0] if row["sent"] else None for row in weekly]
    high = [row[f"{key}_ci"][1] if row["sent"] else None for row in weekly]
    filled = [x for x in xs if weekly[x]["sent"]]
    axes.fill_between(
        filled, [low[x] for x in filled], [high[x] for x in filled], alpha=0.15, color="C0"
    )
    axes.plot(filled, [weekly[x][key] for x in filled], marker="o", color="C0", label="all leads")
    biggest = sorted(
        metrics["weekly_by_segment"], key=lambda s: -sum(w["sent"] for w in s["weeks"])
    )
    for number, segment in enumerate(biggest[:MAX_SEGMENT_LINES], start=1):
        points = [(x, w[key]) for x, w in enumerate(segment["weeks"]) if w["sent"]]
        if points:
            axes.plot(
                [p[0] for p in points],
                [p[1] for p in points],
                marker=".",
                linestyle="--",
                color=f"C{number}",
                label=plain_label(segment["segment"]),
            )
    axes.set_title(f"{title} (% of leads first written to that week, 95% band)", fontsize=9)
    axes.set_ylabel("%")
    axes.set_ylim(bottom=0)
    axes.set_xticks(xs, _week_ticks(weekly), fontsize=7)
    axes.grid(alpha=0.3)


def trend_plot(metrics: dict[str, Any], fmt: PlotFormat = "svg") -> bytes:
    """Return the weekly trend of segment_metrics' report as an SVG or PNG file's bytes."""
    import matplotlib  # here: matplotlib takes ~0.3 s to import
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    # Set, never restored, rather than rc_context: the same values every call, so plots drawn
    # on several threads at once do not undo each other's settings.
    matplotlib.rcParams["svg.fonttype"] = "none"  # text stays text (escaped), not paths
    matplotlib.rcParams["svg.hashsalt"] = "outreach"  # the same ids every drawing
    matplotlib.rcParams["font.size"] = 8
    figure = Figure(figsize=(8, 6), layout="constrained")
    FigureCanvasAgg(figure)  # no display, no pyplot: the figure is this call's alone
    title = f"{plain_label(metrics['name'])}: {metrics['weeks'][0]} to {metrics['weeks'][-1]}"
    figure.suptitle(title, fontsize=10)
    if not metrics["totals"]["sent"]:
        axes = figure.add_subplot()
        axes.set_axis_off()
        axes.text(0.5, 0.5, "No data yet", ha="center", va="center", fontsize=16)
    else:
        panels = figure.subplots(len(PANELS), 1, sharex=True)
        for axes, (key, name) in zip(panels, PANELS, strict=True):
            _draw_panel(axes, metrics, key, name)
        panels[0].legend(fontsize=7, loc="upper left")
    out = io.BytesIO()
    figure.savefig(out, format=fmt, metadata={"Date": None} if fmt == "svg" else None)
    return out.getvalue()
