"""The offline call-script writer: a grounded script from the best hook, without a model.

The reason for the call is the best hook's fact said as the messages say it (phrases_for);
everything else comes from the campaign (the sender, the pitch) and the lead row. A lead
research found nothing about gets a script that names only their role and company.
"""

from __future__ import annotations

from agent.offline.hooks import (
    SENTENCE_BREAK,
    HookPhrases,
    lower_opening,
    phrases_for,
    rank_hooks,
)
from agent.offline.matching import mentions
from agent.offline.triggers import is_stale
from graphs.call_scripts import CallScript, CallScriptInput, Objection
from graphs.critic.checks import word_count
from graphs.lead_screening import WITHHELD_NAME
from graphs.task_inputs import AnalyzeInput, FactBrief
from tools.facts import FactKind
from tools.untrusted_text import reads_as_instructions


def _first_sentence(text: str) -> str:
    return SENTENCE_BREAK.split(text.strip())[0].strip()


def _usable(fact: FactBrief | None, payload: CallScriptInput) -> bool:
    if fact is None or reads_as_instructions(f"{fact.title or ''} {fact.text}"):
        return False  # never read injected instructions out to anyone
    return fact.kind is FactKind.POST or not is_stale(fact.published, payload.today)


def _candidates(payload: CallScriptInput) -> list[tuple[FactBrief, HookPhrases]]:
    """Return the facts worth calling about with their sentences, the analyst's best first."""
    facts = {fact.id: fact for fact in payload.facts}
    hooks = list(payload.hooks)
    if not hooks and payload.facts:
        analyze = AnalyzeInput(
            today=payload.today, lead=payload.lead, campaign=payload.campaign, facts=payload.facts
        )
        hooks = rank_hooks(analyze)
    found: list[tuple[FactBrief, HookPhrases]] = []
    for hook in hooks:
        fact = facts.get(hook.fact_ids[0]) if hook.fact_ids else None
        if fact is None or not _usable(fact, payload) or any(f.id == fact.id for f, _ in found):
            continue
        phrases = phrases_for(fact, payload.lead.company, payload.today, (payload.lead.name,))
        if phrases is not None:
            found.append((fact, phrases))
    return found


def _pick(payload: CallScriptInput) -> tuple[FactBrief, HookPhrases] | None:
    """The best fact; when the reason failed a check, another one if there is one."""
    candidates = _candidates(payload)
    feedback = payload.feedback
    if feedback is not None and any(issue.startswith("reason") for issue in feedback.issues):
        avoid = set(feedback.previous.reason_fact_ids)
        others = [(fact, phrases) for fact, phrases in candidates if fact.id not in avoid]
        candidates = others or candidates
    return candidates[0] if candidates else None


def _pitch(payload: CallScriptInput) -> str:
    campaign = payload.campaign
    pitch = campaign.short_pitch or _first_sentence(campaign.value_proposition)
    return pitch if pitch.endswith((".", "!", "?")) else f"{pitch}."


def _topic(payload: CallScriptInput, fact: FactBrief | None) -> str | None:
    """The campaign topic the call is about: one the fact mentions, else the campaign's first."""
    keywords = payload.campaign.target.keywords
    if fact is not None:
        text = f"{fact.title or ''} {fact.text}"
        for keyword in keywords:
            if mentions(text, keyword):
                return keyword
    return keywords[0] if keywords else None


def _voicemail(payload: CallScriptInput, picked: HookPhrases | None, compact: bool) -> str:
    lead, sender = payload.lead, payload.campaign.sender
    first = sender.name.split()[0] if sender.name.split() else sender.name
    greeting = "Hi" if lead.name == WITHHELD_NAME else f"Hi {lead.first_name}"
    hello = f"{greeting}, this is {sender.name} from {sender.company}."
    about = (
        f"I am calling about {picked.short}."
        if picked is not None
        else f"I am calling you at {lead.company}."
    )
    ask = f"Again, this is {first} from {sender.company}: please call me back when it suits you."
    # Drop detail until it fits: the pitch first, then what the call is about.
    options = [[hello, about, _pitch(payload), ask], [hello, about, ask], [hello, ask]]
    if compact:
        options = options[1:]
    text = ""
    for parts in options:
        text = " ".join(parts)
        if word_count(text) <= payload.max_voicemail_words:
            break
    return text


def write_call_script_offline(payload: CallScriptInput) -> CallScript:
    """Write a call script from the input's facts and campaign alone."""
    lead, campaign = payload.lead, payload.campaign
    sender = campaign.sender
    chosen = _pick(payload)
    fact, picked = chosen if chosen is not None else (None, None)
    greeting = "Hi" if lead.name == WITHHELD_NAME else f"Hi {lead.first_name}"
    opener = f"{greeting}, this is {sender.name} from {sender.company}, do you have two minutes?"
    pitch = lower_opening(_pitch(payload), (sender.company, lead.company))
    follow_up = (
        " I sent you a short note earlier and wanted to follow up by phone."
        if payload.earlier
        else ""
    )
    if picked is not None:
        reason = f"{picked.professional}{follow_up} That is why I am calling: {pitch}"
    else:
        role = f"as {lead.title} at {lead.company}" if lead.title else f"at {lead.company}"
        reason = f"I am calling you {role}.{follow_up} That is why I am calling: {pitch}"
    topic = _topic(payload, fact)
    questions = [
        f"When it comes to {topic}, what works well at {lead.company} today, and what does not?"
        if topic
        else f"What works well at {lead.company} today in this area, and what does not?",
        "If you could fix one thing about it this quarter, what would it be?",
    ]
    value = _first_sentence(campaign.value_proposition)
    objections = [
        Objection(
            objection="It is not a priority right now.",
            answer="That is fair, timing matters. Would it help if I sent a two-line summary "
            "and checked back next quarter?",
        ),
        Objection(
            objection="We already have a tool for that.",
            answer=f"That makes sense, most teams do. {value} Would a short comparison with "
            "what you have in place be useful?",
        ),
    ]
    return CallScript(
        opener=opener,
        reason=reason,
        reason_fact_ids=[fact.id] if fact is not None else [],
        discovery_questions=questions,
        objections=objections,
        voicemail=_voicemail(payload, picked, compact=payload.feedback is not None),
    )
