"""Word lists for how a message sounds, per language: spam phrases, clichés, the markers of a
formal, slangy or hedging register, and placeholder fillers.

English is graphs/critic/lexicon.py's lists; Spanish, French and German are here. A message is
read with its own language's lists and English's (English phrases cross over); a language
without lists is read with all of them (a spam phrase is spam in any language).
"""

from __future__ import annotations

import re
from functools import cache

from graphs.critic.lexicon import (
    CLICHES,
    FORMAL_MARKERS,
    HEDGE_MARKERS,
    PLACEHOLDER_PATTERNS,
    SLANG_MARKERS,
    SPAM_PHRASES,
)
from graphs.critic.pattern_prefix import starts_with

SPAM: dict[str, tuple[str, ...]] = {
    "en": SPAM_PHRASES,
    "es": (
        "gratis", "100% gratis", "oferta exclusiva", "oferta limitada", "por tiempo limitado",
        "compra ya", "compre ahora", "cómpralo ya", "sin compromiso", "garantizado",
        "garantizada", "haga clic aquí", "haz clic aquí", "pulsa aquí", "gana dinero",
        "dinero fácil", "no te lo pierdas", "no se lo pierda", "última oportunidad",
        "mejor precio", "precio más bajo", "regalo gratis", "has sido seleccionado",
        "ha sido seleccionado", "ganador", "actúa ya", "actúe ahora", "urgente",
    ),
    "fr": (
        "100% gratuit", "offre exclusive", "offre limitée", "offre spéciale", "durée limitée",
        "achetez maintenant", "commandez maintenant", "cliquez ici", "sans engagement",
        "satisfait ou remboursé", "garanti à 100%", "gagnez de l'argent", "argent facile",
        "ne manquez pas", "dernière chance", "meilleur prix", "prix le plus bas",
        "cadeau gratuit", "vous avez été sélectionné", "vous avez gagné", "agissez maintenant",
        "urgent",
    ),
    "de": (
        "kostenlos", "100% kostenlos", "gratis", "exklusives angebot", "jetzt kaufen",
        "jetzt bestellen", "hier klicken", "klicken sie hier", "nur für kurze zeit",
        "zeitlich begrenzt", "geld verdienen", "schnelles geld", "nicht verpassen",
        "letzte chance", "bester preis", "tiefpreis", "sie wurden ausgewählt",
        "sie haben gewonnen", "gratis geschenk", "sofort handeln", "dringend",
    ),
}  # fmt: skip
"""Phrases that trip spam filters or read as mass mail."""

CLICHE: dict[str, tuple[str, ...]] = {
    "en": CLICHES,
    "es": (
        "espero que estés bien", "espero que se encuentre bien",
        "espero que este correo te encuentre bien", "solo quería hacer seguimiento",
        "quería ponerme en contacto", "sinergia", "sinergias", "revolucionario",
        "revolucionaria", "de vanguardia", "líder del mercado", "cambio de paradigma",
        "solución integral", "de primer nivel",
    ),
    "fr": (
        "j'espère que vous allez bien", "j'espère que ce message vous trouve bien",
        "je me permets de vous contacter", "je reviens vers vous", "synergie", "synergies",
        "révolutionnaire", "à la pointe", "de pointe", "changement de paradigme",
        "leader du marché", "solution clé en main", "solution globale",
    ),
    "de": (
        "ich hoffe, es geht ihnen gut", "ich hoffe, diese e-mail erreicht sie",
        "ich wollte mich kurz melden", "synergie", "synergien", "revolutionär", "bahnbrechend",
        "state of the art", "innovative lösung", "paradigmenwechsel", "marktführer",
        "ganzheitliche lösung", "best-in-class",
    ),
}  # fmt: skip
"""Filler a strict editor strikes; softer than spam."""

FORMAL: dict[str, tuple[str, ...]] = {
    "en": FORMAL_MARKERS,
    "es": (
        "por medio de la presente", "le informamos que", "sírvase", "a quien corresponda",
        "en virtud de", "muy señor mío", "muy señora mía", "le saluda atentamente",
        "atentamente", "adjunto le remito", "quedamos a su entera disposición",
    ),
    "fr": (
        "veuillez agréer", "je vous prie d'agréer", "salutations distinguées", "par la présente",
        "nous vous informons que", "conformément à", "à qui de droit", "ci-joint",
        "sous réserve de", "je vous saurais gré",
    ),
    "de": (
        "sehr geehrte damen und herren", "hochachtungsvoll", "hiermit", "bezugnehmend auf",
        "zu ihrer kenntnisnahme", "wir teilen ihnen mit", "im auftrag", "gemäß ihrer anfrage",
        "anbei erhalten sie",
    ),
}  # fmt: skip
"""A formal, bureaucratic register: wrong for a friendly or direct draft."""

SLANG: dict[str, tuple[str, ...]] = {
    "en": SLANG_MARKERS,
    "es": ("jaja", "jeje", "xq", "porfa", "tío", "mola", "guay", "bro", "wey"),
    "fr": ("mdr", "ptdr", "wesh", "tkt", "jpp", "chelou", "kiffe", "trop stylé"),
    "de": ("digga", "geil", "krass", "alter schwede", "bock auf", "lol", "omg"),
}  # fmt: skip
"""Text-speak and slang: wrong for a professional or direct draft."""

HEDGE: dict[str, tuple[str, ...]] = {
    "en": HEDGE_MARKERS,
    "es": (
        "tal vez", "quizás", "quizá", "perdona la molestia", "disculpa la molestia",
        "siento molestarte", "si no es mucha molestia", "puede que me equivoque",
    ),
    "fr": (
        "peut-être", "éventuellement", "désolé de vous déranger", "pardon de vous déranger",
        "si ce n'est pas trop", "je me trompe peut-être",
    ),
    "de": (
        "vielleicht", "eventuell", "möglicherweise", "entschuldigen sie die störung",
        "sorry für die störung", "falls es nicht zu viel", "ich könnte mich irren",
    ),
}  # fmt: skip
"""Hedging and apology: wrong for a direct draft."""

PLACEHOLDERS: dict[str, tuple[tuple[str, re.Pattern[str]], ...]] = {
    "en": PLACEHOLDER_PATTERNS,
    "es": (
        ("bracket placeholder", re.compile(
            r"\[(?:tu|su|insertar|nombre|apellido|empresa|compañía|cargo)[^\]]*\]", re.I)),
        ("angle placeholder", re.compile(r"<(?:NOMBRE|APELLIDO|EMPRESA)[A-Z_]*>")),
        ("filler text", re.compile(r"(?i:\bpor completar\b|\bpendiente de rellenar\b)")),
    ),
    "fr": (
        ("bracket placeholder", re.compile(
            r"\[(?:votre|leur|insérer|prénom|nom|entreprise|société|poste)[^\]]*\]", re.I)),
        ("angle placeholder", re.compile(r"<(?:PRENOM|PRÉNOM|NOM|ENTREPRISE|SOCIETE)[A-Z_]*>")),
        ("filler text", re.compile(r"(?i:\bà compléter\b|\bà remplir\b)")),
    ),
    "de": (
        ("bracket placeholder", re.compile(
            r"\[(?:ihr|ihre|einfügen|vorname|nachname|name|firma|unternehmen|position)[^\]]*\]",
            re.I)),
        ("angle placeholder", re.compile(r"<(?:VORNAME|NACHNAME|FIRMA|UNTERNEHMEN)[A-Z_]*>")),
        ("filler text", re.compile(r"(?i:\bplatzhalter\b|\bhier einfügen\b|\bbitte ergänzen\b)")),
    ),
}  # fmt: skip
"""Unfilled template variables and fillers, besides English's (which every language gets)."""


def _codes(language: str, lists: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    if language in lists:
        return tuple(dict.fromkeys((language, "en")))
    return tuple(lists)


@cache
def phrases(kind: str, language: str = "en") -> tuple[str, ...]:
    """Return the phrases of a kind ("spam", "cliche", "formal", "slang", "hedge") for a
    message in language: its own and English's; all languages' for one without lists."""
    lists = {"spam": SPAM, "cliche": CLICHE, "formal": FORMAL, "slang": SLANG, "hedge": HEDGE}
    chosen = lists[kind]
    if kind in ("slang", "formal", "hedge") and language not in chosen:
        return chosen["en"]  # a register marker in another language may be an ordinary word
    return tuple(dict.fromkeys(p for code in _codes(language, chosen) for p in chosen[code]))


@cache
def phrase_pattern(kind: str, language: str = "en") -> re.Pattern[str]:
    """Match any phrase of a kind as whole words, longest first (so overlaps report fully)."""
    ordered = sorted(phrases(kind, language), key=len, reverse=True)
    alternatives = "|".join(map(re.escape, ordered))
    return re.compile(rf"{starts_with(ordered)}(?<![\w-])(?:{alternatives})(?![\w-])")


def placeholder_patterns(language: str = "en") -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Return the placeholder patterns for a message in language (English's always apply)."""
    if language in PLACEHOLDERS:
        extra = PLACEHOLDERS[language] if language != "en" else ()
        return (*PLACEHOLDER_PATTERNS, *extra)
    return tuple(p for code in PLACEHOLDERS for p in PLACEHOLDERS[code])
