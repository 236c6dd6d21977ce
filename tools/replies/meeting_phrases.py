"""Meeting requests in the five languages: phrases that carry a scheduling detail.

A proposed day or time, a request for slots, an invite or a booking link, a booked slot.
"Let's talk" with none of these is interest, not a meeting request.
"""

from __future__ import annotations

from tools.replies.phrase_rules import rule
from tools.replies.verdict import Intent

M = Intent.MEETING_REQUEST

_EN_DAYS = (
    r"monday|tuesday|wednesday|thursday|friday|tomorrow|mon|tue|tues|wed|thu|thurs|fri|"
    r"next week|this week|later this week|early next week"
)
_EN_WEEKDAYS = r"monday|tuesday|wednesday|thursday|friday|tomorrow|mon|tue|tues|wed|thu|thurs|fri"
"""A day itself, not a week: "let's talk Thursday" sets a day, "let's talk next week" does not."""
_TALK = (
    r"talk|chat|speak|meet|connect|catch up|sync|(?:jump|hop|get) on a (?:quick )?call|"
    r"(?:do|have) a (?:quick )?call|set up a (?:quick )?call|(?:call|ring) you|call|"
    r"grab (?:a )?(?:call|coffee)"
)
_ES_DAYS = r"lunes|martes|miercoles|jueves|viernes|manana|la semana que viene|la proxima semana"
_FR_DAYS = r"lundi|mardi|mercredi|jeudi|vendredi|demain|la semaine prochaine|cette semaine"
_DE_DAYS = (
    r"montag|dienstag|mittwoch|donnerstag|freitag|morgen|nachste woche|kommende woche|diese woche"
)
_PT_DAYS = r"segunda|terca|quarta|quinta|sexta|amanha|semana que vem|proxima semana"
_ALL_DAYS = "|".join((_EN_DAYS, _ES_DAYS, _FR_DAYS, _DE_DAYS, _PT_DAYS))
_EN_MONTHS = (
    r"jan|january|feb|february|mar|march|apr|april|may|jun|june|jul|july|aug|august|sep|sept|"
    r"september|oct|october|nov|november|dec|december"
)
_CLOCK = r"\d{1,2}(?::\d{2}| ?(?:am|pm)|h\d{0,2}| ?uhr)"
"""A time of day: 3pm, 10:30, 14h, 15h30, 10 Uhr."""
_ZONE = (
    r"pt|pst|pdt|et|est|edt|ct|cst|cdt|mt|gmt|bst|cet|cest|utc|ist|aest|sgt|jst|brt|brasilia|mez|"
    r"hora de \w+|horario de \w+|heure de \w+|\w+ time"
)
_AT = r"(?:at |around |@ ?|a las |as |a |um |ab |vers |apres |after |before |a partir das )"
_DURATION = r"(?:\d{1,2} ?min(?:ute)?s?|half an hour|an hour|a (?:quick |short )?(?:call|chat))"
_SLOTS = r"(?:times|slots|time ?slots|options|dates|windows)"

MEETING_RULES = (
    rule(
        M,
        0.85,
        "",
        # a day and a time: "Thursday at 3pm", "martes a las 11:00", "Donnerstag, 14.1., 10 Uhr"
        rf"(?:{_ALL_DAYS})(?:-feira)?(?: morning| afternoon| evening| the \d{{1,2}}(?:st|nd|rd|"
        rf"th)?)?"
        rf"(?:[^.?!\n]|(?<=\d)\.){{0,40}}?{_AT}?{_CLOCK}",
        rf"{_CLOCK}(?: [a-z]{{2,4}}t?)?,? (?:on |el |le |am |na |no )?(?:{_ALL_DAYS})",
        rf"{_CLOCK} ?\(?(?:{_ZONE})\b",
        # "el lunes a las 10", "quinta às 10": an hour without h or :00 after a day
        rf"(?:{_ES_DAYS}|{_PT_DAYS})(?:-feira)?[^.?!\n]{{0,20}}?(?:a las|as) \d{{1,2}}(?![\d%])",
    ),
    rule(
        M,
        0.85,
        "en",
        rf"(?:how about|what about|does|would|will|could you do|can you do|can we do|is|let's do|"
        rf"let's say|shall we say) (?:next |this )?(?:{_EN_DAYS}|(?:{_EN_MONTHS}) \d{{1,2}})",
        rf"(?:{_EN_DAYS}|(?:{_EN_MONTHS}) \d{{1,2}}(?: or \d{{1,2}})?)(?:(?!\bbut\b)[^.?!\n:;])"
        r"{0,30}(?:works?|suits?|is open|is free|are open|is good|would work)",
        rf"(?:i'm|i am|we're|we are|i'll be|i will be) (?:free|available|around|open) "
        rf"(?:on |at |for )?(?:{_EN_DAYS}|between|after|before|from)",
        rf"(?:are you|r u|would you be|will you be) (?:free|available|around) (?:on |at |for )?"
        rf"(?:{_EN_DAYS})",
        rf"(?:i|we) (?:have|'ve got|got) (?:some )?time (?:on |this |next )?(?:{_EN_DAYS})",
        rf"{_DURATION} (?:on |next |this )?(?:{_EN_DAYS})",
        # a proposal to talk on a day: "could we talk Thursday?", "let's chat tomorrow"
        rf"(?:could|can|shall|should|may|might) (?:we|i) (?:{_TALK})(?: briefly| quickly| again)?"
        rf" (?:on |this |next |early |later )?(?:{_EN_DAYS})",
        rf"(?:let's|lets) (?:{_TALK}) (?:on |this |next )?(?:{_EN_WEEKDAYS})",
        rf"(?:do|would|will) you have (?:some |any |a bit of )?(?:time|a moment|a minute|a few "
        rf"minutes) (?:on |this |next )?(?:{_EN_DAYS})",
        r"what (?:times?|days?|slots?|time slots?|availability)\b",
        rf"free (?:on |this |next )?(?:{_EN_DAYS})",
        rf"(?:{_EN_DAYS})(?: morning| afternoon)? (?:after|before|between|from|until|"
        rf"till) \d{{1,2}}",
        rf"(?:{_EN_DAYS}) \d{{1,2}}(?::\d{{2}})? ?(?:-|to) ?\d{{1,2}}",
        r"(?:your|some|a few|two or three|2-3|2 or 3|three|a couple of) (?:availability|available "
        rf"{_SLOTS}|{_SLOTS} (?:that work|that suit|you have|for|next week|this week)|"
        rf"options for (?:a )?"
        r"(?:time|call))",
        r"(?:send|share|shoot|forward|give) (?:me |us |over )?(?:a |an |the |your )?(?:calendar |"
        r"meeting |calendly |zoom |teams |google meet |booking |scheduling )?(?:invite|invitation|"
        r"booking link|calendly(?: link)?|calendar link|scheduling link|"
        r"link to (?:your )?calendar)",
        r"(?:booked|grabbed|picked|scheduled) (?:a |an |the )?(?:slot|time|call|meeting)",
        r"(?:book|grab|pick|find) (?:a |some )?(?:time|slot)",
        r"find (?:a |some )?\d{2} ?min(?:ute)?s? (?:next|this|on|for)",
        r"put (?:something|a call|a meeting|it) (?:in|on) (?:the|my|your) calendar",
        rf"(?:call|ring|phone) me (?:on |at |around |later |)(?:{_EN_DAYS}|\d)",
        r"(?:my|here's my|here is my) (?:calendly|calendar link|booking link)",
        r"calendly\.com",
        r"(?:schedule|book|arrange|set up|organi[sz]e) (?:a |an |the |some )?(?:quick |short |"
        r"brief "
        r"|\d{2}[- ]?min(?:ute)?s? )?(?:call|meeting|demo|walkthrough|session)",
    ),
    rule(
        M,
        0.85,
        "es",
        r"(?:agendemos|agendar|agendamos|programar|programemos|organizar|organicemos|concertar|"
        r"coordinar|coordinemos|cuadrar|fijar|fijemos|reservar) (?:una |un )?(?:breve |corta "
        r"|rapida |pequena )?(?:llamada|reunion|videollamada|demo|demostracion|cita|charla|call|"
        r"zoom|meet)",
        r"(?:estoy|estaria|estare|estamos) (?:disponible|libre)s? (?:el |la |este|esta|"
        rf"el proximo|la proxima|a partir|entre|por la|{_ES_DAYS})",
        rf"(?:te|le|os) (?:viene|va|iria|vendria) bien (?:el |la |este|esta|{_ES_DAYS})",
        r"(?:enviame|envieme|mandame|mandeme|envia|manda|envie|mande|enviar) (?:una |la |el )?"
        r"(?:invitacion|convocatoria|invite|enlace (?:a|de) (?:tu|su) calendario)",
        r"(?:que|cual) (?:horario|dia|hora|momento)s? (?:te|le|os) (?:viene|va|conviene|funciona|"
        r"iria)",
        r"(?:tengo|tienes|tiene|tenemos) hueco",
        # "¿podemos hablar el jueves?", "¿hablamos el martes?"
        r"(?:(?:podemos|podriamos|puedes|puede|quieres|quiere) (?:hablar|charlar|conversar|"
        r"vernos|reunirnos|quedar|llamarnos|tener una llamada|hacer una llamada|hablarlo)|"
        r"hablamos|charlamos|quedamos|nos vemos|nos llamamos|te llamo|le llamo)(?: (?:de|sobre) "
        rf"(?:esto|ello|eso))? (?:el |este |esta |el proximo |la proxima )?(?:{_ES_DAYS})",
        r"dime (?:hora|dia|cuando)",
        r"(?:proponme|propon|proponga|enviame|mandame|pasame) (?:dos o tres |algunos |unos |"
        r"varios )?(?:horarios|huecos|opciones|fechas)",
    ),
    rule(
        M,
        0.85,
        "fr",
        r"(?:organiser|organisons|planifier|planifions|caler|calons|fixer|fixons|programmer|"
        r"prevoir|prevoyons|reserver) (?:un |une )?(?:petit |petite |court |courte |bref |breve "
        r"|rapide )?(?:appel|call|rendez-vous|rdv|reunion|visio|visioconference|demo|"
        r"demonstration|creneau|entretien)",
        r"(?:je suis|je serais|je serai|nous sommes|nous serions|on est) (?:disponible|dispo|"
        rf"libre)s? (?:le |la |cette|ce |entre|a partir|apres|avant|{_FR_DAYS})",
        r"(?:envoyez|envoie|envoyer)[- ]?(?:moi|nous)? (?:une |un |l'|le )?(?:invitation|invit)",
        r"lien (?:pour|de) (?:reserver|reservation|prendre rendez-vous)",
        r"reserver un creneau",
        # "pouvons-nous en parler jeudi ?", "on s'appelle mardi ?"
        r"(?:(?:pouvons-nous|pourrions-nous|peut-on|pourrait-on|on peut|on pourrait|est-ce qu'on "
        r"(?:peut|pourrait)|voulez-vous|souhaitez-vous)(?: en)? (?:parler|discuter|echanger|"
        r"se parler|s'appeler|se voir|se rencontrer|faire un point|s'en parler)|on (?:s'appelle|"
        r"se parle|se voit|en parle|se cale un (?:appel|call))|parlons-en|parlons|echangeons|"
        r"discutons|appelons-nous)(?: rapidement| brievement| par telephone| en visio)? "
        rf"(?:le |ce |cette )?(?:{_FR_DAYS})",
        r"(?:quels? (?:jours?|creneaux?|horaires?|moments?)|quand) (?:etes-vous|seriez-vous|vous "
        r"(?:convien|arrange))",
        r"(?:proposez|envoyez|donnez|indiquez)[- ](?:moi|nous) (?:deux ou trois |quelques |des |"
        r"vos )?(?:creneaux|disponibilites|dates|horaires)",
        r"(?:vos|quelques) (?:creneaux|disponibilites)",
        rf"(?:{_FR_DAYS})[^.?!\n]{{0,25}}(?:ca vous va|vous convient|ca vous convient|ca marche|"
        r"vous irait)",
    ),
    rule(
        M,
        0.85,
        "de",
        r"(?:termin|telefonat|gesprach|call|meeting|demo|telefontermin) (?:zu )?(?:vereinbaren|"
        r"ausmachen|finden|planen|abstimmen|einrichten|aufsetzen)",
        rf"(?:hatte|habe|hab|bin|ware) ich (?:am |{_DE_DAYS})?[^.?!\n]{{0,20}}(?:zeit|verfugbar|"
        r"frei)",
        rf"(?:ich habe|ich hatte|ich bin) (?:am |{_DE_DAYS})[^.?!\n]{{0,30}}(?:zeit|verfugbar|"
        r"frei)",
        r"(?:schicken|senden|schick) (?:sie )?(?:mir |uns )?(?:gerne |bitte )?(?:eine |die |einen |"
        r"ein paar )?(?:einladung|kalendereinladung|termineinladung|terminvorschl\w*|termine)",
        r"terminvorschl\w*",
        r"wann (?:haben sie|hatten sie|passt es|passt ihnen|sind sie)",
        rf"(?:passt|ginge|geht) (?:es )?(?:ihnen )?(?:am |der |die )?(?:{_DE_DAYS})",
        rf"wie (?:ware|waere|sieht) es (?:mit|am) (?:{_DE_DAYS})",
        # "können wir Donnerstag telefonieren?", "haben Sie am Mittwoch Zeit?"
        r"(?:(?:konnen|konnten|wollen|sollen|sollten|wurden) wir(?: uns)?|(?:lass|lasst|lassen sie)"
        r" uns|telefonieren wir|sprechen wir|treffen wir uns)(?: gerne| kurz| vielleicht)? "
        rf"(?:am |nachsten |kommenden |diesen |diese |nachste |kommende )?(?:{_DE_DAYS})"
        r"(?:[^.?!\n]{0,25}?(?:telefonieren|sprechen|reden|treffen|austauschen|zusammensetzen|"
        r"unterhalten)|(?=\s*\?))",
        rf"(?:haben|hatten|hast|hattest) (?:sie|du) (?:am |nachsten |kommenden |diese |diesen )?"
        rf"(?:{_DE_DAYS})[^.?!\n]{{0,20}}?zeit",
        rf"(?:{_DE_DAYS})[^.?!\n]{{0,25}}(?:passt|geht|ginge|ware gut)",
        r"(?:ein paar|einige|zwei(?: oder drei)?|2-3) (?:termine|zeitfenster|slots|zeitslots)",
    ),
    rule(
        M,
        0.85,
        "pt",
        r"(?:marcar|agendar|marcamos|agendamos|combinar|combinamos) (?:uma |um )?(?:reuniao|"
        r"chamada|conversa|call|ligacao|horario|demo|papo)",
        r"(?:estou|estarei|estamos|fico|ficamos) (?:disponivel|disponiveis|livre|livres) (?:na |"
        rf"no |esta|este|essa|nessa|nesta|a partir|entre|depois|antes|dia|{_PT_DAYS})",
        r"(?:me |nos )?(?:envie|mande|envia|manda)(?:-me)?(?: um| o)? (?:convite|link (?:da|de|"
        r"pra|para) (?:sua )?agenda)",
        r"(?:qual|que) (?:horario|dia|hora|data)s? (?:fica|ficaria|funciona|seria|voce prefere|"
        r"e melhor)",
        rf"(?:pode ser|que tal|serve) (?:na |no |dia |{_PT_DAYS})",
        rf"(?:{_PT_DAYS})(?:-feira)?[^.?!\n]{{0,25}}(?:fica bom|funciona|pode ser|da certo|serve)",
        r"(?:alguns|uns|dois ou tres|2 ou 3) (?:horarios|opcoes de horario|datas)",
        r"(?:tenho|temos) (?:um )?horario (?:livre|disponivel|vago)",
        # "podemos conversar na quinta?", "vamos falar na terça?"
        r"(?:podemos|poderiamos|vamos|bora|da pra|conseguimos|voce pode|pode|quer) (?:nos )?"
        r"(?:conversar|falar|bater um papo|fazer uma call|fazer uma ligacao|reunir|ligar|"
        r"nos falar)(?: sobre isso| rapidamente)? (?:na |no |nesta |neste |na proxima |"
        rf"no proximo |esta |este |essa |dia )?(?:{_PT_DAYS})",
    ),
)
"""Scheduling details: a day or time proposed, slots or an invite asked for, a slot booked."""
