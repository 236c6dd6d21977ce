"""Check a call script the way a draft is checked: the message checks, part by part.

Every part the caller says is run through the same grounding, placeholder, link and
copied-instructions checks a message body gets (graphs/critic/checks.py, copy_checks.py), so a
script can claim nothing about the lead that no fact supports. Then what only a script has: the
fact its reason is built on must exist, two questions and two objections, and a voicemail short
enough to leave that names the caller and asks for a call back.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from graphs.critic.checks import (
    check_links,
    check_placeholders,
    word_count,
)
from graphs.critic.copy_checks import check_copied_instructions
from graphs.critic.grounding import Evidence
from graphs.critic.grounding_check import check_grounding
from graphs.drafts import Tone, Variant
from graphs.lead import Campaign, Lead
from graphs.lead_screening import LeadScreen, screen_lead
from graphs.research import found_nothing
from tools.facts import Fact

if TYPE_CHECKING:
    from graphs.call_scripts import CallScript

MAX_VOICEMAIL_WORDS = 75
"""A voicemail longer than this is cut off or skipped: about 30 seconds spoken."""
# Placeholders a call script in particular tends to leave: a number or a time to fill in.
_CALL_PLACEHOLDERS = re.compile(
    r"\[[^\]]*\b(?:phone|number|time|date|day|email|title|role|product|tool)\b[^\]]*\]"
    r"|<[^>\n]*\b(?:phone|number|name)\b[^>\n]*>"
    r"|\(?\b(?:x{3}|5{3})\)?[-. ]?(?:x{3}|5{3})[-. ]?(?:x{4}|5{4})\b"
    r"|\{[^{}\n]*\}",
    re.IGNORECASE,
)
_CALL_BACK = re.compile(
    r"\b(?:call(?:ing)?\s+(?:me\s+)?back|call\s+me|give\s+me\s+a\s+(?:call|ring)|ring\s+me|"
    r"reach\s+me|get\s+back\s+to\s+me|reply|respond|write\s+back|email\s+me|"
    r"try\s+(?:you\s+)?again)\b",
    re.IGNORECASE,
)


def _says(text: str, words: str) -> bool:
    """Whether text holds words as whole words, in any case."""
    return re.search(rf"(?<!\w){re.escape(words)}(?!\w)", text, re.IGNORECASE) is not None


def _shape_issues(script: CallScript) -> list[str]:
    issues = []
    if len(script.discovery_questions) != 2:
        issues.append(f"{len(script.discovery_questions)} discovery questions; write exactly two")
    if len(script.objections) != 2:
        issues.append(f"{len(script.objections)} objections; write exactly two, with answers")
    issues += [f"{label} is empty" for label, text in script.spoken_parts() if not text.strip()]
    return issues


def _citation_issues(script: CallScript, facts: dict[str, Fact], researched: bool) -> list[str]:
    unknown = [i for i in script.reason_fact_ids if i not in facts]
    issues = [f"reason cites unknown fact(s) {', '.join(unknown)}"] if unknown else []
    if researched and not script.reason_fact_ids:
        issues.append("reason cites no fact; build it on one fact and give its id")
    if len(script.reason_fact_ids) > 1:
        issues.append(f"reason cites {len(script.reason_fact_ids)} facts; build it on one")
    return issues


def _voicemail_issues(script: CallScript, campaign: Campaign) -> list[str]:
    voicemail = script.voicemail
    issues = []
    words = word_count(voicemail)
    if words > MAX_VOICEMAIL_WORDS:
        issues.append(f"voicemail: {words} words; cut it to at most {MAX_VOICEMAIL_WORDS}")
    sender_first = campaign.sender.name.split()[0] if campaign.sender.name.split() else ""
    if sender_first and not _says(voicemail, sender_first):
        issues.append(f"voicemail does not say who is calling ({campaign.sender.name})")
    if not _CALL_BACK.search(voicemail):
        issues.append("voicemail does not ask for a call back")
    return issues


def _opener_issues(script: CallScript, campaign: Campaign) -> list[str]:
    sender = campaign.sender
    first = sender.name.split()[0] if sender.name.split() else ""
    missing = [name for name in (first, sender.company) if name and not _says(script.opener, name)]
    if missing:
        return [f"opener does not name {' and '.join(missing)}"]
    return []


def _part_issues(
    label: str,
    text: str,
    *,
    screen: LeadScreen,
    campaign: Campaign,
    facts: dict[str, Fact],
    evidence: Evidence,
    unpersonalized: bool,
) -> list[str]:
    """Run the message checks on one spoken part."""
    part = Variant(tone=Tone.PROFESSIONAL, subject=None, body=text)
    checks = [
        check_grounding(part, screen.lead, facts, evidence, unpersonalized, campaign=campaign),
        check_placeholders(part, campaign),
        check_links(part, campaign),
        check_copied_instructions(part, screen.findings, campaign, evidence),
    ]
    issues = [f"{label}: {check.detail}" for check in checks if not check.passed]
    leftover = [m.group(0) for m in _CALL_PLACEHOLDERS.finditer(text)]
    if leftover and not any(c.name == "placeholders" and not c.passed for c in checks):
        issues.append(f"{label}: unfilled: {', '.join(dict.fromkeys(leftover))}")
    return issues


def call_script_issues(
    script: CallScript, *, lead: Lead, campaign: Campaign, facts: Sequence[Fact]
) -> list[str]:
    """Return what is wrong with a call script, each issue naming its part; [] if nothing.

    facts are what the writer was given: none for a lead research found nothing about, whose
    script (like an unpersonalized message) may say nothing only research could tell.
    """
    by_id = {fact.id: fact for fact in facts}
    unpersonalized = found_nothing(facts)
    # Judged against the lead as the writer saw it: a withheld field is no evidence.
    screen = screen_lead(lead)
    evidence = Evidence.for_message(screen.lead, campaign, facts)
    issues = _shape_issues(script)
    issues += _citation_issues(script, by_id, researched=not unpersonalized)
    for label, text in script.spoken_parts():
        issues += _part_issues(
            label,
            text,
            screen=screen,
            campaign=campaign,
            facts=by_id,
            evidence=evidence,
            unpersonalized=unpersonalized,
        )
    issues += _opener_issues(script, campaign)
    issues += _voicemail_issues(script, campaign)
    return issues
