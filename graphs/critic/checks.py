"""Each check looks at one quality of a draft and says what to fix."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from graphs.analysis import Hook
from graphs.context import CriticSettings
from graphs.critic.cta_checks import check_call_to_action
from graphs.critic.hook_usage import hook_is_used
from graphs.critic.lexicon import SPAM_PHRASES
from graphs.critic.message_text import read_compliance
from graphs.critic.register_checks import check_spam, check_tone
from graphs.critic.register_lexicon import placeholder_patterns
from graphs.drafts import CheckResult, Variant
from graphs.lead import Campaign, Channel, Lead
from tools.delivery.sms import segment_count as sms_segments
from tools.facts import Fact

__all__ = [
    "GREETING", "SENTENCE_PATTERN", "SPAM_PATTERN", "URL_PATTERN", "check_call_to_action",
    "check_channel_limit", "check_length", "check_links",
    "check_personalization", "check_placeholders", "check_recipient_name", "check_spam",
    "check_subject", "check_tone", "guidance_leaks", "hook_is_used", "sms_segments", "word_count",
]  # fmt: skip

_WORD = re.compile(r"[^\W_][\w'’-]*")
SENTENCE_PATTERN = re.compile(r"[^.!?\n]+[.!?]?")
GREETING = re.compile(
    r"^\s*(?i:hi|hello|hey|dear|hola|estimad[oa]|querid[oa]|bonjour|salut|cher|chère|hallo|"
    r"liebe[r]?|sehr geehrte[r]?)\s+"
    r"(?:(?i:mr|ms|mrs|mx|dr|prof|sr|sra|srta|don|doña|m|mme|mlle|herr|frau)\.?\s+)?"
    r"([^\W\d_][\w'-]*)"
)
"""An opening greeting and the name it greets, in English, Spanish, French or German."""
_NOT_NAMES = frozenset(
    """team all everyone everybody there folks again equipo todos todas tous toutes équipe
    zusammen allerseits""".split()
)
"""Words a greeting names nobody with ("Hi Team", "Hallo zusammen")."""


def _any_phrase(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """Match any of the phrases as whole words (longest first, so overlaps report fully)."""
    ordered = sorted(phrases, key=len, reverse=True)
    return re.compile(rf"(?<![\w-])(?:{'|'.join(map(re.escape, ordered))})(?![\w-])")


SPAM_PATTERN = _any_phrase(SPAM_PHRASES)
URL_PATTERN = re.compile(r"(?=[hw])\b(?:https?://|www\.)[^\s<>\")\]]+", re.IGNORECASE)
_EMAIL_ADDRESS = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_STOPWORDS = frozenset(
    """the a an and or of to in on at for with your you our we is are was were it its this that
    from by as be about into after before their they them his her""".split()
)


def word_count(text: str) -> int:
    """Count words the way a reader would."""
    return len(_WORD.findall(text))


def check_length(variant: Variant, channel: Channel, settings: CriticSettings) -> CheckResult:
    """Keep an email body within the word range; short channels are checked by characters."""
    words = word_count(variant.body)
    if channel is Channel.EMAIL:
        low, high = settings.email_min_words, settings.email_max_words
    elif channel is Channel.LINKEDIN:
        low, high = 15, 150
    else:
        low, high = 8, 40
    if low <= words <= high:
        return CheckResult(name="length", passed=True, score=1.0, detail=f"{words} words")
    off = (low - words) / low if words < low else (words - high) / high
    direction = "short" if words < low else "long"
    return CheckResult(
        name="length",
        passed=False,
        score=max(0.0, 1.0 - off),
        detail=f"{words} words; too {direction} (target {low}-{high})",
        fix=f"Rewrite to between {low} and {high} words.",
    )


def check_channel_limit(
    variant: Variant,
    channel: Channel,
    campaign: Campaign,
    settings: CriticSettings,
    sms_suffix: str = "",
) -> CheckResult:
    """Enforce the hard limits of the channel: SMS segments (with what the sender appends),
    LinkedIn characters."""
    if channel is Channel.SMS:
        text = f"{variant.body.rstrip()}\n{sms_suffix}" if sms_suffix else variant.body
        segments, encoding = sms_segments(text)
        ok = segments <= settings.sms_max_segments
        detail = f"{len(text)} characters, {encoding}, {segments} segment(s)"
        if sms_suffix:
            detail += f" with the line {sms_suffix!r} the first text of a thread ends with"
        fix = (
            "Shorten to one SMS segment (160 GSM-7 characters, 70 if any emoji or special letter)."
        )
    elif channel is Channel.LINKEDIN:
        limit = (
            settings.linkedin_note_max_chars
            if campaign.linkedin_format == "connection_note"
            else settings.linkedin_message_max_chars
        )
        ok = len(variant.body) <= limit
        detail = f"{len(variant.body)} of {limit} characters"
        fix = f"Cut the message to at most {limit} characters."
    else:
        ok = variant.subject is not None and bool(variant.subject.strip())
        detail = "subject present" if ok else "email has no subject"
        fix = "Add a short, specific subject line."
    return CheckResult(
        name="channel_limit", passed=ok, score=1.0 if ok else 0.0, hard=True, detail=detail,
        fix=None if ok else fix,
    )  # fmt: skip


def check_subject(variant: Variant, settings: CriticSettings) -> CheckResult:
    """Keep subjects short enough for a phone, calm and honest."""
    subject = (variant.subject or "").strip()
    problems: list[str] = []
    if len(subject) > settings.subject_max_chars:
        problems.append(f"{len(subject)} characters (max {settings.subject_max_chars})")
    if "!" in subject:
        problems.append("exclamation mark")
    if subject and subject.upper() == subject and any(c.isalpha() for c in subject):
        problems.append("all capitals")
    if not problems:
        # Mobile shows about 30-40 characters; longer subjects still pass with a lower score.
        score = 1.0 if len(subject) <= 45 else 0.85
        return CheckResult(name="subject", passed=True, score=score, detail=f"{len(subject)} chars")
    return CheckResult(
        name="subject",
        passed=False,
        score=0.3,
        detail="; ".join(problems),
        fix="Write a plain subject under 45 characters, no exclamation marks or capitals.",
    )


def _bare_link(text: str) -> str:
    return re.sub(r"\b(?:https?://)?(?:www\.)?", "", text.lower())


def _host(link: str) -> str:
    """The host a link or address points at ("brightpath.example")."""
    bare = _bare_link(link)
    return bare.split("@")[-1].split("/")[0].split("?")[0]


def own_links(campaign: Campaign, extra: Iterable[str] = ()) -> tuple[str, set[str]]:
    """Return what the campaign links to (its texts, the sender's mailbox and booking page,
    and extra: the addresses the product itself puts in messages), and the hosts of those."""
    sender = campaign.sender
    texts = (
        campaign.value_proposition, campaign.short_pitch, campaign.template,
        campaign.call_to_action, sender.signature, sender.postal_address, sender.email,
        sender.booking_url, *extra,
        *(copy.value_proposition for copy in campaign.translations.values()),
        *(copy.call_to_action or "" for copy in campaign.translations.values()),
    )  # fmt: skip
    own, hosts = _links_of(texts, (sender.booking_url, *extra))
    return own, set(hosts)


@lru_cache(maxsize=256)
def _links_of(
    texts: tuple[str | None, ...], linked: tuple[str | None, ...]
) -> tuple[str, frozenset[str]]:
    """own_links for the campaign's texts and the links given on their own (cached: every
    draft of a campaign asks, and reading its texts took a twelfth of the critic's time)."""
    own = _bare_link(" ".join(filter(None, texts)))
    hosts = {
        _host(m.group(0))
        for m in (*URL_PATTERN.finditer(" ".join(filter(None, texts))),
                  *_EMAIL_ADDRESS.finditer(" ".join(filter(None, texts))))
    }  # fmt: skip
    hosts |= {_host(link) for link in linked if link}
    return own, frozenset(hosts)


def check_links(variant: Variant, campaign: Campaign, extra_own: Iterable[str] = ()) -> CheckResult:
    """Fail links and email addresses the campaign does not own (phishing, injected text).

    The campaign's own are what its texts, the sender's mailbox and booking page and extra_own
    (CriticSettings.own_links: the product's unsubscribe address) give; an unsubscribe or
    opt-out line may link anywhere on one of those hosts.
    """
    text = f"{variant.subject or ''}\n{variant.body}"
    own, hosts = own_links(campaign, extra_own)
    _, notices = read_compliance(text, campaign)
    addresses = _EMAIL_ADDRESS.finditer(text) if "@" in text else ()  # each has an "@"
    found = [
        (m.group(0).rstrip(".,;:!?"), m.start()) for m in (*URL_PATTERN.finditer(text), *addresses)
    ]
    foreign = [
        item
        for item, at in found
        if _bare_link(item) not in own
        and not (_host(item) in hosts and any(s <= at < e for s, e in notices))
    ]
    if not foreign:
        return CheckResult(name="links", passed=True, score=1.0, hard=True, detail="none foreign")
    return CheckResult(
        name="links",
        passed=False,
        score=0.0,
        hard=True,
        detail=f"links or addresses not from the campaign: {', '.join(foreign)}",
        fix="Remove every link and email address that the campaign did not provide.",
    )


_DIRECTIVE = re.compile(
    r"^(?:please\s+)?(?:do not|don't|never|avoid|always|make sure|be sure|keep|use|mention|"
    r"emphasi[sz]e|highlight|focus on|stress|point out)\b",
    re.IGNORECASE,
)


def guidance_leaks(body: str, custom_context: str | None) -> list[str]:
    """Sentences of the campaign's writer guidance that were pasted into the message.

    Guidance such as "Do not mention pricing" instructs the writer; a message that repeats it
    shows the recipient our instructions. Only directive sentences of four or more words
    count, compared without case or spacing differences.
    """
    if not custom_context:
        return []
    flat = " ".join(body.split()).casefold()
    leaks = []
    for sentence in SENTENCE_PATTERN.findall(custom_context):
        words = sentence.strip().rstrip(".!").split()
        phrase = " ".join(words)
        if len(words) >= 4 and _DIRECTIVE.match(phrase) and phrase.casefold() in flat:
            leaks.append(phrase)
    return leaks


def check_placeholders(
    variant: Variant,
    campaign: Campaign | None = None,
    facts: Iterable[Fact] = (),
    language: str = "en",
) -> CheckResult:
    """Fail any unfilled template variable or placeholder, or pasted writer guidance.

    Text quoted from a fact is as its source wrote it: a post titled "Why {{ ref }} breaks
    dbt" is no unfilled variable. Compliance lines are the sender's own.
    """
    text = f"{variant.subject or ''}\n{variant.body}"
    quoted = " ".join(part for fact in facts for part in (fact.title, fact.text) if part)
    _, notices = read_compliance(text, campaign)
    leaks = [
        m.group(0)
        for _, pattern in placeholder_patterns(language)
        for m in pattern.finditer(text)
        if m.group(0) not in quoted and not any(s <= m.start() < e for s, e in notices)
    ]
    pasted = guidance_leaks(variant.body, campaign.custom_context if campaign else None)
    if pasted:
        return CheckResult(
            name="placeholders", passed=False, score=0.0, hard=True,
            detail=f"writer guidance pasted into the message: {pasted[0]!r}",
            fix="Follow the campaign's guidance; never repeat it to the recipient.",
        )  # fmt: skip
    if not leaks:
        return CheckResult(name="placeholders", passed=True, score=1.0, hard=True, detail="none")
    return CheckResult(
        name="placeholders", passed=False, score=0.0, hard=True,
        detail=f"unfilled: {', '.join(dict.fromkeys(leaks))}",
        fix="Replace every placeholder with real text from the lead, or remove it.",
    )  # fmt: skip


def check_recipient_name(variant: Variant, lead: Lead) -> CheckResult:
    """Fail a greeting that names someone other than the lead."""
    match = GREETING.match(variant.body)
    # "Hi there", "Hello team": a lowercase word after the greeting names nobody.
    if (
        not match
        or not match.group(1)[0].isupper()
        or match.group(1).casefold() in _NOT_NAMES
        or match.group(1).casefold() in lead.name.casefold().split()
    ):
        return CheckResult(name="recipient_name", passed=True, score=1.0, hard=True, detail="ok")
    return CheckResult(
        name="recipient_name", passed=False, score=0.0, hard=True,
        detail=f"greets {match.group(1)!r} but the lead is {lead.name}",
        fix=f"Greet {lead.first_name}.",
    )  # fmt: skip


def _strong(hook: Hook, facts: dict[str, Fact], settings: CriticSettings) -> bool:
    """Whether a hook cites a fact of a strong kind (a post, news, hiring, a referral, the
    stack), not only the lead's profile or the company's description."""
    return any(facts[i].kind in settings.strong_hook_kinds for i in hook.fact_ids)


def check_personalization(
    variant: Variant,
    channel: Channel,
    facts: dict[str, Fact],
    settings: CriticSettings,
    unpersonalized: bool = False,
    names: Iterable[str] = (),
) -> CheckResult:
    """Require enough hooks backed by real facts and visible in the body: the channel's
    minimum (CriticSettings.min_personalization), or one that cites a strong fact.

    names: the lead's own names (person, company): a body saying them carries no hook.

    An unpersonalized draft (research found nothing about the lead) has no fact to cite, so no
    hook is asked of it; grounding still fails anything it claims beyond the row and campaign.
    """
    if unpersonalized:
        return CheckResult(
            name="personalization", passed=True, score=1.0,
            detail="not required: unpersonalized, research found nothing about this lead",
        )  # fmt: skip
    needed = settings.min_personalization.get(channel, 1)
    used = [
        h for h in variant.hooks
        if h.fact_ids and all(i in facts for i in h.fact_ids)
        and hook_is_used(h, variant.body, names=names)
    ]  # fmt: skip
    strong = [h for h in used if _strong(h, facts, settings)]
    if len(used) >= needed or strong:
        detail = f"{len(used)} grounded hook(s) used (need {needed}"
        detail += ", or one strong)" if needed > 1 else ")"
        if strong and len(used) < needed:
            detail = f"one strong hook used ({strong[0].text!r}), enough on its own"
        return CheckResult(name="personalization", passed=True, score=1.0, detail=detail)
    weak = f"; {len(used)} cite only the profile or company description" if used else ""
    return CheckResult(
        name="personalization", passed=False, score=len(used) / needed,
        detail=f"{len(used)} grounded hook(s) used, need {needed} or one strong{weak}",
        fix=f"Use at least {needed} specific details from the facts, or one about a post, "
        "news, hiring or their stack, citing their ids.",
    )  # fmt: skip
