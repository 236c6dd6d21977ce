"""Recognise an out-of-office message by what it says, in the five languages.

Headers usually mark one, but forwarded or pasted ones and some servers' replies come without
them; and a reply marked automatic is an out-of-office only when its text says the sender is
away (otherwise it is a ticket receipt or a list's auto-reply).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tools.replies.phrase_search import PhraseHit, rx, sentence_at

_AWAY = (
    r"away|out|off|travell?ing|offline|unavailable|on (?:annual |parental |maternity |paternity "
    r"|sick |medical |bereavement |extended |study )?leave|on (?:vacation|holiday|holidays|pto|"
    r"sabbatical|a business trip|business travel|a trip|the road|a course|a conference)"
)
_LEADS = r"(?:^|(?<=\n)|(?<=: )|(?<=[.!?] ))"
"""Where a notice's heading starts: the text's or a line's start, after "Automatic reply: "."""
_ALONE = (
    r"(?=[ \t]*(?:[.!:\n(-]|$|(?:auto-?reply|notice|message|notification|(?:re|aw|wg|fwd?|tr|rv)"
    r" ?:|out of office|abwesenheitsnotiz)\b))"
)
"""A heading that ends there ("Out of office.", "Fuera de la oficina: …", "Out of Office
AutoReply: …", "Out of Office RE: …")."""
_THEN = r"[ \t]{0,3}[,:;(-]?[ \t]{0,3}"
"""Between the phrase and the time that follows it: "Out of office - back Monday"."""
_ME = r"(?:i am|i'm|im|i will be|i'll be|i shall be|we are|we're|we will be|we'll be)"


def _said(phrase: str, first_person: str, then: str) -> tuple[str, ...]:
    """An absence phrase that alone may be talk about one ("out of office policy"): taken
    after the first person, before a time ("until …", "back on …"), or as a heading."""
    return (
        rf"{first_person}(?: currently| now| still| presently)? {phrase}",
        rf"{phrase}{_THEN}(?:{then}|\d)",
        rf"{_LEADS}{phrase}{_ALONE}",
    )


OUT_OF_OFFICE = {
    "en": rx(
        *_said(
            r"(?:out of (?:the )?office|ooo)",
            _ME,
            r"until|till|thru|through|from|returning|return|back|today|tomorrow|this week|"
            r"next week|between|over|during|all week|and (?:will|won't|will not|returning|back|"
            r"with)|on (?:\w+day|leave|vacation|holiday|pto|annual|sick|parental|maternity|"
            r"paternity|business|a |the \d|\d)|for (?:the|a|an|two|three|four|several|some|\d)|"
            r"with (?:limited|no|intermittent|restricted|little|sporadic) (?:access|e-?mail)",
        ),
        r"(?:currently|presently) (?:" + _AWAY + r")",
        rf"(?:i am|i'm|im|i will be|i'll be|we are|we're) (?:currently |now )?(?:{_AWAY})"
        r" (?:until|till|through|from|and will|with|returning|back|on|this week|today|for|"
        r"between|over|at)",
        r"(?:i am|i'm|i will be|i'll be) (?:currently )?on (?:vacation|holiday|holidays|pto|leave|"
        r"sabbatical|a business trip|parental leave|maternity leave|paternity leave)",
        r"on (?:annual|parental|maternity|paternity|sick|medical|bereavement|extended) leave",
        r"(?:limited|no|intermittent|restricted|little) access to (?:my )?e-?mails?",
        r"away from (?:the office|my desk|my e-?mail|e-?mail|work)",
        r"(?:respond|reply|get back to you|answer|read|deal with|attend to|follow up)[^.\n]{0,60}"
        r"(?:when|upon|on|after) (?:i |my )?return",
        r"(?:will be|i'll be|be) back (?:in the office |at work |at my desk )?on",
        r"back in the office on",
        r"annual leave",
        r"public holiday",
        r"out sick",
        r"(?:^|(?<=[.!?-] )|(?<=\n))(?:out|away|off|offline|ooo|travell?ing) (?:today|until|till|"
        r"thru|"
        r"through|this week|for the (?:day|week)|on (?:leave|vacation|holiday|pto))",
        r"(?:i'm|i am) (?:on|at|in) (?:a |an )?[\w -]{0,25}(?:visit|trip|conference|offsite|event|"
        r"training|course|holiday|vacation|leave|workshop) (?:until|till|through|thru)",
        r"(?:i'm|i am) (?:out|off|away|not in|not working) (?:today|this week|tomorrow)",
        r"i (?:don't|do not) work on (?:mondays|tuesdays|wednesdays|thursdays|fridays|weekends)",
        r"(?:i'll|i will) (?:see|read|get to|reply to|respond to|answer) (?:your|this) (?:message|"
        r"e-?mail|"
        r"note) (?:on|after|from|tomorrow)",
        r"(?:office|offices|we) (?:is |are |will be )?(?:closed|shut) (?:from|until|till|for|"
        r"between|over|on)",
        r"(?:i'm|i am|i'll be|i will be) (?:at|attending) (?:a |the )?(?:conference|trade ?show|"
        r"offsite|"
        r"off-site|event|summit)",
        r"(?:away|travell?ing|on (?:vacation|holiday|holidays|leave|pto|sabbatical)|off|out|"
        r"offline) "
        r"(?:until|till|thru|through)",
    ),
    "es": rx(
        *_said(
            r"fuera de (?:la )?oficina",
            r"(?:estoy|estare|me encuentro|estaremos|estamos)",
            r"hasta|desde|del \d|el (?:\d|dia|proximo|resto|lunes|martes|miercoles|jueves|viernes)|"
            r"los (?:dias|proximos)|a partir|durante|esta semana|hoy|manana|por (?:vacaciones|"
            r"viaje)|con acceso|sin acceso|y (?:volvere|regresare|vuelvo|regreso|con|sin)|"
            r"(?:volvere|regresare|vuelvo|regreso|de vuelta|de regreso|vuelta)",
        ),
        r"(?:estoy|estare|me encuentro|estaremos|estamos) (?:actualmente )?(?:de vacaciones|fuera|"
        r"ausente|de viaje|de baja|de permiso|de licencia|sin acceso|disfrutando de)",
        r"(?:acceso limitado|sin acceso|acceso restringido) (?:al|a mi|a) correo",
        r"(?:volvere|regresare|vuelvo|regreso|estare de vuelta|estare de regreso|me reincorporo|"
        r"me reincorporare) (?:a la oficina )?(?:el|a partir|el dia|el proximo|manana)",
        r"(?:respondere|contestare|atendere)[^.\n]{0,60}(?:a mi (?:vuelta|regreso)|"
        r"cuando (?:vuelva|regrese))",
        r"baja (?:por )?(?:maternidad|paternidad|enfermedad)",
        r"(?:en|durante) mi ausencia",
        r"(?:oficinas?|empresa) (?:estara[n]? |permanecera[n]? |esta[n]? )?cerrad[ao]s?",
    ),
    "fr": rx(
        *_said(
            r"absente? du bureau",
            r"(?:je suis|je serai|nous sommes|je me trouve)",
            r"jusqu|du \d|du (?:lundi|mardi|mercredi|jeudi|vendredi)|depuis|le (?:\d|lundi|mardi|"
            r"mercredi|jeudi|vendredi)|a partir|cette semaine|aujourd|pour (?:la|les|\d|quelques)|"
            r"des \d|avec (?:un |une )?acces|sans acces|"
            r"et (?:je )?(?:serai|reviendrai|rentrerai|de retour|reprendrai)|(?:de )?retour|"
            r"reprise",
        ),
        r"message d'absence",
        r"(?:je suis|je serai|nous sommes|je me trouve) (?:actuellement )?(?:absente?|en conges?|"
        r"en vacances|en deplacement|hors du bureau|en conge|indisponible)",
        r"en (?:conges?|vacances)(?: (?:jusqu|du|a partir|et)|[,.;])",
        r"je (?:reprends|reprendrai|serai de retour|rentre|rentrerai) (?:le|lundi|mardi|mercredi|"
        r"jeudi|"
        r"vendredi|le travail|mes fonctions|a partir)",
        r"de retour (?:le|a partir|au bureau|des|lundi|mardi|mercredi|jeudi|vendredi)",
        r"(?:acces limite|pas acces|pas d'acces) (?:a mes|aux|a ma|a mes) (?:e-?mails|mails|"
        r"courriels|messagerie)",
        r"(?:je vous repondrai|je traiterai|je repondrai)[^.\n]{0,60}(?:a mon retour|"
        r"des mon retour)",
        r"(?:pendant|durant|en) mon absence",
        r"absente? (?:jusqu|du (?!bureau)|a partir|le|cette semaine|aujourd|pour)",
        r"(?:nos )?bureaux (?:sont |seront )?fermes",
    ),
    "de": rx(
        r"abwesenheitsnotiz",
        *_said(
            r"nicht im (?:buro|haus|hause|office)",
            r"(?:ich bin|bin ich|wir sind|sind wir|ich werde|werde ich)(?:(?!(?:dass|weil|ob|wenn|"
            r"sondern|aber|sicher|glaube|denke|meine)\b)(?:[^.,;!?\n]|(?<=\d)\.)){0,40}?",
            r"bis|vom|ab|am|seit|heute|morgen|diese woche|zwischen|und (?:ab|wieder|bin)|"
            r"(?:wieder|zuruck)",
        ),
        r"au(?:ß|ss)er haus",
        r"(?:im|in) urlaub",
        r"abwesend",
        r"(?:wieder|zuruck) (?:im buro|erreichbar|verfugbar|im haus|am platz|da)",
        r"(?:buro|buros|unternehmen) (?:ist|sind|bleibt|bleiben) (?:vom|bis|zwischen|geschlossen)",
        r"zuruck (?:am|ab)",
        r"(?:eingeschrankt|keinen zugriff|keinen zugang|nur eingeschrankt)[^.\n]{0,30}(?:e-?mails|"
        r"mails|postfach)",
        r"(?:wahrend|in) meiner abwesenheit",
        r"(?:elternzeit|mutterschutz|dienstreise|sabbatical|betriebsferien)",
        r"(?:bis|ab) [^.!?\n]{1,30}unterwegs",
        r"unterwegs (?:bis|und)",
        r"(?:bin|sind) (?:gerade |derzeit |aktuell )?unterwegs",
        r"nicht erreichbar",
    ),
    "pt": rx(
        *_said(
            r"fora do escritorio",
            r"(?:estou|estarei|me encontro|estaremos|estamos)",
            r"ate|de \d|de (?:ferias|licenca|folga)|desde|a partir|no dia|nesta semana|esta semana|"
            r"hoje|amanha|entre|durante|"
            r"com acesso|sem acesso|e (?:volto|retorno|retornarei|voltarei)|retorno|volto|"
            r"de volta",
        ),
        r"(?:estou|estarei|me encontro|estaremos|estamos) (?:atualmente )?(?:de ferias|ausente|"
        r"fora|"
        r"em viagem|de licenca|sem acesso|em licenca)",
        r"de ferias",
        r"(?:retorno|volto|voltarei|retornarei|estarei de volta|regressarei) (?:ao escritorio )?"
        r"(?:em|no dia|dia|a partir|na|no|amanha)",
        r"acesso (?:limitado|restrito) (?:ao|a|aos) (?:e-?mails?|email|correio)",
        r"(?:responderei|respondo)[^.\n]{0,60}(?:no meu retorno|quando (?:voltar|retornar)|"
        r"ao retornar|apos o meu retorno)",
        r"licenca[- ](?:maternidade|paternidade|medica)",
        r"(?:durante|na) minha ausencia",
        r"escritorios? (?:estara|estarao|esta|estao|ficara|ficarao) fechad[oa]s?",
    ),
}
"""What an out-of-office message says (folded text), by language."""

_PAST = re.compile(
    r"(?<!\w)(?:was|were|been|estaba|estuve|estuvo|etais|etait|ai ete|war|waren|bin gewesen|"
    r"estava|estive|esteve)\s+(?:\w+\s+){0,2}$"
)
"""A past absence ("sorry, I was out of office") is an excuse, not an absence."""
PAST_CHARS = 24
"""How far before an absence phrase the past tense is looked for."""


@dataclass(frozen=True)
class AwayHit:
    """Where a reply says its sender is away, and in which language it says so."""

    hit: PhraseHit
    language: str


def find_out_of_office(text: str, folded: str) -> AwayHit | None:
    """Return the first place a reply's own words say the sender is away, or None.

    Past absences are passed over without building their sentence: a text that repeats "I was
    away" a thousand times costs a thousand short look-behinds, and one sentence lookup."""
    found: tuple[int, int, str] | None = None
    for language, pattern in OUT_OF_OFFICE.items():
        for match in pattern.finditer(folded):
            start = match.start()
            if found is not None and start >= found[0]:
                break  # an earlier language already said so sooner
            if _PAST.search(folded[max(0, start - PAST_CHARS) : start]):
                continue
            found = (start, match.end(), language)
            break
    if found is None:
        return None
    start, end, language = found
    return AwayHit(PhraseHit(start, end, sentence_at(text, start, end)), language)
