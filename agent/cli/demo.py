"""`outreach demo`: the whole pipeline on bundled fictional leads, offline and on loopback."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

from rich.console import Console

from agent.campaigns.files import load_campaign
from agent.cli.output import message_panel
from agent.cli.run_batch import RunRequest, execute
from agent.demo.fixtures import DEMO_TODAY, EXAMPLES_DIR
from agent.demo.web import DemoWeb
from agent.leads.files import LeadFile, read_leads
from agent.runs.batch import BatchSummary
from agent.settings import Settings
from graphs.lead import Channel


class DemoError(Exception):
    """The demo cannot run here; the message says why."""


def lead_hosts(lead_file: LeadFile) -> list[str]:
    """Return every host the leads point at, so all of them are served locally."""
    urls = [url for _, lead in lead_file.leads for url in (lead.profile_url, lead.company_url)]
    return sorted({urlparse(url).netloc.lower() for url in urls if url})


def run_demo(out_dir: Path, channel: Channel | None, console: Console) -> BatchSummary:
    """Serve the fictional sites, run the example leads offline, and show the results."""
    leads_path = EXAMPLES_DIR / "leads.csv"
    if not leads_path.exists():
        raise DemoError(
            f"the demo needs the examples/ folder of a source checkout (looked in {EXAMPLES_DIR})"
        )
    campaign = load_campaign(EXAMPLES_DIR / "campaign.yaml", channel=channel)
    # The fictional sites are served on loopback, so the demo allows it explicitly.
    settings = Settings(
        llm_provider="offline",
        auto_send=True,
        data_dir=out_dir,
        allow_private_networks=True,
        _env_file=None,  # type: ignore[call-arg]
    )
    lead_file = read_leads(leads_path, campaign.channel)
    out_dir.mkdir(parents=True, exist_ok=True)
    outbox = out_dir / "outbox.jsonl"
    outbox.unlink(missing_ok=True)
    with DemoWeb(EXAMPLES_DIR / "sites") as web:
        # Every host in the lead file goes to the loopback server: the demo never leaves
        # this machine, and hosts without a bundled site answer 404 like a broken site.
        console.print(
            f"[bold]Demo web:[/] {len(web.hosts())} fictional sites on http://{web.address}"
        )
        summary = execute(
            RunRequest(
                lead_file=lead_file,
                campaign=campaign,
                out=out_dir / "results.jsonl",
                settings=settings,
                prompt_pins={},
                resolve=web.resolve_map(lead_hosts(lead_file)),
                outbox_path=outbox,
                clock=lambda: DEMO_TODAY,
                migrate=True,
            ),
            console,
        )
    sent = [r for r in summary.records if r["decision"] == "sent"]
    if sent:
        console.print(message_panel(sent[0]))
    return summary
