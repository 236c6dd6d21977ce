"""The data blocks handed to models: the same JSON for an LLM and the offline writer."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, Field, SerializerFunctionWrapHandler, model_serializer

from graphs.analysis import Analysis, Hook
from graphs.context import CriticSettings
from graphs.critic.checks import word_count
from graphs.critic.thread_checks import previous_on
from graphs.drafts import Tone
from graphs.lead import Campaign, Channel, Language, Lead
from graphs.learned import LearnedStyle
from graphs.sequence_turn import EarlierMessage, SequenceTurn, StepKind
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
    language: str = "en"
    """The language the messages will be written in (en, es, fr, de)."""
    lead: Lead
    campaign: Campaign
    facts: list[FactBrief]


class Feedback(BaseModel):
    """The critic's notes on a previous draft of one tone."""

    previous_subject: str | None
    previous_body: str
    issues: list[str]
    instructions: list[str]


class FollowUpStep(BaseModel):
    """The sequence step a follow-up is written for, and the thread it follows."""

    kind: StepKind
    step: int = Field(description="1-based position in the sequence.")
    is_last: bool = Field(description="No message follows this one.")
    earlier: list[EarlierMessage] = Field(
        description="The messages already sent to this lead, oldest first: never repeat their "
        "hooks or sentences."
    )
    unused_fact_ids: list[str] = Field(
        default_factory=list, description="Facts no earlier message built a hook on."
    )
    max_words: int | None = Field(
        default=None,
        description="The body must have at most this many words: fewer than the previous "
        "message on this channel.",
    )

    @classmethod
    def of(cls, turn: SequenceTurn, channel: Channel, facts: list[Fact]) -> FollowUpStep:
        """Describe a turn for the writer: the thread, unused facts and the word limit."""
        previous = previous_on(turn, channel)
        used = turn.used_fact_ids
        return cls(
            kind=turn.kind,
            step=turn.step,
            is_last=turn.is_last,
            earlier=turn.earlier,
            unused_fact_ids=[f.id for f in facts if f.id not in used],
            max_words=word_count(previous.body) - 1 if previous is not None else None,
        )


class GenerateInput(BaseModel):
    """Everything the writer sees."""

    task: Literal["generate"] = "generate"
    today: dt.date | None = Field(
        default=None, description="The run's date, so old items are dated with their year."
    )
    channel: Channel
    language: Language = Field(
        default="en",
        description="The language to write in; the campaign arrives with its words in it "
        "where it has them.",
    )
    copy_language: Language | None = Field(
        default=None,
        description="The language the campaign's pitch and ask below are written in, when it "
        "is not `language` (they must then be carried over into it); null: in `language`.",
    )
    sms_suffix: str = Field(
        default="",
        description="A line the sender adds after a text (the opt-out line of a sequence's "
        "first SMS): the text and this line together must fit one segment.",
    )
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
    sequence: FollowUpStep | None = Field(
        default=None, description="The follow-up step being written; absent for a first touch."
    )
    learned: LearnedStyle | None = Field(
        default=None,
        description="Phrasings this campaign's reviewers removed (avoid) and kept (prefer).",
    )

    @model_serializer(mode="wrap")
    def _first_touch_as_before(self, handler: SerializerFunctionWrapHandler) -> Any:
        """Leave `sequence` out of a first touch's data, and `learned` out when nothing was
        learned, so such prompts read as they always have."""
        data = handler(self)
        if isinstance(data, dict):
            for key in ("sequence", "learned"):
                if data.get(key) is None:
                    data.pop(key, None)
        return data


class DraftOut(BaseModel):
    """One written draft of one tone (an unpersonalized one has no hooks)."""

    tone: Tone
    subject: str | None = None
    body: str
    hooks: list[Hook] = Field(default_factory=list)


class GeneratedDrafts(BaseModel):
    """The drafts the offline writer writes, one per tone asked. A model's reply has a field
    per tone instead (graphs/draft_reply.py), which the offline model answers with too."""

    variants: list[DraftOut]


def data_block(payload: BaseModel) -> str:
    """Serialize a payload for a <task_input> block; "<" is escaped so data cannot close it."""
    return payload.model_dump_json(indent=1).replace("<", "\\u003c")


def channel_rules(campaign: Campaign, critic: CriticSettings, follow_up: bool = False) -> str:
    """Describe the channel's format and the limits the critic will enforce."""
    if follow_up:
        return _follow_up_rules(campaign, critic)
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


def _follow_up_rules(campaign: Campaign, critic: CriticSettings) -> str:
    """Describe a follow-up's format: shorter than a first touch, answering the thread."""
    shorter = "fewer words than the previous message on this channel (`sequence.max_words`)"
    if campaign.channel is Channel.EMAIL:
        return (
            f"Email follow-up: a body of {critic.follow_up_email_min_words}-"
            f"{critic.follow_up_email_max_words} words and {shorter}, greeting with the first "
            "name, signed with the sender's name. The subject becomes \"Re: <the thread's "
            'subject>" when the thread has an email; otherwise write a short plain one.'
        )
    if campaign.channel is Channel.LINKEDIN:
        if campaign.linkedin_format == "connection_note":
            return (
                f"LinkedIn connection note: at most {critic.linkedin_note_max_chars} characters "
                f"including spaces, 15 words or more and {shorter}; subject null."
            )
        return f"LinkedIn message: 15 words or more and {shorter}, conversational; subject null."
    return (
        "SMS: one segment (at most 160 plain GSM-7 characters; avoid emoji and curly quotes), "
        f"8 words or more and {shorter}, sender's first name; subject null."
    )
