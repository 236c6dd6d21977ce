"""Which language to write to a lead in, and why.

In order: the campaign's language (a campaign that says "write in German" wins); the lead's
own, from the lead file or the API; the language of the lead's profile page, then of their
company's site (research marks each fact with its page's language; facts researched before
that are read with a language detector); English. Only en, es, fr and de are written: a page
in another language means English, and the reason says so.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from graphs.lead import LANGUAGES, Campaign, Language, Lead
from tools.company_research import TOOL_NAME as COMPANY_TOOL
from tools.facts import Fact
from tools.page_language import detect_language
from tools.profile_research import TOOL_NAME as PROFILE_TOOL

DEFAULT_LANGUAGE: Language = "en"
PAGE_SOURCES: tuple[tuple[str, str], ...] = (
    ("profile page", PROFILE_TOOL),
    ("company site", COMPANY_TOOL),
)
"""Where a lead's language may be read, strongest first: what the person wrote about
themselves, then what their employer publishes."""


def _supported(code: str) -> Language | None:
    for language in LANGUAGES:
        if code == language:
            return language
    return None


def facts_language(facts: Sequence[Fact]) -> str | None:
    """Return the language most of the facts' pages are in (ISO 639-1), from the language
    research recorded; when none recorded one, what the facts' own text reads as; None when
    neither tells (no facts, or too little text)."""
    recorded: Counter[str] = Counter()
    for fact in facts:
        code = fact.attributes.get("language")
        if isinstance(code, str):
            recorded[code] += 1
    if recorded:
        # Ties go to the page read first (a site's home page before its careers page).
        return max(recorded, key=lambda code: recorded[code])
    return detect_language(" ".join(fact.text for fact in facts))


def infer_language(lead: Lead, facts: list[Fact], campaign: Campaign) -> tuple[Language, str]:
    """Return the language to write to the lead in (en, es, fr or de) and why: "campaign
    setting", "lead row", "profile page (de)", "company site (es)", or "default" (with what
    was found when it was a language we do not write in)."""
    if campaign.language is not None:
        return campaign.language, "campaign setting"
    if lead.language is not None:
        return lead.language, "lead row"
    for source, tool in PAGE_SOURCES:
        code = facts_language([fact for fact in facts if fact.tool == tool])
        if code is None:
            continue
        language = _supported(code)
        if language is not None:
            return language, f"{source} ({language})"
        return DEFAULT_LANGUAGE, (
            f"default: the {source} is in {code}, not a language messages are written in "
            f"({', '.join(LANGUAGES)})"
        )
    return DEFAULT_LANGUAGE, "default"


def writable_language(
    wanted: tuple[Language, str], campaign: Campaign, writer_languages: frozenset[str] | None
) -> tuple[Language, str]:
    """Return the language the run's writer can actually write in, and why.

    A model (writer_languages None) writes any of them, translating the campaign's words when
    it has none in that language. The offline writer writes only its phrasebooks' languages,
    and cannot translate: it needs the campaign's own words in the language too. Otherwise
    the message is written in English and the reason says what was wanted.
    """
    language, reason = wanted
    if writer_languages is None or language == DEFAULT_LANGUAGE:
        return wanted
    if language not in writer_languages:
        return DEFAULT_LANGUAGE, f"{reason}, but the offline writer has no {language} phrasebook"
    if not campaign.writes_in(language):
        return DEFAULT_LANGUAGE, (
            f"{reason}, but the campaign has no {language} pitch for the offline writer "
            "(add it under translations)"
        )
    return wanted
