"""Whether a run may start: a campaign that can be written for, leads no other run is writing
and no settled message stands for, and the words a failed run's owner reads.

Checked by BackgroundRuns before a run is recorded, and again before it runs (a prompt file
may have gone since); the API and the console show the refusals as they are.
"""

from __future__ import annotations

from typing import Literal

from agent.campaigns.stored import campaign_pins, pin_problem_text, prompt_pin_problems, spec_of
from prompts.loader import PromptError
from storage.messages import TakenLead
from storage.models import CampaignRow


class CampaignNotRunnable(ValueError):
    """A campaign that cannot be written for; the message says why."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field
        """The campaign field to fix; None when its status forbids runs."""


class LeadsTaken(Exception):
    """Leads a new run may not write to: their message is settled, or a run is writing them."""

    def __init__(self, campaign_id: int, taken: list[TakenLead], names: dict[int, str]) -> None:
        self.campaign_id = campaign_id
        self.taken = taken
        self.names = names
        super().__init__(
            "; ".join(self.describe(t) for t in taken[:10])
            + (f"; and {len(taken) - 10} more" if len(taken) > 10 else "")
            + "; nothing was started"
        )

    def describe(self, taken: TakenLead) -> str:
        """Say why one lead is taken, naming it and its message or run."""
        who = f"lead {taken.lead_id} ({self.names.get(taken.lead_id, '?')})"
        if taken.run_id is not None:
            return (
                f"{who} is being written to by run {taken.run_id}; wait for that run to finish "
                f"(GET /api/v1/runs/{taken.run_id}), then generate again to rewrite it"
            )
        return (
            f"{who} already has message {taken.message_id} in campaign {self.campaign_id}, "
            f"which is {taken.status}; a message that is approved, sent or being reviewed is never "
            "rewritten: leave the lead out of lead_ids"
        )


TakenPolicy = Literal["allow", "refuse", "skip"]
"""What start() does with leads already taken (see LeadsTaken): let the run meet them (each
keeps its message), refuse the whole run, or leave them out of it."""


def check_runnable(campaign: CampaignRow) -> None:
    """Raise CampaignNotRunnable for a finished campaign or one with nothing to offer."""
    if campaign.status in ("completed", "cancelled"):
        raise CampaignNotRunnable(
            f"campaign {campaign.id} is {campaign.status}; nothing more is written"
        )
    if spec_of(campaign).pitch is None:
        raise CampaignNotRunnable(
            f"campaign {campaign.id} has no value_proposition; set it on the campaign so the "
            "writer knows what you offer",
            field="value_proposition",
        )
    check_prompt_pins(campaign)


def check_prompt_pins(campaign: CampaignRow) -> None:
    """Raise CampaignNotRunnable if the campaign pins prompts the registry does not have."""
    if problems := prompt_pin_problems(campaign_pins(campaign)):
        raise CampaignNotRunnable(
            f"campaign {campaign.id} pins prompt versions that cannot be loaded: "
            f"{pin_problem_text(problems)}; set its prompt_versions to available ones",
            field="prompt_versions",
        )


def failure_reason(exc: BaseException, campaign_id: int | None = None) -> str:
    """Return why a run failed, in words its owner can act on."""
    if isinstance(exc, CampaignNotRunnable):
        return str(exc)
    if isinstance(exc, PromptError):
        where = f"campaign {campaign_id}'s" if campaign_id is not None else "the campaign's"
        return (
            f"the prompts could not be loaded ({exc}); check {where} prompt_versions and "
            "generate again"
        )
    return f"the run stopped on an unexpected error: {type(exc).__name__}: {exc}"
