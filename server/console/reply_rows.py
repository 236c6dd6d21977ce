"""Inbound replies as the console's inbox lists them, newest first, with their drafted answers.

The inbound path (agent/replies/inbound.py) records each reply as an event on the message it
answers, with the classifier's verdict (intent, intent_reason...) and what was done about it
(`actions`) flat on the payload. No storage read lists those events across leads (the API
shows them per lead), so this adapter reads them; a hot reply's draft answer is the task named
in its actions ("a draft answer waits for a person: task N").
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.sql.elements import ColumnElement

from storage.database import Database
from storage.models import CampaignRow, EventRow, LeadRow, MessageRow
from storage.sequence_models import TaskRow
from storage.tasks import as_utc
from tools.replies import Intent

PAGE_SIZE = 50
REPLY_EVENTS = ("replied", "auto_reply", "bounced", "unsubscribed")
"""The events a classified reply records (agent/replies/reply_verdicts.py KINDS)."""
INTENTS = tuple(str(intent) for intent in Intent)
SHOWN_CHARS = 280
"""Characters of a reply shown before its "more" disclosure."""
_ANSWER_TASK = re.compile(r"a draft answer waits for a person: task (\d{1,10})\b")


@dataclass(frozen=True)
class ReplyLine:
    """One inbound reply: who sent it, what the classifier read and what was done."""

    id: int
    occurred_at: dt.datetime
    kind: str
    message_id: int
    lead_id: int
    lead: str
    company: str
    campaign_id: int
    campaign: str
    subject: str
    text: str
    intent: str
    reason: str
    evidence: str
    """The words the verdict rests on (or, for an unsure one, why a person should read it)."""
    confidence: float | None
    layer: str
    """Which part of the classifier decided: headers, rules or the model."""
    needs_person: bool
    actions: list[str]
    answer: TaskRow | None
    """The draft answer's task, when the reply was hot enough for one."""

    @property
    def shown(self) -> str:
        """The start of the reply, what the inbox shows before "more"."""
        return self.text[:SHOWN_CHARS]

    @property
    def rest(self) -> str:
        """The rest of the reply, behind its "more" disclosure."""
        return self.text[SHOWN_CHARS:]


@dataclass(frozen=True)
class ReplyPage:
    """One page of the inbox."""

    lines: list[ReplyLine]
    total: int
    page: int

    @property
    def pages(self) -> int:
        """How many pages the inbox fills (at least one)."""
        return max(1, -(-self.total // PAGE_SIZE))


def _filters(intent: str | None, campaign_id: int | None) -> list[ColumnElement[bool]]:
    intent_of = EventRow.payload["intent"].as_string()
    conditions = [EventRow.type.in_(REPLY_EVENTS), intent_of.is_not(None)]
    if intent is not None:
        conditions.append(intent_of == intent)
    if campaign_id is not None:
        conditions.append(EventRow.campaign_id == campaign_id)
    return conditions


def answer_task_id(actions: list[str]) -> int | None:
    """Return the id of the draft answer's task named among a reply's actions, if any."""
    for action in actions:
        found = _ANSWER_TASK.search(action)
        if found:
            return int(found.group(1))
    return None


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


async def reply_page(
    db: Database, *, page: int, intent: str | None = None, campaign_id: int | None = None
) -> ReplyPage:
    """Return page `page` (from 1) of the inbound replies, newest first."""
    conditions = _filters(intent, campaign_id)
    async with db.sessions() as session:
        total = int(await session.scalar(select(func.count(EventRow.id)).where(*conditions)) or 0)
        found = (
            await session.execute(
                select(EventRow, MessageRow.lead_id, LeadRow.name, LeadRow.company, CampaignRow)
                .join(MessageRow, MessageRow.id == EventRow.message_id)
                .join(LeadRow, LeadRow.id == MessageRow.lead_id)
                .join(CampaignRow, CampaignRow.id == MessageRow.campaign_id)
                .where(*conditions)
                .order_by(EventRow.occurred_at.desc(), EventRow.id.desc())
                .limit(PAGE_SIZE)
                .offset((page - 1) * PAGE_SIZE)
            )
        ).all()
        actions_of = {event.id: _actions(event.payload) for event, *_ in found}
        task_ids = [t for t in map(answer_task_id, actions_of.values()) if t is not None]
        tasks = {
            row.id: row
            for row in await session.scalars(select(TaskRow).where(TaskRow.id.in_(task_ids)))
        }
    lines = []
    for event, lead_id, name, company, campaign in found:
        payload, actions = event.payload or {}, actions_of[event.id]
        task_id = answer_task_id(actions)
        lines.append(
            ReplyLine(
                id=event.id,
                occurred_at=as_utc(event.occurred_at),
                kind=event.type,
                message_id=event.message_id or 0,  # the join found its message
                lead_id=lead_id,
                lead=name,
                company=company or "",
                campaign_id=campaign.id,
                campaign=campaign.name,
                subject=_text(payload.get("subject")),
                text=_text(payload.get("snippet")),
                intent=_text(payload.get("intent")),
                reason=_text(payload.get("intent_reason")),
                evidence=_text(payload.get("evidence")),
                confidence=_number(payload.get("confidence")),
                layer=_text(payload.get("layer")),
                needs_person=bool(payload.get("needs_person")),
                actions=actions,
                answer=tasks.get(task_id) if task_id is not None else None,
            )
        )
    return ReplyPage(lines=lines, total=total, page=page)


def _actions(payload: dict[str, Any] | None) -> list[str]:
    found = (payload or {}).get("actions")
    return [a for a in found if isinstance(a, str) and a] if isinstance(found, list) else []


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
