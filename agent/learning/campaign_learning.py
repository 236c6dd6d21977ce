"""A campaign's learning read from storage: its recent approved edits as examples, the
phrasings they agree on, and its outcomes per segment, hook kind and tone, since its reset."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import asdict, dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from agent.campaigns.campaign_reads import CampaignReads
from agent.learning.phrasings import learned_style
from graphs.learned import EXAMPLE_CHARS, AngleOdds, EditExample, Learning
from storage.learning import StoredEdit, campaign_edits, reset_marker
from storage.learning_outcomes import angle_outcomes
from storage.models import CampaignRow

PRIOR = (1.0, 9.0)
"""Beta prior over a positive-reply rate: one in ten, worth ten sends of evidence."""


def _bounded(text: str) -> str:
    """Cut a draft to what an example carries, marking the cut."""
    return text if len(text) <= EXAMPLE_CHARS else text[: EXAMPLE_CHARS - 1] + "…"


def _shown(subject: str | None, body: str) -> str:
    return _bounded(f"Subject: {subject}\n\n{body}" if subject else body)


def as_example(edit: StoredEdit) -> EditExample:
    """Return an edit as the writer sees it: the draft before and after, length-bounded."""
    return EditExample(
        message_id=edit.message_id,
        tone=edit.tone,
        segment=edit.segment,
        before=_shown(edit.before_subject, edit.before_body),
        after=_shown(edit.after_subject, edit.after_body),
    )


async def campaign_learning(session: AsyncSession, campaign: CampaignRow) -> Learning:
    """Return what the campaign has learned since its last reset (empty after a reset)."""
    marker = reset_marker(campaign)
    edits = await campaign_edits(session, campaign_id=campaign.id, since=marker)
    odds = await angle_outcomes(session, campaign_id=campaign.id, since=marker)
    return Learning(
        campaign=campaign.name,
        since=marker.at.isoformat() if marker else None,
        # Several edits of one message count once as an example: its latest.
        examples=[as_example(e) for e in _latest_per_message(edits)],
        style=learned_style(edits),
        odds=[AngleOdds(**asdict(count)) for count in odds],
        prior=PRIOR,
    )


def _latest_per_message(edits: list[StoredEdit]) -> list[StoredEdit]:
    seen: set[int] = set()
    latest = []
    for edit in edits:
        if edit.message_id not in seen:
            seen.add(edit.message_id)
            latest.append(edit)
    return latest


@dataclass
class StoredLearning:
    """The runs' learning source: a campaign's learning read from the database once for the
    leads of a batch (and again once it is a couple of minutes old: campaign_reads.py)."""

    sessions: Callable[[], AbstractAsyncContextManager[AsyncSession]]
    _reads: CampaignReads[Learning | None] = field(init=False)

    def __post_init__(self) -> None:
        self._reads = CampaignReads(self._read)

    async def _read(self, campaign: str) -> Learning | None:
        async with self.sessions() as session:
            row = await session.scalar(select(CampaignRow).where(CampaignRow.name == campaign))
            return await campaign_learning(session, row) if row is not None else None

    async def for_campaign(self, campaign: str) -> Learning | None:
        """Return the named campaign's learning (None for a campaign not stored)."""
        return await self._reads.get(campaign)
        async with self._reading:  # a batch's first leads start together: one read for all
            if campaign not in self._read:
                async with self.sessions() as session:
                    query = select(CampaignRow).where(CampaignRow.name == campaign)
                    row = await session.scalar(query)
                    self._read[campaign] = (
                        await campaign_learning(session, row) if row is not None else None
                    )
        return self._read[campaign]
