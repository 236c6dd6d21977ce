"""What a step is written from: the lead, the campaign on the step's channel, the thread so far
and the facts earlier research found."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from agent.campaigns.stored import campaign_pins, spec_of
from agent.runs.background import lead_from_row
from agent.sequences.definition import PRESETS, SequenceDefinition
from graphs.lead import Campaign, Lead
from graphs.sequence_turn import EarlierMessage, SequenceTurn, StepChannel, StepKind
from storage.leads import lead_facts
from storage.models import CampaignRow, FactRow, LeadRow, MessageRow
from storage.sequence_models import SequenceStepRow
from storage.sequences import steps_of_lead
from tools.facts import Fact

log = logging.getLogger("outreach.sequences")

SPOKEN_STEPS = ("sent", "done")
"""Step statuses whose message reached the person (sent, or done by hand on LinkedIn)."""


@dataclass(frozen=True)
class StepInput:
    """Everything the pipeline needs to write one step."""

    lead: Lead
    campaign: Campaign
    turn: SequenceTurn
    known_facts: list[Fact]
    prompt_pins: dict[str, str] = field(default_factory=dict)
    """The prompt versions the campaign pins (its `prompt_versions`), for every step."""


def sequence_of(campaign: CampaignRow, preset: str | None = None) -> SequenceDefinition:
    """Return the sequence a lead follows: its enrolment's `preset` (a segment's own, given by
    a weekly plan), else the campaign's; raise LookupError when there is neither."""
    if preset is not None:
        steps = PRESETS.get(preset)
        if steps is not None:
            return SequenceDefinition(steps=steps, preset=preset)
        # Only an edited row holds an unknown name (enrolling refuses one): keep sending.
        log.warning(
            "an enrolment in campaign %r follows an unknown sequence %r; the campaign's "
            "sequence is used instead",
            campaign.name,
            preset[:80],
        )
    sequence = spec_of(campaign).sequence
    if sequence is None:
        raise LookupError(f"campaign {campaign.name!r} has no sequence")
    return sequence


def step_hours(
    campaign: CampaignRow, number: int, preset: str | None = None
) -> tuple[dt.time, dt.time] | None:
    """Return step `number`'s send window in the lead's sequence (`preset`, its enrolment's,
    else the campaign's), or None when that sequence no longer has the step (it was edited or
    removed since the step was scheduled)."""
    try:
        return sequence_of(campaign, preset).step(number).hours
    except (LookupError, IndexError):
        return None


def step_campaign(campaign: CampaignRow, channel: StepChannel) -> Campaign:
    """Return the pipeline campaign for a step's channel (CampaignNeedsPitch without a pitch)."""
    base = spec_of(campaign).pipeline_campaign()
    written_for = channel.message_channel
    update: dict[str, object] = {"channel": written_for or base.channel}
    if channel is StepChannel.LINKEDIN_CONNECT:
        update["linkedin_format"] = "connection_note"
    elif channel is StepChannel.LINKEDIN_MESSAGE:
        update["linkedin_format"] = "message"
    return base.model_copy(update=update)


def fact_of(row: FactRow) -> Fact:
    """Return the pipeline's fact for a stored one."""
    return Fact(
        id=row.fact_id,
        kind=row.kind,  # type: ignore[arg-type]
        text=row.text,
        title=row.title,
        source_url=row.source_url,
        tool=row.tool,
        published=row.published,
        retrieved_at=row.retrieved_at,
        attributes=row.attributes or {},
    )


def earlier_message(step: SequenceStepRow, message: MessageRow) -> EarlierMessage | None:
    """Return what the person saw of an earlier step, or None if nothing was chosen."""
    chosen = next(
        (v for v in message.variants or [] if v.get("tone") == message.selected_variant), None
    )
    if chosen is None:
        return None
    hooks = chosen.get("hooks") or []
    return EarlierMessage(
        step=step.step,
        kind=StepKind(step.kind),
        channel=StepChannel(step.channel),
        subject=chosen.get("subject"),
        body=chosen.get("body") or "",
        hooks=[str(h.get("text", "")) for h in hooks],
        fact_ids=[str(i) for h in hooks for i in h.get("fact_ids") or []],
        sent_at=message.sent_at or step.finished_at,
    )


async def step_input(
    session: AsyncSession, step: SequenceStepRow, sequence: SequenceDefinition
) -> StepInput:
    """Assemble the step's lead, campaign, turn (with the thread) and known facts."""
    campaign = await session.get(CampaignRow, step.campaign_id)
    lead_row = await session.get(LeadRow, step.lead_id)
    assert campaign is not None and lead_row is not None
    earlier: list[EarlierMessage] = []
    for before in await steps_of_lead(session, enrollment_id=step.enrollment_id, before=step.step):
        if before.status not in SPOKEN_STEPS or before.message_id is None:
            continue
        message = await session.get(MessageRow, before.message_id)
        seen = earlier_message(before, message) if message is not None else None
        if seen is not None:
            earlier.append(seen)
    channel = StepChannel(step.channel)
    turn = SequenceTurn(
        step=step.step,
        kind=StepKind(step.kind),
        channel=channel,
        earlier=earlier,
        is_last=step.step == len(sequence.steps),
    )
    facts = [fact_of(row) for row in await lead_facts(session, lead_id=lead_row.id)]
    return StepInput(
        lead=lead_from_row(lead_row),
        campaign=step_campaign(campaign, channel),
        turn=turn,
        known_facts=facts,
        prompt_pins=campaign_pins(campaign),
    )
