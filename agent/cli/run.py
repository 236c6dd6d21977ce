"""`outreach run` and `outreach demo`: leads through the pipeline from the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from agent.campaigns.files import load_campaign
from agent.cli.errors import USER_ERRORS, fail
from agent.leads.files import read_leads
from agent.settings import Settings
from graphs.lead import Channel
from prompts.loader import parse_pins


def demo(
    out: Annotated[Path, typer.Option(help="Folder for results.jsonl and outbox.jsonl.")] = Path(
        "outreach-demo"
    ),
    channel: Annotated[
        Channel | None, typer.Option(help="Override the demo campaign's channel.")
    ] = None,
) -> None:
    """Run the whole pipeline on the bundled example leads: offline, no API key, no network."""
    from agent.cli.demo import DemoError, run_demo

    try:
        run_demo(out, channel, Console())
    except (*USER_ERRORS, DemoError) as exc:
        raise fail(str(exc)) from None


def run(
    leads: Annotated[
        Path, typer.Argument(help="Lead file: CSV or JSONL (name, email, company, ...).")
    ],
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Where to write one JSON record per lead.")
    ],
    campaign_file: Annotated[
        Path | None, typer.Option(help="Campaign YAML/JSON (value proposition, sender, target).")
    ] = None,
    campaign: Annotated[
        str | None, typer.Option(help="Campaign name (overrides the file).")
    ] = None,
    channel: Annotated[Channel | None, typer.Option(help="email, linkedin or sms.")] = None,
    value_prop: Annotated[
        str | None, typer.Option(help="What you sell, in a sentence or two.")
    ] = None,
    custom_context: Annotated[
        str | None, typer.Option(help="Extra guidance, e.g. 'Mention our new SOC 2 report'.")
    ] = None,
    template: Annotated[
        str | None,
        typer.Option(help="Opening to follow; may use {{contact_name}}, {{company}} ..."),
    ] = None,
    auto_send: Annotated[
        bool | None,
        typer.Option("--auto-send/--no-auto-send", help="Send drafts that clear the thresholds."),
    ] = None,
    concurrency: Annotated[
        int | None, typer.Option(min=1, max=256, help="Leads in parallel.")
    ] = None,
    prompt: Annotated[
        list[str] | None,
        typer.Option(help="Pin a prompt version as NAME=VERSION, e.g. generate=v1."),
    ] = None,
    provider: Annotated[
        str | None, typer.Option(help="offline or openai (default: from settings, else auto).")
    ] = None,
    resolve: Annotated[
        list[str] | None,
        typer.Option(help="Send a host to another address, like curl: HOST=IP:PORT (testing)."),
    ] = None,
    refresh: Annotated[
        bool, typer.Option(help="Fetch pages again instead of using the research cache.")
    ] = False,
    resume: Annotated[
        str | None,
        typer.Option(help="Finish an interrupted run (its id): done leads are not redone."),
    ] = None,
    new_run: Annotated[
        bool,
        typer.Option(
            help="Start a separate run even if the same leads and campaign have an interrupted "
            "one (by default, running the same command again finishes it)."
        ),
    ] = False,
    distributed: Annotated[
        bool,
        typer.Option(
            help="Queue the leads for `outreach worker` processes (needs OUTREACH_BROKER_URL "
            "and a PostgreSQL OUTREACH_DATABASE_URL) instead of running them here."
        ),
    ] = False,
    wait: Annotated[
        bool,
        typer.Option(
            "--wait/--no-wait",
            help="With --distributed: follow the workers to the end and write --out (default), "
            "or return once the leads are queued.",
        ),
    ] = True,
) -> None:
    """Run leads through research, writing, critique and the send/queue/reject decision."""
    if distributed:  # the workers' own settings decide these; saying otherwise here is refused
        ignored = [
            option
            for option, given in (
                ("--provider", provider),
                ("--concurrency", concurrency),
                ("--resolve", resolve),
                ("--refresh", refresh),
            )
            if given
        ]
        if ignored:
            raise fail(
                f"{', '.join(ignored)} cannot be used with --distributed: each worker runs with "
                "its own settings; set OUTREACH_LLM_PROVIDER, OUTREACH_WORKER_CONCURRENCY, "
                "OUTREACH_RESOLVE or OUTREACH_CACHE_TTL_S where the workers run"
            )
    overrides: dict[str, object] = {}
    if auto_send is not None:
        overrides["auto_send"] = auto_send
    if concurrency is not None:
        overrides["concurrency"] = concurrency
    if provider is not None:
        if provider not in ("offline", "openai", "auto"):
            raise fail(f"--provider must be offline, openai or auto, not {provider!r}")
        overrides["llm_provider"] = provider
    try:
        settings = Settings(**overrides)  # type: ignore[arg-type]
        pins = parse_pins(prompt or [])
        resolve_map = dict(item.split("=", 1) for item in resolve or [] if "=" in item)
        chosen = load_campaign(
            campaign_file,
            name=campaign,
            channel=channel,
            value_proposition=value_prop,
            custom_context=custom_context,
            template=template,
        )
        lead_file = read_leads(leads, chosen.channel)
        from agent.cli.run_batch import RunRequest, execute, input_key

        request = RunRequest(
            lead_file=lead_file,
            campaign=chosen,
            out=out,
            settings=settings,
            prompt_pins=pins,
            resolve=resolve_map,
            refresh=refresh,
            resume=resume,
            input_key=input_key(leads, chosen),
            new_run=new_run,
        )
        if distributed:
            if not lead_file.leads and not lead_file.errors:
                raise fail("the lead file has no leads")
            from agent.cli.run_distributed import execute_distributed

            execute_distributed(request, Console(), wait=wait)
            return
        summary = execute(request, Console())
    except USER_ERRORS as exc:
        raise fail(str(exc)) from None
    if not summary.records:
        raise fail("the lead file has no leads")
