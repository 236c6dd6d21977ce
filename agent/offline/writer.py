"""The offline writer: fill channel × tone templates with hooks built from facts."""

from __future__ import annotations

import hashlib
import re
from functools import cache
from pathlib import Path

import jinja2

from agent.offline.adjustments import Adjustments, tone_adjustments
from agent.offline.drafting import first_sentence, fits, subject_for, tidy, with_stand_ins
from agent.offline.follow_ups import FollowUpWriter
from agent.offline.hooks import SENTENCE_BREAK, HookPhrases, lower_opening, phrases_for
from agent.offline.row_phrases import row_line, short_intro
from graphs.analysis import Hook
from graphs.drafts import Tone
from graphs.lead import Channel
from graphs.task_inputs import DraftOut, GeneratedDrafts, GenerateInput
from prompts.loader import PROMPTS_DIR

TEMPLATE_VERSION = "v1"
TEMPLATE_DIR = PROMPTS_DIR / "offline_writer" / TEMPLATE_VERSION
_INSTRUCTION = re.compile(
    r"^(?:please\s+)?(?:mention|emphasi[sz]e|highlight|note|stress|focus on|point out)\s+"
    r"(?:that\s+)?(.+)$",
    re.IGNORECASE,
)
# Which runner-up each tone pairs with the best hook: the tones differ in what they cite.
RUNNER_UP = {Tone.PROFESSIONAL: 0, Tone.FRIENDLY: 1, Tone.DIRECT: 2}


_LOWER_AFTER_COMMA = ("As ", "Your ", "Looks ", "Saw ")


def after_greeting(sentence: str) -> str:
    """Continue "Hi Elena, …" with a hook sentence: "As CTO…" becomes "as CTO…".

    Only the hook sentences' own opening words are lowered; "I" and names stay as written.
    """
    if sentence.startswith(_LOWER_AFTER_COMMA):
        return sentence[0].lower() + sentence[1:]
    return sentence


@cache
def _environment(directory: Path = TEMPLATE_DIR) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(directory),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=False,
    )
    env.filters["after_greeting"] = after_greeting
    return env


def templates_sha256(directory: Path = TEMPLATE_DIR) -> str:
    """Hash every template so outputs can name the exact version used."""
    digest = hashlib.sha256()
    for path in sorted(directory.glob("*.j2")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _extra_sentence(custom_context: str | None, names: tuple[str, ...] = ()) -> str | None:
    """Turn 'Mention our X' guidance into a sentence; other guidance is not message text.

    Guidance such as "Do not mention pricing" is an instruction to a writer, so the offline
    writer never pastes it into a message; a model-backed writer follows it instead.
    """
    if not custom_context:
        return None
    # Guidance is read one sentence at a time, so "Mention X. Do not mention Y." adds only X.
    for sentence in SENTENCE_BREAK.split(custom_context.strip()):
        match = _INSTRUCTION.match(sentence.strip().rstrip("."))
        if match is not None:
            rest = match.group(1)
            # "Mention Pipewell's health check" keeps the name: only ordinary words are lowered.
            return f"Worth adding: {lower_opening(rest, names)}."
    return None


def _strip_placeholder_sentences(text: str) -> str:
    return " ".join(s for s in SENTENCE_BREAK.split(text) if "{{" not in s and "[" not in s)


class OfflineWriter:
    """Write three grounded variants per lead without a model."""

    def __init__(self, directory: Path = TEMPLATE_DIR) -> None:
        self._env = _environment(directory)
        self._follow_ups = FollowUpWriter(self._env)

    def write(self, payload: GenerateInput) -> GeneratedDrafts:
        """Write a draft for every requested tone (a sequence's follow-up: see follow_ups)."""
        if payload.sequence is not None:
            return self._follow_ups.write(payload)
        facts = {fact.id: fact for fact in payload.facts}
        phrases: list[HookPhrases] = []
        # An unpersonalized analysis has no hooks: the drafts come from the lead row alone.
        for hook in payload.analysis.hooks:
            fact = facts.get(hook.fact_ids[0]) if hook.fact_ids else None
            built = (
                phrases_for(fact, payload.lead.company, payload.today, (payload.lead.name,))
                if fact
                else None
            )
            if built is not None:
                phrases.append(built)
        drafts = []
        for tone in payload.tones:
            adjust = tone_adjustments(payload.feedback, tone, payload.reviewer_instruction)
            drafts.append(with_stand_ins(self._draft(payload, tone, phrases, adjust), payload))
        return GeneratedDrafts(variants=drafts)

    def _pick_hooks(
        self, tone: Tone, phrases: list[HookPhrases], adjust: Adjustments
    ) -> list[HookPhrases]:
        usable = [p for p in phrases if p.hook.text not in adjust.avoid]
        if adjust.rotate and len(usable) > 1:
            usable = usable[1:] + usable[:1]
        if len(usable) <= 1 or adjust.compact:
            return usable[:1]
        first, rest = usable[0], usable[1:]
        # Prefer a second hook of another kind (a post plus news reads better than two posts).
        others = [p for p in rest if p.kind != first.kind] + [
            p for p in rest if p.kind == first.kind
        ]
        picks = [first, others[min(RUNNER_UP[tone], len(others) - 1)]]
        if adjust.more_hooks or adjust.longer:
            extra = [p for p in usable if p not in picks]
            picks += extra[:1]
        return picks

    def _values(self, payload: GenerateInput, adjust: Adjustments) -> dict[str, object]:
        campaign, lead = payload.campaign, payload.lead
        sender = campaign.sender
        opening = campaign.template
        if opening and adjust.strip_placeholders:
            opening = _strip_placeholder_sentences(opening) or None
        if opening:
            # The greeting comes from the template file; keep only the template's message.
            opening = re.sub(r"^(hi|hello|hey|dear)\s+[^,]+,\s*", "", opening, flags=re.IGNORECASE)
        value_proposition = campaign.value_proposition
        if adjust.compact:
            value_proposition = first_sentence(value_proposition)
        return {
            "first_name": lead.first_name,
            "company": lead.company,
            "opening": opening,
            "value_proposition": value_proposition,
            "extra": None
            if adjust.compact
            else _extra_sentence(
                campaign.custom_context, (sender.company, lead.company, lead.name)
            ),
            "cta": campaign.call_to_action,
            "sender_name": sender.name,
            "sender_first": sender.name.split()[0],
            "sender_title": sender.title,
            "sender_company": sender.company,
        }

    def _draft(
        self, payload: GenerateInput, tone: Tone, phrases: list[HookPhrases], adjust: Adjustments
    ) -> DraftOut:
        hooks = self._pick_hooks(tone, phrases, adjust)
        values = self._values(payload, adjust)
        channel = payload.channel
        if payload.analysis.unpersonalized:
            return self._unpersonalized(payload, tone, values)
        if channel is Channel.EMAIL:
            body = self._render(f"email_{tone.value}.j2", values, hooks)
            subject = subject_for(payload, tone)
            return DraftOut(tone=tone, subject=subject, body=body, hooks=[h.hook for h in hooks])
        body, compact = self._fit_short(payload, tone, hooks[:1], values)
        # SMS always, and compacted notes, carry the short mention: record what was said.
        short = compact or channel is Channel.SMS
        used = [
            Hook(text=h.short, fact_ids=h.hook.fact_ids) if short else h.hook for h in hooks[:1]
        ]
        return DraftOut(tone=tone, subject=None, body=body, hooks=used)

    def _unpersonalized(
        self, payload: GenerateInput, tone: Tone, values: dict[str, object]
    ) -> DraftOut:
        """Write a draft from the lead row and the campaign alone: no hook, nothing claimed."""
        lead = payload.lead
        if payload.channel is Channel.EMAIL:
            template = values["opening"]
            opening = f"{template}\n\n" if isinstance(template, str) and template else ""
            opening += row_line(tone, lead)
            body = self._render(f"email_{tone.value}.j2", {**values, "opening": opening}, [])
            return DraftOut(tone=tone, subject=subject_for(payload, tone), body=body)
        campaign = payload.campaign
        pitch = campaign.short_pitch or first_sentence(campaign.value_proposition)
        if payload.channel is Channel.SMS:
            ctas = ["Open to a quick call this week?", "Quick call this week?"]
            sign = ""
        else:
            ctas = ["Open to connecting?"]
            if campaign.linkedin_format == "message":
                ctas.insert(0, campaign.call_to_action)
            sign = f" {values['sender_first']}"
        intro = short_intro(tone, lead, str(values["sender_first"]), campaign.sender.company)
        # Shorten until it fits: the ask first, then the pitch goes.
        options = [(pitch, ctas[0]), (pitch, ctas[-1]), ("", ctas[0]), ("", ctas[-1])]
        body = ""
        for chosen_pitch, cta in options:
            body = " ".join(filter(None, [intro, chosen_pitch, cta])) + sign
            if fits(payload.channel, campaign.linkedin_format, body):
                break
        return DraftOut(tone=tone, subject=None, body=body)

    def _render(
        self, name: str, values: dict[str, object], hooks: list[HookPhrases], **more: object
    ) -> str:
        return tidy(self._env.get_template(name).render(hooks=hooks, **values, **more))

    def _fit_short(
        self,
        payload: GenerateInput,
        tone: Tone,
        hooks: list[HookPhrases],
        values: dict[str, object],
    ) -> tuple[str, bool]:
        """Render a short-channel message, dropping detail until it fits; say if compacted."""
        campaign = payload.campaign
        pitch = campaign.short_pitch or first_sentence(campaign.value_proposition)
        channel = payload.channel
        name = f"{channel.value}_{tone.value}.j2"
        cta = "Open to a quick call this week?" if channel is Channel.SMS else "Open to connecting?"
        if channel is Channel.LINKEDIN and campaign.linkedin_format == "message":
            cta = campaign.call_to_action
        if not hooks:
            sender = values["sender_first"]
            company = values["sender_company"]
            text = f"Hi {values['first_name']}, {sender} from {company}. {pitch} {cta}"
            return text, True
        # Drop detail until it fits. A name outside GSM-7 ("Lucía") makes the SMS UCS-2, which
        # allows 70 characters, not 160: the name stays right and the ask gets shorter instead.
        short_cta = "Quick call this week?" if channel is Channel.SMS else cta
        attempts = [(False, pitch, cta), (True, pitch, cta), (True, "", cta), (True, "", short_cta)]
        body, compact = "", False
        for compact, chosen_pitch, chosen_cta in attempts:
            body = self._render(
                name, {**values, "cta": chosen_cta}, hooks, compact=compact, pitch=chosen_pitch
            )
            if fits(channel, campaign.linkedin_format, body):
                break
        return body, compact
