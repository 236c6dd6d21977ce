"""The operator's operations: what `outreach chat` can do, over the services the CLI and API use.

Each operation returns an Outcome (a summary in our words, the data the agent reads, and a view
for the terminal) or raises OperatorError with a message that says what to do instead. Nothing
here talks to a model: the agent (or the offline command parser) only chooses which operation
to run and with what arguments.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import select

from agent.campaigns.files import CampaignFileError, load_campaign
from agent.campaigns.report import campaign_report
from agent.campaigns.stored import campaign_settings, find_campaign, store_campaign
from agent.delivery.dispatcher import CampaignNotSendable, Dispatcher
from agent.delivery.email_providers import build_email_provider
from agent.leads.files import LeadFile, LeadFileError, read_leads
from agent.leads.store import erase_person, store_leads
from agent.operator.views import (
    MAX_LIST,
    OperatorError,
    Outcome,
    ProgressUpdate,
    View,
    cell,
    short,
)
from agent.review.queue import ReviewError, ReviewResult, act, pending_page
from agent.runs.background import (
    BackgroundRuns,
    CampaignNotRunnable,
    RunRequest,
    check_runnable,
)
from agent.settings import Settings
from graphs.drafts import Tone, tone_rank
from graphs.lead import Campaign
from graphs.review_log import ReviewAction
from storage.campaigns import CampaignConflict, get_campaign, list_campaigns
from storage.database import Database
from storage.leads import missing_lead_ids
from storage.messages import list_messages
from storage.models import MAX_ROW_ID, AnalysisRow, CampaignRow, FactRow, LeadRow, MessageRow
from tools.delivery.send_queue import SendQueue
from tools.facts import utc_now


def _variants_in_order(message: MessageRow) -> list[dict[str, Any]]:
    """Return a message's drafts in the order people number them (1 professional ... 3 direct)."""
    return sorted(message.variants, key=lambda v: tone_rank(v.get("tone")))


def _check_id(value: int, what: str) -> int:
    if not 0 < value <= MAX_ROW_ID:
        raise OperatorError(f"{what} {value} is not a valid id (ids are positive numbers)")
    return value


class Operations:
    """The operations, bound to one database and configuration."""

    def __init__(
        self,
        settings: Settings,
        db: Database,
        *,
        reviewer: str = "operator",
        clock: Callable[[], dt.datetime] = utc_now,
    ) -> None:
        self.settings = settings
        self.db = db
        self.reviewer = reviewer
        self.clock = clock

    # --- lookups -------------------------------------------------------------------------

    async def _campaign(self, ref: str | int) -> CampaignRow:
        async with self.db.sessions() as session:
            row = await find_campaign(session, ref)
            if row is None:
                names = [c.name for c in await list_campaigns(session, limit=20)]
                known = ", ".join(names) if names else "none yet"
                raise OperatorError(f"there is no campaign {ref!r} (campaigns: {known})")
            return row

    async def _lead(self, lead_id: int) -> LeadRow:
        async with self.db.sessions() as session:
            row = await session.get(LeadRow, _check_id(lead_id, "lead"))
        if row is None:
            raise OperatorError(f"there is no lead {lead_id}; `leads` lists them")
        return row

    async def _message(self, message_id: int) -> tuple[MessageRow, LeadRow, CampaignRow]:
        async with self.db.sessions() as session:
            message = await session.get(MessageRow, _check_id(message_id, "message"))
            if message is None:
                raise OperatorError(f"there is no message {message_id}; `queue` lists them")
            lead = await session.get(LeadRow, message.lead_id)
            campaign = await session.get(CampaignRow, message.campaign_id)
        assert lead is not None and campaign is not None
        return message, lead, campaign

    # --- campaigns and leads -------------------------------------------------------------

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

    async def list_leads(
        self, campaign: str | None = None, status: str | None = None, limit: int = 20
    ) -> Outcome:
        """List leads (of a campaign, of a status), in import order."""
        limit = max(1, min(limit, MAX_LIST))
        query = select(LeadRow).order_by(LeadRow.id).limit(limit)
        title = "Leads"
        if campaign is not None:
            row = await self._campaign(campaign)
            in_campaign = select(MessageRow.lead_id).where(MessageRow.campaign_id == row.id)
            query = query.where(LeadRow.id.in_(in_campaign))
            title += f" in {row.name}"
        if status is not None:
            query = query.where(LeadRow.status == status)
            title += f" ({status})"
        async with self.db.sessions() as session:
            rows = list(await session.scalars(query))
        data = [
            {
                "id": r.id,
                "name": r.name,
                "title": r.title,
                "company": r.company,
                "email": r.email,
                "score": r.qualification_score,
                "status": r.status,
            }
            for r in rows
        ]
        view = View(
            title=title,
            columns=["id", "name", "title", "company", "email", "score", "status"],
            rows=[[cell(v) for v in item.values()] for item in data],
            lines=[] if data else ["No leads match."],
        )
        return Outcome(f"{len(data)} lead(s).", data, view)

    async def _analysis(self, lead_id: int) -> AnalysisRow | None:
        async with self.db.sessions() as session:
            return await session.scalar(
                select(AnalysisRow)
                .where(AnalysisRow.lead_id == lead_id)
                .order_by(AnalysisRow.id.desc())
                .limit(1)
            )

    async def _facts(self, lead_id: int, ids: Sequence[str] | None = None) -> list[FactRow]:
        query = select(FactRow).where(FactRow.lead_id == lead_id).order_by(FactRow.fact_id)
        if ids is not None:
            query = query.where(FactRow.fact_id.in_(list(ids)))
        async with self.db.sessions() as session:
            return list(await session.scalars(query))

    async def show_lead(self, lead_id: int) -> Outcome:
        """Show a lead, the facts research found (with sources) and the analyst's hooks."""
        lead = await self._lead(lead_id)
        facts = await self._facts(lead.id)
        analysis = await self._analysis(lead.id)
        hooks = (analysis.data.get("hooks") if analysis else None) or []
        lines = [
            f"{lead.name} · {lead.title or 'no title'} · {lead.company} · {lead.email or ''}",
            f"status {lead.status}"
            + (f" · relevance {analysis.relevance_score:.2f}" if analysis else " · not analysed"),
        ]
        lines += [
            f"hook {n}: {short(h.get('text'), 100)} (facts {', '.join(h.get('fact_ids', []))})"
            for n, h in enumerate(hooks, start=1)
        ]
        data = {
            "lead": {
                "id": lead.id,
                "name": lead.name,
                "title": lead.title,
                "company": lead.company,
                "email": lead.email,
                "status": lead.status,
            },
            "facts": [_fact_data(f) for f in facts],
            "analysis": analysis.data if analysis else None,
        }
        view = View(
            title=f"Lead {lead.id}",
            lines=lines,
            columns=["fact", "kind", "text", "source"],
            rows=[[f.fact_id, f.kind, short(f.text, 70), short(f.source_url, 50)] for f in facts],
        )
        return Outcome(f"Lead {lead.id}: {len(facts)} fact(s), {len(hooks)} hook(s).", data, view)

    async def hook_evidence(self, lead_id: int, hook: int) -> Outcome:
        """Show the facts (text, source, date) behind one of a lead's hooks."""
        lead = await self._lead(lead_id)
        analysis = await self._analysis(lead.id)
        hooks = (analysis.data.get("hooks") if analysis else None) or []
        if not hooks:
            raise OperatorError(f"lead {lead_id} has no hooks yet: run the lead first")
        if not 1 <= hook <= len(hooks):
            raise OperatorError(f"lead {lead_id} has hooks 1 to {len(hooks)}, not {hook}")
        chosen = hooks[hook - 1]
        facts = await self._facts(lead.id, chosen.get("fact_ids", []))
        missing = sorted(set(chosen.get("fact_ids", [])) - {f.fact_id for f in facts})
        view = View(
            title=f"Evidence for hook {hook} of lead {lead.id}",
            lines=[short(chosen.get("text"), 200)]
            + ([f"facts no longer stored: {', '.join(missing)}"] if missing else []),
            columns=["fact", "text", "source", "published", "retrieved"],
            rows=[
                [
                    f.fact_id,
                    short(f.text, 80),
                    f.source_url,
                    cell(f.published),
                    f.retrieved_at.date().isoformat(),
                ]
                for f in facts
            ],
        )
        data = {"hook": chosen, "facts": [_fact_data(f) for f in facts], "missing": missing}
        return Outcome(f"Hook {hook} rests on {len(facts)} fact(s).", data, view)

    async def import_leads(self, path: str) -> Outcome:
        """Import a CSV or JSONL lead file: valid rows are kept, bad rows reported."""
        try:
            parsed = await asyncio.to_thread(_read_lead_file, path)
        except LeadFileError as exc:
            raise OperatorError(str(exc)) from None
        ids = await store_leads(self.db, [lead for _, lead in parsed.leads])
        errors: list[dict[str, Any]] = [
            {"row": e.row, "field": e.field, "message": e.message} for e in parsed.errors
        ]
        view = View(
            title=f"Imported {len(ids)} lead(s) from {Path(path).name}"
            + (f"; {len(errors)} row(s) refused:" if errors else ""),
            lines=[f"lead ids: {', '.join(map(str, ids))}"] if ids else [],
            columns=["row", "field", "problem"] if errors else [],
            rows=[[cell(e["row"]), cell(e["field"]), e["message"]] for e in errors],
        )
        data = {"imported": len(ids), "lead_ids": ids, "errors": errors}
        return Outcome(f"Imported {len(ids)} lead(s); {len(errors)} row(s) refused.", data, view)

    async def delete_lead(self, lead_id: int) -> Outcome:
        """Erase a person everywhere (GDPR); only a suppression hash of their address stays."""
        await self._lead(lead_id)
        erasure = await erase_person(self.db, lead_id)
        if erasure is None:
            raise OperatorError(f"there is no lead {lead_id}")
        data = {
            "lead_id": lead_id,
            "erased": True,
            "suppressed_addresses": erasure.suppressed,
            "checkpoint_threads_deleted": len(erasure.threads),
        }
        view = View(
            title=f"Lead {lead_id} erased",
            lines=[
                "Their lead, facts, analyses, messages, events and checkpoints are deleted; "
                f"{erasure.suppressed} address hash(es) stay on the suppression list."
            ],
        )
        return Outcome(f"Lead {lead_id} erased.", data, view)

    # --- runs ----------------------------------------------------------------------------

    async def run_leads(
        self,
        lead_ids: list[int],
        campaign: str,
        *,
        progress: Callable[[ProgressUpdate], None] | None = None,
    ) -> Outcome:
        """Research, analyse, write and critique for the given leads in a campaign.

        progress, if given, hears of each lead as it finishes.
        """
        row = await self._campaign(campaign)
        try:
            check_runnable(row)
        except CampaignNotRunnable as exc:
            raise OperatorError(str(exc)) from None
        wanted = sorted({_check_id(i, "lead") for i in lead_ids})
        if not wanted:
            raise OperatorError("name at least one lead id, e.g. `run 1 2 in Q1`")
        async with self.db.sessions() as session:
            missing = await missing_lead_ids(session, wanted)
        if missing:
            raise OperatorError(f"there are no leads with ids {missing}")
        runs = BackgroundRuns(self.db, self.settings, clock=self.clock)
        on_record = _progress_per_lead(progress, len(wanted)) if progress is not None else None
        try:
            run_id = await runs.start(row, RunRequest(lead_ids=wanted), on_record=on_record)
            await runs.wait(run_id)
        finally:
            await runs.close()
        async with self.db.sessions() as session:
            messages, _ = await list_messages(session, run_id=run_id, limit=len(wanted))
            names = {
                lead.id: lead.name
                for lead in await session.scalars(select(LeadRow).where(LeadRow.id.in_(wanted)))
            }
        data: list[dict[str, Any]] = [
            {
                "message_id": m.id,
                "lead_id": m.lead_id,
                "lead": names.get(m.lead_id),
                "status": m.status,
                "variant": m.selected_variant,
                "quality": m.quality_score,
                "relevance": m.relevance_score,
                "reason": m.reason,
            }
            for m in messages
        ]
        view = View(
            title=f"Run {run_id} in {row.name}",
            columns=["message", "lead", "status", "variant", "quality", "relevance", "reason"],
            rows=[
                [
                    cell(d["message_id"]),
                    cell(d["lead"]),
                    d["status"],
                    cell(d["variant"]),
                    cell(d["quality"]),
                    cell(d["relevance"]),
                    short(d["reason"], 60),
                ]
                for d in data
            ],
        )
        counts = ", ".join(
            f"{sum(d['status'] == s for d in data)} {s}"
            for s in sorted({d["status"] for d in data})
        )
        return Outcome(f"Run {run_id}: {len(data)} lead(s) done ({counts}).", data, view)

    # --- review --------------------------------------------------------------------------

    async def review_queue(self, campaign: str | None = None, limit: int = 20) -> Outcome:
        """List the messages waiting for a human, oldest first (the first `limit`)."""
        name = (await self._campaign(campaign)).name if campaign is not None else None
        limit = max(1, min(limit, MAX_LIST))
        items, total = await pending_page(self.db, campaign=name, limit=limit)
        data: list[dict[str, Any]] = [
            {
                "message_id": i.id,
                "campaign": i.campaign,
                "lead": i.lead,
                "company": i.company,
                "variant": i.selected_variant,
                "quality": i.quality,
                "relevance": i.relevance,
                "reason": i.reason,
            }
            for i in items
        ]
        view = View(
            title="Review queue" + (f" of {name}" if name else ""),
            columns=["message", "lead", "company", "quality", "relevance", "why queued"],
            rows=[
                [
                    cell(d["message_id"]),
                    d["lead"],
                    d["company"],
                    cell(d["quality"]),
                    cell(d["relevance"]),
                    short(d["reason"], 60),
                ]
                for d in data
            ],
            lines=[] if data else ["Nothing waits for review."],
        )
        summary = f"{total} message(s) wait for review."
        if total > len(data):
            view.lines.append(f"{total} wait; the oldest {len(data)} are listed.")
            summary += f" The oldest {len(data)} are listed."
        return Outcome(summary, data, view)

    async def show_message(self, message_id: int) -> Outcome:
        """Show a message's drafts with their critic scores and issues."""
        message, lead, campaign = await self._message(message_id)
        variants = _variants_in_order(message)
        data: dict[str, Any] = {
            "message_id": message.id,
            "campaign": campaign.name,
            "lead": {"id": lead.id, "name": lead.name, "company": lead.company},
            "status": message.status,
            "reason": message.reason,
            "selected_variant": message.selected_variant,
            "variants": [
                {
                    "number": n,
                    "tone": v.get("tone"),
                    "subject": v.get("subject"),
                    "body": v.get("body"),
                    "quality": (v.get("quality") or {}).get("score"),
                    "passed": (v.get("quality") or {}).get("passed"),
                    "issues": (v.get("quality") or {}).get("issues", []),
                }
                for n, v in enumerate(variants, start=1)
            ],
        }
        lines = [
            f"{lead.name} at {lead.company} · campaign {campaign.name} · {message.status}",
            f"why: {message.reason}",
        ]
        for v in data["variants"]:
            mark = "✓" if v["passed"] else "✗"
            lines.append(f"--- variant {v['number']} ({v['tone']}) {mark} {cell(v['quality'])}")
            if v["subject"]:
                lines.append(f"Subject: {v['subject']}")
            lines.extend((v["body"] or "").splitlines())
            lines.extend(f"  issue: {issue}" for issue in v["issues"])
        view = View(title=f"Message {message.id}", lines=lines)
        return Outcome(f"Message {message.id} has {len(variants)} draft(s).", data, view)

    async def explain_decision(self, message_id: int) -> Outcome:
        """Explain a decision: the thresholds, the checks that failed and the facts used."""
        message, lead, campaign = await self._message(message_id)
        settings = campaign_settings(self.settings, campaign)
        variants = _variants_in_order(message)
        chosen = next(
            (v for v in variants if v.get("tone") == message.selected_variant),
            max(variants, key=lambda v: (v.get("quality") or {}).get("score", 0), default=None),
        )
        quality = (chosen or {}).get("quality") or {}
        failed = [c for c in quality.get("checks", []) if not c.get("passed")]
        fact_ids = sorted({i for h in (chosen or {}).get("hooks", []) for i in h["fact_ids"]})
        facts = await self._facts(lead.id, fact_ids)
        thresholds = {
            "auto_send": settings.auto_send,
            "min_quality_to_send": settings.min_quality_to_send,
            "min_relevance_to_send": settings.min_relevance_to_send,
        }
        data = {
            "message_id": message.id,
            "status": message.status,
            "reason": message.reason,
            "variant": (chosen or {}).get("tone"),
            "quality": message.quality_score,
            "relevance": message.relevance_score,
            "thresholds": thresholds,
            "failed_checks": failed,
            "facts_used": [_fact_data(f) for f in facts],
            "reviews": message.reviews,
        }
        lines = [
            f"{message.status}: {message.reason}",
            f"quality {cell(message.quality_score)} (bar {settings.min_quality_to_send:g}) · "
            f"relevance {cell(message.relevance_score)} (bar {settings.min_relevance_to_send:g})"
            f" · auto-send {'on' if settings.auto_send else 'off'}",
        ]
        lines += [
            f"failed check {c['name']}: {c.get('detail', '')}"
            + (f" → {c['fix']}" if c.get("fix") else "")
            for c in failed
        ] or [f"every check passed on variant {(chosen or {}).get('tone')}"]
        lines += [f"review: {r.get('action')} by {r.get('reviewer')}" for r in message.reviews]
        view = View(
            title=f"Why message {message.id} is {message.status}",
            lines=lines,
            columns=["fact used", "text", "source"],
            rows=[[f.fact_id, short(f.text, 80), f.source_url] for f in facts],
        )
        return Outcome(f"Decision on message {message.id} explained.", data, view)

    async def _review(self, message_id: int, action: ReviewAction) -> Outcome:
        await self._message(message_id)
        try:
            result = await act(
                self.settings,
                message_id,
                action,
                db=self.db,
                outbox=SendQueue(),
                record_sends=False,
            )
        except ReviewError as exc:
            raise OperatorError(str(exc)) from None
        return _review_outcome(action, result)

    async def _tone(self, message_id: int, variant: int | str | None) -> Tone | None:
        if variant is None:
            return None
        message, _, _ = await self._message(message_id)
        tones = [v["tone"] for v in _variants_in_order(message)]
        if isinstance(variant, int) or str(variant).isdigit():
            number = int(variant)
            if not 1 <= number <= len(tones):
                raise OperatorError(f"message {message_id} has variants 1 to {len(tones)}")
            return Tone(tones[number - 1])
        if variant not in tones:
            raise OperatorError(f"message {message_id} has no {variant} variant ({tones})")
        return Tone(variant)

    async def approve_message(self, message_id: int, variant: int | str | None = None) -> Outcome:
        """Approve a queued message for sending (it joins the send queue)."""
        tone = await self._tone(message_id, variant)
        action = ReviewAction(action="approve", tone=tone, reviewer=self.reviewer)
        return await self._review(message_id, action)

    async def edit_message(
        self,
        message_id: int,
        body: str,
        variant: int | str | None = None,
        subject: str | None = None,
    ) -> Outcome:
        """Replace a draft's text; the critic checks it and, if it passes, it is approved."""
        tone = await self._tone(message_id, variant)
        action = ReviewAction(
            action="edit", tone=tone, body=body, subject=subject, reviewer=self.reviewer
        )
        return await self._review(message_id, action)

    async def reject_message(self, message_id: int, reason: str) -> Outcome:
        """Reject a queued message: nothing is sent to this lead in this run."""
        action = ReviewAction(action="reject", reason=reason, reviewer=self.reviewer)
        return await self._review(message_id, action)

    async def regenerate_message(self, message_id: int, instruction: str) -> Outcome:
        """Have the writer redo the drafts with an instruction; they are critiqued again."""
        action = ReviewAction(action="regenerate", instruction=instruction, reviewer=self.reviewer)
        return await self._review(message_id, action)

    # --- sending -------------------------------------------------------------------------

    async def send_campaign(self, campaign: str) -> Outcome:
        """Activate a campaign and send its approved messages, as the sending limits allow."""
        row = await self._campaign(campaign)
        dispatcher = Dispatcher(
            self.db, self.settings, build_email_provider(self.settings), clock=self.clock
        )
        try:
            report = await dispatcher.send_campaign(row.id)
        except (LookupError, CampaignNotSendable, CampaignConflict) as exc:
            raise OperatorError(str(exc)) from None
        data = {
            "campaign": row.name,
            "provider": dispatcher.provider.name,
            "sent": report.sent,
            "scheduled": {k: v.isoformat() for k, v in report.scheduled.items()},
            "suppressed": report.suppressed,
            "stopped": report.stopped,
            "failed": report.failed,
        }
        lines = [
            f"sent {len(report.sent)} · scheduled {len(report.scheduled)} · suppressed "
            f"{len(report.suppressed)} · stopped {len(report.stopped)} · failed "
            f"{len(report.failed)} (provider: {dispatcher.provider.name})"
        ]
        if report.next_send_at:
            lines.append(f"next send due at {report.next_send_at:%Y-%m-%d %H:%M} UTC")
        lines += [f"message {k} failed: {v}" for k, v in report.failed.items()]
        view = View(title=f"Sent campaign {row.name}", lines=lines)
        return Outcome(f"Campaign {row.name}: {len(report.sent)} sent.", data, view)


def _progress_per_lead(
    progress: Callable[[ProgressUpdate], None], total: int
) -> Callable[[dict[str, Any]], None]:
    """Turn a run's stored lead records into progress updates, counting them."""
    finished = 0

    def lead_done(record: dict[str, Any]) -> None:
        nonlocal finished
        finished += 1
        name = record["lead"].get("name") or f"lead {record['row']}"
        progress(ProgressUpdate(finished, total, str(name), str(record["decision"])))

    return lead_done


def _read_campaign_file(path: str, name: str | None) -> Campaign:
    return load_campaign(Path(path).expanduser(), name=name)


def _read_lead_file(path: str) -> LeadFile:
    return read_leads(Path(path).expanduser())


def _fact_data(fact: FactRow) -> dict[str, Any]:
    return {
        "id": fact.fact_id,
        "kind": fact.kind,
        "text": fact.text,
        "title": fact.title,
        "source_url": fact.source_url,
        "published": fact.published.isoformat() if fact.published else None,
        "retrieved_at": fact.retrieved_at.isoformat(),
    }


def _review_outcome(action: ReviewAction, result: ReviewResult) -> Outcome:
    data = {
        "message_id": result.message_id,
        "action": action.action,
        "status": result.status,
        "reason": result.reason,
        "feedback": result.feedback,
    }
    lines = [f"message {result.message_id} is now {result.status}: {result.reason}"]
    if result.feedback:
        lines.append(f"not applied: {result.feedback}")
    view = View(title=f"{action.action.capitalize()} message {result.message_id}", lines=lines)
    return Outcome(f"Message {result.message_id} is now {result.status}.", data, view)
