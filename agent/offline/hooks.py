"""Turn facts into ranked hooks and the sentences that carry them."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from agent.offline.matching import mentions
from agent.offline.name_case import lower_opening, name_led, reads_as_english
from agent.offline.triggers import TriggerType, classify, is_stale, recency_factor
from graphs.analysis import Hook
from graphs.task_inputs import AnalyzeInput, FactBrief
from tools.facts import FactKind
from tools.untrusted_text import reads_as_instructions

KIND_WEIGHT = {
    FactKind.REFERRAL: 0.95,
    FactKind.POST: 0.9,
    FactKind.NEWS: 0.8,
    FactKind.HIRING: 0.7,
    FactKind.TECHNOLOGY: 0.45,
    FactKind.COMPANY: 0.35,
    FactKind.PROFILE: 0.3,
}
MAX_HOOKS = 4
SHORT_TITLE_CHARS = 45
_HIRING = re.compile(r"lists (\d+) open roles? \((\d+) ([^,)]+)")
_TECH = re.compile(r"mentions (.+) on its website")
SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+")
"""The space after a sentence's end: split on it to get sentences."""
_HEADLINE = re.compile(r"^[^:]+:\s*(.+)$|^.+? is (.+)\.$")


def spoken_list(items: list[str], and_word: str = "and") -> str:
    """Join items as a sentence says them: "Kubernetes, GitLab CI and Java"."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {and_word} {items[-1]}"


def possessive(name: str) -> str:
    """Return "Acme's", or "Northwind Robotics'" for names ending in s."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def long_date(day: date) -> str:
    """Format a date as 'October 28'."""
    return f"{day:%B} {day.day}"


def short_date(day: date) -> str:
    """Format a date as 'Oct 28'."""
    return f"{day:%b} {day.day}"


@dataclass(frozen=True)
class HookPhrases:
    """Ways to say one hook, each using only what its fact says."""

    hook: Hook
    kind: FactKind
    professional: str
    friendly: str
    direct: str
    short: str
    """A few words for SMS and connection notes."""
    professional_next: str
    friendly_next: str
    direct_next: str
    """The same hook as a second point in a message."""


Phrases = tuple[str, str, str, str, str, str, str, str]
"""hook text, professional, friendly, direct, short, and the three "next" forms."""
PhraseBuilder = Callable[[FactBrief, str, date | None], Phrases | None]


def _post_phrases(fact: FactBrief, company: str, today: date | None = None) -> Phrases:
    talk = "gave the talk" in fact.text
    noun = "talk" if talk else "post"
    title = fact.title or f"your latest {noun}"
    day = fact.published
    # An old post is dated with its year, so nobody reads "February 20" as this February.
    dated = today is not None and is_stale(day, today)
    spoken = (f"{day:%B} {day.year}" if dated else long_date(day)) if day else ""
    when = f" ({spoken})" if day else ""
    on = f" from {spoken}" if day else ""
    short = f"your {short_date(day)} {noun}" if day else f"your {noun}"
    if dated and day:
        short = f"your {day:%b} {day.year} {noun}"
    if len(title) <= SHORT_TITLE_CHARS:
        short = f'your {noun} "{title}"'
    seen = "came across" if talk else "read"
    return (
        f"your {noun} “{title}”{when}",
        f"I {seen} your {noun} “{title}”{on}.",
        f"Your {noun} “{title}” stuck with me.",
        f"Saw your {noun} “{title}”{when}.",
        short,
        f"I also {seen} your {noun} “{title}”{on}.",
        f"I enjoyed your {noun} “{title}” too.",
        f"I also saw your {noun} “{title}”{when}.",
    )


def _news_phrases(fact: FactBrief, company: str, today: date | None = None) -> Phrases:
    title = fact.title or fact.text
    when = f" ({long_date(fact.published)})" if fact.published else ""
    on = f" from {long_date(fact.published)}" if fact.published else ""
    congrats = classify(fact) in (
        TriggerType.FUNDING,
        TriggerType.PRODUCT_LAUNCH,
        TriggerType.EXPANSION,
    )
    friendly = f"Congrats on “{title}”." if congrats else f"I saw “{title}”."
    short = (
        f"{possessive(company)} {short_date(fact.published)} news"
        if fact.published
        else f"{possessive(company)} news"
    )
    if len(title) <= SHORT_TITLE_CHARS:
        short = f'"{title}"'

    return (
        f"{possessive(company)} news “{title}”{when}",
        f"I saw {possessive(company)} news{on}: “{title}”.",
        friendly,
        f"Saw “{title}”{when}.",
        short,
        f"I also saw {possessive(company)} news{on}: “{title}”.",
        f"Congrats on “{title}” too." if congrats else f"I also saw “{title}”.",
        f"I also saw “{title}”{when}.",
    )


def _hiring_phrases(fact: FactBrief, company: str, today: date | None = None) -> Phrases | None:
    match = _HIRING.search(fact.text)
    if not match:
        return None
    total, first, department = match.group(1), match.group(2), match.group(3).strip()
    return (
        f"{total} open roles at {company} ({first} in {department})",
        f"I noticed {company} lists {total} open roles, {first} of them in {department}.",
        f"Looks like {company} is hiring: {total} open roles, {first} in {department}.",
        f"{company} has {total} open roles, {first} in {department}.",
        f"{possessive(company)} {total} open roles",
        f"I also noticed {company} lists {total} open roles, {first} of them in {department}.",
        f"Looks like {company} is hiring too: {total} open roles, {first} in {department}.",
        f"And {company} has {total} open roles, {first} in {department}.",
    )


def _tech_phrases(fact: FactBrief, company: str, today: date | None = None) -> Phrases | None:
    match = _TECH.search(fact.text)
    if not match:
        return None
    listed = match.group(1)
    techs = spoken_list([t.strip() for t in listed.split(",") if t.strip()])
    return (
        f"{possessive(company)} stack ({listed})",
        f"I noticed {company} mentions {techs} on its website.",
        f"I noticed {company} runs on {techs}.",
        f"{company} mentions {techs} on its site.",
        f"your {listed.split(', ')[0]} setup",
        f"I also noticed {company} mentions {techs} on its website.",
        f"And I noticed {company} runs on {techs}.",
        f"{company} also mentions {techs} on its site.",
    )


def _profile_phrases(fact: FactBrief, company: str, today: date | None = None) -> Phrases | None:
    if "'s interests:" in fact.text:
        return None  # personal interests make poor cold-outreach openers; not a role
    match = _HEADLINE.match(fact.text)
    role = (match.group(1) or match.group(2)) if match else None
    if not role or len(role.split()) > 12:
        return None
    return (
        f"your role as {role}",
        f"I am writing to you as {role}.",
        f"As {role}, you seemed like the right person to ask.",
        f"You are {role}.",
        f"your role as {role}",
        f"As {role}, you are the right person to ask.",
        f"And as {role}, you seemed like the right person to ask.",
        f"You are {role}, which is why I am writing.",
    )


_REFERRAL = re.compile(r"^(.{2,80}?) suggested I reach out to .+\.$")


def _referral_phrases(fact: FactBrief, company: str, today: date | None = None) -> Phrases | None:
    """A colleague's suggestion opens best, in the words the fact records."""
    match = _REFERRAL.match(fact.text)
    if match is None:
        return None
    who = match.group(1)
    said = f"{who} suggested I reach out to you."
    return (
        f"{who} suggested I reach out",
        said,
        f"{who} suggested I reach out to you, so here I am.",
        said,
        said,
        f"{who} suggested I reach out to you earlier.",
        f"{who} suggested I reach out to you earlier.",
        f"{who} suggested I reach out to you earlier.",
    )


MAX_DESCRIPTION_WORDS = 14


def _said_as_is(sentence: str, short: str) -> Phrases:
    """A sentence about the company, said as is ("Acme publishes a trust page …")."""
    return (
        sentence,
        f"I noticed {sentence}.",
        f"I noticed {sentence}.",
        f"{sentence}.",
        short,
        f"I also noticed {sentence}.",
        f"And I noticed {sentence}.",
        f"I also noticed {sentence}.",
    )


def _company_phrases(
    fact: FactBrief, company: str, today: date | None = None, names: tuple[str, ...] = ()
) -> Phrases | None:
    """What the company does, from its own one-line description ("Acme: payroll for X.")."""
    first = SENTENCE_BREAK.split(fact.text.strip(), maxsplit=1)[0].rstrip(".")
    name, colon, description = first.partition(":")
    if colon and name.strip().casefold() == company.casefold():
        what = description.strip()
        # "Acme: Acme makes payroll software.": the description names the company itself, so
        # the frame does not say "Acme makes" a second time.
        led = name_led(what, company)
        makes = f"{company} makes "
        if led is not None and led.startswith(makes):
            what = led[len(makes) :].strip()
        elif led is not None:
            about = led[len(company) :]
            if len(about.split()) > MAX_DESCRIPTION_WORDS or not reads_as_english(about):
                return None
            return _said_as_is(led, f"what {company} builds")
        if not what or len(what.split()) > MAX_DESCRIPTION_WORDS or not reads_as_english(what):
            return None
        what = lower_opening(what, (company, *names))
        return (
            f"what {company} makes ({what})",
            f"I see {company} makes {what}.",
            f"I like what {company} is building: {what}.",
            f"{company} makes {what}.",
            f"what {company} builds",
            f"I also see {company} makes {what}.",
            f"And I like what {company} is building: {what}.",
            f"{company} makes {what}.",
        )
    # "Acme publishes a trust page describing …": a sentence about the company, said as is.
    led = name_led(first, company)
    if led is None or len(led.split()) > MAX_DESCRIPTION_WORDS + 4:
        return None
    if not reads_as_english(led):
        return None
    return _said_as_is(led, f"what {company} publishes")


def phrases_for(
    fact: FactBrief, company: str, today: date | None = None, names: tuple[str, ...] = ()
) -> HookPhrases | None:
    """Return the hook and its sentences for a fact, or None if it makes no good hook.

    names are other proper names the fact may open with (the lead's), kept as written.
    """
    builders: dict[FactKind, PhraseBuilder] = {
        FactKind.REFERRAL: _referral_phrases,
        FactKind.POST: _post_phrases,
        FactKind.NEWS: _news_phrases,
        FactKind.HIRING: _hiring_phrases,
        FactKind.TECHNOLOGY: _tech_phrases,
        FactKind.PROFILE: _profile_phrases,
        FactKind.COMPANY: lambda f, c, t: _company_phrases(f, c, t, names),
    }
    builder = builders.get(fact.kind)
    built = builder(fact, company, today) if builder else None
    if built is None:
        return None
    text, professional, friendly, direct, short, professional_next, friendly_next, direct_next = (
        built
    )
    return HookPhrases(
        hook=Hook(text=text, fact_ids=[fact.id]),
        kind=fact.kind,
        professional=professional,
        friendly=friendly,
        direct=direct,
        short=short,
        professional_next=professional_next,
        friendly_next=friendly_next,
        direct_next=direct_next,
    )


def _score(fact: FactBrief, keywords: list[str], today: date) -> float:
    weight = KIND_WEIGHT.get(fact.kind, 0.0)
    if fact.kind in (FactKind.POST, FactKind.NEWS):
        weight *= recency_factor(fact.published, today)
    text = f"{fact.title or ''} {fact.text}"
    if any(mentions(text, k) for k in keywords):
        weight += 0.2
    return weight


def rank_hooks(payload: AnalyzeInput) -> list[Hook]:
    """Return the best hooks for a lead, strongest first, one per fact."""
    scored: list[tuple[float, Hook]] = []
    profile_seen = False
    # A researched profile is better evidence than the lead file's own line: cite it first.
    ordered = sorted(
        payload.facts,
        key=lambda f: f.kind is FactKind.PROFILE and not f.source_url.startswith("http"),
    )
    for fact in ordered:
        # Old news is never a hook; a person's own old post still is, dated with its year.
        stale = is_stale(fact.published, payload.today)
        if stale and fact.kind is not FactKind.POST:
            continue
        if reads_as_instructions(f"{fact.title or ''} {fact.text}"):
            continue  # never quote injected instructions back to anyone
        phrases = phrases_for(fact, payload.lead.company, payload.today, (payload.lead.name,))
        if phrases is None or (fact.kind is FactKind.PROFILE and profile_seen):
            continue
        profile_seen = profile_seen or fact.kind is FactKind.PROFILE
        scored.append((_score(fact, payload.campaign.target.keywords, payload.today), phrases.hook))
    scored.sort(key=lambda item: item[0], reverse=True)
    return [hook for _, hook in scored[:MAX_HOOKS]]
