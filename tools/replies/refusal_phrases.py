"""Phrases that close the door by saying no, in the five languages.

A refusal is an explicit
no ("not interested", "hard pass", "nein danke"); its reason comes from what else the reply
says (an objection, or one of the reason hints here: no need, dislike of cold outreach, a bad
experience).
"""

from __future__ import annotations

from tools.replies.phrase_rules import rule
from tools.replies.verdict import Intent

N = Intent.NOT_INTERESTED

NO_NEED = "no_need"
NO_COLD_OUTREACH = "no_cold_outreach"
BAD_EXPERIENCE = "bad_experience"
TIMING = "timing"

_COLD = (
    r"(?:cold|sales|spam|spammy|unsolicited|automated|automatic|generic|mass|ai|ai-generated|"
    r"templated|bot|robot)"
)
SARCASM_RULES = (
    rule(
        N,
        0.75,
        "en",
        r"(?:great|oh great|wonderful|fantastic|lovely|awesome|perfect|just what i needed|"
        r"brilliant|super|wow|amazing)[,!.]* (?:just )?(?:another|more|yet another|one more)",
        rf"(?:another|yet another) {_COLD} (?:e-?mail|pitch|message|outreach|sequence)",
        r"yeah,? right",
        r"thanks for the spam",
        r"(?:more|such|pure|obvious|total|just) spam",
        r"(?:this is|is) spam",
        r"stop spamming",
        r"\w+(?:\.\.\.|…)\s*not[.!]*$",
        reason=NO_COLD_OUTREACH,
    ),
    rule(
        N,
        0.75,
        "es",
        r"(?:genial|que bien|estupendo|fantastico|perfecto|que maravilla)[,!.]* (?:otro|otra|mas) "
        r"(?:correo|email|e-mail|mail|mensaje)",
        r"otro (?:correo|email|mail|mensaje) (?:mas )?(?:de spam|frio|comercial|masivo|automatico)",
        r"(?:mas|otro|puro|esto es) spam",
        reason=NO_COLD_OUTREACH,
    ),
    rule(
        N,
        0.75,
        "fr",
        r"(?:super|genial|formidable|parfait|encore)[,!.]* (?:encore )?un(?:e)? (?:autre )?"
        r"(?:e-?mail|mail|courriel|message) (?:de prospection|commercial|automatique)",
        r"encore (?:un|du) (?:spam|mail de prospection|e-?mail commercial|demarchage)",
        r"(?:c'est du|encore du) spam",
        reason=NO_COLD_OUTREACH,
    ),
    rule(
        N,
        0.75,
        "de",
        r"(?:toll|super|na toll|klasse|prima|wunderbar)[,!.]* (?:schon )?(?:wieder|noch) (?:eine|"
        r"so eine|mehr)",
        r"schon wieder (?:eine )?(?:kaltakquise|werbe\w*|spam)",
        r"(?:das ist|reiner) spam",
        reason=NO_COLD_OUTREACH,
    ),
    rule(
        N,
        0.75,
        "pt",
        r"(?:otimo|que legal|maravilha|perfeito|que bom)[,!.]* mais (?:um|uma) (?:e-?mail|email|"
        r"mensagem)",
        r"mais (?:um|uma) (?:e-?mail|email|mensagem) (?:de spam|frio|comercial|de vendas|"
        r"automatic[oa])",
        r"(?:mais|isso e) spam",
        reason=NO_COLD_OUTREACH,
    ),
)
"""Sarcasm and annoyance at the outreach itself: never read "great, another…" as interest."""

REFUSAL_RULES = (
    rule(
        N,
        0.85,
        "en",
        r"not (?:really |at all |particularly |very |even remotely )?interested",
        r"(?:no|zero) interest",
        r"(?:not|nothing) (?:of )?interest to (?:us|me)",
        r"no,? (?:thanks?|thx|ty|tks)(?: you)?",
        r"no thank you",
        r"thanks,? but no",
        r"hard (?:no|pass)",
        r"(?:i|we)(?:'ll| will| must| have to| need to|'re going to| are going to| am going to|"
        r"'m going to)"
        r" (?:have to )?pass",
        r"pass on this",
        r"(?:not|isn't|is not) (?:really )?for (?:us|me)",
        r"not something (?:we|i)(?:'re| are|'m| am| would)",
        r"no need to follow up",
        r"we(?:'re| are) (?:all )?good,? thanks",
        r"^\s*(?:no|nope|pass)\s*[.!]*\s*$",
        r"(?<=[.!?] )pass[.!]?$",
    ),
    rule(
        N,
        0.85,
        "en",
        r"(?:no|not any|don't have any|do not have any) (?:real )?need for",
        r"(?:don't|do not|no longer) need (?:this|it|that|such|a tool)",
        reason=NO_NEED,
    ),
    rule(
        N,
        0.85,
        "en",
        r"(?:not|isn't|is not|not really) (?:a )?(?:priority|focus)(?: for us| right now)?",
        r"not (?:currently )?(?:looking|in the market) for",
        r"(?:we're|we are|i'm|i am) not (?:currently )?(?:looking|shopping|evaluating)",
    ),
    rule(
        N,
        0.85,
        "es",
        r"no (?:me|nos) interesa",
        r"no (?:estoy|estamos) interesad[oa]s?",
        r"sin interes",
        r"no,? gracias",
        r"no es para (?:nosotros|mi)",
        r"(?:paso|pasamos)(?:,| gracias|\.|$)",
        r"no (?:tenemos|tengo) (?:ningun )?interes",
        r"^\s*no\s*[.!]*\s*$",
        r"no (?:es|son) (?:una |nuestra )?prioridad",
        r"no (?:estamos|estoy) buscando",
    ),
    rule(
        N,
        0.85,
        "es",
        r"no (?:lo |la |los )?necesitamos",
        r"no (?:tenemos|hay) necesidad",
        reason=NO_NEED,
    ),
    rule(
        N,
        0.85,
        "fr",
        r"pas (?:du tout |vraiment )?interesse(?:e|s|es)?",
        r"ne (?:m|nous)'interesse (?:pas|plus)",
        r"(?:aucun|pas d')interet",
        r"non,? merci",
        r"pas pour (?:nous|moi)",
        r"^\s*non\s*[.!]*\s*$",
        r"(?:ce n'est )?pas (?:une |notre )?priorite",
        r"(?:ne cherchons pas|ne sommes pas a la recherche|ne recherchons pas)",
    ),
    rule(
        N,
        0.85,
        "fr",
        r"(?:nous n'en avons|on n'en a|n'en avons|je n'en ai) pas besoin",
        r"pas besoin",
        reason=NO_NEED,
    ),
    rule(
        N,
        0.85,
        "de",
        r"kein (?:weiteres |gro(?:ß|ss)es )?interesse",
        r"(?:nicht|kein) interessiert",
        r"interessiert (?:mich|uns) (?:leider |gar |uberhaupt )?nicht",
        r"nein,? danke",
        r"(?:ist|sind) (?:fur uns|fur mich) (?:leider )?nicht interessant",
        r"nichts fur (?:uns|mich)",
        r"^\s*nein\s*[.!]*\s*$",
        r"keine prioritat",
        r"(?:suchen|brauchen) (?:derzeit |aktuell )?keine(?:n)? (?:neuen )?(?:anbieter|"
        r"dienstleister|partner|losung)",
    ),
    rule(
        N,
        0.85,
        "de",
        r"(?:kein|keinen) bedarf",
        r"(?:brauchen|benotigen) wir nicht",
        reason=NO_NEED,
    ),
    rule(
        N,
        0.85,
        "pt",
        r"nao (?:tenho|temos) (?:nenhum )?interesse",
        r"nao (?:me|nos) interessa",
        r"sem interesse",
        r"nao (?:estou|estamos) interessad[oa]s?",
        r"nao,? obrigad[oa]",
        r"nao,? valeu",
        r"to fora",
        r"nao e para (?:nos|mim)",
        r"^\s*nao\s*[.!]*\s*$",
        r"nao e (?:uma |nossa )?prioridade",
        r"nao estamos (?:procurando|buscando)",
    ),
    rule(N, 0.85, "pt", r"nao (?:precisamos|temos necessidade)", reason=NO_NEED),
)
"""Saying no outright, with the reason where the refusal itself names one."""

REASON_HINTS = (
    rule(
        N,
        0.7,
        "en",
        r"winding down",
        r"shutting down",
        r"(?:no longer|don't|do not) (?:have|run) (?:a|an|the) \w+ team",
        reason=NO_NEED,
    ),
    rule(
        N,
        0.7,
        "en",
        rf"(?:don't|do not|never) (?:respond|reply|answer|buy|work|engage|forward)\w* (?:to |from |"
        rf"with )?"
        rf"(?:any )?{_COLD}",
        rf"{_COLD} (?:e-?mails?|outreach|pitches) (?:are|is) (?:not|never)",
        r"(?:as a|on|by) principle",
        reason=NO_COLD_OUTREACH,
    ),
    rule(
        N,
        0.7,
        "fr",
        r"demarch\w* a froid",
        r"prospection a froid",
        r"par principe",
        reason=NO_COLD_OUTREACH,
    ),
    rule(
        N,
        0.7,
        "es",
        r"(?:correos?|e-?mails?|mensajes?) (?:no solicitados|en frio|automatico)",
        r"por principio",
        reason=NO_COLD_OUTREACH,
    ),
    rule(
        N,
        0.7,
        "de",
        r"kaltakquise",
        r"aus prinzip",
        r"grundsatzlich nicht auf",
        reason=NO_COLD_OUTREACH,
    ),
    rule(
        N,
        0.7,
        "pt",
        r"(?:e-?mails?|mensagens?) (?:frios?|nao solicitad[oa]s?|automatic[oa]s?)",
        r"por principio",
        reason=NO_COLD_OUTREACH,
    ),
    rule(
        N,
        0.7,
        "en",
        r"(?:we|i) (?:tried|used|had|tested|bought) [^.!?\n]{0,60}(?:was a (?:mess|disaster|"
        r"nightmare|"
        r"waste|pain)|didn't work|did not work|never worked|failed|was useless|burned us)",
        r"bad experience",
        r"burned (?:before|by)",
        reason=BAD_EXPERIENCE,
    ),
    rule(
        N,
        0.7,
        "",
        r"mala experiencia",
        r"mauvaise experience",
        r"schlechte erfahrung\w*",
        r"(?:experiencia ruim|ma experiencia)",
        reason=BAD_EXPERIENCE,
    ),
)
"""Reasons a refusal gives besides an objection; alone, a weak refusal with that reason."""

TIMING_WORDS = (
    rule(
        N,
        0.5,
        "",
        r"at the moment",
        r"right now",
        r"for now",
        r"at this (?:time|point)",
        r"this (?:year|quarter)",
        r"de momento",
        r"por ahora",
        r"ahora mismo",
        r"en este momento",
        r"pour le moment",
        r"actuellement",
        r"im moment",
        r"derzeit",
        r"momentan",
        r"zurzeit",
        r"no momento",
        r"por enquanto",
        r"neste momento",
        r"agora",
        reason=TIMING,
    ),
)
"""A refusal limited in time ("sem interesse no momento"): only ever a reason, never an intent."""
