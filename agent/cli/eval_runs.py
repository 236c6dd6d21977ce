"""`outreach eval` and `outreach calibrate`: run the golden set / the critic calibration set."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from agent.runs.pipeline_factory import open_pipeline
from agent.settings import Settings
from evals.calibration_run import MUST_CATCH_ALL, CalibrationReport, calibrate
from evals.calibration_scores import MIN_CLASS_PRECISION, MIN_PRECISION, MIN_RECALL
from evals.calibration_set import CALIBRATION_DIR, load_calibration
from evals.comparison import compare
from evals.golden_set import GOLDEN_DIR, load_golden
from evals.report import write_reports
from evals.runner import EvalOutbox, GenerationCache, run_golden

BASELINE_DIR = Path(__file__).resolve().parents[2] / "evals" / "baselines"
VOLATILE = ("latency_ms", "cached")
"""Record fields that change from run to run and are kept out of a blessed baseline."""


def default_baseline(provider: str) -> Path:
    """Return the committed baseline of a provider."""
    return BASELINE_DIR / f"{provider}.json"


@dataclass(frozen=True)
class EvalRequest:
    """What `outreach eval` was asked to do."""

    settings: Settings
    prompt_pins: dict[str, str]
    out: Path
    baseline: Path | None = None
    bless: bool = False
    golden_root: Path = GOLDEN_DIR
    use_cache: bool = True


def _load_baseline(path: Path) -> dict[str, Any] | None:
    if not path.exists():
        return None
    return dict(json.loads(path.read_text(encoding="utf-8")))


def run_eval(request: EvalRequest, console: Console) -> int:
    """Run the golden set, write the reports, compare with the baseline; return the exit code."""
    goldens, campaigns = load_golden(request.golden_root)
    baseline_path = request.baseline or default_baseline(request.settings.provider)
    baseline = None if request.bless else _load_baseline(baseline_path)
    cache = GenerationCache(request.settings.data_dir / "eval-cache" if request.use_cache else None)
    progress = Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=console,
        transient=True,
    )
    with progress:
        task = progress.add_task("Running golden leads", total=len(goldens))

        async def run_all() -> tuple[list[dict[str, Any]], dict[str, Any]]:
            # Auto-send on, so the eval sees every decision; EvalOutbox sends nothing.
            settings = request.settings.model_copy(update={"auto_send": True})
            async with open_pipeline(
                settings, prompt_pins=request.prompt_pins, outbox=EvalOutbox(), research_tools=[]
            ) as pipeline:
                return await run_golden(
                    pipeline,
                    goldens,
                    campaigns,
                    cache=cache,
                    on_done=lambda _: progress.advance(task),
                    judge_dir=request.settings.data_dir / "judge-cache",
                    baseline={r["id"]: r for r in baseline["leads"]} if baseline else None,
                )

        records, meta = asyncio.run(run_all())
    run = {**meta, "leads": records}
    comparison = compare(records, baseline["leads"] if baseline else None)
    paths = write_reports(request.out, run, comparison, baseline)
    cached = sum(1 for record in records if record.get("cached"))
    console.print(
        f"[bold]Eval:[/] {len(records)} golden leads · {meta['models']} · prompts {meta['prompts']}"
    )
    console.print(f"{cached} from the generation cache")
    now = comparison.candidate_pass
    assert now is not None
    console.print(
        f"[bold]Passed:[/] {now.passed}/{now.total} (95% Wilson {now.low:.0%}–{now.high:.0%})"
    )
    for record in records:
        if not record["passed"]:
            console.print(f"  [red]✗[/] {record['id']}: {escape('; '.join(record['problems']))}")
    verdicts = [r["pairwise"] for r in records if "pairwise" in r]
    if verdicts:
        console.print(
            "[bold]Judge, candidate vs baseline (both orders):[/] "
            f"{verdicts.count('candidate')} wins, {verdicts.count('baseline')} losses, "
            f"{verdicts.count('tie')} ties"
        )
    console.print(f"[bold]Reports:[/] {', '.join(str(p) for p in paths)}")
    if request.bless:
        baseline_path.parent.mkdir(parents=True, exist_ok=True)
        kept = [{k: v for k, v in r.items() if k not in VOLATILE} for r in records]
        baseline_path.write_text(
            json.dumps({**meta, "leads": kept}, indent=2, ensure_ascii=False) + "\n",
            encoding="utf-8",
        )
        console.print(f"[bold]Blessed[/] this run as the baseline: {baseline_path}")
        return 0
    if baseline is None:
        console.print(
            f"[yellow]No baseline at {baseline_path}[/]: nothing to gate on "
            "(bless one with --bless)."
        )
        return 0
    if comparison.regressions:
        table = Table(title="Regressions against the baseline", title_justify="left")
        for column in ("metric", "baseline", "candidate", "Δ [95% CI]", "tolerance"):
            table.add_column(column)
        for m in comparison.regressions:
            table.add_row(
                m.name,
                f"{m.baseline:.3g}",
                f"{m.candidate:.3g}",
                f"{m.difference:+.3g} [{m.low:+.3g}, {m.high:+.3g}]",
                f"{m.tolerance:g}",
            )
        console.print(table)
        if comparison.newly_failing:
            console.print(f"Newly failing: {', '.join(comparison.newly_failing)}")
        return 1
    console.print("[bold green]No regression[/] against the baseline.")
    return 0


def run_calibration(
    console: Console,
    root: Path = CALIBRATION_DIR,
    out: Path | None = None,
    golden_root: Path = GOLDEN_DIR,
) -> int:
    """Score the critic on the labelled set and print the report; return 1 when it fails the
    gate (a must-catch case passed, overall precision or recall under its floor, a class
    under the class precision floor: evals.calibration_scores.gate_failures)."""
    goldens, campaigns = load_golden(golden_root)
    cases = load_calibration(root)
    unknown = sorted({case.golden for case in cases} - {g.id for g in goldens})
    if unknown:
        raise ValueError(f"calibration cases name unknown golden leads: {', '.join(unknown)}")
    report = calibrate(cases, {g.id: g for g in goldens}, campaigns)
    _print_calibration(console, report)
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        data = json.dumps(report.as_json(), indent=2, ensure_ascii=False)
        (out / "calibration.json").write_text(data, encoding="utf-8")
    failures = report.gate
    if failures:
        console.print("[bold red]FAIL:[/] the critic does not clear the calibration gate:")
        for reason in failures:
            console.print(f"  [red]✗[/] {escape(reason)}")
        return 1
    console.print(
        f"[bold green]PASS:[/] every {' and '.join(MUST_CATCH_ALL)} case was caught; "
        f"precision ≥ {MIN_PRECISION}, recall ≥ {MIN_RECALL}, every class's precision ≥ "
        f"{MIN_CLASS_PRECISION}."
    )
    return 0


def _rate(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def _table(title: str, columns: tuple[str, ...], names: list[str]) -> Table:
    """A table whose first column (a defect, check, class or language) is never cut short on
    a narrow terminal; the other columns' headings wrap instead."""
    table = Table(title=title, show_edge=False)
    width = max((len(name) for name in names), default=0)
    table.add_column(columns[0], no_wrap=True, min_width=width)
    for column in columns[1:]:
        table.add_column(column, justify="right")
    return table


def _print_calibration(console: Console, report: CalibrationReport) -> None:
    table = _table(
        f"Critic calibration ({len(report.cases)} labelled messages)",
        ("defect", "cases", "caught (recall)", "precision of its checks"),
        [*report.scores, "none (good)"],
    )
    for defect, score in report.scores.items():
        if not score.cases and defect != "none":
            continue
        if defect == "none":
            passed = score.cases - score.caught
            table.add_row("none (good)", str(score.cases), f"{passed} passed", "-")
            continue
        recall = "-" if score.recall is None else f"{score.caught} ({score.recall:.0%})"
        precision = (
            "no check" if not score.flagged and defect == "tone_mismatch"
            else "-" if score.precision is None
            else f"{score.precision:.0%} of {score.flagged}"
        )  # fmt: skip
        table.add_row(defect, str(score.cases), recall, precision)
    console.print(table)
    overall = report.overall
    console.print(
        f"[bold]Verdict[/] (a failed message is a positive): precision "
        f"{_rate(overall.precision)}, recall {_rate(overall.recall)} · {overall.caught} of "
        f"{overall.bad} defective messages caught, {overall.false_alarms} of {overall.good} "
        "good ones failed"
    )
    headings = ("check", "fired", "on its defects (precision)", "its cases", "caught (recall)")
    checks = _table("Per check", headings, list(report.checks))
    for name, row in report.checks.items():
        checks.add_row(
            name,
            str(row.fired),
            f"{row.fired_on_target} ({_rate(row.precision)})",
            str(row.targets),
            f"{row.caught} ({_rate(row.recall)})",
        )
    console.print(checks)
    for title, groups in (("Per class", report.classes), ("Per language", report.languages)):
        columns = ("", "cases", "good", "bad", "FP", "FN", "precision", "recall")
        table = _table(title, columns, list(groups))
        table.caption = "FP: false alarms (good messages failed) · FN: misses (defects passed)"
        for name, tally in groups.items():
            table.add_row(
                name,
                str(tally.cases),
                str(tally.good),
                str(tally.bad),
                str(tally.false_alarms),
                str(tally.misses),
                _rate(tally.precision),
                _rate(tally.recall),
            )
        console.print(table)
    by_id = {case["id"]: case for case in report.cases}
    if report.false_alarms:
        console.print(
            f"[bold]False alarms[/] (good messages the critic failed): {len(report.false_alarms)}"
        )
        for case_id in report.false_alarms:
            issues = "; ".join(by_id[case_id]["issues"])
            console.print(escape(f"  {case_id} [{by_id[case_id]['class']}]: {issues}"))
    if report.misses:
        console.print(
            f"[bold]Misses[/] (defective messages the critic passed): {len(report.misses)}"
        )
        for case_id in report.misses:
            case = by_id[case_id]
            console.print(
                escape(f"  {case_id} [{case['class']}]: {case['defect']}: {case['note']}")
            )
