"""What kind of fact a phrase names: "your September post", "la charla de octubre", "Ihre
Ankündigung vom Oktober" name a post, a talk, an announcement.

A date claim beside such a noun dates a fact of that kind (tools.facts.FactKind), whichever fact
the rest of its sentence draws on most.
"""

from __future__ import annotations

import re

_KIND_NOUNS: dict[str, str] = {
    "post": """post posts article articles blog blogpost write-up writeup piece essay talk talks
        keynote presentation webinar podcast episode interview thread newsletter paper slides
        publicación publicaciones artículo artículos entrada charla charlas ponencia
        conferencia conferencias publication publications billet billets tribune conférence
        conférences intervention beitrag beiträge artikel blogbeitrag vortrag vorträge""",
    "news": """news announcement announcements launch launches release round raise funding deal
        acquisition partnership expansion opening noticia noticias anuncio anuncios
        lanzamiento ronda financiación adquisición acuerdo annonce annonces lancement levée
        financement acquisition partenariat nachricht nachrichten ankündigung meldung
        finanzierung finanzierungsrunde übernahme partnerschaft""",
    "hiring": """roles openings jobs hiring vacancies vacantes puestos ofertas postes offres
        recrutement stellen stellenanzeigen""",
}
KIND_OF_NOUN: dict[str, str] = {
    noun: kind for kind, nouns in _KIND_NOUNS.items() for noun in nouns.split()
}
"""A noun naming a fact, lower-case, to the kind of fact it names."""
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_SENTENCE_END = re.compile(r"[.!?;\n]")
REACH = 4
"""How many words either side of a date may name what it dates."""


def kinds_near(text: str, start: int, end: int) -> frozenset[str]:
    """The fact kinds the nouns within REACH words of text[start:end] name, in its sentence."""
    before = _SENTENCE_END.split(text[max(0, start - 60) : start])[-1]
    after = _SENTENCE_END.split(text[end : end + 60], maxsplit=1)[0]
    near = _WORD.findall(before)[-REACH:] + _WORD.findall(after)[:REACH]
    return frozenset(kind for word in near if (kind := KIND_OF_NOUN.get(word.lower())))
