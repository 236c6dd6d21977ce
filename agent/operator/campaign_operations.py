"""The operator's operations on campaigns: list them, create one from a file, report its results."""

from __future__ import annotations

import asyncio
from pathlib import Path

from agent.campaigns.files import CampaignFileError, load_campaign
from agent.campaigns.report import campaign_report
from agent.campaigns.stored import store_campaign
from agent.operator.operations_base import OperationsBase
from agent.operator.views import OperatorError, Outcome, View, cell, short
from graphs.lead import Campaign
from storage.campaigns import get_campaign, list_campaigns


class CampaignOperations(OperationsBase):
    """List, create and report on campaigns."""

    async def list_campaigns(self) -> Outcome:
        """List campaigns, newest first."""
        async with self.db.sessions() as session:
            rows = await list_campaigns(session, limit=100)
        data = [
            {
                "id": r.id,
                "name": r.name,
                "status": r.status,
                "channel": r.channel,
                "messages": r.total_messages,
                "sent": r.messages_sent,
                "cost_usd": round(r.total_cost_usd, 4),
            }
            for r in rows
        ]
        view = View(
            title="Campaigns",
            columns=["id", "name", "status", "channel", "messages", "sent", "cost $"],
            rows=[[cell(v) for v in item.values()] for item in data],
            lines=[]
            if data
            else ["No campaigns yet: `new campaign FILE` creates one from a campaign file."],
        )
        return Outcome(f"{len(data)} campaign(s).", data, view)

    async def create_campaign(self, path: str, name: str | None = None) -> Outcome:
        """Create a draft campaign from a YAML/JSON campaign file (as `outreach run` reads)."""
        try:
            campaign = await asyncio.to_thread(_read_campaign_file, path, name)
        except CampaignFileError as exc:
            raise OperatorError(str(exc)) from None
        async with self.db.write_lock, self.db.sessions.begin() as session:
            if (existing := await get_campaign(session, name=campaign.name)) is not None:
                raise OperatorError(
                    f"there is already a campaign named {campaign.name!r} (id {existing.id}); "
                    'give the new one another name, e.g. `new campaign FILE as "Q2 push"`'
                )
            row = await store_campaign(session, campaign)
            campaign_id, status = row.id, row.status
        target = campaign.target
        data = {
            "id": campaign_id,
            "name": campaign.name,
            "status": status,
            "channel": campaign.channel.value,
            "value_proposition": campaign.value_proposition,
            "call_to_action": campaign.call_to_action,
            "sender": campaign.sender.name,
            "target_titles": target.titles,
            "target_industries": target.industries,
        }
        lines = [
            f"channel {campaign.channel.value} · status {status} · sender {campaign.sender.name}",
            f"offer: {short(campaign.value_proposition, 160)}",
            f"call to action: {campaign.call_to_action}",
        ]
        if target.titles or target.industries:
            lines.append(
                "target: "
                + "; ".join(
                    x for x in (", ".join(target.titles), ", ".join(target.industries)) if x
                )
            )
        lines.append(f"next: `run LEAD IDS in {campaign.name}` researches and drafts")
        view = View(title=f"Campaign {campaign.name} created (id {campaign_id})", lines=lines)
        return Outcome(f"Created campaign {campaign.name} (id {campaign_id}).", data, view)

    async def campaign_analytics(self, campaign: str) -> Outcome:
        """Report a campaign's counts, rates, cost and A/B verdict."""
        row = await self._campaign(campaign)
        async with self.db.sessions() as session:
            report = await campaign_report(session, row)
        ab = report["ab_testing"]
        performance, cost = report["performance"], report["cost"]
        lines = [
            f"{report['status']} {report['channel']} campaign · "
            f"{performance['total_messages']} messages · {performance['sent']} sent · "
            f"{performance['delivered']} delivered · {performance['replied']} replied",
            "rates (of delivered): "
            + ", ".join(
                f"{name} {performance[name + '_rate']:g}%"
                for name in ("open", "click", "reply", "bounce", "unsubscribe")
            )
            + " (opens are inflated by mail privacy proxies)",
            f"cost: ${cost['total_usd']:.4f} total, ${cost['cost_per_message']:.4f} per message"
            + (f", ${cost['cost_per_reply']:.4f} per reply" if cost["cost_per_reply"] else ""),
        ]
        if ab["winner"]:
            lines.append(f"A/B winner on reply rate: {ab['winner']}")
        else:
            lines.append("A/B: no winner yet — " + "; ".join(ab["not_yet"]))
        view = View(
            title=f"Campaign {row.name}",
            lines=lines,
            columns=["variant", "sent", "replied", "reply rate %", "95% CI", "P(best)"],
            rows=[
                [
                    v["tone"],
                    cell(v["sent"]),
                    cell(v["replied"]),
                    cell(v["reply_rate"]),
                    f"{v['reply_rate_ci'][0]:g}–{v['reply_rate_ci'][1]:g}",
                    cell(v["prob_best"]),
                ]
                for v in ab["variants"]
            ],
        )
        return Outcome(f"Analytics of campaign {row.id}.", report, view)


def _read_campaign_file(path: str, name: str | None) -> Campaign:
    return load_campaign(Path(path).expanduser(), name=name)
