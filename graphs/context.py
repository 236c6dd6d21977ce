"""Run settings handed to the lead graph at invocation: models, tools, thresholds."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, Protocol

from langchain_core.language_models import LanguageModelInput
from langchain_core.messages import BaseMessage
from langchain_core.runnables import Runnable
from langchain_core.tools import BaseTool

from graphs.earlier_outreach import OutreachHistory
from graphs.lead import Channel
from graphs.learned import LearningSource
from graphs.segment_angle import Segmenter
from prompts.loader import PromptSet
from tools.delivery.receipt import Delivery
from tools.facts import FactKind, utc_now

ChatModel = Runnable[LanguageModelInput, BaseMessage]
StructuredMode = Literal["json_schema", "json_object", "none"]


class AlreadyContacted(Exception):
    """Another lead of this run already has this address: the person gets one message."""


class Outbox(Protocol):
    """Where the send node delivers a chosen message."""

    async def deliver(
        self,
        *,
        idempotency_key: str,
        recipient: str,
        channel: str,
        tone: str,
        subject: str | None,
        body: str,
        metadata: dict[str, object],
    ) -> Delivery:
        """Deliver one message, once per idempotency key."""
        ...


def zero_cost(model: str, input_tokens: int, output_tokens: int) -> float:
    """Price every call at zero (the offline writer)."""
    return 0.0


@dataclass(frozen=True)
class Thresholds:
    """When a lead is sent, queued or rejected."""

    min_quality_to_send: float = 0.8
    min_relevance_to_send: float = 0.7
    relevance_floor: float = 0.3
    pass_score: float = 0.7


@dataclass(frozen=True)
class CriticSettings:
    """What the critic enforces per channel."""

    email_min_words: int = 50
    email_max_words: int = 200
    subject_max_chars: int = 60
    linkedin_note_max_chars: int = 300
    linkedin_message_max_chars: int = 1900
    sms_max_segments: int = 1
    min_personalization: dict[Channel, int] = field(
        default_factory=lambda: {Channel.EMAIL: 2, Channel.LINKEDIN: 1, Channel.SMS: 1}
    )
    """Grounded hooks (cited facts, visible in the body) a first touch needs on each channel,
    whatever their kind. One hook citing a fact of a strong_hook_kinds kind is enough on any
    channel; a single hook on the lead's profile or the company's description is not, where
    the minimum is two (email)."""
    strong_hook_kinds: frozenset[FactKind] = frozenset(
        {FactKind.POST, FactKind.NEWS, FactKind.HIRING, FactKind.REFERRAL, FactKind.TECHNOLOGY}
    )
    """Facts specific enough to carry a message alone; the lead's own profile and the company's
    description are not (everyone can read them)."""
    own_links: tuple[str, ...] = ()
    """Addresses the product itself puts in messages (the server's public address, for
    unsubscribe links): never foreign to the links check."""
    follow_up_email_min_words: int = 20
    """A follow-up email's body is shorter than a first touch's: at least this many words..."""
    follow_up_email_max_words: int = 120
    """...and at most this many (and fewer than the previous email of the thread)."""


@dataclass(frozen=True)
class PipelineContext:
    """Everything a lead run needs that is not the lead itself; built once per batch."""

    analyst: ChatModel
    """Model for the analyze step."""
    writer: ChatModel
    """Model for the generate step (may be the same as analyst)."""
    prompts: PromptSet
    research_tools: Sequence[BaseTool]
    outbox: Outbox
    fallback: ChatModel | None = None
    """Writer used when the primary model fails after its retries (usually the offline one)."""
    writer_languages: frozenset[str] | None = None
    """Languages the writer can write (None: any, as a model can; the offline writer: its
    phrasebooks')."""
    fallback_languages: frozenset[str] | None = None
    """Languages the fallback writer writes (None: any, or no fallback)."""
    claim_judge: ChatModel | None = None
    """Model asked about the claims the critic's exact checks cannot decide (None: no judge)."""
    structured_mode: StructuredMode = "json_schema"
    thresholds: Thresholds = field(default_factory=Thresholds)
    critic: CriticSettings = field(default_factory=CriticSettings)
    max_attempts: int = 3
    """Generation rounds before the quality loop gives up."""
    auto_send: bool = False
    cost_of: Callable[[str, int, int], float] = zero_cost
    clock: Callable[[], datetime] = utc_now
    run_id: str = "local"
    research_freshness_days: int = 30
    """Known facts older than this are researched again for a new_angle step."""
    learning: LearningSource | None = None
    """Where the writer gets the campaign's learning from reviewers' edits and replies (None:
    write as if nothing was learned, as evals do)."""
    segmenter: Segmenter | None = None
    """Where a lead is placed in its campaign's segments after research, for its angle
    (None: no placement, every lead written alike, as evals do)."""
    outreach_history: OutreachHistory | None = None
    """Where research learns of a message already sent to a colleague of the lead in the
    campaign, the only ground for mentioning it (None: no such fact, as evals do)."""
