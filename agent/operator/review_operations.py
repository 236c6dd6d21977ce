"""The operator's review operations: the queue, a message's drafts, why it was decided, verdicts."""

from __future__ import annotations

from typing import Any

from agent.campaigns.stored import campaign_settings
from agent.operator.operations_base import OperationsBase, fact_data
from agent.operator.views import MAX_LIST, OperatorError, Outcome, View, cell, short
from agent.review.queue import ReviewError, ReviewResult, act, pending_page
from graphs.drafts import Tone, tone_rank
from graphs.review_log import ReviewAction
from storage.models import MessageRow
from tools.delivery.send_queue import SendQueue


def _variants_in_order(message: MessageRow) -> list[dict[str, Any]]:
    """Return a message's drafts in the order people number them (1 professional ... 3 direct)."""
    return sorted(message.variants, key=lambda v: tone_rank(v.get("tone")))


class ReviewOperations(OperationsBase):
    """Show what waits for review and why, and approve, edit, reject or regenerate it."""

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
            "facts_used": [fact_data(f) for f in facts],
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
