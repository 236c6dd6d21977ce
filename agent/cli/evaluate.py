"""`outreach eval` and `outreach calibrate`: score the pipeline and the critic (see eval_runs)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from agent.cli.errors import USER_ERRORS, fail
from agent.settings import Settings
from prompts.loader import parse_pins


def eval_command(
    prompt: Annotated[
        list[str] | None,
        typer.Option(help="Candidate prompt version as NAME=VERSION, e.g. generate=v2."),
    ] = None,
    provider: Annotated[
        str | None, typer.Option(help="offline or openai (default: from settings).")
    ] = None,
    baseline: Annotated[
        Path | None,
        typer.Option(help="Baseline report to gate on (default: evals/baselines/PROVIDER.json)."),
    ] = None,
    out: Annotated[Path, typer.Option(help="Folder for report.json, .md and .html.")] = Path(
        "eval-report"
    ),
    bless: Annotated[
        bool, typer.Option(help="Make this run the baseline (deliberately; commit the file).")
    ] = False,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Regenerate instead of reusing cached runs.")
    ] = False,
    golden: Annotated[
        Path | None,
        typer.Option(help="Another golden set (folder with leads/ and campaigns/)."),
    ] = None,
) -> None:
    """Score the pipeline on the golden leads; exit 1 if a metric regressed past tolerance."""
    from agent.cli.eval_runs import EvalRequest, run_eval
    from evals.golden_set import GoldenSetError

    overrides: dict[str, object] = {}
    if provider is not None:
        if provider not in ("offline", "openai"):
            raise fail(f"--provider must be offline or openai, not {provider!r}")
        overrides["llm_provider"] = provider
    try:
        code = run_eval(
            EvalRequest(
                settings=Settings(**overrides),  # type: ignore[arg-type]
                prompt_pins=parse_pins(prompt or []),
                out=out,
                baseline=baseline,
                bless=bless,
                use_cache=not no_cache,
                **({"golden_root": golden} if golden else {}),
            ),
            Console(),
        )
    except (*USER_ERRORS, GoldenSetError) as exc:
        raise fail(str(exc)) from None
    raise typer.Exit(code=code)


def calibrate(
    out: Annotated[
        Path | None, typer.Option(help="Folder for calibration.json (optional).")
    ] = None,
    cases: Annotated[
        Path | None, typer.Option(help="Another calibration folder (YAML lists of cases).")
    ] = None,
    golden: Annotated[Path | None, typer.Option(help="The golden set the cases refer to.")] = None,
) -> None:
    """Score the critic on the labelled messages: precision and recall overall and per defect,
    check, class and language; exit 1 when it fails the gate."""
    from agent.cli.eval_runs import run_calibration
    from evals.calibration_set import CalibrationSetError
    from evals.golden_set import GoldenSetError

    try:
        options: dict[str, Path] = {}
        if cases is not None:
            options["root"] = cases
        if golden is not None:
            options["golden_root"] = golden
        code = run_calibration(Console(), out=out, **options)
    except (CalibrationSetError, GoldenSetError, ValueError) as exc:
        raise fail(str(exc)) from None
    raise typer.Exit(code=code)
