"""Spanish form of address: the professional tone says usted, unless the campaign says tú.

A campaign's Spanish copy is used word for word, and many are written in tú ("¿Te encaja una
llamada…?", "frenan tu CI"). A professional draft that says "Leí su artículo" and then asks
"¿Te encaja…?" switches form mid-message, so when the copy says tú, the professional tone's
own words say tú too. The phrasebook and the follow-up templates are written once, in usted;
this table turns each usted phrase they use into its tú form.
"""

from __future__ import annotations

import re

from graphs.drafts import Tone
from graphs.task_inputs import GeneratedDrafts, GenerateInput

_TU_MARKERS = re.compile(
    r"\b(?:tu|tus|te|ti|contigo|tienes|quieres|puedes|sabes|estás|eres|encaja\w* tu)\b",
    re.IGNORECASE,
)
_USTED_MARKERS = re.compile(r"\b(?:usted|ustedes|le encaja|su equipo)\b", re.IGNORECASE)

_VERBS_AFTER_LE = (
    "cuento|resumo|escribo|escribe|envié|haré|hago|interesa|interesaría|parece|vendría|va|"
    "encaja|sirve|ayudaría"
)
TUTEO: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (rf"\bLe ({_VERBS_AFTER_LE})\b", r"Te \1"),
        (rf"\ble ({_VERBS_AFTER_LE})\b", r"te \1"),
        (r"\bse le ha\b", "se te ha"),
        (r"\bLe escribo porque es\b", "Te escribo porque eres"),
        (r"\bes usted la persona\b", "eres la persona"),
        (r"\bcon usted\b", "contigo"),
        (r"\bPara que se haga una idea\b", "Para que te hagas una idea"),
        (r"\bDígame si le\b", "Dime si te"),
        (r"\bcomentarle\b", "comentarte"),
        (r"\bresponda a este mensaje\b", "responde a este mensaje"),
        (r"\bsu (bandeja|papel|trabajo|caso|artículo|charla)\b", r"tu \1"),
        (r"\bSu (artículo|charla)\b", r"Tu \1"),
    )
)
"""Each usted phrase of the Spanish book and follow-up templates, and its tú form."""


def says_tu(copy: str) -> bool:
    """Whether a campaign's Spanish copy addresses the reader as tú (and never as usted)."""
    return bool(_TU_MARKERS.search(copy)) and not _USTED_MARKERS.search(copy)


def to_tu(text: str) -> str:
    """A professional Spanish draft's usted phrases in their tú form."""
    for pattern, replacement in TUTEO:
        text = pattern.sub(replacement, text)
    return text


def in_campaigns_address(drafts: GeneratedDrafts, payload: GenerateInput) -> GeneratedDrafts:
    """Spanish professional drafts say tú when the campaign's copy does (es_register.py)."""
    campaign = payload.campaign
    copy = " ".join(filter(None, [campaign.value_proposition, campaign.short_pitch,
                                  campaign.call_to_action]))  # fmt: skip
    if payload.language != "es" or not says_tu(copy):
        return drafts
    variants = [
        d.model_copy(
            update={"body": to_tu(d.body), "subject": to_tu(d.subject) if d.subject else None}
        )
        if d.tone is Tone.PROFESSIONAL
        else d
        for d in drafts.variants
    ]
    return drafts.model_copy(update={"variants": variants})
