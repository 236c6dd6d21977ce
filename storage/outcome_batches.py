"""Store many leads' outcomes in one transaction, with a few statements for the whole batch.

A run's leads finish side by side, and storing each alone costs some twenty statements and
four flushes. The common case, a lead's first outcome in the campaign, is written here for
the batch at once: one read for the threads, one for the leads, one per table to write. Any
other case (a retried lead, a lead that already has a message in the campaign, two records of
one person in the batch) goes through `save_outcome` one by one, so both ways store the same.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.leads import new_lead_row, normalize_email, write_lead_fields
from storage.messages import FIRST_STEP, current_messages
from storage.models import (
    AnalysisRow,
    CampaignRow,
    FactRow,
    LeadRow,
    MessageRow,
    VariantStatRow,
)
from storage.outcomes import (
    fact_values,
    message_fields,
    note_outcome,
    replace_facts,
    save_outcome,
    sent_in,
    tone_rollups,
)
from storage.runs import count_outcomes, model_calls_of


@dataclass
class _First:
    """A record that is its lead's first outcome in the campaign, and the lead's stored row
    (None for a new lead; the record carries no lead at all when its row was bad input)."""

    record: dict[str, Any]
    lead: LeadRow | None


def _input_error(record: dict[str, Any]) -> bool:
    return any(error["stage"] == "input" for error in record.get("errors", []))


async def save_outcomes(
    session: AsyncSession,
    *,
    run_id: str,
    campaign: CampaignRow,
    records: list[dict[str, Any]],
    step: int = FIRST_STEP,
) -> None:
    """Persist result records as `save_outcome` would, one after another."""
    first, others = await _sort_out(session, campaign_id=campaign.id, records=records, step=step)
    for record in others:
        await save_outcome(session, run_id=run_id, campaign=campaign, record=record, step=step)
    if first:
        await _save_first(session, run_id=run_id, campaign=campaign, first=first, step=step)


async def _sort_out(
    session: AsyncSession, *, campaign_id: int, records: list[dict[str, Any]], step: int
) -> tuple[list[_First], list[dict[str, Any]]]:
    """Split records into first outcomes (written together) and the rest (one by one)."""
    threads = Counter(r["thread_id"] for r in records if r.get("thread_id"))
    stored_threads = (
        set(
            await session.scalars(
                select(MessageRow.thread_id).where(MessageRow.thread_id.in_(list(threads)))
            )
        )
        if threads
        else set()
    )
    people = [r for r in records if not _input_error(r)]
    by_id = await _leads_where(
        session, LeadRow.id, {r["lead_id"] for r in people if r.get("lead_id") is not None}
    )
    by_email = await _leads_where(
        session,
        LeadRow.email_normalized,
        # An address of only spaces is none, as upsert_lead reads it.
        {email for r in people if (email := normalize_email(r["lead"].get("email")))},
    )

    def stored_lead(record: dict[str, Any]) -> LeadRow | None:  # as upsert_lead finds it
        lead_id = record.get("lead_id")
        row = by_id.get(lead_id) if lead_id is not None else None
        return row or by_email.get(normalize_email(record["lead"].get("email")))

    def person(record: dict[str, Any]) -> tuple[str, object] | None:
        row = stored_lead(record)
        email = normalize_email(record["lead"].get("email"))
        return ("row", row.id) if row else (("email", email) if email else None)

    seen = Counter(key for key in map(person, people) if key is not None)
    leads = {id(r): stored_lead(r) for r in people}
    with_message = await current_messages(
        session,
        campaign_id=campaign_id,
        lead_ids=[row.id for row in leads.values() if row is not None],
        step=step,
    )
    first: list[_First] = []
    others: list[dict[str, Any]] = []
    for record in records:
        thread = record.get("thread_id")
        if thread and (threads[thread] > 1 or thread in stored_threads):
            others.append(record)  # stored before (a retry), or twice in this batch
        elif _input_error(record):
            first.append(_First(record, None))
        else:
            key, row = person(record), leads[id(record)]
            if (key is not None and seen[key] > 1) or (row is not None and row.id in with_message):
                others.append(record)  # one person twice, or a message in the campaign
            else:
                first.append(_First(record, row))
    return first, others


async def _leads_where(session: AsyncSession, column: Any, values: set[Any]) -> dict[Any, LeadRow]:
    if not values:
        return {}
    rows = await session.scalars(select(LeadRow).where(column.in_(list(values))))
    return {row.id if column is LeadRow.id else row.email_normalized: row for row in rows}


async def _save_first(
    session: AsyncSession, *, run_id: str, campaign: CampaignRow, first: list[_First], step: int
) -> None:
    """Write first outcomes: counted in the run, their leads, facts, analyses and messages."""
    await count_outcomes(
        session,
        run_id=run_id,
        outcomes=[
            (
                item.record["decision"],
                item.record.get("thread_id"),
                model_calls_of(item.record.get("usage")),
            )
            for item in first
        ],
    )
    stored = [item for item in first if not _input_error(item.record)]
    if not stored:
        return
    kept = await replace_facts(session, [i.lead.id for i in stored if i.lead is not None])
    rows: list[LeadRow] = []
    for item in stored:
        row = item.lead
        if row is None:
            row = new_lead_row(item.record["lead"])
            session.add(row)
        else:
            write_lead_fields(row, item.record["lead"])
        note_outcome(row, item.record["decision"])
        rows.append(row)
    await session.flush()  # the new leads' ids
    facts = [
        values
        for item, row in zip(stored, rows, strict=True)
        for values in fact_values(row.id, item.record, kept=kept.get(row.id, ()))
    ]
    if facts:
        # NULLs written as such: rows with and without a title or date are one statement,
        # not one per set of keys given (the columns have no server default to fall back on).
        await session.execute(insert(FactRow).execution_options(render_nulls=True), facts)
    analyses = [
        {
            "lead_id": row.id,
            "run_id": run_id,
            "relevance_score": item.record["analysis"]["relevance_score"],
            "data": item.record["analysis"],
        }
        for item, row in zip(stored, rows, strict=True)
        if item.record.get("analysis")
    ]
    if analyses:
        await session.execute(insert(AnalysisRow), analyses)
    messages = [
        MessageRow(
            campaign_id=campaign.id,
            lead_id=row.id,
            run_id=run_id,
            source_row=item.record["lead"].get("source"),
            thread_id=item.record.get("thread_id"),
            sequence_step=step,
            **message_fields(item.record, {}),
        )
        for item, row in zip(stored, rows, strict=True)
    ]
    session.add_all(messages)
    records = [item.record for item in stored]
    campaign.total_messages += len(messages)
    campaign.messages_sent += sum(r["decision"] == "sent" for r in records)
    campaign.total_cost_usd += sum((r.get("usage") or {}).get("cost_usd", 0.0) for r in records)
    variants = [
        (message, record, variant)
        for message, record in zip(messages, records, strict=True)
        for variant in record.get("variants", [])
    ]
    rollups = await tone_rollups(session, campaign.id, [v["tone"] for _, _, v in variants])
    await session.flush()  # the messages' ids, for their variants' counters
    stats = []
    for message, record, variant in variants:
        sent = sent_in(record, variant["tone"])
        stats.append({"message_id": message.id, "tone": variant["tone"], "sent": sent})
        rollups[variant["tone"]].sent += sent
    if stats:
        await session.execute(insert(VariantStatRow), stats)
