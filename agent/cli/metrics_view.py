"""`outreach report`'s metrics by segment, angle and week as Rich tables, and its --plot file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from agent.campaigns.trend_plot import format_of, trend_plot

COUNT_COLUMNS = ("sent", "replied", "reply %", "positive", "positive %", "95% CI", "meetings")


def _cells(row: dict[str, Any]) -> list[str]:
    low, high = row["positive_reply_rate_ci"]
    return [
        str(row["sent"]),
        str(row["replied"]),
        f"{row['reply_rate']:g}",
        str(row["positive_replies"]),
        f"{row['positive_reply_rate']:g}",
        f"{low:g}–{high:g}" if row["sent"] else "-",
        str(row["meetings"]),
    ]


def _table(title: str, first: list[str]) -> Table:
    table = Table(title=title, title_justify="left")
    for name in first:
        table.add_column(name, justify="left")
    for name in COUNT_COLUMNS:
        table.add_column(name, justify="right")
    return table


def _change(row: dict[str, Any]) -> str:
    moved = row["change"]
    if moved is None:
        return ""
    positive = moved["positive_reply_rate"]
    points = f"{positive['points']:+g} pts positive"
    if positive["call"] == "too_few":
        return f"{points}; {moved['note']}"
    return f"{points} ({positive['call']})" + (f"; {moved['note']}" if moved["note"] else "")


def render_segment_metrics(console: Console, metrics: dict[str, Any]) -> None:
    """Print leads first written to and what came back, per segment, per week, the best
    sequences and angles (by the positive-reply interval's lower bound), and the notes."""
    weeks = metrics["weeks"]
    console.print(
        f"\n[bold]By segment, angle and week[/] · {weeks[0]} to {weeks[-1]} · "
        f"{metrics['totals']['sent']} leads first written to",
        highlight=False,
    )
    if not metrics["totals"]["sent"]:
        console.print("No data yet: no lead was first written to in these weeks.")
    else:
        segments = _table("Segments", ["segment"])
        for row in metrics["segments"]:
            segments.add_row(escape(row["segment"]), *_cells(row))
        console.print(segments)
        weekly = _table("Weeks (by the week of each lead's first message)", ["week"])
        weekly.add_column("week over week", justify="left")
        for row in metrics["weekly"]:
            weekly.add_row(row["week"], *_cells(row), escape(_change(row)))
        console.print(weekly)
        for key, title, name in (
            ("top_sequences", "Top sequences", "sequence"),
            ("top_angles", "Top angles (tone · emphasis · hook)", "label"),
        ):
            ranking = _table(title, ["#", name])
            ranking.add_column("lower bound %", justify="right")
            for row in metrics[key]:
                shown = escape(row[name]) + (
                    " [dim](small sample)[/]" if row["small_sample"] else ""
                )
                ranking.add_row(str(row["rank"]), shown, *_cells(row), f"{row['lower_bound']:g}")
            console.print(ranking)
    for note in metrics["notes"]:
        console.print(f"[dim]{escape(note)}[/]", highlight=False)


def write_plot(metrics: dict[str, Any], path: Path) -> Path:
    """Write the weekly trend to path as SVG or PNG (by its suffix); return the path."""
    path.write_bytes(trend_plot(metrics, format_of(path)))
    return path
