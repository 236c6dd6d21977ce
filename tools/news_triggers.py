"""Classify news into trigger events: why now is a good time to reach out."""

from __future__ import annotations

import re
from datetime import date, datetime

# Values match graphs.analysis.TriggerType; tools stay independent of graphs.
_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (trigger, re.compile(pattern, re.IGNORECASE))
    for trigger, pattern in (
        # English, then Spanish, French and German headlines ("Pagaluna cierra una ronda",
        # "Tallyfold lève 20 millions", "schließt Series-A-Finanzierung ab").
        (
            "funding",
            r"\braise[sd]?\b|\bfunding\b|\bseries[ -][a-f]\b|\bseed round\b|\bronda de "
            r"financiaci[oó]n\b|\brecauda\b|\blevanta\b|\bserie [a-f]\b|\bl[eè]ve\b|\blev[ée]e de "
            r"fonds\b|\bs[ée]rie [a-f]\b|\bfinanzierung|\bfinanzierungsrunde\b|\bsammelt\b",
        ),
        (
            "acquisition",
            r"\bacquir|\bacquisition\b|\bmerge[sd]?\b|\badquiere\b|\badquisici[oó]n\b|"
            r"\brach[eè]te\b|\brachat\b|\bübernimmt\b|\bübernahme\b",
        ),
        (
            "leadership_change",
            r"\bnames\b|\bappoint|\bjoins as\b|\bnew (?:cto|ceo|cfo|vp|head)\b|\bnombra\b|"
            r"\bnomme\b|\bnouveau (?:cto|ceo|directeur)\b|\bernennt\b|\bneue[rn]? (?:cto|ceo)\b",
        ),
        ("partnership", r"\bpartner(?:s|ship)?\b|\balianza\b|\bpartenariat\b|\bpartnerschaft\b"),
        (
            "expansion",
            r"\bopens?\b.*\boffice\b|\bexpan(?:d|sion)\b|\bnew market|"
            r"\bnueva oficina\b|\bexpansi[oó]n\b|\bouvre\b|\bnouveau bureau\b|\bs['’]étend\b|"
            r"\beröffnet\b|\bexpandiert\b|\bneues büro\b",
        ),
        (
            "product_launch",
            r"\blaunch|\bintroduc|\bunveil|\breleas|\bannounc|\blanza\b|\blanzamiento\b|"
            r"\bpresenta\b|\blance\b|\blancement\b|\bdévoile\b|\bstartet\b|\bstellt .* vor\b",
        ),
        (
            "hiring_surge",
            r"\bhiring\b|\bdoubl\w* (?:the|our) team\b|\bgrow\w* (?:the|our) team\b|"
            r"\bcontrata\b|\bampl[ií]a (?:su|el) equipo\b|\brecrute\b|\bstellt .* ein\b",
        ),
    )
)


def classify_trigger(headline: str) -> str | None:
    """Return the trigger type a headline signals (funding, product_launch, ...), if any."""
    for trigger, pattern in _RULES:
        if pattern.search(headline):
            return trigger
    return None


def age_in_days(published: date | None, today: date) -> int | None:
    """Return how old an item is, in days (None when undated)."""
    return None if published is None else (today - published).days


def dated_attributes(
    published: date | None, title: str, now: datetime
) -> dict[str, str | int | list[str]]:
    """Record how old an item is and which trigger its headline signals."""
    attributes: dict[str, str | int | list[str]] = {}
    age = age_in_days(published, now.date())
    if age is not None:
        attributes["age_days"] = age
    trigger = classify_trigger(title)
    if trigger:
        attributes["trigger"] = trigger
    return attributes
