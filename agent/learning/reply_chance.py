"""The priority score's reply-chance part, from a campaign's outcomes since its reset.

A lead's segment has a Beta posterior over its positive-reply rate (the prior plus the
segment's positive replies and sends, with the angle's tone when the segment has outcomes in
it); the part is the posterior mean's lift over the prior mean, times the `reply_chance`
weight: "+0.08 reply chance: segment 'platform' 6/40 positive, prior Beta(1,9)". A segment
with no sends adds no part, so no guess stands in for data.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from agent.learning.campaign_learning import campaign_learning
from agent.planning.priority import ScorePart
from agent.planning.prospects import Prospect
from agent.planning.scoring_weights import DEFAULT_WEIGHTS, read_scoring
from agent.planning.segment_config import Angle
from agent.planning.segmentation import Placement
from graphs.hook_choice import Posterior, posterior
from graphs.learned import Learning
from storage.models import CampaignRow


@dataclass(frozen=True)
class OutcomeReplyChance:
    """Reply chance from a campaign's learned outcomes (agent/planning/priority.ReplyChance)."""

    learning: Learning
    weight: float = DEFAULT_WEIGHTS["reply_chance"]

    def _segment(self, prospect: Prospect, placement: Placement) -> str | None:
        """The segment outcomes were counted under: the placement's, else the lead's own
        `segment` column or industry (how stored outcomes name segments)."""
        known = {row.segment for row in self.learning.odds if row.sent}
        for name in (placement.segment, prospect.columns.get("segment"), prospect.industry):
            if name and name in known:
                return name
        return None

    def belief(self, prospect: Prospect, placement: Placement, angle: Angle) -> Posterior | None:
        """Return the posterior for the lead's segment (and angle's tone where it has data)."""
        segment = self._segment(prospect, placement)
        if segment is None:
            return None
        odds, prior = self.learning.odds, self.learning.prior
        if angle.tone:
            toned = posterior(odds, prior, segment=segment, tone=angle.tone)
            if toned.sent:
                return toned
        return posterior(odds, prior, segment=segment)

    def part(self, prospect: Prospect, placement: Placement, angle: Angle) -> ScorePart | None:
        """Return the reply-chance part, or None when the lead's segment has no outcomes."""
        belief = self.belief(prospect, placement, angle)
        if belief is None or self.weight == 0:
            return None
        alpha, beta = self.learning.prior
        lift = belief.mean - alpha / (alpha + beta)
        segment = self._segment(prospect, placement)
        tone = f", tone {angle.tone}" if angle.tone and belief.sent else ""
        reason = f"segment {segment!r}{tone} {belief.text()}"
        return ScorePart("reply_chance", "reply_chance", self.weight * lift, reason)


async def stored_reply_chance(
    session: AsyncSession, campaign: CampaignRow, *, weight: float | None = None
) -> OutcomeReplyChance:
    """Return the reply chance a stored campaign's outcomes since its reset predict, weighed
    as its `scoring.weights.reply_chance` says unless `weight` is given."""
    learning = await campaign_learning(session, campaign)
    if weight is None:
        weight = read_scoring((campaign.settings or {}).get("scoring")).weights["reply_chance"]
    return OutcomeReplyChance(learning, weight)
