"""Timing objections in the five languages: "not now", "try me in March", "next quarter"."""

from __future__ import annotations

from tools.replies.phrase_rules import Rule, rule
from tools.replies.verdict import Intent, ObjectionReason

TIMING = ObjectionReason.TIMING.value


def _objection(reason: str, language: str, *phrases: str) -> Rule:
    return rule(Intent.OBJECTION, 0.8, language, *phrases, reason=reason)


_EN_MONTHS = (
    r"january|february|march|april|may|june|july|august|september|october|november|december|"
    r"jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_ES_MONTHS = (
    r"enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|"
    r"diciembre"
)
_FR_MONTHS = r"janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre"
_DE_MONTHS = r"januar|februar|marz|april|mai|juni|juli|august|september|oktober|november|dezember"
_PT_MONTHS = (
    r"janeiro|fevereiro|marco|abril|maio|junho|julho|agosto|setembro|outubro|novembro|dezembro"
)

TIMING_RULES = (
    _objection(
        TIMING,
        "en",
        r"not (?:right )?now",
        r"not at the moment",
        r"not at this (?:time|point|stage)",
        r"not (?:a good |the right |a great |the best )(?:time|moment)",
        r"(?:bad|wrong) (?:time|timing)",
        r"timing (?:isn't|is not|is) (?:right|great|off|bad|ideal)",
        r"(?:try|ping|contact|reach|email|hit|check in with|ask) (?:me|us) (?:again |back )?(?:in|"
        r"next|"
        r"after|later|around|towards|toward|at the|once|early|end|mid|closer)",
        r"(?:circle|check|touch|come|get) back (?:to me |with me |to us )?(?:in|next|after|later|"
        r"around|towards|at|early|mid|end|once|then)",
        r"(?:try|ask) (?:me |us )?again (?:then|later|in|next|after)",
        r"reach (?:back )?out (?:again )?(?:in|next|after|later|around|towards)",
        r"follow up (?:in|next|after|later|around|towards)",
        r"(?:next|following) (?:quarter|year|month|fiscal year|fy)",
        rf"(?:in|after|until|before) (?:q[1-4]|the new year|a (?:few|couple of) (?:weeks|months)|"
        rf"(?:{_EN_MONTHS}))",
        r"(?:too|very|really|extremely|super) (?:busy|swamped|slammed|stretched)",
        r"(?:swamped|slammed|heads down|underwater) (?:right now|at the moment|this quarter|with)",
        r"maybe later",
        r"(?:in|after|over|around|before|until) (?:the )?(?:spring|summer|fall|autumn|winter|"
        r"the holidays|the new year|new year's|year end|year-end)",
        r"(?:revisit|reconnect|circle back|talk|speak|chat|reach out|follow up)(?: on)?(?: this|"
        r" again)?"
        r" (?:in|after|next) (?:q[1-4]|(?:the )?(?:spring|summer|fall|autumn|winter|the holidays|"
        r"the new year|new year's|year end|year-end))",
        r"(?:later|early|end of|towards the end of) (?:this|next) (?:year|quarter)",
        r"(?:in the middle of|currently going through|busy with) (?:a |an |our )?(?:reorg|merger|"
        r"migration|restructuring|acquisition|launch|audit)",
    ),
    _objection(
        TIMING,
        "es",
        r"ahora (?:mismo )?no",
        r"no (?:es|sea) (?:un |el )?(?:buen|mejor) momento",
        r"no es el momento",
        r"en este momento no",
        r"(?:por )?ahora no",
        r"mas adelante",
        r"(?:despues del?|en|para) (?:el )?(?:verano|invierno|otono|primavera|ano nuevo|cierre)",
        r"(?:el|al) (?:proximo|siguiente) (?:ano|trimestre|mes|semestre)",
        r"(?:escribeme|escribame|contactame|contacteme|llamame|vuelve a escribirme|"
        r"vuelva a escribirme|retomemos|hablemos|escribenos) (?:de nuevo |otra vez )?(?:en|el|"
        r"a partir|"
        r"despues|dentro|hacia|a finales|a principios)",
        r"dentro de (?:unos |un par de |algunos |pocos )?(?:meses|semanas)",
        rf"(?:a partir de|en|despues de|hasta) (?:{_ES_MONTHS})",
        r"(?:muy|bastante|super) (?:ocupad[oa]s?|liad[oa]s?)",
        r"a (?:finales|principios) de(?:l)? (?:ano|trimestre|mes)",
    ),
    _objection(
        TIMING,
        "fr",
        r"pas (?:pour )?(?:le moment|maintenant|tout de suite)",
        r"pas (?:le|un) (?:bon )?moment",
        r"plus tard",
        r"(?:apres|a) (?:l'ete|l'hiver|la rentree|les vacances|les fetes)|au printemps|en automne",
        r"(?:le )?timing n'est pas (?:ideal|bon|le bon)",
        r"(?:l'annee|le trimestre|le mois|le semestre) prochain",
        r"(?:recontactez|relancez|contactez|reecrivez|revenez vers)[- ]?(?:moi|nous)? ?(?:en|dans|"
        r"l'annee|"
        r"le mois|au|a partir|apres|debut|fin|vers)",
        r"dans (?:quelques|deux|trois|six) (?:mois|semaines)",
        rf"(?:a partir de|en|apres|des) (?:{_FR_MONTHS})",
        r"(?:debordes?|tres occupes?|surcharges?)",
    ),
    _objection(
        TIMING,
        "de",
        r"(?:im moment|momentan|derzeit|aktuell|gerade|zurzeit|zur zeit) (?:leider )?(?:nicht|kein|"
        r"keine)",
        r"(?:nicht|kein) (?:der )?(?:richtige|guter|passende) zeitpunkt",
        r"(?:spater|zu einem spateren zeitpunkt)",
        r"(?:nachstes|im nachsten|kommendes|im kommenden) (?:jahr|quartal|monat|halbjahr)",
        r"(?:melden|kommen) sie (?:sich )?(?:gerne |bitte |doch )?(?:im|in|nach|ab|anfang|ende|"
        r"mitte|"
        r"wieder|nochmal|noch einmal)",
        r"in (?:ein paar|einigen|zwei|drei|sechs) (?:monaten|wochen)",
        rf"(?:im|ab|nach dem?) (?:{_DE_MONTHS}|q[1-4]|neuen jahr)",
        r"(?:sehr|zu|total) (?:beschaftigt|ausgelastet|eingespannt)",
        r"(?:gerade|momentan|derzeit|aktuell|im moment|zeitlich) (?:eher |etwas |leider |sehr |"
        r"ganz )?"
        r"(?:ungunstig|schlecht|schwierig)",
        r"(?:im|ab|nach dem|bis zum) (?:fruhjahr|fruhling|sommer|herbst|winter|jahreswechsel)",
        r"(?:nochmal|noch einmal|wieder) (?:melden|schreiben|anfragen|kontaktieren)",
    ),
    _objection(
        TIMING,
        "pt",
        r"agora nao",
        r"(?:no momento|neste momento|por enquanto|por ora) nao",
        r"nao e (?:um |o )?(?:bom|melhor) momento",
        r"nao e o momento",
        r"mais (?:para a )?frente",
        r"mais tarde",
        r"(?:depois do|no|na|apos o) (?:verao|inverno|outono|primavera|carnaval|ano novo|"
        r"fim do ano)",
        r"(?:no )?(?:proximo|proxima) (?:ano|trimestre|mes|semestre)",
        r"(?:procure|contate|contacte|escreva|chame|fale comigo|fala comigo|retome|retomamos|"
        r"voltamos a falar|falamos|conversamos)"
        r"(?:-me)? (?:novamente |de novo )?(?:em|no|daqui|depois|a partir|la para|no inicio|"
        r"no final)",
        r"daqui a (?:alguns |uns |poucos |dois |tres |seis )?(?:meses|semanas)",
        rf"(?:a partir de|em|depois de) (?:{_PT_MONTHS})",
        r"(?:muito|super|bastante) ocupad[oa]s?",
    ),
)
"""Not now: later, after a date, a season or an event."""
