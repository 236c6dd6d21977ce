"""The words claim-level grounding reads, in English, Spanish, French and German.

Calendar words (months, weekdays, seasons), ordinals, relative times, superlatives, units and
the words that make a clause an ask ("a call on Tuesday?") rather than a claim about the lead.
Every table holds lower-case forms; the claim extractor matches case-insensitively except
where a language writes a word capitalized on purpose (English months and weekdays).
"""

from __future__ import annotations

MONTHS: dict[str, tuple[str, ...]] = {
    "en": ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december"),
    "es": ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
           "septiembre", "octubre", "noviembre", "diciembre"),
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"),
    "de": ("januar", "februar", "märz", "april", "mai", "juni", "juli", "august",
           "september", "oktober", "november", "dezember"),
}  # fmt: skip
"""Month names by language, January first."""

MONTH_ABBREVIATIONS: dict[str, int] = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12, "ene": 1, "abr": 4, "ago": 8, "dic": 12,
    "janv": 1, "févr": 2, "fév": 2, "avr": 4, "juil": 7, "déc": 12, "okt": 10, "dez": 12,
    "setiembre": 9, "sétiembre": 9, "jänner": 1,
}  # fmt: skip
"""Abbreviated (and regional) month names: only read as a month next to a day number."""

WEEKDAYS: dict[str, tuple[str, ...]] = {
    "en": ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
    "es": ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"),
    "fr": ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
    "de": ("montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag"),
}
"""Weekday names by language, Monday first (date.weekday() order)."""

SEASONS: dict[str, str] = {
    "spring": "spring", "summer": "summer", "fall": "autumn", "autumn": "autumn",
    "winter": "winter", "primavera": "spring", "verano": "summer", "otoño": "autumn",
    "invierno": "winter", "printemps": "spring", "été": "summer", "automne": "autumn",
    "hiver": "winter", "frühling": "spring", "frühjahr": "spring", "sommer": "summer",
    "herbst": "autumn",
}  # fmt: skip
"""Season words and the (northern) season they name."""
SEASON_MONTHS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "winter": (12, 2)}

ORDINALS: dict[str, int] = {
    # English ("first" is read only as a "first to…" superlative: "your first call" is no claim)
    "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "twentieth": 20,
    # Spanish
    "segundo": 2, "segunda": 2, "tercer": 3, "tercero": 3, "tercera": 3, "cuarta": 4,
    "quinto": 5, "quinta": 5, "sexto": 6, "sexta": 6, "séptimo": 7, "séptima": 7,
    "octavo": 8, "octava": 8, "noveno": 9, "novena": 9, "décimo": 10, "décima": 10,
    # French
    "deuxième": 2, "troisième": 3, "quatrième": 4, "cinquième": 5, "sixième": 6,
    "septième": 7, "huitième": 8, "neuvième": 9, "dixième": 10,
    # German (declined forms are matched by their stem plus e/er/en/es/em)
    "zweit": 2, "dritt": 3, "viert": 4, "fünft": 5, "sechst": 6, "siebt": 7, "siebent": 7,
    "neunt": 9, "zehnt": 10,
}  # fmt: skip
"""Ordinal words and their numbers ("cuarto" is left out: it is also a room)."""
GERMAN_ORDINAL_STEMS = frozenset({"zweit", "dritt", "viert", "fünft", "sechst", "siebt",
                                  "siebent", "neunt", "zehnt"})  # fmt: skip
ORDINAL_LABELS: dict[str, tuple[str, ...]] = {
    "en": ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
           "ninth", "tenth"),
    "es": ("primero", "segundo", "tercero", "cuarto", "quinto", "sexto", "séptimo",
           "octavo", "noveno", "décimo"),
    "fr": ("premier", "deuxième", "troisième", "quatrième", "cinquième", "sixième",
           "septième", "huitième", "neuvième", "dixième"),
    "de": ("erste", "zweite", "dritte", "vierte", "fünfte", "sechste", "siebte", "achte",
           "neunte", "zehnte"),
}  # fmt: skip
"""How a reason names an ordinal in the message's language."""

SMALL_NUMBERS: dict[str, int] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "un": 1, "una": 1, "uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6,
    "siete": 7, "ocho": 8, "nueve": 9, "diez": 10, "une": 1, "deux": 2, "trois": 3,
    "quatre": 4, "cinq": 5, "sept": 7, "huit": 8, "neuf": 9, "dix": 10, "ein": 1,
    "einem": 1, "einer": 1, "einen": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5,
    "sechs": 6, "sieben": 7, "acht": 8, "neun": 9, "zehn": 10, "zwölf": 12,
    "couple of": 2, "a couple of": 2, "few": 3, "a few": 3, "several": 4, "unos": 3,
    "unas": 3, "un par de": 2, "pocos": 3, "pocas": 3, "quelques": 3, "ein paar": 3,
    "wenigen": 3, "einigen": 3,
}  # fmt: skip
"""Counts in relative times ("two weeks ago", "hace unos días", "vor drei Wochen")."""
LONE_ARTICLES = frozenset(
    {
        "one",
        "ones",
        "a",
        "an",
        "un",
        "una",
        "uno",
        "une",
        "ein",
        "eine",
        "einen",
        "einem",
        "einer",
        "eines",
    }
)
"""Words alpha2digit reads as 1 that, alone, are an article rather than a number claim."""

_COUNT = "|".join(sorted((k.replace(" ", r"\s+") for k in SMALL_NUMBERS), key=len, reverse=True))
_N = rf"(?P<n>\d{{1,3}}|{_COUNT})"
_SEASON = r"(?P<season>[^\W\d_]+)"
RELATIVE_TIMES: dict[str, tuple[tuple[str, str], ...]] = {
    # (window kind, pattern): "n" is a count, "season" a season word, where the kind needs one.
    "en": (
        ("yesterday", r"yesterday"),
        ("this_week", r"(?:earlier\s+)?this\s+(?:past\s+)?week|the\s+past\s+week"),
        ("last_week", r"(?:last|previous)\s+week"),
        ("this_month", r"(?:earlier\s+)?this\s+month"),
        ("last_month", r"(?:last|previous)\s+month"),
        ("this_year", r"earlier\s+this\s+year|this\s+year['’]s|(?:at\s+)?the\s+start\s+of\s+"
                      r"(?:this|the)\s+year"),
        ("last_year", r"last\s+year"),
        ("recent", r"recent|recently|lately|the\s+other\s+day"),
        ("days_ago", rf"{_N}\s+days?\s+ago"),
        ("weeks_ago", rf"{_N}\s+weeks?\s+ago"),
        ("months_ago", rf"{_N}\s+months?\s+ago"),
        ("years_ago", rf"{_N}\s+years?\s+ago"),
        ("this_season", rf"this\s+(?:past\s+)?{_SEASON}"),
        ("last_season", rf"last\s+{_SEASON}"),
        ("this_quarter", r"this\s+quarter"),
        ("last_quarter", r"last\s+quarter"),
    ),
    "es": (
        ("yesterday", r"ayer"),
        ("this_week", r"esta\s+semana"),
        ("last_week", r"la\s+(?:semana\s+pasada|pasada\s+semana)"),
        ("this_month", r"este\s+mes"),
        ("last_month", r"el\s+(?:mes\s+pasado|pasado\s+mes)"),
        ("this_year", r"(?:a\s+)?(?:principios|comienzos|inicios)\s+de(?:\s+este)?\s+año|"
                      r"en\s+lo\s+que\s+va\s+de(?:l)?\s+año"),
        ("last_year", r"el\s+(?:año\s+pasado|pasado\s+año)"),
        ("recent", r"recientes?|recientemente|hace\s+poco|últimamente"),
        ("days_ago", rf"hace\s+{_N}\s+días?"),
        ("weeks_ago", rf"hace\s+{_N}\s+semanas?"),
        ("months_ago", rf"hace\s+{_N}\s+mes(?:es)?"),
        ("years_ago", rf"hace\s+{_N}\s+años?"),
        ("this_season", rf"(?:esta|este)\s+{_SEASON}"),
        ("last_season", rf"(?:la|el)\s+{_SEASON}\s+pasad[oa]"),
        ("this_quarter", r"este\s+trimestre"),
        ("last_quarter", r"el\s+(?:trimestre\s+pasado|pasado\s+trimestre)"),
    ),
    "fr": (
        ("yesterday", r"hier"),
        ("this_week", r"cette\s+semaine"),
        ("last_week", r"la\s+semaine\s+(?:dernière|passée)"),
        ("this_month", r"(?:plus\s+tôt\s+)?ce\s+mois(?:-ci)?"),
        ("last_month", r"le\s+mois\s+(?:dernier|passé)"),
        ("this_year", r"plus\s+tôt\s+cette\s+année|(?:en|au)\s+début\s+d(?:e\s+l['’]|['’])année"),
        ("last_year", r"l['’](?:année\s+(?:dernière|passée)|an\s+(?:dernier|passé))"),
        ("recent", r"récente?s?|récemment|dernièrement"),
        ("days_ago", rf"il\s+y\s+a\s+{_N}\s+jours?"),
        ("weeks_ago", rf"il\s+y\s+a\s+{_N}\s+semaines?"),
        ("months_ago", rf"il\s+y\s+a\s+{_N}\s+mois"),
        ("years_ago", rf"il\s+y\s+a\s+{_N}\s+ans?"),
        ("this_season", rf"(?:ce|cet)\s+{_SEASON}"),
        ("last_season", rf"(?:le|l['’])\s*{_SEASON}\s+derni(?:er|ère)"),
        ("this_quarter", r"ce\s+trimestre"),
        ("last_quarter", r"le\s+trimestre\s+dernier"),
    ),
    "de": (
        ("yesterday", r"gestern"),
        ("this_week", r"(?:in\s+)?diese[rn]?\s+Woche"),
        ("last_week", r"(?:in\s+der\s+)?(?:letzte[nr]?|vergangene[nr]?|vorige[nr]?)\s+Woche"),
        ("this_month", r"(?:in\s+)?diese[mn]\s+Monat"),
        ("last_month", r"(?:im\s+)?(?:letzte[nm]?|vergangene[nm]?|vorige[nm]?)\s+Monat|"
                       r"im\s+Vormonat"),
        ("this_year", r"(?:zu\s+)?Anfang\s+(?:des|dieses)\s+Jahres|früher\s+in\s+diesem\s+Jahr"),
        ("last_year", r"(?:im\s+)?(?:letzte[ns]?|vergangene[ns]?)\s+Jahr|im\s+Vorjahr"),
        ("recent", r"kürzlich|neulich|vor\s+kurzem|jüngst|unlängst"),
        ("days_ago", rf"vor\s+{_N}\s+Tage?n?"),
        ("weeks_ago", rf"vor\s+{_N}\s+Wochen?"),
        ("months_ago", rf"vor\s+{_N}\s+Monate?n?"),
        ("years_ago", rf"vor\s+{_N}\s+Jahre?n?"),
        ("this_season", rf"(?:diese[nms]?|im)\s+{_SEASON}"),
        ("last_season", rf"(?:letzte[nms]?|vergangene[nms]?)\s+{_SEASON}"),
        ("this_quarter", r"(?:in\s+)?diese[mn]\s+Quartal"),
        ("last_quarter", r"(?:im\s+)?(?:letzte[nm]?|vergangene[nm]?)\s+Quartal"),
    ),
}  # fmt: skip
"""Relative times a message may use about a fact, by language and the window they name. A
season pattern only counts when its word is in SEASONS."""

RELATIVE_ANCHORS: dict[str, str] = {
    "en": r"yesterday|week|month|year|recent|lately|other\s+day|ago|spring|summer|fall|autumn|"
          r"winter|quarter",
    "es": r"ayer|semana|mes|año|recient|últimamente|hace|primavera|verano|otoño|invierno|"
          r"trimestre",
    "fr": r"hier|semaine|mois|année|an|récem|récent|dernièrement|il\s+y\s+a|printemps|été|"
          r"automne|hiver|trimestre",
    "de": r"gestern|woche|monat|jahr|kürzlich|neulich|kurzem|jüngst|unlängst|vor|frühling|"
          r"frühjahr|sommer|herbst|winter|quartal|vormonat|vorjahr",
}  # fmt: skip
"""A word every relative time of the language holds: only text around one is read closely."""

SCHEDULING = (
    r"call|calls|chat|meet|meeting|demo|walk-?through|calendar|schedule|slot|"
    r"available|availability|free\s+(?:for|on|at|in|next|this)|catch\s+up|book|find\s+time|"
    r"time\s+for|grab|(?:can|could|shall)\s+we\s+talk|llamada|charla|reuni[oó]n|demo|agenda|"
    r"hueco|disponible|hablamos|hablemos|hablar|vernos|appel|échanger|rendez-vous|réunion|"
    r"démo|créneau|créneaux|disponible|parler|discuter|Gespräch|Anruf|Telefonat|Termin|Termine|"
    r"Call|Kalender|telefonieren|sprechen|treffen|huecos|propose|suggest|vous\s+propose|"
    r"te\s+propongo|le\s+propongo|schlage\s+(?:Ihnen\s+)?vor"
)
"""Words that make a clause an ask about time ("Free for a call on Tuesday?"), not a claim."""
FORWARD = (
    r"next|coming|upcoming|before|by|until|till|later|próxim[oa]|antes\s+de|hasta|"
    r"prochain|prochaine|avant|jusqu['’]à|nächste[nmrs]?|kommende[nmrs]?|bis|ab"
)
"""Words that point a date forward ("before December"), so it is a plan or an ask."""
HABITUAL = r"every|each|cada|chaque|tous\s+les|toutes\s+les|jeden|jede"
GREETING_DAY = r"happy|great|nice|good|lovely|wonderful|feliz|buen|bon|bonne|schönen|guten"
"""Words before a weekday that make it a greeting ("Have a great Friday")."""

SUPERLATIVES: tuple[tuple[str, str], ...] = (
    # (what a supporting fact must say, pattern)
    ("largest", r"largest|biggest|(?:el|la|los|las)\s+mayor(?:es)?|(?:el|la)\s+más\s+grande|"
                r"(?:le|la|les)\s+plus\s+grand(?:e|s|es)?|größte[nrsm]?"),
    ("fastest", r"fastest(?:[- ]growing)?|(?:el|la)\s+más\s+rápid[oa]|de\s+más\s+rápido\s+"
                r"crecimiento|que\s+más\s+rápido\s+crece|crece\s+más\s+rápido|(?:le|la)\s+plus\s+"
                r"rapide|la\s+plus\s+forte\s+croissance|qui\s+(?:croît|grandit)\s+le\s+plus\s+"
                r"vite|am\s+schnellsten\s+wachsende[nrs]?|schnellstwachsende[nrs]?"),
    ("leading", r"(?:a|the|one\s+of\s+the)\s+leading(?!\s+(?:to|up|the|a|an|with)\b)|"
                r"(?:market|industry)[- ]lead(?:ing|er)|l[ií]der(?:es)?\s+(?:del?|en)\s+"
                r"(?:mercado|sector)|empresa\s+l[ií]der|(?:le|un)\s+leader|chef\s+de\s+file|"
                r"führende[nrs]?|Marktführer|Branchenführer"),
    ("#1", r"#\s?1\b|number\s+one|No\.\s?1\b|n\.?º\s?1\b|número\s+uno|numéro\s+un|n°\s?1\b|"
           r"Nummer\s+eins|Nr\.\s?1\b"),
    ("first", r"first[- ]ever|world['’]s\s+first|the\s+first\s+(?:[\w-]+\s+){0,3}?(?:to|ever)|"
              r"(?:(?:el|la)\s+|(?<=,)\s+)primer[oa]?\s+(?:[\w-]+\s+){0,4}?en|"
              r"(?:(?:le|la)\s+|(?<=,)\s+)premi(?:er|ère)\s+(?:[\w'’-]+\s+){0,5}?(?:à|en|au)|"
              r"als\s+erste[rsn]?"),
    ("only", r"the\s+only\s+(?:[\w-]+\s+){0,3}?(?:to|that)|(?:el|la)\s+únic[oa]\s+"
             r"(?:[\w-]+\s+){0,2}?(?:en|que)|(?:le|la)\s+seule?\s+(?:[\w-]+\s+){0,2}?(?:à|qui)|"
             r"(?:der|die|das)\s+einzige[n]?"),
    ("most", r"most\s+(?:popular|successful|innovative|valuable|trusted|downloaded|used)|"
             r"top[- ]rated|best[- ](?:known|selling|rated)|award[- ]winning|"
             r"(?:el|la)\s+más\s+(?:popular|exitos[oa]|innovador[a]?)|"
             r"(?:le|la)\s+plus\s+(?:populaire|innovant(?:e)?)|"
             r"(?:beliebteste|erfolgreichste|innovativste)[nrs]?|preisgekrönte[nrs]?"),
)  # fmt: skip
"""Superlatives and firsts: a fact must say the same (in any of the languages)."""
SUPERLATIVE_SUPPORT: dict[str, tuple[str, ...]] = {
    "largest": ("largest", "biggest", "mayor", "más grande", "plus grand", "plus grande",
                "größte", "größten", "größter", "größtes"),
    "fastest": ("fastest", "más rápido", "más rápida", "plus rapide", "schnellsten",
                "schnellstwachsende"),
    "leading": ("leading", "leader", "líder", "lider", "chef de file", "führende",
                "führenden", "marktführer", "branchenführer"),
    "#1": ("#1", "number one", "no 1", "número uno", "numéro un", "nummer eins", "nr 1"),
    "first": ("first", "primero", "primera", "primer", "premier", "première", "erste",
              "erster", "ersten", "erstes"),
    "only": ("only", "única", "único", "seul", "seule", "einzige", "einzigen"),
    "most": ("most", "top rated", "best known", "best selling", "award", "más popular",
             "plus populaire", "beliebteste", "erfolgreichste", "preisgekrönt"),
}  # fmt: skip
"""Words in a fact that back each superlative."""

CURRENCIES: dict[str, str] = {
    "$": "USD", "us$": "USD", "usd": "USD", "dollar": "USD", "dollars": "USD",
    "dólares": "USD", "dólar": "USD", "€": "EUR", "eur": "EUR", "euro": "EUR",
    "euros": "EUR", "£": "GBP", "gbp": "GBP", "pound": "GBP", "pounds": "GBP",
    "libras": "GBP", "chf": "CHF", "franken": "CHF",
}  # fmt: skip
MULTIPLIERS: dict[str, float] = {
    "k": 1e3, "thousand": 1e3, "mil": 1e3, "tausend": 1e3, "m": 1e6, "mm": 1e6, "mn": 1e6,
    "million": 1e6, "millions": 1e6, "millón": 1e6, "millones": 1e6, "mio": 1e6,
    "millionen": 1e6, "b": 1e9, "bn": 1e9, "billion": 1e9, "billions": 1e9,
    "milliard": 1e9, "milliards": 1e9, "mrd": 1e9, "milliarde": 1e9, "milliarden": 1e9,
    "mil millones": 1e9,
}  # fmt: skip
PERCENT_WORDS = ("%", "percent", "per cent", "por ciento", "pour cent", "prozent")
UNITS: dict[str, str] = {
    "minute": "minute", "minutes": "minute", "min": "minute", "mins": "minute",
    "minuto": "minute", "minutos": "minute", "minuten": "minute", "hour": "hour",
    "hours": "hour", "hrs": "hour", "hora": "hour", "horas": "hour", "heure": "hour",
    "heures": "hour", "stunde": "hour", "stunden": "hour", "day": "day", "days": "day",
    "día": "day", "días": "day", "jour": "day", "jours": "day", "tag": "day", "tage": "day",
    "tagen": "day", "week": "week", "weeks": "week", "semana": "week", "semanas": "week",
    "semaine": "week", "semaines": "week", "woche": "week", "wochen": "week",
    "month": "month", "months": "month", "mes": "month", "meses": "month", "mois": "month",
    "monat": "month", "monate": "month", "monaten": "month", "year": "year", "years": "year",
    "año": "year", "años": "year", "an": "year", "ans": "year", "année": "year",
    "années": "year", "jahr": "year", "jahre": "year", "jahren": "year",
}  # fmt: skip
"""Units of time a quantity may count, mapped to one name for every language."""

STOPWORDS = frozenset(
    """the a an and or of to in on at for with your you our we is are was were it its this that
    from by as be about into after before their they them his her have has had been will would
    could should can may might just also very more most some any what which when where how who
    there here then than like these those such much many last next week month year recent
    recently el la los las un una unos unas y o de del en con por para su sus tu tus que es
    son fue al lo como más este esta le les des du et ou au aux avec pour par sur son sa ses
    votre vos qui est sont une dans der die das den dem des ein eine einen und oder mit von
    zu im am auf für ist sind war ihr ihre ihren sie wir nicht auch bei über wie haben""".split()
)  # fmt: skip
"""Words too common to say which fact a sentence draws on."""

CROSS_LINGUAL_WORDS = frozenset(
    """software video code online internet super test tests plan post total simple normal
    final moment version standard link extra minute global hotel plus pro app apps interview
    mobile digital budget option marketing web blog stress alternative studio talent phase
    mode vision info signal chat index premium innovation engagement agenda hardware segment
    export laptop transformation motivation streaming flexible podcast ranking data team
    teams cloud design demo management manager business service services support top job
    live news show chance sport club film international local central media real free open
    fair bravo feedback performance content email mail mails smartphone startup startups
    tool tools check update updates workflow workflows audio format label routine initiative
    principal crucial ideal social original personal situation position base argument
    e-mail e-mails argumente""".split()
)  # fmt: skip
"""Common words spelled alike in the four languages: their even frequency is no sign of a
brand or a city, so a sentence may open with one ("Software teams…") without naming anyone."""
NOT_PLACES = frozenset(
    """act atlantic center central christmas east eastern general island mountain north
    pacific south universal virgin wake west navidad reunión réunion victoria jersey
    monaco maurice dominique""".split()
)  # fmt: skip
"""Time-zone and territory names that are ordinary words first."""

GENERIC_COUNTED = frozenset(
    """thing things way ways reason reasons question questions idea ideas point points step
    steps change changes part parts word words tip tips lesson lessons option options ones
    cosa cosas forma formas razón razones pregunta preguntas idea ideas paso pasos cambio
    cambios chose choses façon façons raison raisons question questions idée idées étape
    étapes changement changements ding dinge grund gründe frage fragen idee ideen schritt
    schritte slot slots time times opciones opción hueco huecos horario horarios créneau
    créneaux possibilité possibilités termin termine vorschlag vorschläge option optionen""".split()
)  # fmt: skip
"""What a message counts of its own ("two things stood out", "three quick questions"): a
small count of these is rhetoric, not a claim about the lead."""
RHETORICAL_SUPERLATIVE = (
    r"(?:difference|impact|win|wins|gain|gains|problem|problems|challenge|mistake|risk|issue|"
    r"question|bottleneck|headache|pain|lever|factor|effect|improvement|change|share|part|"
    r"chunk|source|way|route|path|fix|step)"
)
"""Nouns a superlative often qualifies as a figure of speech ("the biggest difference",
"the fastest way to see it"), not as a ranking of the lead."""

SUPERLATIVE_TRIGGERS: dict[str, frozenset[str]] = {
    key: frozenset(words.split())
    for key, words in {
        "largest": "largest biggest mayor mayores grande grand grande grands grandes größte "
                   "größten größter größtes größtem",
        "fastest": "fastest rápido rápida rapide croissance vite schnellsten schnellstwachsende "
                   "schnellstwachsenden schnellstwachsender schnellstwachsendes",
        "leading": "leading leader lider líder líderes file führende führenden führender "
                   "führendes marktführer branchenführer",
        "#1": "number no nº número numéro nummer nr n",
        "first": "first primer primero primera premier première erste erster ersten erstes",
        "only": "only única único seul seule einzige einzigen",
        "most": "most top best award más plus beliebteste beliebtesten erfolgreichste "
                "erfolgreichsten innovativste innovativsten preisgekrönte preisgekrönten",
    }.items()
}  # fmt: skip
"""A word each superlative holds: the full pattern is only tried on a text with one."""
NUMBER_WORDS: dict[str, frozenset[str]] = {
    language: frozenset(words.split())
    for language, words in {
        "en": "one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
              "fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty "
              "seventy eighty ninety hundred thousand million billion",
        "es": "uno una dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce "
              "quince dieciséis diecisiete dieciocho diecinueve veinte veintiuno veintidós "
              "veintitrés veinticuatro veinticinco veintiséis veintisiete veintiocho "
              "veintinueve treinta cuarenta cincuenta sesenta setenta ochenta noventa cien "
              "ciento cientos doscientos trescientos quinientos mil millón millones",
        "fr": "un une deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze "
              "quinze seize vingt trente quarante cinquante soixante cent cents mille million "
              "millions milliard milliards",
    }.items()
}  # fmt: skip
"""Words a number written out in words holds (German compounds are read whatever they are)."""

FRACTIONS: tuple[tuple[float, str], ...] = (
    (1 / 2, r"in\s+half|by\s+half|halved|halves|halve|a\s+la\s+mitad|en\s+la\s+mitad|"
            r"de\s+moitié|divisée?s?\s+par\s+deux|halbiert|halbieren|um\s+die\s+Hälfte"),
    (1 / 3, r"(?:a|one)[\s-]third|un\s+tercio|un\s+tiers|ein\s+Drittel"),
    (2 / 3, r"two[\s-]thirds|dos\s+tercios|deux\s+tiers|zwei\s+Drittel"),
)  # fmt: skip
"""Fractions a message may state ("cut pipeline time by a third"): a fact must state the same.
Quarters are left out: "a quarter" is as often three months."""
