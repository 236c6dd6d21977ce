"""The data blocks handed to models: the same JSON for an LLM and the offline writer."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from graphs.analysis import Analysis, Hook
from graphs.context import CriticSettings
from graphs.drafts import Tone
from graphs.lead import Campaign, Channel, Lead
from tools.facts import Fact, FactKind


class FactBrief(BaseModel):
    """A fact as a model sees it."""

    id: str
    kind: FactKind
    text: str
    title: str | None = None
    published: dt.date | None = None
    source_url: str

    @classmethod
    def of(cls, fact: Fact) -> FactBrief:
        """Shorten a fact for a prompt."""
        return cls(
            id=fact.id,
            kind=fact.kind,
            text=fact.text,
            title=fact.title,
            published=fact.published,
            source_url=fact.source_url,
        )


class AnalyzeInput(BaseModel):
    """Everything the analyst sees."""

    task: Literal["analyze"] = "analyze"
    today: dt.date
    lead: Lead
    campaign: Campaign
    facts: list[FactBrief]


class Feedback(BaseModel):
    """The critic's notes on a previous draft of one tone."""

    previous_subject: str | None
    previous_body: str
    issues: list[str]
    instructions: list[str]


class GenerateInput(BaseModel):
    """Everything the writer sees."""

    task: Literal["generate"] = "generate"
    today: dt.date | None = Field(
        default=None, description="The run's date, so old items are dated with their year."
    )
    channel: Channel
    tones: list[Tone]
    attempt: int
    lead: Lead
    campaign: Campaign
    analysis: Analysis
    facts: list[FactBrief]
    feedback: dict[Tone, Feedback] = Field(default_factory=dict)
    reviewer_instruction: str | None = Field(
        default=None, description="What a human reviewer asked to change (operator, not lead data)."
    )


class PlainDraftOut(BaseModel):
    """One unpersonalized variant as a model returns it: nothing to cite, so no hooks."""

    tone: Tone
    subject: str | None = None
    body: str


class DraftOut(PlainDraftOut):
    """One variant as a model returns it."""

    hooks: list[Hook] = Field(default_factory=list)


class PlainDrafts(BaseModel):
    """The writer's reply for a lead research found nothing about (hooks have no place in it)."""

    variants: list[PlainDraftOut]


class GeneratedDrafts(BaseModel):
    """The writer's reply."""

    variants: list[DraftOut]


def data_block(payload: BaseModel) -> str:
    """Serialize a payload for a <task_input> block; "<" is escaped so data cannot close it."""
    return payload.model_dump_json(indent=1).replace("<", "\\u003c")


def channel_rules(campaign: Campaign, critic: CriticSettings) -> str:
    """Describe the channel's format and the limits the critic will enforce."""
    if campaign.channel is Channel.EMAIL:
        return (
            f"Email: a subject under {min(45, critic.subject_max_chars)} characters (plain, "
            f"specific, no exclamation marks) and a body of {critic.email_min_words}-"
            f"{critic.email_max_words} words, short paragraphs, greeting with the first name, "
            "signed with the sender's name."
        )
    if campaign.channel is Channel.LINKEDIN:
        if campaign.linkedin_format == "connection_note":
            return (
                f"LinkedIn connection note: at most {critic.linkedin_note_max_chars} characters "
                "including spaces; subject null."
            )
        return "LinkedIn message: 40-150 words, conversational; subject null."
    return (
        "SMS: one segment (at most 160 plain GSM-7 characters; avoid emoji and curly quotes), "
        "one concrete ask, sender's first name at the end; subject null."
    )
