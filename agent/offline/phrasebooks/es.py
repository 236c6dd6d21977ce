"""The offline writer's Spanish words (see base.py for the slots).

Professional speaks to the reader as usted, friendly and direct as tú. Bridges, a text's asks
when the campaign's cannot be read, and the short forms of hooks serve every tone, so they
address nobody: they speak of the team, the work or "we". The campaign's own pitch and ask
come translated and are used as the campaign wrote them. Pitch frames take the pitch from its
verb on ("muestra a los equipos …"), which Spanish can say without a subject ("Para eso creamos
Brightpath: muestra …").
"""

from __future__ import annotations

from agent.offline.phrasebooks.base import Phrasebook
from agent.offline.phrasebooks.es_hooks import SPANISH_HOOKS
from graphs.drafts import Tone

P, F, D = Tone.PROFESSIONAL, Tone.FRIENDLY, Tone.DIRECT

_NEWS_BRIDGES = (
    "Movimientos así suelen traer más trabajo en {topic}.",
    "Un cambio así suele poner más peso sobre {topic}.",
    "Los cambios así acaban notándose en {topic} tarde o temprano.",
    "Un paso así suele traer consigo más trabajo en {topic}.",
)
_NEWS_PLAIN = (
    "Los cambios así suelen notarse en todo el equipo.",
    "Movimientos así suelen dar mucho trabajo a un equipo.",
    "Un paso así suele cambiar la forma de trabajar de un equipo.",
)

SPANISH = Phrasebook(
    language="es",
    and_word="y",
    greetings={P: "Hola, {first_name}:", F: "¡Hola, {first_name}!", D: "{first_name}:"},
    sign_offs={
        P: "Saludos cordiales,\n{sender_name}\n{signature_line}",
        F: "Un saludo,\n{sender_first}",
        D: "{sender_name}, {sender_company}",
    },
    # After a salutation's colon Spanish goes on with a capital, on the same line too.
    note_greetings={P: "Hola, {first_name}:", F: "¡Hola, {first_name}!", D: "{first_name}:"},
    note_short_hooks={P: "He visto {short}.", F: "Me fijé en {short}.", D: "Vi {short}."},
    # A text that spells a name like "Lucía" has 70 characters: the last openings are short.
    text_intros={
        P: (
            "Hola, {first_name}, soy {sender_first}, de {sender_company}.",
            "Hola, {first_name}, soy {sender_first}.",
            "{first_name}, soy {sender_first}.",
        ),
        F: (
            "¡Hola, {first_name}! Soy {sender_first}, de {sender_company}.",
            "¡Hola, {first_name}! Soy {sender_first}.",
            "{first_name}, soy {sender_first}.",
        ),
        D: (
            "{first_name}, soy {sender_first} ({sender_company}).",
            "{first_name}, soy {sender_first}.",
        ),
    },
    # A text's hook is as short as Spanish allows, for 70 characters; the openings tell the
    # tones apart. It addresses nobody: the hook's few words say "tu" where they must.
    text_hooks={P: "Vi {short}.", F: "Vi {short}.", D: "Sobre {short}:"},
    # Spanish drops the subject: a later pitch sentence about the product opens with its verb,
    # or with "También" ("También redacta …"), which is how one is told from another kind.
    pronoun="También",
    pitch_after_bridge={
        P: (
            "Para eso existe {company}: {rest}.",
            "{company} nació justo para eso: {rest}.",
            "{company} {rest}.",
            "Ahí es donde entra {company}: {rest}.",
            "Es precisamente el problema que resuelve {company}: {rest}.",
            "{company} se creó para eso: {rest}.",
        ),
        F: (
            "Justo por eso creamos {company}: {rest}.",
            "Ahí es donde entra {company}: {rest}.",
            "{company} {rest}.",
            "Para eso creamos {company}: {rest}.",
            "Hicimos {company} para equipos en esa situación: {rest}.",
            "{company} nació para eso: {rest}.",
        ),
        D: (
            "{company} sirve justo para eso: {rest}.",
            "{company} {rest}.",
            "Para eso está {company}: {rest}.",
            "Es el problema que resuelve {company}: {rest}.",
            "Esto es lo que hace {company}: {rest}.",
            "{company} existe para eso: {rest}.",
        ),
    },
    pitch_plain={
        P: (
            "{company} {rest}.",
            "Le cuento brevemente qué hace {company}: {rest}.",
            "En pocas palabras, {company} {rest}.",
            "Le resumo qué hace {company}: {rest}.",
        ),
        F: (
            "{company} {rest}.",
            "En pocas palabras, {company} {rest}.",
            "Te cuento qué hace {company}: {rest}.",
            "Resumiendo mucho, {company} {rest}.",
        ),
        D: (
            "{company} {rest}.",
            "Esto es lo que hace {company}: {rest}.",
            "En resumen, {company} {rest}.",
            "En pocas palabras, {company} {rest}.",
        ),
    },
    pitch_sentence={
        P: (
            "{Sentence}",
            "En la práctica, {sentence}",
            "Como referencia, {sentence}",
            "Para que se haga una idea, {sentence}",
            "Según nuestra experiencia, {sentence}",
            "A modo de referencia, {sentence}",
        ),
        F: (
            "{Sentence}",
            "En la práctica, {sentence}",
            "Y {sentence}",
            "Para que te hagas una idea, {sentence}",
            "Lo mejor es que {sentence}",
            "Un dato: {sentence}",
        ),
        D: (
            "{Sentence}",
            "En la práctica, {sentence}",
            "El dato: {sentence}",
            "Lo importante: {sentence}",
            "En resumen: {sentence}",
            "Como referencia, {sentence}",
        ),
    },
    pitch_pronoun={
        P: ("{Pronoun} {rest}.", "{company} también {rest}.", "Además, {rest_without_also}."),
        F: ("{Pronoun} {rest}.", "Y además {rest}.", "{company} también {rest}."),
        D: ("{Pronoun} {rest}.", "{company} también {rest}.", "Además, {rest_without_also}."),
    },
    # Spanish puts no comma before "y" in a list: two clauses are joined with a semicolon.
    pitch_merges=("{first}; {second}", "{first}; {second}"),
    asks={
        P: (
            "¿Le vendría bien {meeting}{when}{purpose}?",
            "¿Le parece útil {meeting}{when}{purpose_after_comma}?",
            "¿Podríamos agendar {meeting}{when}{purpose}?",
            "¿Tendría tiempo para {meeting}{when}{purpose}?",
            "¿Le interesaría {meeting}{when}{purpose}?",
            "¿Le parece bien {meeting}{when}{purpose}?",
        ),
        F: (
            "¿Te apetece {meeting}{when}{purpose}?",
            "¿Qué tal {meeting}{when}{purpose}?",
            "¿Te vendría bien {meeting}{when}{purpose_after_comma}?",
            "¿Te animas a {meeting}{when}{purpose}?",
            "¿Tienes hueco para {meeting}{when}{purpose}?",
            "¿Te cuadra {meeting}{when}{purpose}?",
        ),
        D: (
            "¿Merece la pena {meeting}{when}{purpose}?",
            "¿Hacemos {meeting}{when}{purpose}?",
            "¿Te interesa {meeting}{when}{purpose}?",
            "¿Agendamos {meeting}{when}{purpose}?",
            "¿Reservamos {meeting}{when}{purpose}?",
            "¿Tienes tiempo para {meeting}{when}{purpose}?",
        ),
    },
    asks_in_minutes={
        P: ("¿Podríamos encontrar {minutes} minutos{when}{for_noun}{purpose}?",),
        F: ("¿Tienes {minutes} minutos{when}{for_noun}{purpose}?",),
        D: ("¿Me das {minutes} minutos{when}{for_noun}{purpose}?",),
    },
    text_asks={
        P: ("¿Le va bien {meeting}{when}?", "¿Le interesa {meeting}{when}?"),
        F: ("¿Te apetece {meeting}{when}?", "¿Te va bien {meeting}{when}?"),
        D: ("¿Merece la pena {meeting}{when}?", "¿Hacemos {meeting}{when}?"),
    },
    short_text_asks=("¿{Meeting}{when}?", "¿{Noun}{when}?"),
    # A text's ask in any tone when the campaign's cannot be read: it addresses nobody.
    fallback_text_asks=("¿Hablamos esta semana?", "¿Hablamos unos minutos?", "¿Hablamos?"),
    connect_asks={
        P: ("¿Le parece si conectamos?", "¿Conectamos por aquí?", "¿Le parece bien conectar?"),
        F: ("¿Conectamos?", "¿Te parece si conectamos?", "¿Conectamos por aquí?"),
        D: ("¿Conectamos?", "¿Conectamos por aquí?", "¿Te parece si conectamos?"),
    },
    bridges={
        "public_content": (
            "Se nota que el tema de {topic} se ha trabajado a fondo.",
            "Se ve que el problema de {topic} se conoce de primera mano.",
            "Se nota mucha experiencia acumulada con {topic}.",
            "Está claro que a {topic} se le ha dedicado tiempo de verdad.",
        ),
        "funding": (
            "Una nueva ronda suele traer un equipo más grande, y con él más trabajo en {topic}.",
            "Crecer después de una ronda suele poner más peso sobre {topic}.",
            "Tras una ronda, los equipos suelen crecer rápido, y eso se nota en {topic}.",
        ),
        "hiring_surge": (
            "Sumar tanta gente suele traer más trabajo en {topic}.",
            "Un equipo que crece tan rápido suele notarlo en {topic}.",
            "Más contrataciones suelen significar más presión sobre {topic}.",
        ),
        "hiring": (
            "Cada nueva incorporación suele sumar algo más de trabajo en {topic}.",
            "Un equipo que crece suele poner más peso sobre {topic}.",
            "Cada puesto nuevo suele añadir trabajo en {topic}.",
        ),
        "expansion": _NEWS_BRIDGES,
        "product_launch": (
            "Un lanzamiento así suele traer más presión sobre {topic}.",
            *_NEWS_BRIDGES,
        ),
        "acquisition": _NEWS_BRIDGES,
        "partnership": _NEWS_BRIDGES,
        "news": _NEWS_BRIDGES,
        "leadership_change": (
            "Un cambio en la dirección suele ser buen momento para revisar {topic}.",
            "Con una dirección nueva, los equipos suelen replantearse {topic}.",
            "Un relevo en la dirección suele traer una mirada nueva sobre {topic}.",
        ),
        "technology": (
            "Mantener todo eso suele exigir un trabajo constante en {topic}.",
            "Con un stack así, el trabajo en {topic} se acumula rápido.",
            "Un entorno así suele tener a alguien ocupado con {topic}.",
        ),
        "profile": (
            "Imagino que {topic} forma parte del día a día en ese puesto.",
            "Es probable que {topic} sea parte de ese trabajo.",
            "Supongo que el tema de {topic} pasa por ese puesto.",
        ),
        "company": (
            "Construir algo así suele exigir un trabajo constante en {topic}.",
            "Un producto así suele depender de un buen trabajo en {topic}.",
            "Los equipos que construyen productos así suelen apoyarse mucho en {topic}.",
        ),
    },
    plain_bridges={
        "public_content": (
            "Por eso me animé a escribir.",
            "Fue lo que me llevó a escribir este mensaje.",
            "Me despertó curiosidad por cómo trabaja el equipo.",
        ),
        "funding": (
            "Una nueva ronda suele significar que el equipo crecerá rápido.",
            "El crecimiento después de una ronda suele llegar deprisa.",
        ),
        "hiring_surge": (
            "Sumar tanta gente suele cambiar la forma de trabajar de un equipo.",
            "Un equipo que crece tan rápido suele notarlo en todas partes.",
        ),
        "hiring": ("Un equipo que crece suele cambiar su forma de trabajar.",),
        "expansion": _NEWS_PLAIN,
        "product_launch": _NEWS_PLAIN,
        "acquisition": _NEWS_PLAIN,
        "partnership": _NEWS_PLAIN,
        "news": _NEWS_PLAIN,
        "leadership_change": (
            "Un cambio en la dirección suele ser buen momento para revisar cómo se trabaja.",
        ),
        "technology": ("Mantener sano un stack así exige mucho cuidado.",),
        "profile": ("Por eso quería escribir.", "Me pareció que merecía un mensaje breve."),
        "company": ("Por eso pensé en escribir.", "Por eso me animé a escribir."),
        "referral": ("Así que quería escribir directamente.", "Así que aquí va un mensaje breve."),
    },
    # A subject names no "artículo" or "charla": a post's subject serves talks too.
    subjects={
        "post": {
            P: ("A propósito de «{full_title}»", "{company} y {topic}"),
            F: ("«{full_title}»", "Una idea sobre {post_topic}"),
            D: ("{title}", "{Topic} en {company}"),
        },
        "news": {
            P: ("{title}", "{company} y {topic}"),
            F: ("A raíz de «{full_title}»", "Una idea sobre {topic}"),
            D: ("{Topic} en {company}", "{title}"),
        },
        "hiring": {
            P: ("{total} vacantes en {company}", "{company} y {topic}"),
            F: ("Contratando en {department}", "Una idea sobre {topic}"),
            D: ("{total} vacantes en {company}", "{Topic} en {company}"),
        },
        "technology": {
            P: ("{company} y {topic}", "{tech} en {company}"),
            F: ("Vuestro stack con {tech}", "Una idea sobre {topic}"),
            D: ("{Topic} con {tech}", "{tech} en {company}"),
        },
        "referral": {
            P: ("{who} me sugirió escribirle",),
            F: ("{who} me sugirió escribirte",),
            D: ("{who} me sugirió escribirte",),
        },
    },
    fallback_subjects={
        P: ("{company} y {topic}", "Una pregunta para {company}", "Una pregunta breve"),
        F: ("Una idea sobre {topic}", "Una idea para {company}", "Una idea rápida"),
        D: ("{Topic} en {company}", "{company}: una pregunta rápida", "Una pregunta rápida"),
    },
    hooks=SPANISH_HOOKS,
)
