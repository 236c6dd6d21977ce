"""The offline writer's German hooks and lead-row lines (see hook_book.py for the slots).

Sie in every tone; titles in German quotes („…“), straight ones ("…") in a text's few words
(one GSM-7 segment). The few words (a hook's fifth form and SHORT_FORMS) are said in the
accusative, as every frame that carries them needs: "Ich habe Ihren Beitrag gesehen." A
sentence opening with a noun, "Ihr"/"Sie" or a name keeps its capital after "Hallo Lukas,";
the other openings are lowered there (lower_after_greeting).
"""

from __future__ import annotations

from agent.offline.phrasebooks.hook_book import HookBook
from graphs.drafts import Tone

P, F, D = Tone.PROFESSIONAL, Tone.FRIENDLY, Tone.DIRECT
_MONTHS = (
    "Januar Februar März April Mai Juni Juli August September Oktober November Dezember"
).split()
_SHORT_MONTHS = "Jan. Feb. März Apr. Mai Juni Juli Aug. Sept. Okt. Nov. Dez.".split()


def _post(seen: str) -> tuple[str, str, str, str, str, str, str, str]:
    return (
        "Ihr {noun} „{title}“{when}",
        f"Ihren {{noun}} „{{title}}“{{on}} habe ich mit Interesse {seen}.",
        "Ihr {noun} „{title}“ ist mir im Kopf geblieben.",
        "Ihr {noun} „{title}“{when} ist mir aufgefallen.",
        "Ihren {noun}",
        f"Auch Ihren {{noun}} „{{title}}“{{on}} habe ich {seen}.",
        "Ihr {noun} „{title}“ hat mir ebenfalls gefallen.",
        "Gesehen habe ich auch Ihren {noun} „{title}“{when}.",
    )


def _news(friendly: str, friendly_next: str) -> tuple[str, str, str, str, str, str, str, str]:
    return (
        "die Meldung von {company} „{title}“{when}",
        "Ich habe die Meldung von {company}{on} gesehen: „{title}“.",
        friendly,
        "Ich habe „{title}“{when} gesehen.",
        "die Meldung von {company}",
        "Auch die Meldung{on} habe ich gesehen: „{title}“.",
        friendly_next,
        "Auch „{title}“{when} habe ich gesehen.",
    )


_SAID_AS_IS = (
    "{sentence}",
    "Mir ist aufgefallen: {sentence}.",
    "Interessant fand ich: {sentence}.",
    "{sentence}.",
    "die Website von {company}",
    "Außerdem ist mir aufgefallen: {sentence}.",
    "Und interessant fand ich: {sentence}.",
    "Zudem gilt: {sentence}.",
)

GERMAN_HOOKS = HookBook(
    months=tuple(_MONTHS),
    short_months=tuple(_SHORT_MONTHS),
    long_date="{day}. {month}",
    short_date="{day}. {month}",
    month_year="{month} {year}",
    short_month_year="{month} {year}",
    # The genitive of a name: "Kranwerks", "Northwind Robotics'"; the frames mostly say
    # "von {company}", which reads better with a company's full name.
    possessive=("'", "s"),
    nouns={"post": "Beitrag", "talk": "Vortrag"},
    when=" ({date})",
    on=" vom {date}",
    frames={
        "post": _post("gelesen"),
        "talk": _post("gesehen"),
        "news": _news(
            "„{title}“ habe ich mit Interesse gelesen.", "Auch „{title}“ habe ich gelesen."
        ),
        "news_congrats": _news(
            "Glückwunsch zu den Neuigkeiten: „{title}“.",
            "Glückwunsch auch zu den Neuigkeiten: „{title}“.",
        ),
        "hiring": (
            "{total} offene Stellen bei {company} ({first} im Bereich {department})",
            "Mir ist aufgefallen, dass {company} {total} offene Stellen ausschreibt, davon "
            "{first} im Bereich {department}.",
            "{company} stellt gerade ein: {total} offene Stellen, {first} davon im Bereich "
            "{department}.",
            "{company} hat {total} offene Stellen, {first} davon im Bereich {department}.",
            "die {total} offenen Stellen bei {company}",
            "Außerdem ist mir aufgefallen, dass {company} {total} offene Stellen ausschreibt, "
            "davon {first} im Bereich {department}.",
            "Und {company} stellt auch gerade ein: {total} offene Stellen, {first} davon im "
            "Bereich {department}.",
            "Dazu hat {company} {total} offene Stellen, {first} davon im Bereich {department}.",
        ),
        "technology": (
            "der Stack von {company} ({listed})",
            "Mir ist aufgefallen, dass {company} auf der Website {techs} nennt.",
            "Wie ich sehe, setzt {company} auf {techs}.",
            "{company} nennt auf der Website {techs}.",
            "Ihr Setup mit {first_tech}",
            "Außerdem nennt {company} auf der Website {techs}.",
            "Und wie ich sehe, setzt {company} auf {techs}.",
            "Auf der Website nennt {company} außerdem {techs}.",
        ),
        "profile": (
            "Ihre Rolle als {role}",
            "Ich schreibe Ihnen in Ihrer Rolle als {role}.",
            "Als {role} schienen Sie mir die richtige Person für mein Anliegen.",
            "Sie sind {role}.",
            "Ihre Rolle als {role}",
            "Als {role} sind Sie für mein Anliegen die richtige Person.",
            "Und als {role} schienen Sie mir die richtige Person dafür.",
            "Sie sind {role}, deshalb schreibe ich Ihnen.",
        ),
        "referral": (
            "Empfehlung von {who}",
            "{who} hat mir empfohlen, mich bei Ihnen zu melden.",
            "{who} hat mir empfohlen, mich bei Ihnen zu melden, und hier bin ich.",
            "{who} hat mir geraten, mich bei Ihnen zu melden.",
            "die Empfehlung von {who}",
            "{who} hatte mir schon empfohlen, mich bei Ihnen zu melden.",
            "{who} hatte mir schon geraten, mich bei Ihnen zu melden.",
            "{who} hatte mir schon empfohlen, mich bei Ihnen zu melden.",
        ),
        "company": (
            "das Angebot von {company} ({what})",
            "Wie ich sehe, entwickelt {company} {what}.",
            "Mir gefällt, was {company} baut: {what}.",
            "{company} entwickelt {what}.",
            "das Angebot von {company}",
            "Außerdem entwickelt {company} {what}, wie ich sehe.",
            "Und mir gefällt, was {company} baut: {what}.",
            "{company} entwickelt {what}.",
        ),
        "company_sentence": _SAID_AS_IS,
    },
    shorts={
        "post_titled": 'Ihren {noun} "{title}"',
        "post_dated": "Ihren {noun} ({date})",
        "untitled": "Ihren letzten {noun}",
        "news_titled": '"{title}"',
        "news_dated": "die Meldung vom {date}",
    },
    row_roles=("als {title} bei {company}", "bei {company}"),
    row_lines={
        P: "Diese Nachricht richtet sich an Sie {role}.",
        F: "Ich wende mich an Sie {role} und halte mich kurz.",
        D: "Das ist eine kurze Nachricht an Sie {role}.",
    },
    short_intros={
        P: "Hallo {first} ({company}), hier schreibt {sender} von {sender_company}.",
        F: "Hallo {first} bei {company}, {sender} von {sender_company} hier.",
        D: "{first} ({company}), hier ist {sender} von {sender_company}.",
    },
    withheld_intro="Hallo an {company}, hier schreibt {sender} von {sender_company}.",
    lower_after_greeting=("Ich ", "Als ", "Mir ", "Wie ", "Interessant "),
)
