"""Write an eval run as report.json, report.md and a self-contained report.html."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from evals.comparison import Comparison, MetricComparison


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3g}"


def _interval(metric: MetricComparison) -> str:
    return f"{metric.difference:+.3g} [{metric.low:+.3g}, {metric.high:+.3g}]"


def _ordered(comparison: Comparison) -> list[MetricComparison]:
    """Regressions first (worst first), then the rest in their declared order."""
    regressions = comparison.regressions
    return regressions + [m for m in comparison.metrics if m not in regressions]


def _pass_line(comparison: Comparison) -> str:
    now = comparison.candidate_pass
    assert now is not None
    line = f"{now.passed}/{now.total} leads pass (95% Wilson {now.low:.0%}–{now.high:.0%})"
    if comparison.baseline_pass is not None:
        base = comparison.baseline_pass
        line += (
            f"; baseline {base.passed}/{base.total} ({base.low:.0%}–{base.high:.0%}); "
            f"McNemar p = {comparison.mcnemar_p:.3g}"
        )
    return line


def summary(run: dict[str, Any]) -> dict[str, Any]:
    """Return the headline numbers of a run."""
    records = run["leads"]
    return {
        "leads": len(records),
        "passed": sum(1 for r in records if r["passed"]),
        "decision_match": sum(1 for r in records if r["metrics"]["decision_match"]),
        "unsupported_claims": sum(r["metrics"].get("unsupported_claims", 0) for r in records),
        "llm_calls": sum(r["usage"]["llm_calls"] for r in records),
        "cost_usd": round(sum(r["usage"]["cost_usd"] for r in records), 6),
    }


def write_json(path: Path, run: dict[str, Any], comparison: Comparison) -> None:
    """The whole run and its comparison, for tools and for blessing as a baseline."""
    data = {**run, "summary": summary(run), "comparison": comparison.as_dict()}
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")


def write_markdown(
    path: Path, run: dict[str, Any], comparison: Comparison, baseline: dict[str, Any] | None
) -> None:
    """A readable summary: gate verdict, metric table (regressions first), failing leads."""
    lines = [f"# Eval report: {run['provider']} · prompts {run['prompts']}", ""]
    regressions = comparison.regressions
    if baseline is None:
        lines.append("No baseline: nothing to compare against.")
    elif regressions:
        names = ", ".join(m.name for m in regressions)
        lines.append(f"**FAIL**: worse than the baseline beyond tolerance on {names}.")
    else:
        lines.append("**PASS**: no metric is worse than the baseline beyond its tolerance.")
    lines += ["", _pass_line(comparison), ""]
    if comparison.newly_failing:
        lines.append(f"Newly failing leads: {', '.join(comparison.newly_failing)}")
    if comparison.newly_passing:
        lines.append(f"Newly passing leads: {', '.join(comparison.newly_passing)}")
    if comparison.metrics:
        lines += [
            "",
            "| metric | better | baseline | candidate | Δ (better +) [95% CI] | tolerance | |",
            "|---|---|---|---|---|---|---|",
        ]
        for m in _ordered(comparison):
            verdict = "REGRESSION" if m.regression else ""
            tolerance = "-" if m.tolerance is None else f"{m.tolerance:g}"
            lines.append(
                f"| {m.name} | {m.better} | {_fmt(m.baseline)} | {_fmt(m.candidate)} | "
                f"{_interval(m)} | {tolerance} | {verdict} |"
            )
    lines += ["", "| lead | tags | expected | decided | passed | problems | calls | ms |"]
    lines.append("|---|---|---|---|---|---|---|---|")
    for r in sorted(run["leads"], key=lambda r: (r["passed"], r["id"])):
        problems = "; ".join(r["problems"]).replace("|", "\\|") or "-"
        lines.append(
            f"| {r['id']} | {', '.join(r['tags'])} | {r['expected']} | {r['decision']} | "
            f"{'yes' if r['passed'] else '**no**'} | {problems} | {r['usage']['llm_calls']} | "
            f"{r.get('latency_ms', 0):.0f} |"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


_STYLE = """
body{font:14px/1.45 system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;
vertical-align:top}th{background:#f3f3f3}.bad{background:#fde2e2}.good{background:#e3f6e3}
.draft{white-space:pre-wrap;font-family:ui-monospace,monospace;font-size:12px;max-width:42em}
.problem{color:#a40000}details{margin:.6em 0}summary{cursor:pointer;font-weight:600}
"""


def _draft_cell(record: dict[str, Any] | None) -> str:
    if record is None:
        return "<td>(not in baseline)</td>"
    message = record.get("message")
    text = "(no draft)"
    if message:
        subject = f"Subject: {message['subject']}\n\n" if message.get("subject") else ""
        text = subject + message["body"]
    problems = "".join(f"<div class=problem>✗ {html.escape(p)}</div>" for p in record["problems"])
    head = f"<b>{html.escape(record['decision'])}</b> · {html.escape(record['reason'])}"
    return f"<td>{head}<div class=draft>{html.escape(text)}</div>{problems}</td>"


def write_html(
    path: Path, run: dict[str, Any], comparison: Comparison, baseline: dict[str, Any] | None
) -> None:
    """One file, no external assets: metric table and side-by-side drafts per lead."""
    parts = [
        "<!doctype html><meta charset=utf-8><title>Eval report</title>",
        f"<style>{_STYLE}</style>",
        f"<h1>Eval report · {html.escape(run['provider'])}</h1>",
        f"<p>Prompts: {html.escape(json.dumps(run['prompts']))}. "
        f"{html.escape(_pass_line(comparison))}</p>",
    ]
    if comparison.metrics:
        parts.append(
            "<table><tr><th>metric</th><th>better</th><th>baseline</th><th>candidate</th>"
            "<th>Δ (better +) [95% CI]</th><th>tolerance</th></tr>"
        )
        for m in _ordered(comparison):
            css = " class=bad" if m.regression else ""
            tolerance = "-" if m.tolerance is None else f"{m.tolerance:g}"
            parts.append(
                f"<tr{css}><td>{m.name}<br><small>{html.escape(m.summary)}</small></td>"
                f"<td>{m.better}</td><td>{_fmt(m.baseline)}</td><td>{_fmt(m.candidate)}</td>"
                f"<td>{_interval(m)}</td><td>{tolerance}</td></tr>"
            )
        parts.append("</table>")
    base = {r["id"]: r for r in (baseline or {}).get("leads", [])}
    parts.append("<h2>Leads</h2>")
    for r in sorted(run["leads"], key=lambda r: (r["passed"], r["id"])):
        css = "good" if r["passed"] else "bad"
        usage = r["usage"]
        parts.append(
            f"<details{' open' if not r['passed'] else ''}><summary class={css}>"
            f"{html.escape(r['id'])} · expected {r['expected']}, decided {r['decision']} · "
            f"{usage['llm_calls']} calls, {usage['input_tokens']}+{usage['output_tokens']} tokens, "
            f"${usage['cost_usd']:.4f}, {r.get('latency_ms', 0):.0f} ms</summary>"
            f"<p>{html.escape(r['description'])}</p><table><tr>"
            + ("<th>baseline</th>" if baseline else "")
            + "<th>candidate</th></tr><tr>"
            + (_draft_cell(base.get(r["id"])) if baseline else "")
            + _draft_cell(r)
            + "</tr></table></details>"
        )
    path.write_text("\n".join(parts), encoding="utf-8")


def write_reports(
    folder: Path, run: dict[str, Any], comparison: Comparison, baseline: dict[str, Any] | None
) -> list[Path]:
    """Write all three reports into a folder; return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / "report.json", folder / "report.md", folder / "report.html"]
    write_json(paths[0], run, comparison)
    write_markdown(paths[1], run, comparison, baseline)
    write_html(paths[2], run, comparison, baseline)
    return paths
