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
            r"financiaci[oó]n\b|\b(?:recauda|levanta|cierra)\b[^.]*\bmillones\b|\bserie [a-f]\b|"
            r"\bl[eè]ve\b[^.]*\b(?:millions?|fonds)\b|\blev[ée]e de fonds\b|\bs[ée]rie [a-f]\b|"
            r"\bfinanzierungsrunde\b|\bseries-[a-f]-finanzierung\b|\bsammelt\b[^.]*\bmillionen\b",
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
            r"\bnueva oficina\b|\bexpansi[oó]n\b|\bouvre (?:un|une|son|sa) (?:nouve\w+ )?"
            r"(?:bureau|site|agence|filiale)\b|\bnouveau bureau\b|\bs['’]étend\b|"
            r"\beröffnet\b|\bexpandiert\b|\bneues büro\b",
        ),
        (
            "product_launch",
            r"\blaunch|\bintroduc|\bunveil|\breleas|\bannounc|\blanza\b|\blanzamiento\b|"
            r"\bpresenta (?:su |el |la )?nuev[oa]\b|\blance (?:son|sa|un|une)\b|\blancement\b|"
            r"\bdévoile (?:son|sa|un|une)\b|\bstartet\b|\bstellt [^.]* vor\b",
        ),
        (
            "hiring_surge",
            r"\bhiring\b|\bdoubl\w* (?:the|our) team\b|\bgrow\w* (?:the|our) team\b|"
            r"\bcontrata\b|\bampl[ií]a (?:su|el) equipo\b|\brecrute\b|\bstellt .* ein\b",
        ),
    )
)


_BAD_NEWS = re.compile(
    r"\b(?:bankrupt\w*|insolven\w*|layoffs?|lays? off|job cuts|shuts? down|lawsuit|"
    r"breach|quiebra|concurso de acreedores|despidos?|cierra (?:su|sus) (?:oficina|sede|planta)s?|"
    r"plan social|"
    r"licenciements?|redressement|liquidation|procédure de sauvegarde|faillite|"
    r"Insolvenz\w*|Entlassungen|Stellenabbau|geplatzt|schließt (?:seinen|ihren|den) Standort)\b",
    re.IGNORECASE,
)
"""Headlines no one congratulates: a company in trouble is no trigger to write on."""


def classify_trigger(headline: str) -> str | None:
    """Return the trigger type a headline signals (funding, product_launch, ...), if any;
    None for bad news ("files for insolvency", "plan social"), whatever else it says."""
    if _BAD_NEWS.search(headline):
        return None
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
