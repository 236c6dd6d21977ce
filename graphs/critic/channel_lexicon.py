"""Calls to action a reader expects on each channel, in each tone and language.

A question asks for something when it says how ("Would it be useful to see how…?", "¿Te
parece si hablamos…?", "Hätten Sie nächste Woche 15 Minuten…?") or names what it asks for (a
call, a chat, a demo) without being rhetorical ("Ever wondered why builds are slow?"). An ask
made as a statement ("Let me know if a quick call makes sense.") counts near the end. Each
entry is a regular expression matched case-insensitively on whole words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from graphs.drafts import Tone
from graphs.lead import Channel

_DAY = r"(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri)(?:day)?"
ASK_QUESTIONS: dict[str, tuple[str, ...]] = {
    "en": (
        r"worth (?:a|an|it|exploring|\d+)", r"open to", r"would you", r"are you open", r"could we",
        r"can we", r"shall we", r"should we", r"happy to", r"interested in", r"up for",
        r"free (?:for|on|this|next|tomorrow|today)", rf"free {_DAY}", r"time for",
        r"would it be (?:useful|helpful|worth|ok|okay)",
        r"would (?:that|this|it) (?:help|be useful|be helpful|make sense|work)",
        r"does (?:that|this|it) (?:sound|make sense|work|help)",
        r"sounds? (?:useful|good|interesting|helpful)", r"makes? sense", r"want me to",
        r"shall i", r"should i (?:send|share|show)", r"could i", r"can i (?:send|share|show)",
        r"may i", r"any interest", r"on your radar", r"available", r"a good time",
        r"works? for you", rf"{_DAY}\b[^?]*\d", r"(?:tomorrow|today|this week|next week) at",
        r"\d{1,2}(?::\d\d)?\s?(?:am|pm)", r"how about", r"would (?:a|an|\d+)",
        # Asking who to talk to, or whether it is a priority, asks for a reply too.
        r"who (?:on|in|at) your", r"who (?:owns|handles|runs|looks after|is responsible for)",
        r"(?:is|are) [^?]{1,40} on your (?:list|roadmap|radar|plate|agenda)",
        r"is (?:this|that|it) (?:something|a priority)",
    ),
    "es": (
        r"te parece", r"le parece", r"os parece", r"tendr[ií]a sentido", r"tiene sentido",
        r"te vendr[ií]a bien", r"le vendr[ií]a bien", r"te viene bien", r"le viene bien",
        r"podemos", r"podr[ií]amos", r"hablamos", r"agendamos", r"quedamos", r"te interesa\w*",
        r"le interesa\w*", r"te gustar[ií]a", r"le gustar[ií]a", r"estar[ií]as? abiert[oa]",
        r"tienes? (?:unos )?\d+", r"te env[ií]o", r"le env[ií]o", r"te mando", r"le mando",
        r"quieres que te", r"quiere que le", r"te animas", r"qu[ée] tal (?:si|el|la|un|una)",
        r"alg[uú]n inter[eé]s", r"vale la pena", r"merece la pena", r"disponible",
        r"te va bien", r"le va bien", r"te cuadra",
        r"qui[eé]n (?:de|en) (?:tu|su) equipo", r"qui[eé]n (?:se encarga|lleva|gestiona)",
        r"est[aá] en (?:tu|su) (?:lista|hoja de ruta|agenda)", r"es (?:una )?prioridad",
    ),
    "fr": (
        r"seriez-vous", r"êtes-vous disponible", r"auriez-vous",
        r"avez-vous (?:\d+|un moment|un créneau|le temps|quelques)", r"pourrions-nous",
        r"pouvons-nous", r"pourrait-on", r"peut-on", r"on en parle", r"ça vous dit",
        r"cela vous dit", r"ça vous intéresse", r"cela vous intéresse", r"cela vaudrait",
        r"ça vaut", r"vaut-il", r"serait-il utile", r"serait-ce utile", r"voulez-vous que je",
        r"souhaitez-vous", r"je vous envoie", r"intéressée?", r"un créneau", r"dispo(?:nible)?",
        r"ça vous va", r"cela vous convient", r"vous convient", r"on s['’]appelle",
        r"on se parle",
        r"on se connecte", r"qui (?:dans|de) votre équipe", r"qui (?:s['’]occupe|gère|pilote)",
        r"est-ce (?:une priorité|dans vos priorités|à votre agenda)",
    ),
    "de": (
        r"hätten sie", r"hättest du", r"haben sie (?:kurz )?zeit", r"hast du (?:kurz )?zeit",
        r"passt (?:ihnen|dir|es)", r"wäre (?:ein|eine|das|es)", r"wären sie", r"sollen wir",
        r"wollen wir", r"können wir", r"könnten wir", r"lohnt (?:sich|es sich)",
        r"interesse an", r"interessiert", r"darf ich (?:ihnen|dir)", r"soll ich (?:ihnen|dir)",
        r"sind sie offen", r"offen für", r"kurz sprechen", r"austauschen", r"klingt das",
        r"macht das sinn", r"ergibt das sinn",
        r"wer (?:in|bei) ihrem team", r"wer (?:ist (?:bei ihnen )?(?:für|zuständig)|kümmert sich)",
        r"steht [^?]{1,40} auf ihrer (?:liste|agenda|roadmap)", r"ist das (?:gerade )?ein thema",
    ),
}  # fmt: skip
"""Questions that ask by their form, whatever else they say."""

ASK_TOPICS: dict[str, tuple[str, ...]] = {
    "en": (
        r"calls?", r"chat", r"talk", r"meeting", r"meet", r"demo", r"reply", r"book", r"calendar",
        r"connect(?:ing)?", r"walk-?through", r"intro", r"look", r"conversation", r"coffee",
        r"sync", r"slot", r"tour", r"trial", r"pilot", r"numbers", r"deck", r"overview",
        r"\d+-?\s?min(?:ute)?s?", r"send (?:over|you)", r"show you", r"see (?:it|how|the)",
    ),
    "es": (
        r"llamada", r"reuni[oó]n", r"charla", r"conversaci[oó]n", r"demo", r"demostraci[oó]n",
        r"caf[eé]", r"hablar", r"conectar", r"agenda", r"calendario", r"minutos",
        r"videollamada", r"llamar", r"conect\w*",
    ),
    "fr": (
        r"appel", r"échange", r"échanger", r"rendez-vous", r"démo", r"démonstration", r"call",
        r"visio", r"café", r"discussion", r"discuter", r"parler", r"connecter", r"agenda",
        r"calendrier", r"minutes",
    ),
    "de": (
        r"gespräch", r"austausch", r"telefonat", r"anruf", r"call", r"termin", r"demo", r"kaffee",
        r"vernetzen", r"kalender", r"minuten", r"videocall", r"treffen", r"sprechen",
    ),
}  # fmt: skip
"""What an ask is about: a question naming one asks for it, unless it is rhetorical."""

RHETORICAL: dict[str, tuple[str, ...]] = {
    "en": (
        r"ever", r"have you ever", r"did you know", r"why (?:do|does|did|is|are|would|should)",
        r"what if", r"how (?:many|much|often|long)", r"who (?:else|doesn['’]t|wouldn['’]t)",
        r"isn['’]t it", r"aren['’]t", r"tired of", r"wouldn['’]t it be", r"remember when",
        r"what['’]?s the", r"what is the", r"is your", r"are your", r"do your", r"does your",
        r"don['’]t you",
    ),
    "es": (
        r"alguna vez", r"sab[ií]as que", r"sab[ií]a que", r"por qu[eé]", r"cu[aá]nt[oa]s?",
        r"qu[eé] pasar[ií]a si", r"te has preguntado", r"cansad[oa] de", r"no es",
    ),
    "fr": (
        r"saviez-vous", r"pourquoi", r"combien", r"vous êtes-vous déjà", r"et si",
        r"avez-vous déjà remarqué", r"n['’]est-ce pas",
    ),
    "de": (
        r"warum", r"wussten sie", r"wie viele", r"wie oft", r"haben sie sich (?:je|schon)",
        r"was wäre,? wenn", r"kennen sie das", r"ist es nicht",
    ),
}  # fmt: skip
"""How a question that asks for nothing opens ("Ever wondered why…?", "¿Por qué…?")."""

ASK_STATEMENTS: dict[str, tuple[str, ...]] = {
    "en": (
        r"reply", r"book (?:a|some) time", r"grab (?:a )?(?:time|slot)", r"my calendar",
        r"calendar link", r"happy to (?:share|show|send|walk|set up|jump|hop|chat)",
        r"let me know (?:if|whether|when|what time|which)",
        r"would love to (?:show|chat|walk|share|hear)",
        r"feel free to (?:reply|book|grab|reach out|pick)", r"drop me a (?:line|note)",
        r"pick a (?:time|slot)", r"here['’]?s my calendar",
    ),
    "es": (
        r"av[ií]same si", r"av[ií]seme si", r"dime si", r"d[ií]game si", r"escr[ií]beme",
        r"resp[oó]ndeme", r"responde a este", r"responda a este",
        r"encantad[oa] de (?:mostrarte|enseñarte|compartir|mostrarle|hablar)",
        r"con gusto te", r"reserva (?:un hueco|una hora|un momento)", r"mi calendario",
        r"mi agenda",
    ),
    "fr": (
        r"dites-moi si", r"faites-moi savoir si",
        r"n['’]hésitez pas à (?:me répondre|répondre|réserver)", r"répondez simplement",
        r"je serais ravie? de (?:vous montrer|vous présenter|échanger|en discuter|vous appeler)",
        r"volontiers (?:un échange|un appel)", r"mon agenda", r"réservez un créneau",
        r"prenez rendez-vous",
    ),
    "de": (
        r"lassen sie mich wissen,? ob", r"geben sie mir (?:kurz )?bescheid",
        r"sagen sie (?:mir )?gerne bescheid", r"antworten sie (?:einfach|gerne)",
        r"gerne zeige ich", r"ich zeige ihnen gerne", r"buchen sie", r"mein kalender",
        r"melden sie sich gerne",
    ),
}  # fmt: skip
"""Asks made as statements ("Happy to show you…"); a mere "call" in a statement is not one."""

CHANNEL_STATEMENTS: dict[Channel, dict[str, tuple[str, ...]]] = {
    Channel.LINKEDIN: {
        "en": (
            r"(?:would love|love|happy|glad|keen|like) to connect", r"let['’]?s connect",
            r"hope to connect", r"open to connecting",
        ),
        "es": (r"(?:me encantar[ií]a|me gustar[ií]a|encantad[oa] de) conectar", r"conectamos"),
        "fr": (
            r"(?:ravie? d|au plaisir d|je serais ravie? d)(?:e |['’])"
            r"(?:me connecter|vous ajouter|rejoindre votre réseau|échanger|en discuter)",
            r"connectons-nous",
        ),
        "de": (
            r"vernetze ich mich", r"zu vernetzen", r"lassen sie uns (?:uns )?vernetzen",
            r"freue mich auf die vernetzung",
        ),
    },
    Channel.SMS: {
        "en": (r"text me", r"text back", r"reply (?:yes|y|1)\b"),
        "es": (r"resp[oó]ndeme (?:s[ií]|con)",),
        "fr": (r"répondez (?:oui|par)",),
        "de": (r"antworten sie mit",),
    },
}  # fmt: skip
"""Asks a channel makes as statements: LinkedIn's "Would love to connect", SMS's "Text me"."""

TONE_QUESTIONS: dict[Tone, dict[str, tuple[str, ...]]] = {
    Tone.FRIENDLY: {
        "en": (r"fancy", r"grab a coffee", r"catch up", r"keen"),
        "es": (r"te apetece", r"un caf[eé]"),
        "fr": (r"un café", r"ça te dit"),
        "de": (r"lust auf", r"auf einen kaffee"),
    },
    Tone.PROFESSIONAL: {
        "en": (r"would you be available", r"at your convenience", r"might you"),
        "es": (r"ser[ií]a posible", r"tendr[ií]a disponibilidad"),
        "fr": (r"serait-il possible", r"à votre convenance"),
        "de": (r"wäre es möglich", r"hätten sie gelegenheit"),
    },
    Tone.DIRECT: {
        "en": (r"interested", r"yes or no", r"this week or next"),
        "es": (r"interesad[oa]", r"s[ií] o no"),
        "fr": (r"oui ou non", r"cette semaine ou la prochaine"),
        "de": (r"ja oder nein", r"diese oder nächste woche"),
    },
}  # fmt: skip
"""Questions a tone asks with: friendly "Fancy a coffee?", direct "Interested?"."""


@dataclass(frozen=True)
class AskPatterns:
    """The compiled asks for one language, channel and tone."""

    question: re.Pattern[str]
    topic: re.Pattern[str]
    rhetorical: re.Pattern[str]
    statement: re.Pattern[str]


def _any(parts: list[str], *, opening: bool = False) -> re.Pattern[str]:
    joined = "|".join(parts) or r"(?!x)x"
    if opening:
        return re.compile(rf"^\W*(?:{joined})\b", re.IGNORECASE)
    return re.compile(rf"(?<![\w-])(?:{joined})(?![\w-])", re.IGNORECASE)


def languages_for(language: str) -> tuple[str, ...]:
    """The lexicons a message in language is read with: its own and English (names and
    phrases cross over); all of them for a language without one."""
    if language in ASK_QUESTIONS:
        return tuple(dict.fromkeys((language, "en")))
    return tuple(ASK_QUESTIONS)


@cache
def ask_patterns(
    language: str = "en", channel: Channel | None = None, tone: Tone | None = None
) -> AskPatterns:
    """Return the asks normal for a message in language, on channel (None: any channel), in
    tone (None: any tone)."""
    codes = languages_for(language)
    channels = [channel] if channel is not None else list(CHANNEL_STATEMENTS)
    tones = [tone] if tone is not None else list(TONE_QUESTIONS)
    questions = [p for c in codes for p in ASK_QUESTIONS[c]]
    questions += [p for t in tones for c in codes for p in TONE_QUESTIONS.get(t, {}).get(c, ())]
    statements = [p for c in codes for p in ASK_STATEMENTS[c]]
    statements += [
        p for ch in channels for c in codes for p in CHANNEL_STATEMENTS.get(ch, {}).get(c, ())
    ]
    return AskPatterns(
        question=_any(questions),
        topic=_any([p for c in codes for p in ASK_TOPICS[c]]),
        rhetorical=_any([p for c in codes for p in RHETORICAL[c]], opening=True),
        statement=_any(statements),
    )
