"""Store one lead's outcome: its facts, analysis, drafts, decision and what it cost."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any, TypeVar

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.leads import upsert_lead
from storage.messages import FIRST_STEP, current_message, is_rewritable
from storage.models import (
    AnalysisRow,
    CampaignRow,
    CampaignToneStatRow,
    FactRow,
    LeadRow,
    MessageRow,
    RunRow,
    VariantStatRow,
)
from storage.runs import (
    count_outcome,
    is_held,
    model_calls_of,
    recount_outcome,
    stored_model_calls,
)

Row = TypeVar("Row", VariantStatRow, CampaignToneStatRow)

# Record decisions map onto message statuses; "sent" stays "sent" until a provider confirms.
STATUS_OF_DECISION = {
    "sent": "sent",
    "approved": "approved",
    "queued": "queued",
    "rejected": "rejected",
}


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def generation_of(record: dict[str, Any]) -> dict[str, Any]:
    """Return how a record's drafts were made: prompts, models, calls, attempts, errors and the
    language they were written in."""
    usage = record.get("usage") or {}
    return {
        "prompts": record.get("prompts", {}),
        "models": usage.get("models", []),
        "calls": usage.get("calls", []),
        "attempts": record.get("attempts", 0),
        "errors": record.get("errors", []),
        # The language the drafts were written in, and why (set by runs that chose one).
        **{key: record[key] for key in ("language", "language_reason") if record.get(key)},
    }


def message_fields(record: dict[str, Any], history: dict[str, Any]) -> dict[str, Any]:
    """Return a stored message's columns for a result record (and the versions it replaced)."""
    usage = record.get("usage") or {}
    delivery = record.get("delivery") or {}
    return {
        "variants": record.get("variants", []),
        "selected_variant": record.get("selected_variant"),
        "status": STATUS_OF_DECISION[record["decision"]],
        "reason": record["reason"],
        "quality_score": (record.get("quality") or {}).get("score"),
        "relevance_score": record.get("relevance"),
        "generation": {
            "latency_ms": record.get("latency_ms"),
            "provider": record.get("provider"),
            **generation_of(record),
            **history,
        },
        "input_tokens": usage.get("input_tokens", 0),
        "output_tokens": usage.get("output_tokens", 0),
        "cost_usd": usage.get("cost_usd", 0.0),
        "provider_message_id": delivery.get("message_id"),
        "idempotency_key": delivery.get("idempotency_key"),
        "sent_at": dt.datetime.now(dt.UTC) if record["decision"] == "sent" else None,
    }


def fact_values(
    lead_id: int, record: dict[str, Any], *, kept: Collection[str] = ()
) -> list[dict[str, Any]]:
    """Return the fact rows a record's research adds to a lead (those learnt from replies,
    `kept`, stay as they are)."""
    return [
        {
            "lead_id": lead_id,
            "fact_id": fact["id"],
            "kind": fact["kind"],
            "text": fact["text"],
            "title": fact.get("title"),
            "source_url": fact["source_url"],
            "tool": fact["tool"],
            "published": _date(fact.get("published")),
            "retrieved_at": dt.datetime.fromisoformat(fact["retrieved_at"]),
            "attributes": fact.get("attributes") or {},
        }
        for fact in record.get("facts", [])
        if fact["id"] not in kept
    ]


async def counters_row(session: AsyncSession, model: type[Row], **key: Any) -> Row:
    """Return a counters row by its key, created at zero on first use.

    A new row is flushed at once, so the next lookup in this session finds it in the identity
    map even with autoflush off (as when a batch of events is applied).
    """
    row = await session.get(model, tuple(key.values()))
    if row is None:
        row = model(**key, sent=0)
        session.add(row)
        await session.flush()
    return row


async def tone_rollup(session: AsyncSession, campaign_id: int, tone: str) -> CampaignToneStatRow:
    """Return the campaign's totals row for a tone, created at zero on first use."""
    return await counters_row(session, CampaignToneStatRow, campaign_id=campaign_id, tone=tone)


async def count_send(session: AsyncSession, message: MessageRow, tone: str) -> None:
    """Count a message that went out: its variant, the campaign's rollup and its total.

    The campaign row is locked (and read afresh) before its totals are read: workers sending
    from one campaign at once each add to the other's count instead of overwriting it.
    """
    campaign = await session.get(
        CampaignRow,
        message.campaign_id,
        with_for_update={"key_share": True},
        populate_existing=True,
    )
    (await counters_row(session, VariantStatRow, message_id=message.id, tone=tone)).sent += 1
    (await tone_rollup(session, message.campaign_id, tone)).sent += 1
    if campaign is not None:
        campaign.messages_sent += 1


HISTORY_MAX = 20
"""How many earlier versions of a rewritten message it keeps (their drafts and outcome)."""


def _history_entry(message: MessageRow) -> dict[str, Any]:
    return {
        "run_id": message.run_id,
        "thread_id": message.thread_id,
        "status": message.status,
        "reason": message.reason,
        "selected_variant": message.selected_variant,
        "variants": message.variants,
        "quality_score": message.quality_score,
        "relevance_score": message.relevance_score,
        "version": message.version,
        "replaced_at": dt.datetime.now(dt.UTC).isoformat(),
    }


async def _started_later(session: AsyncSession, run_id: str, *, than: str) -> bool:
    """Tell whether run_id started after `than` (a resumed older run keeps newer drafts)."""
    started = dict(
        (
            await session.execute(
                select(RunRow.id, RunRow.started_at).where(RunRow.id.in_([run_id, than]))
            )
        ).all()
    )
    return bool(run_id in started and than in started and started[run_id] > started[than])


def _history(message: MessageRow | None, *, moved: bool) -> dict[str, Any]:
    """Return the generation.history a stored message carries on: earlier versions of it."""
    if message is None:
        return {}
    history = list((message.generation or {}).get("history") or [])
    if moved:
        history.append(_history_entry(message))
    return {"history": history[-HISTORY_MAX:]} if history else {}


KEPT_FACT_TOOL = "reply"
"""Facts learnt from a reply, which a step's outcome never replaces."""
ENDED_CONVERSATION = (
    "replied", "interested", "meeting_booked", "won", "lost", "unsubscribed", "complained",
    "bounced",
)  # fmt: skip
"""Lead statuses that a later message's outcome must not hide (the person answered or left);
`interested` is a reply the classifier read as interest, a meeting request or a question;
meeting_booked, won and lost are set by people (storage/reply_outcomes.py's stages)."""


def note_outcome(lead: LeadRow, decision: str) -> None:
    """Set a lead's status to its latest outcome; a reply or an opt-out is not written over."""
    if lead.status not in ENDED_CONVERSATION:
        lead.status = decision


def sent_in(record: dict[str, Any], tone: str) -> int:
    """Return 1 if the record's message went out in this tone, else 0 (a variant's count)."""
    return int(record["decision"] == "sent" and tone == record["selected_variant"])


async def save_outcome(
    session: AsyncSession,
    *,
    run_id: str,
    campaign: CampaignRow,
    record: dict[str, Any],
    step: int = FIRST_STEP,
) -> MessageRow | None:
    """Persist a result record (the JSONL export shape); input errors store no message.

    `step` is the message's place in the campaign's sequence (0: the first message).

    A record for a thread already stored replaces it only while that message is held (its
    pipeline failed and no one has acted on it since): a retried lead is counted once.

    A lead has one current message per campaign (and sequence step). A record for a lead whose
    message another run wrote rewrites that message in place while it is rewritable (queued or
    rejected, never sent): it moves to this run with the new drafts, keeping its id, reviews
    and, in generation.history, what it said before. A settled message (approved, sent,
    reviewing, ...), one this run already stored, or one a later run wrote (an older run
    resumed) is kept as it is; the record is counted as processed and nothing else.
    """
    thread = record.get("thread_id")
    existing = (
        await session.scalar(select(MessageRow).where(MessageRow.thread_id == thread))
        if thread
        else None
    )
    if existing is not None and not is_held(existing):
        return existing  # stored and perhaps acted on since: kept as it is, nothing twice
    input_error = any(error["stage"] == "input" for error in record.get("errors", []))
    lead = (
        None
        if input_error
        else await upsert_lead(session, lead=record["lead"], lead_id=record.get("lead_id"))
    )
    replacing = existing
    calls = model_calls_of(record.get("usage"))  # made whatever becomes of the drafts
    if existing is None and lead is not None:
        current = await current_message(
            session, campaign_id=campaign.id, lead_id=lead.id, step=step
        )
        if current is not None and (
            current.run_id == run_id
            or not is_rewritable(current)
            or await _started_later(session, current.run_id, than=run_id)
        ):
            await count_outcome(session, run_id=run_id, decision="kept", thread=thread, calls=calls)
            return current  # the lead's message in this campaign stands
        replacing = current
    decision = record["decision"]
    # A held lead retried is counted afresh when its run took it out of the count to rerun it
    # (storage/runs.py uncount_held), and moved from queued to its outcome otherwise.
    counted = await count_outcome(
        session, run_id=run_id, decision=decision, thread=thread, calls=calls
    )
    if existing is not None and not counted:
        await recount_outcome(
            session,
            run_id=run_id,
            was=existing.status,
            now=decision,
            more_calls=calls - stored_model_calls(existing),
        )
    if lead is None:
        return None  # a row that never became a lead: counted in the run, nothing to keep
    # What research found is replaced; what a reply told us (a referral) is kept: a failed
    # step's record carries no facts, and the referral exists nowhere else.
    kept = (await replace_facts(session, [lead.id]))[lead.id]
    for values in fact_values(lead.id, record, kept=kept):
        session.add(FactRow(**values))
    analysis = record.get("analysis")
    if replacing is not None:
        await session.execute(
            delete(AnalysisRow).where(AnalysisRow.lead_id == lead.id, AnalysisRow.run_id == run_id)
        )
        await session.execute(
            delete(VariantStatRow).where(VariantStatRow.message_id == replacing.id)
        )
    if analysis:
        session.add(
            AnalysisRow(
                lead_id=lead.id,
                run_id=run_id,
                relevance_score=analysis["relevance_score"],
                data=analysis,
            )
        )
    usage = record.get("usage") or {}
    fields = message_fields(
        record, _history(replacing, moved=replacing is not None and replacing is not existing)
    )
    # Every change to the campaign row before the one flush, so it is one UPDATE.
    campaign.messages_sent += 1 if record["decision"] == "sent" else 0
    campaign.total_cost_usd += usage.get("cost_usd", 0.0)
    note_outcome(lead, record["decision"])
    if replacing is None:
        message = MessageRow(
            campaign_id=campaign.id,
            lead_id=lead.id,
            run_id=run_id,
            source_row=record["lead"].get("source"),
            thread_id=thread,
            sequence_step=step,
            **fields,
        )
        session.add(message)
        campaign.total_messages += 1
    else:
        message = replacing
        if replacing is not existing:  # another run's message, rewritten by this one
            fields.update(
                run_id=run_id,
                thread_id=thread,
                source_row=record["lead"].get("source"),
                scheduled_for=None,
                delivery_error=None,
                mailbox=None,
                recipient_domain=None,
                email_message_id=None,
            )
        for name, value in fields.items():
            setattr(message, name, value)
        message.version += 1
    variants = record.get("variants", [])
    rollups = await tone_rollups(session, campaign.id, [v["tone"] for v in variants])
    await session.flush()  # the message's id, for its variants' counters
    for variant in variants:
        sent = sent_in(record, variant["tone"])
        session.add(VariantStatRow(message_id=message.id, tone=variant["tone"], sent=sent))
        rollups[variant["tone"]].sent += sent
    return message


async def replace_facts(session: AsyncSession, lead_ids: Collection[int]) -> dict[int, set[str]]:
    """Delete these leads' researched facts; return, per lead, the ids of those kept (learnt
    from replies).

    One read, and a delete only when there is something to delete (a new lead has nothing).
    """
    kept: dict[int, set[str]] = {lead_id: set() for lead_id in lead_ids}
    if not kept:
        return kept
    stored = (
        await session.execute(
            select(FactRow.lead_id, FactRow.fact_id, FactRow.tool).where(
                FactRow.lead_id.in_(list(kept))
            )
        )
    ).all()
    replaced = {lead_id for lead_id, _, tool in stored if tool != KEPT_FACT_TOOL}
    if replaced:
        await session.execute(
            delete(FactRow).where(
                FactRow.lead_id.in_(sorted(replaced)), FactRow.tool != KEPT_FACT_TOOL
            )
        )
    for lead_id, fact_id, tool in stored:
        if tool == KEPT_FACT_TOOL:
            kept[lead_id].add(fact_id)
    return kept


async def tone_rollups(
    session: AsyncSession, campaign_id: int, tones: list[str]
) -> dict[str, CampaignToneStatRow]:
    """Return the campaign's totals rows for these tones in one read, adding missing ones."""
    if not tones:
        return {}
    found = {
        row.tone: row
        for row in await session.scalars(
            select(CampaignToneStatRow).where(
                CampaignToneStatRow.campaign_id == campaign_id,
                CampaignToneStatRow.tone.in_(set(tones)),
            )
        )
    }
    for tone in tones:
        if tone not in found:
            found[tone] = CampaignToneStatRow(campaign_id=campaign_id, tone=tone, sent=0)
            session.add(found[tone])
    return found
