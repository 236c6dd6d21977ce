"""The offline writer's Spanish hooks and lead-row lines (see hook_book.py for the slots).

Professional sentences speak to the reader as usted, friendly and direct ones as tú. A hook's
few words (its label and the short form a text or a note uses) serve every tone, so they say
"tu" only where a possessive cannot be left out. "artículo" and "charla" differ in gender: the
post and talk frames are written apart, and the shared short forms put no adjective next to
{noun} that would have to agree with it ("más reciente" agrees with both). A date goes in
brackets after a title, so "(noviembre de 2024)" reads as well as "(9 de noviembre)".

A text must fit 70 characters once it holds a letter GSM-7 lacks, and "artículo" is one: a
post's few words are "tu artículo", with its date when the title is too long to be its short
form, never the title; news is said by its title in straight quotes, which GSM-7 has.
"""

from __future__ import annotations

from agent.offline.phrasebooks.hook_book import HookBook
from graphs.drafts import Tone

P, F, D = Tone.PROFESSIONAL, Tone.FRIENDLY, Tone.DIRECT
_MONTHS = (
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre"
).split()

Frames = tuple[str, str, str, str, str, str, str, str]


def _post(noun: str, seen: str) -> Frames:
    """A post's or a talk's frames: {noun} is "artículo" or "charla", seen is how one takes it
    in as usted ("leí", "vi")."""
    return (
        "tu {noun} «{title}»{when}",
        f"{seen.capitalize()} su {{noun}} «{{title}}»{{when}}.",
        "Tu {noun} «{title}» me dio que pensar.",
        "Vi tu {noun} «{title}»{when}.",
        f"tu {noun}",
        f"También {seen} su {{noun}} «{{title}}»{{when}}.",
        "Y tu {noun} «{title}» también me dio que pensar.",
        "También vi tu {noun} «{title}»{when}.",
    )


def _news(friendly: str, friendly_next: str) -> Frames:
    return (
        "las noticias de {company} «{title}»{when}",
        "He leído la noticia{on} sobre {company}: «{title}».",
        friendly,
        "Vi «{title}»{when}.",
        "las noticias de {company}",
        "También he leído la noticia{on} sobre {company}: «{title}».",
        friendly_next,
        "También vi «{title}»{when}.",
    )


_SAID_AS_IS: Frames = (
    "{sentence}",
    "He visto que {sentence}.",
    "Me fijé en que {sentence}.",
    "{sentence}.",
    "lo que publica {company}",
    "También he visto que {sentence}.",
    "Y me fijé en que {sentence}.",
    "Además, {sentence}.",
)

SPANISH_HOOKS = HookBook(
    months=tuple(_MONTHS),
    short_months=tuple(m[:3] for m in _MONTHS),
    long_date="{day} de {month}",
    short_date="{day} {month}",
    month_year="{month} de {year}",
    short_month_year="{month} {year}",
    possessive=("", ""),
    nouns={"post": "artículo", "talk": "charla"},
    when=" ({date})",
    on=" del {date}",
    frames={
        "post": _post("artículo", "leí"),
        "talk": _post("charla", "vi"),
        "news": _news("Vi «{title}».", "También vi «{title}»."),
        "news_congrats": _news("Enhorabuena por «{title}».", "Y enhorabuena por «{title}»."),
        "hiring": (
            "{total} vacantes en {company} ({first} en {department})",
            "He visto que {company} tiene {total} vacantes abiertas, {first} de ellas en "
            "{department}.",
            "Parece que {company} está contratando: {total} vacantes, {first} en {department}.",
            "{company} tiene {total} vacantes abiertas, {first} en {department}.",
            "las {total} vacantes de {company}",
            "También he visto que {company} tiene {total} vacantes abiertas, {first} de ellas "
            "en {department}.",
            "Y parece que {company} también está contratando: {total} vacantes, {first} en "
            "{department}.",
            "Además, {company} tiene {total} vacantes abiertas, {first} en {department}.",
        ),
        "technology": (
            "el stack de {company} ({listed})",
            "He visto que {company} menciona {techs} en su web.",
            "Veo que en {company} trabajáis con {techs}.",
            "{company} menciona {techs} en su web.",
            "el stack de {company}, con {first_tech}",
            "También he visto que {company} menciona {techs} en su web.",
            "Y veo que en {company} trabajáis con {techs}.",
            "Además, {company} menciona {techs} en su web.",
        ),
        "profile": (
            "tu papel como {role}",
            "Le escribo por su papel como {role}.",
            "Como {role}, pensé que eras la persona indicada.",
            "Eres {role}.",
            "tu perfil ({role})",
            "Además, como {role}, es usted la persona indicada.",
            "Y como {role}, pensé que eras la persona indicada.",
            "Eres {role}, por eso te escribo.",
        ),
        "referral": (
            "{who} me sugirió escribir",
            "{who} me sugirió que me pusiera en contacto con usted.",
            "{who} me sugirió escribirte, así que aquí estoy.",
            "{who} me sugirió escribirte.",
            "la sugerencia de {who}",
            "Además, {who} me sugirió que me pusiera en contacto con usted.",
            "Y {who} me sugirió escribirte.",
            "Además, {who} me sugirió escribirte.",
        ),
        "company": (
            "lo que hace {company} ({what})",
            "He visto a qué se dedica {company}: {what}.",
            "Me gusta lo que estáis construyendo en {company}: {what}.",
            "{company} se dedica a esto: {what}.",
            "lo que hace {company}",
            "También he visto a qué se dedica {company}: {what}.",
            "Y me gusta lo que estáis construyendo en {company}: {what}.",
            "{company} se dedica a esto: {what}.",
        ),
        "company_sentence": _SAID_AS_IS,
    },
    shorts={
        "post_titled": "tu {noun}",
        "post_dated": "tu {noun} ({date})",
        "untitled": "tu {noun} más reciente",
        "news_titled": '"{title}"',
        "news_dated": "la noticia de {company_s} del {date}",
    },
    row_roles=("{title} en {company}", "parte del equipo de {company}"),
    row_lines={
        P: "Le escribo porque es {role}.",
        F: "Te escribo porque eres {role}; seré breve.",
        D: "Eres {role}, así que iré al grano.",
    },
    short_intros={
        P: "Hola, {first}, soy {sender}, de {sender_company}, y le escribo por su trabajo en "
        "{company}.",
        F: "¡Hola, {first}! Soy {sender}, de {sender_company}, y te escribo por tu trabajo en "
        "{company}.",
        D: "{first} ({company}): soy {sender}, de {sender_company}.",
    },
    withheld_intro="Hola, soy {sender}, de {sender_company}, y le escribo a {company}.",
    lower_after_greeting=(
        "Como ",
        "Tu ",
        "Su ",
        "Vi ",
        "Parece ",
        "Eres ",
        "Leí ",
        "He ",
        "Le ",
        "Me ",
        "Veo ",
        "Esto ",
        "Enhorabuena ",
    ),
)
