"""The offline writer's French hooks and lead-row lines (see hook_book.py for the slots).

French has no possessive ending: a company's news is "l'annonce de {company}", so the
possessive adds nothing and {company_s} is the name itself. A post is an "article", a talk an
"intervention": the frames say "votre {noun}", which reads right for both genders. Titles are
quoted « … » in sentences and with straight quotes in a text's few words (one GSM-7 segment,
where « » would not fit); apostrophes are straight for the same reason. A dated post says its
date in brackets ("(5 novembre)", "(novembre 2024)"), which reads right for a day and a month.
"""

from __future__ import annotations

from agent.offline.phrasebooks.hook_book import HookBook
from graphs.drafts import Tone

P, F, D = Tone.PROFESSIONAL, Tone.FRIENDLY, Tone.DIRECT
_MONTHS = (
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"
).split()
# "aout" (the 1990 spelling) keeps a text in GSM-7: "û" would make it a 70-character UCS-2 one.
_SHORT_MONTHS = "janv févr mars avr mai juin juil aout sept oct nov déc".split()


def _post(seen: str) -> tuple[str, str, str, str, str, str, str, str]:
    return (
        "votre {noun} « {title} »{when}",
        f"J'ai {seen} votre {{noun}} « {{title}} »{{when}}.",
        "Votre {noun} « {title} » m'a beaucoup parlé.",
        "J'ai vu votre {noun} « {title} »{when}.",
        "votre {noun}",
        f"J'ai aussi {seen} votre {{noun}} « {{title}} »{{when}}.",
        "Votre {noun} « {title} » m'a aussi beaucoup parlé.",
        "J'ai aussi vu votre {noun} « {title} »{when}.",
    )


def _news(friendly: str, friendly_next: str) -> tuple[str, str, str, str, str, str, str, str]:
    return (
        "l'annonce de {company} « {title} »{when}",
        "J'ai vu l'annonce de {company}{on} : « {title} ».",
        friendly,
        "J'ai lu « {title} »{when}.",
        "l'annonce de {company}",
        "J'ai aussi vu l'annonce de {company}{on} : « {title} ».",
        friendly_next,
        "J'ai aussi lu « {title} »{when}.",
    )


_SAID_AS_IS = (
    "{sentence}",
    "J'ai noté ceci : {sentence}.",
    "J'ai remarqué ceci : {sentence}.",
    "{sentence}.",
    "ce que publie {company}",
    "J'ai aussi noté ceci : {sentence}.",
    "Et j'ai remarqué ceci : {sentence}.",
    "J'ai aussi remarqué ceci : {sentence}.",
)

FRENCH_HOOKS = HookBook(
    months=tuple(_MONTHS),
    short_months=tuple(_SHORT_MONTHS),
    long_date="{day} {month}",
    short_date="{day} {month}",
    month_year="{month} {year}",
    short_month_year="{month} {year}",
    possessive=("", ""),
    nouns={"post": "article", "talk": "intervention"},
    when=" ({date})",
    on=" du {date}",
    frames={
        "post": _post("lu"),
        "talk": _post("découvert"),
        "news": _news("J'ai vu passer « {title} ».", "J'ai aussi vu passer « {title} »."),
        "news_congrats": _news(
            "Félicitations pour « {title} ».", "Et félicitations pour « {title} »."
        ),
        "hiring": (
            "{total} postes ouverts chez {company} (dont {first} en {department})",
            "Je vois {total} postes ouverts chez {company}, dont {first} en {department}.",
            "Visiblement, {company} recrute : {total} postes ouverts, dont {first} en "
            "{department}.",
            "{company} a {total} postes ouverts, dont {first} en {department}.",
            "{total} postes ouverts chez {company}",
            "Je vois aussi {total} postes ouverts chez {company}, dont {first} en {department}.",
            "Et visiblement, {company} recrute aussi : {total} postes ouverts, dont {first} en "
            "{department}.",
            "Et {company} a {total} postes ouverts, dont {first} en {department}.",
        ),
        "technology": (
            "la stack de {company} ({listed})",
            "Sur son site, {company} mentionne {techs}.",
            "Côté technique, {company} s'appuie sur {techs}.",
            "{company} mentionne {techs} sur son site.",
            "votre stack {first_tech}",
            "Sur son site, {company} mentionne aussi {techs}.",
            "Et côté technique, {company} s'appuie sur {techs}.",
            "{company} mentionne aussi {techs} sur son site.",
        ),
        "profile": (
            "votre poste de {role}",
            "Je vous écris car vous êtes {role}.",
            "En tant que {role}, vous m'avez semblé la bonne personne à qui écrire.",
            "Vous êtes {role}.",
            "votre poste de {role}",
            "En tant que {role}, vous êtes la bonne personne à qui poser la question.",
            "Et en tant que {role}, vous m'avez semblé la bonne personne à qui écrire.",
            "Vous êtes {role}, d'où ce message.",
        ),
        "referral": (
            "{who} m'a suggéré de vous contacter",
            "{who} m'a suggéré de vous contacter.",
            "{who} m'a suggéré de vous écrire, alors me voici.",
            "{who} m'a conseillé de vous écrire.",
            "le conseil de {who}",
            "{who} m'a d'ailleurs suggéré de vous contacter.",
            "{who} m'a d'ailleurs conseillé de vous écrire.",
            "{who} m'a d'ailleurs suggéré de vous écrire.",
        ),
        "company": (
            "ce que fait {company} ({what})",
            "J'ai regardé ce que fait {company} : {what}.",
            "J'aime ce que construit {company} : {what}.",
            "Ce que fait {company} : {what}.",
            "ce que fait {company}",
            "J'ai aussi regardé ce que fait {company} : {what}.",
            "Et j'aime ce que construit {company} : {what}.",
            "Et voici ce que fait {company} : {what}.",
        ),
        "company_sentence": _SAID_AS_IS,
    },
    shorts={
        "post_titled": 'votre {noun} "{title}"',
        "post_dated": "votre {noun} ({date})",
        "untitled": "votre {noun}",
        "news_titled": '"{title}"',
        "news_dated": "l'annonce de {company_s} ({date})",
    },
    row_roles=("{title} chez {company}", "chez {company}"),
    row_lines={
        P: "Je vous écris car vous êtes {role}.",
        F: "Je vous contacte car vous êtes {role}, et je vais faire court.",
        D: "Vous êtes {role} : voici un message court.",
    },
    short_intros={
        P: "Bonjour {first}, ici {sender} de {sender_company}. Je vous contacte chez {company}.",
        F: "Bonjour {first}, c'est {sender} de {sender_company}. J'ai pensé à vous et à {company}.",
        D: "{first} ({company}), ici {sender} de {sender_company}.",
    },
    withheld_intro="Bonjour, ici {sender} de {sender_company}. Je vous contacte chez {company}.",
    first_day="1er",
    lower_after_greeting=(
        "J'",
        "Je ",
        "Votre ",
        "Vous ",
        "En tant que ",
        "Et ",
        "Visiblement",
        "Félicitations",
        "Sur son site",
        "Côté ",
        "Ce que ",
    ),
)
