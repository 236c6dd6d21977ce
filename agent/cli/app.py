"""The `outreach` command line."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from agent.campaigns.files import CampaignFileError, load_campaign
from agent.cli.errors import fail
from agent.cli.review import review_app
from agent.cli.serve import keys_app, serve
from agent.leads.files import LeadFileError, read_leads
from agent.providers import ProviderConfigError
from agent.runs.store import RunNotResumable
from agent.settings import Settings
from graphs.lead import Channel
from prompts.loader import PromptError, available_versions, load_prompt, parse_pins
from storage.database import Database
from storage.migrations import DatabaseNotMigrated

app = typer.Typer(
    help="Outreach Architect: research leads, write grounded personalized messages, "
    "critique them, and send or queue them for review.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _console(stderr: bool = False) -> Console:
    return Console(stderr=stderr)


USER_ERRORS = (
    CampaignFileError, LeadFileError, PromptError, ProviderConfigError, DatabaseNotMigrated,
    RunNotResumable,
)  # fmt: skip
db_app = typer.Typer(help="Database schema: apply migrations, show the current revision.")
app.add_typer(db_app, name="db")
app.add_typer(review_app, name="review")
app.add_typer(keys_app, name="api-key")
app.command()(serve)


@app.command()
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
        run_demo(out, channel, _console())
    except (*USER_ERRORS, DemoError) as exc:
        raise fail(str(exc)) from None


@app.command()
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
) -> None:
    """Run leads through research, writing, critique and the send/queue/reject decision."""
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

        summary = execute(
            RunRequest(
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
            ),
            _console(),
        )
    except USER_ERRORS as exc:
        raise fail(str(exc)) from None
    if not summary.records:
        raise fail("the lead file has no leads")


@app.command("eval")
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
            _console(),
        )
    except (*USER_ERRORS, GoldenSetError) as exc:
        raise fail(str(exc)) from None
    raise typer.Exit(code=code)


@app.command()
def calibrate(
    out: Annotated[
        Path | None, typer.Option(help="Folder for calibration.json (optional).")
    ] = None,
    cases: Annotated[
        Path | None, typer.Option(help="Another calibration folder (YAML lists of cases).")
    ] = None,
    golden: Annotated[Path | None, typer.Option(help="The golden set the cases refer to.")] = None,
) -> None:
    """Score the critic on the labelled messages: precision and recall per defect type."""
    from agent.cli.eval_runs import run_calibration
    from evals.calibration_set import CalibrationSetError
    from evals.golden_set import GoldenSetError

    try:
        options: dict[str, Path] = {}
        if cases is not None:
            options["root"] = cases
        if golden is not None:
            options["golden_root"] = golden
        code = run_calibration(_console(), out=out, **options)
    except (CalibrationSetError, GoldenSetError, ValueError) as exc:
        raise fail(str(exc)) from None
    raise typer.Exit(code=code)


@app.command()
def graph() -> None:
    """Print the lead pipeline as a Mermaid diagram."""
    from graphs.lead_pipeline import build_graph

    _console().print(build_graph().get_graph().draw_mermaid(), markup=False, highlight=False)


@app.command()
def prompts() -> None:
    """List prompt files, their versions and the hash of the newest."""
    from rich.table import Table

    table = Table(title="Prompts")
    for column in ("id", "versions", "newest", "sha256", "description"):
        table.add_column(column)
    for prompt_id in ("analyze", "generate"):
        newest = load_prompt(prompt_id)
        table.add_row(
            prompt_id,
            ", ".join(available_versions(prompt_id)),
            newest.version,
            newest.sha256[:12],
            newest.meta.description,
        )
    _console().print(table)


@app.command()
def config() -> None:
    """Show the effective settings (secrets masked) and which provider would run."""
    settings = Settings()
    console = _console()
    for key, value in settings.model_dump().items():
        shown = "********" if "key" in key and value else value
        console.print(f"{key} = {shown}", highlight=False, markup=False)
    console.print(f"[bold]provider that runs:[/] {settings.provider}")


@app.command()
def export(
    campaign: Annotated[str, typer.Option(help="Campaign name.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="File to write.")],
    format: Annotated[str, typer.Option(help="jsonl or csv.")] = "jsonl",
) -> None:
    """Write a campaign's stored messages (selected draft, status, reason, cost) to a file.

    CSV cells that a spreadsheet would run as a formula (starting with =, +, -, @, ...) get a
    leading single quote; JSONL keeps every value as stored."""
    import json

    from storage.csv_export import write_csv
    from storage.export import EXPORT_COLUMNS, campaign_rows

    if format not in ("jsonl", "csv"):
        raise fail(f"--format must be jsonl or csv, not {format!r}")

    async def load() -> list[dict[str, object]]:
        async with await Database.connect(Settings().database) as db, db.sessions() as s:
            return await campaign_rows(s, campaign=campaign)

    try:
        rows = asyncio.run(load())
    except (DatabaseNotMigrated, ProviderConfigError) as exc:  # settings refused, e.g. mail
        raise fail(str(exc)) from None
    if not rows:
        raise fail(f"no stored messages for campaign {campaign!r}")
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="") as handle:
        if format == "csv":
            write_csv(handle, EXPORT_COLUMNS, rows)
        else:
            handle.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    _console().print(f"Wrote {len(rows)} messages of {campaign} to {out}", highlight=False)


@app.command()
def chat(
    session: Annotated[
        str | None, typer.Option(help="Resume an earlier conversation by its session id.")
    ] = None,
    reviewer: Annotated[
        str | None, typer.Option(help="Your name, stored with review actions.")
    ] = None,
) -> None:
    """Work conversationally: ask about campaigns, leads and the review queue, run leads,
    approve, edit, reject or regenerate drafts, see analytics, explain decisions.

    With a model endpoint (OUTREACH_LLM_PROVIDER=openai) you ask in plain words; without one
    it is a command console ("queue", "approve 12 variant 2", "analytics Q1", "explain 7";
    type help). Sending, approving for send and deleting data ask you to confirm first. The
    conversation is stored in the database: resume it with --session.
    """
    import getpass

    from agent.operator.chat_terminal import chat_loop

    name = reviewer or getpass.getuser()
    try:
        asyncio.run(chat_loop(Settings(), _console(), session_id=session, reviewer=name))
    except USER_ERRORS as exc:
        raise fail(str(exc)) from None
    except KeyboardInterrupt:
        raise typer.Exit(130) from None


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the database schema to this version of the code."""
    from storage.migrations import upgrade

    async def go() -> tuple[str, str | None]:
        async with _database() as db:
            return db.url, await upgrade(db.engine)

    try:
        where, revision = asyncio.run(go())
    except DatabaseNotMigrated as exc:  # migrated by a newer version: nothing to apply
        raise fail(str(exc)) from None
    _console().print(f"Database {where} is at revision {revision}.", highlight=False)


@db_app.command("current")
def db_current() -> None:
    """Show the database's schema revision and whether it needs an upgrade."""
    from storage.migrations import current_revision, head_revision, known_revisions

    async def go() -> tuple[str, str | None]:
        async with _database() as db:
            return db.url, await current_revision(db.engine)

    (where, current), head = asyncio.run(go()), head_revision()
    state = "up to date" if current == head else "needs `outreach db upgrade`"
    if current not in (None, *known_revisions()):
        state = "from a newer version of Outreach Architect: upgrade it to use this database"
    _console().print(
        f"{where}: revision {current or 'none'} (code: {head}) - {state}", highlight=False
    )


def _database() -> Database:
    """The configured database, unchecked (for the commands that manage its schema)."""

    return Database.open(Settings().database)


def main() -> None:
    """Entry point of the `outreach` script."""
    app()
