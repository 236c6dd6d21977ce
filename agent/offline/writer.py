"""The offline writer: first touches from hooks built on facts, a bridge to the problem the
product solves, the campaign's pitch and ask, in wording that varies from lead to lead.

Every choice of wording (agent/offline/stable_choice.py) hashes the lead and its facts, so the
same lead always reads the same and two leads rarely read alike. The words come from the
message language's phrasebook (agent/offline/phrasebooks/); an email's layout, and each
follow-up's slots, from prompts/offline_writer/<version>/; a text or a LinkedIn note is put
together by agent/offline/short_messages.py.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache
from pathlib import Path

import jinja2

from agent.offline.adjustments import Adjustments, tone_adjustments
from agent.offline.asks import connect_asks, email_asks, last_resort_text_asks, text_asks
from agent.offline.bridges import Topic, bridge_sentence, names_problem, topic_for
from agent.offline.colleague_note import with_colleague_note
from agent.offline.drafting import lead_key, tidy, with_stand_ins
from agent.offline.follow_ups import FollowUpWriter
from agent.offline.guidance import extra_sentence, without_placeholder_sentences
from agent.offline.hooks import HookPhrases, lower_opening, phrases_for
from agent.offline.learned_style import preferred, styled
from agent.offline.phrasebooks import Phrasebook, phrasebook
from agent.offline.phrasebooks.es_register import in_campaigns_address
from agent.offline.pitch import pitch_text, short_pitches
from agent.offline.row_phrases import row_line, short_intro
from agent.offline.short_messages import ShortParts, fit_short
from agent.offline.subjects import subject_line
from graphs.analysis import Hook
from graphs.drafts import Tone
from graphs.lead import Channel
from graphs.lead_screening import WITHHELD_NAME
from graphs.task_inputs import DraftOut, FactBrief, GeneratedDrafts, GenerateInput
from prompts.loader import PROMPTS_DIR
from tools.delivery.sms import opt_out_line
from tools.facts import FactKind

TEMPLATE_VERSION = "v2"
TEMPLATE_DIR = PROMPTS_DIR / "offline_writer" / TEMPLATE_VERSION
# Which runner-up each tone pairs with the best hook: the tones differ in what they cite.
RUNNER_UP = {Tone.PROFESSIONAL: 0, Tone.FRIENDLY: 1, Tone.DIRECT: 2}


def after_greeting(sentence: str, book: Phrasebook | None = None) -> str:
    """Continue "Hi Elena, …" with a hook sentence: "As CTO…" becomes "as CTO…".

    Only the hook sentences' own opening words are lowered; "I" and names stay as written.
    """
    openings = (book or phrasebook("en")).hooks.lower_after_greeting
    if sentence.startswith(openings):
        return sentence[0].lower() + sentence[1:]
    return sentence


@cache
def _environment(directory: Path = TEMPLATE_DIR, language: str = "en") -> jinja2.Environment:
    """The templates for messages in language: its own folder's (<directory>/<code>/) where it
    has one, the English ones otherwise."""
    folders = [directory / language] if language != "en" else []
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([*[f for f in folders if f.is_dir()], directory]),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=False,
    )
    env.filters["after_greeting"] = after_greeting
    return env


def templates_sha256(directory: Path = TEMPLATE_DIR) -> str:
    """Hash every template so outputs can name the exact version used."""
    digest = hashlib.sha256()
    for path in sorted(directory.rglob("*.j2")):
        digest.update(path.relative_to(directory).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


class OfflineWriter:
    """Write three grounded variants per lead without a model."""

    def __init__(self, directory: Path = TEMPLATE_DIR) -> None:
        self._env = _environment(directory)
        self._follow_ups = FollowUpWriter(lambda language: _environment(directory, language))

    def write(self, payload: GenerateInput) -> GeneratedDrafts:
        """Write a draft for every requested tone (a sequence's follow-up: see follow_ups).

        It cannot translate: a campaign whose pitch is not in the message's language (when it
        stands in for a model that failed) is written to in English, which the run records.
        """
        if payload.copy_language not in (None, payload.language):
            # The text then ends with the English opt-out line, not the one sized for.
            suffix = opt_out_line("en") if payload.sms_suffix else ""
            payload = payload.model_copy(update={"language": "en", "sms_suffix": suffix})
        if payload.sequence is not None:
            written = [styled(d, payload.learned) for d in self._follow_ups.write(payload).variants]
            return in_campaigns_address(GeneratedDrafts(variants=written), payload)
        facts = {fact.id: fact for fact in payload.facts}
        book = phrasebook(payload.language)
        phrases: list[HookPhrases] = []
        # An unpersonalized analysis has no hooks: the drafts come from the lead row alone.
        for hook in payload.analysis.hooks:
            fact = facts.get(hook.fact_ids[0]) if hook.fact_ids else None
            built = (
                phrases_for(fact, payload.lead.company, payload.today, (payload.lead.name,), book)
                if fact
                else None
            )
            if built is not None:
                phrases.append(built)
        drafts = []
        for tone in payload.tones:
            adjust = tone_adjustments(payload.feedback, tone, payload.reviewer_instruction)
            draft = with_stand_ins(self._draft(payload, tone, phrases, adjust), payload)
            drafts.append(styled(draft, payload.learned))
        return in_campaigns_address(GeneratedDrafts(variants=drafts), payload)

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

    def _values(self, payload: GenerateInput, tone: Tone, adjust: Adjustments) -> dict[str, str]:
        """The words every draft of a lead shares: its greeting, opening, guidance and sign-off."""
        campaign, lead = payload.campaign, payload.lead
        sender = campaign.sender
        book = phrasebook(payload.language)
        opening = campaign.template
        if opening and adjust.strip_placeholders:
            opening = without_placeholder_sentences(opening) or None
        if opening:
            # The greeting is the writer's own; keep only the template's message.
            opening = re.sub(r"^(hi|hello|hey|dear)\s+[^,]+,\s*", "", opening, flags=re.IGNORECASE)
        names = (sender.company, lead.company, lead.name)
        # Guidance is written in the operator's English: pasted into a message in another
        # language it would read as a mistake, so only an English message quotes it.
        quoted = not adjust.compact and book.language == "en"
        extra = extra_sentence(campaign.custom_context, names) if quoted else None
        signer = {
            "sender_name": sender.name,
            "sender_first": sender.name.split()[0],
            "sender_company": sender.company,
            "signature_line": f"{sender.title}, {sender.company}"
            if sender.title
            else sender.company,
        }
        return {
            "greeting": book.greetings[tone].format(first_name=lead.first_name),
            "opening": opening or "",
            "extra": extra or "",
            "sign_off": book.sign_offs[tone].format(**signer),
            **signer,
        }

    def _draft(
        self, payload: GenerateInput, tone: Tone, phrases: list[HookPhrases], adjust: Adjustments
    ) -> DraftOut:
        if payload.analysis.unpersonalized:
            return self._unpersonalized(payload, tone, adjust)
        hooks = self._pick_hooks(tone, phrases, adjust)
        cited = [i for h in hooks for i in h.hook.fact_ids]
        topic = topic_for(payload.campaign, payload.facts, cited)
        if payload.channel is Channel.EMAIL:
            return self._email(payload, tone, hooks, topic, adjust)
        return self._short(payload, tone, hooks[:1], topic, adjust)

    def _bridge(
        self, payload: GenerateInput, tone: Tone, hook: HookPhrases | None, topic: Topic | None
    ) -> tuple[str | None, str | None]:
        """The bridge after the hook, and what the pitch may refer back to: the bridge when
        it names the problem, else nothing ("It made me want to write to you." names none)."""
        if hook is None:
            return None, None
        fact = _fact_of(payload, hook)
        book = phrasebook(payload.language)
        sentence = bridge_sentence(fact, topic, tone, lead_key(payload), book)
        return sentence, sentence if names_problem(fact, topic) else None

    def _email(
        self,
        payload: GenerateInput,
        tone: Tone,
        hooks: list[HookPhrases],
        topic: Topic | None,
        adjust: Adjustments,
    ) -> DraftOut:
        book, key = phrasebook(payload.language), lead_key(payload)
        said = [
            getattr(h, tone.value if i == 0 else f"{tone.value}_next") for i, h in enumerate(hooks)
        ]
        bridge, problem = (
            (None, None)
            if adjust.compact
            else self._bridge(payload, tone, _bridged(payload, hooks, topic), topic)
        )
        compact = adjust.compact
        pitch = pitch_text(payload.campaign, tone, key, book, after=problem, compact=compact)
        pitch = pitch if compact else with_colleague_note(pitch, payload)
        body = self._render(
            "email.j2",
            **self._values(payload, tone, adjust),
            lead_in=" ".join([*said, *([bridge] if bridge else [])]),
            pitch=pitch,
            ask=preferred(email_asks(payload.campaign, tone, key, book), payload.learned),
        )
        first = hooks[0] if hooks else None
        subject = subject_line(
            first, _fact_of(payload, first), payload.lead.company, topic, tone, key, book
        )
        return DraftOut(tone=tone, subject=subject, body=body, hooks=[h.hook for h in hooks])

    def _short(
        self,
        payload: GenerateInput,
        tone: Tone,
        hooks: list[HookPhrases],
        topic: Topic | None,
        adjust: Adjustments,
    ) -> DraftOut:
        """A LinkedIn note or message, or a text: the fullest that fits the channel."""
        campaign, channel = payload.campaign, payload.channel
        book, key = phrasebook(payload.language), lead_key(payload)
        values = self._values(payload, tone, adjust)
        hook = hooks[0] if hooks else None
        bridge, problem = (
            (None, None) if adjust.compact else self._bridge(payload, tone, hook, topic)
        )
        pitches = short_pitches(campaign, tone, key, book, after=problem)
        if channel is Channel.SMS:
            parts = _text_parts(payload, tone, hook, book, values, pitches)
        else:
            parts = _note_parts(
                payload, tone, hook, book, values, pitches, (bridge, problem), adjust
            )
        body, compact = fit_short(parts, channel, campaign.linkedin_format, payload.sms_suffix)
        # A text always, and a compacted note, carries the hook's few words: record those.
        short = compact or channel is Channel.SMS
        used = (
            []
            if hook is None
            else [Hook(text=hook.short, fact_ids=hook.hook.fact_ids) if short else hook.hook]
        )
        return DraftOut(tone=tone, subject=None, body=body, hooks=used)

    def _unpersonalized(self, payload: GenerateInput, tone: Tone, adjust: Adjustments) -> DraftOut:
        """Write a draft from the lead row and the campaign alone: no hook, nothing claimed."""
        lead, campaign = payload.lead, payload.campaign
        book, key = phrasebook(payload.language), lead_key(payload)
        values = self._values(payload, tone, adjust)
        if payload.channel is Channel.EMAIL:
            opening = "\n\n".join(filter(None, [values["opening"], row_line(tone, lead, book)]))
            body = self._render(
                "email.j2",
                **{**values, "opening": opening},
                lead_in="",
                pitch=pitch_text(campaign, tone, key, book, compact=adjust.compact),
                ask=email_asks(campaign, tone, key, book)[0],
            )
            subject = subject_line(None, None, lead.company, None, tone, key, book)
            return DraftOut(tone=tone, subject=subject, body=body)
        intro = short_intro(tone, lead, values["sender_first"], campaign.sender.company, book)
        # A text falls back on the shorter openings ("Hola, José, soy Alex.") when the one
        # naming the company does not fit (a name with "é" leaves 70 characters).
        shorter = (
            [f.format(first_name=lead.first_name, **values) for f in book.text_intros[tone]]
            if payload.channel is Channel.SMS and lead.name != WITHHELD_NAME
            else []
        )
        pitches = short_pitches(campaign, tone, key, book)
        last: list[str] = []
        if payload.channel is Channel.SMS:
            asks, sign = text_asks(campaign, tone, key, book), ""
            last = last_resort_text_asks(campaign, book)
        else:
            asks, sign = _note_asks(payload, tone, book), values["sender_first"]
        parts = ShortParts([intro, *shorter], [], None, pitches, asks, sign, last_asks=last)
        body, _ = fit_short(parts, payload.channel, campaign.linkedin_format, payload.sms_suffix)
        return DraftOut(tone=tone, subject=None, body=body)

    def _render(self, name: str, **values: object) -> str:
        return tidy(self._env.get_template(name).render(**values))


def _bridged(
    payload: GenerateInput, hooks: list[HookPhrases], topic: Topic | None
) -> HookPhrases | None:
    """The hook the bridge follows: the last one, unless a post before it raised the topic
    and it did not ("I also saw your post … It is clear you have thought hard about CI" reads
    well after two posts; "Adding that many people …" must follow the hiring it counts)."""
    if not hooks:
        return None
    last = hooks[-1]
    if topic is None or topic.raised_by(_fact_of(payload, last)):
        return last
    posts = [h for h in hooks if h.kind is FactKind.POST and topic.raised_by(_fact_of(payload, h))]
    return posts[-1] if posts and last.kind is FactKind.POST else last


def _fact_of(payload: GenerateInput, hook: HookPhrases | None) -> FactBrief | None:
    if hook is None or not hook.hook.fact_ids:
        return None
    return next((f for f in payload.facts if f.id == hook.hook.fact_ids[0]), None)


def _note_asks(payload: GenerateInput, tone: Tone, book: Phrasebook) -> list[str]:
    """A connection note asks to connect; a LinkedIn message asks what the campaign asks."""
    key = lead_key(payload)
    if payload.campaign.linkedin_format == "message":
        return email_asks(payload.campaign, tone, key, book)
    return connect_asks(tone, key, book)


def _note_parts(
    payload: GenerateInput,
    tone: Tone,
    hook: HookPhrases | None,
    book: Phrasebook,
    values: dict[str, str],
    pitches: list[str],
    bridging: tuple[str | None, str | None],
    adjust: Adjustments,
) -> ShortParts:
    """bridging: the bridge, and what the pitch refers back to (see OfflineWriter._bridge)."""
    bridge, problem = bridging
    greeting = book.note_greetings[tone].format(first_name=payload.lead.first_name)
    hooks: list[str] = []
    if hook is not None:
        full = getattr(hook, tone.value)
        full = after_greeting(full, book) if greeting.endswith(",") else full
        hooks = [book.note_short_hooks[tone].format(short=hook.short)]
        if not adjust.compact:
            hooks.insert(0, full)
    if payload.campaign.linkedin_format == "message" and not adjust.compact:
        # A message has room for the whole pitch.
        key = lead_key(payload)
        full_pitch = pitch_text(payload.campaign, tone, key, book, after=problem)
        pitches = [full_pitch, *pitches]
    if hook is None and greeting.endswith(","):
        # "Hi Inès, here is what …": the pitch goes on from the greeting's comma.
        names = (payload.campaign.sender.company, payload.lead.company)
        pitches = [lower_opening(p, names, book.language) for p in pitches]
    asks = _note_asks(payload, tone, book)
    # Every pitch but the campaign's own words was framed to follow the bridge.
    bridged = len(pitches) - 1 if problem else 0
    return ShortParts([greeting], hooks, bridge, pitches, asks, values["sender_first"], bridged)


def _text_parts(
    payload: GenerateInput,
    tone: Tone,
    hook: HookPhrases | None,
    book: Phrasebook,
    values: dict[str, str],
    pitches: list[str],
) -> ShortParts:
    campaign = payload.campaign
    openings = [
        f.format(first_name=payload.lead.first_name, **values) for f in book.text_intros[tone]
    ]
    hooks = [book.text_hooks[tone].format(short=hook.short)] if hook is not None else []
    asks = text_asks(campaign, tone, lead_key(payload), book)
    last = last_resort_text_asks(campaign, book)
    return ShortParts(openings, hooks, None, pitches, asks, last_asks=last)
