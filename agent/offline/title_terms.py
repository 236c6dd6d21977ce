"""Read common non-English job titles as their English equivalents.

Campaigns list target titles in English ("Head of Platform", "CISO"), but leads abroad carry
titles in their own language ("Leiter Plattform-Engineering", "RSSI"). A model reads those
natively; the offline analyst uses this small glossary of German, French and Spanish title
terms so a strong fit abroad is not scored as a poor fit.
"""

from __future__ import annotations

import re

_GLOSSARY: tuple[tuple[str, str], ...] = (
    # Whole titles first, then the words titles are built from.
    (r"technische[rn]? (?:leiter|leiterin|geschäftsführer(?:in)?)", "CTO"),
    (r"leiter(?:in)? (?:der )?(?:it|edv)", "Head of IT"),
    (r"leiter(?:in)?", "Head of"),
    (r"plattform", "Platform"),
    (r"softwareentwicklung|entwicklung", "Engineering"),
    (r"informationssicherheitsbeauftragte[rn]?", "CISO"),
    (r"rssi|responsable de la sécurité des systèmes d'information", "CISO"),
    (r"direct(?:eur|rice) technique", "CTO"),
    (r"direct(?:eur|rice) (?:de l'|de la |des )?ingénierie", "Director of Engineering"),
    (r"responsable (?:de la )?conformité", "Compliance Manager"),
    (r"directora? de tecnología|director técnico|directora técnica", "CTO"),
    (r"directora? de ingeniería", "Director of Engineering"),
    (r"jef[ea] de ingeniería", "Head of Engineering"),
    (r"jef[ea] de seguridad", "Head of Security"),
    (r"directora? de datos|jef[ea] de datos", "Head of Data"),
)
_PATTERNS = [
    (re.compile(rf"(?<!\w)(?:{pattern})(?!\w)", re.IGNORECASE), english)
    for pattern, english in _GLOSSARY
]


def english_title(title: str) -> str:
    """Return the title with known non-English title terms replaced by English ones.

    >>> english_title("Leiter Plattform-Engineering")
    'Head of Platform-Engineering'
    >>> english_title("RSSI")
    'CISO'
    """
    for pattern, english in _PATTERNS:
        title = pattern.sub(english, title)
    return title
