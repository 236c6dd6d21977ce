"""Render run results for people: a summary table and one message to read."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table

from agent.runs.batch import BatchSummary

DECISION_STYLE = {"sent": "green", "queued": "yellow", "rejected": "red"}


def summary_table(summary: BatchSummary) -> Table:
    """Return one row per lead: decision, best quality, relevance and reason."""
    table = Table(title="Outreach results", show_lines=True, expand=True)
    table.add_column("Row", justify="right", no_wrap=True)
    table.add_column("Lead", min_width=12, max_width=20)
    table.add_column("Decision", no_wrap=True)
    table.add_column("Quality\nRelevance", justify="right", no_wrap=True)
    table.add_column("Reason", min_width=30, ratio=1)
    for record in summary.records:
        lead = record["lead"]
        decision = record["decision"]
        quality = record["quality"]["score"] if record.get("quality") else None
        relevance = record.get("relevance")
        table.add_row(
            str(record["row"]),
            escape(f"{lead.get('name', '?')}\n{lead.get('company', '')}".strip()),
            f"[{DECISION_STYLE[decision]}]{decision}[/]",
            (f"{quality:.2f}" if quality is not None else "-")
            + "\n"
            + (f"{relevance:.2f}" if relevance is not None else "-"),
            escape(record["reason"]),
        )
    return table


def totals_line(summary: BatchSummary) -> str:
    """Return counts, model usage and time in one line."""
    counts = summary.counts
    usage = summary.usage
    return (
        f"{len(summary.records)} leads: {counts['sent']} sent, {counts['queued']} queued, "
        f"{counts['rejected']} rejected · {usage.llm_calls} model calls "
        f"({summary.model_calls_per_lead:.2f} per lead), "
        f"{usage.input_tokens + usage.output_tokens} tokens, ${usage.cost_usd:.4f} · "
        f"{summary.elapsed_s:.1f} s"
    )


def message_panel(record: dict[str, Any]) -> Panel:
    """Show the selected variant of a lead as the recipient would read it."""
    tone = record["selected_variant"]
    variant = next(v for v in record["variants"] if v["tone"] == tone)
    subject = f"Subject: {variant['subject']}\n\n" if variant.get("subject") else ""
    hooks = "\n".join(f"  • {h['text']}  [{', '.join(h['fact_ids'])}]" for h in variant["hooks"])
    lead = record["lead"]
    return Panel(
        f"{escape(subject + variant['body'])}\n\n[dim]Hooks and the facts behind them:\n"
        f"{escape(hooks)}[/]",
        title=f"{lead.get('name')} · {tone} · quality {variant['quality']['score']:.2f}",
        expand=False,
    )


def print_summary(console: Console, summary: BatchSummary) -> None:
    """Print the table and the totals."""
    console.print(summary_table(summary))
    console.print(totals_line(summary))
