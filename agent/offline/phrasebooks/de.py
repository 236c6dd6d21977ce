"""The offline writer's German words (see base.py for the slots).

Sie in every tone. German puts the verb second, so a pitch frame gives {rest} (the campaign's
pitch from its verb on: "zeigt Engineering-Teams, welche Builds …") a subject of its own:
"{company} {rest}." or "Genau dafür gibt es {company}: Es {rest}.". A later pitch sentence is
kept as written after a colon ("In der Praxis heißt das: Teams, die es nutzen, …"), since a
German sentence may open with a noun that keeps its capital. A topic ({topic}, a campaign
keyword such as "CI") is said after "Thema" or "rund um", which need no article of its own.
"""

from __future__ import annotations

from agent.offline.phrasebooks.base import Phrasebook
from agent.offline.phrasebooks.de_hooks import GERMAN_HOOKS
from graphs.drafts import Tone

P, F, D = Tone.PROFESSIONAL, Tone.FRIENDLY, Tone.DIRECT

_NEWS_BRIDGES = (
    "Solche Schritte bringen meist mehr Arbeit rund um {topic} mit sich.",
    "Eine solche Veränderung rückt das Thema {topic} meist stärker in den Fokus.",
    "Solche Veränderungen zeigen sich früher oder später beim Thema {topic}.",
    "Ein solcher Schritt zieht meist mehr Arbeit rund um {topic} nach sich.",
)
_NEWS_PLAIN = (
    "Solche Veränderungen betreffen meist das ganze Team.",
    "Solche Schritte halten ein Team meist auf Trab.",
    "Ein solcher Schritt verändert oft, wie ein Team arbeitet.",
)

GERMAN = Phrasebook(
    language="de",
    and_word="und",
    greetings={P: "Guten Tag {first_name},", F: "Hallo {first_name},", D: "Hallo {first_name},"},
    sign_offs={
        P: "Beste Grüße\n{sender_name}\n{signature_line}",
        F: "Viele Grüße\n{sender_first}",
        D: "{sender_name}, {sender_company}",
    },
    note_greetings={P: "Hallo {first_name},", F: "Hallo {first_name}!", D: "Hallo {first_name},"},
    # A note's hook follows its greeting: after "Hallo Lukas," it goes on in lower case.
    note_short_hooks={
        P: "ich bin auf {short} gestoßen.",
        F: "Ich habe {short} mit Interesse gesehen.",
        D: "ich habe {short} gesehen.",
    },
    text_intros={
        P: (
            "Hallo {first_name}, hier ist {sender_first} von {sender_company}.",
            "Hallo {first_name}, hier ist {sender_first}.",
        ),
        F: (
            "Hallo {first_name}, {sender_first} von {sender_company} hier.",
            "Hallo {first_name}, {sender_first} hier.",
        ),
        D: (
            "{first_name}, hier {sender_first} ({sender_company}).",
            "{first_name}, hier {sender_first}.",
        ),
    },
    text_hooks={
        P: "Ich bin auf {short} aufmerksam geworden.",
        F: "Ich bin auf {short} gestoßen.",
        D: "Ich habe {short} gesehen.",
    },
    pronoun="Es",
    pitch_after_bridge={
        P: (
            "Genau dafür gibt es {company}: Es {rest}.",
            "Für genau diesen Fall wurde {company} entwickelt: Es {rest}.",
            "{company} {rest}.",
            "Hier setzt {company} an: Es {rest}.",
            "Dafür ist {company} gemacht: Es {rest}.",
            "Genau diese Aufgabe übernimmt {company}: Es {rest}.",
        ),
        F: (
            "Genau deshalb haben wir {company} gebaut: Es {rest}.",
            "Hier kommt {company} ins Spiel: Es {rest}.",
            "{company} {rest}.",
            "Genau dafür gibt es {company}: Es {rest}.",
            "Für Teams in dieser Lage haben wir {company} gebaut: Es {rest}.",
            "Dafür ist {company} da: Es {rest}.",
        ),
        D: (
            "Dafür ist {company} gebaut: Es {rest}.",
            "{company} {rest}.",
            "Genau dafür gibt es {company}: Es {rest}.",
            "Hier setzt {company} an: Es {rest}.",
            "Das macht {company}: Es {rest}.",
            "Dafür ist {company} da: Es {rest}.",
        ),
    },
    pitch_plain={
        P: (
            "{company} {rest}.",
            "Kurz zu {company}: Es {rest}.",
            "Kurz gesagt: {company} {rest}.",
            "Zur Einordnung: {company} {rest}.",
        ),
        F: (
            "{company} {rest}.",
            "Kurz gesagt: {company} {rest}.",
            "Kurz zu {company}: Es {rest}.",
            "Kurz zu dem, was wir machen: {company} {rest}.",
        ),
        D: (
            "{company} {rest}.",
            "Das macht {company}: Es {rest}.",
            "Kurz gesagt: {company} {rest}.",
            "In einem Satz: {company} {rest}.",
        ),
    },
    pitch_sentence={
        P: (
            "{Sentence}",
            "In der Praxis heißt das: {Sentence}",
            "Zur Einordnung: {Sentence}",
            "Als Anhaltspunkt: {Sentence}",
            "Aus unserer Erfahrung: {Sentence}",
            "Zur Orientierung: {Sentence}",
        ),
        F: (
            "{Sentence}",
            "In der Praxis heißt das: {Sentence}",
            "Und das Schöne daran: {Sentence}",
            "Zur Einordnung: {Sentence}",
            "Das Beste daran: {Sentence}",
            "Gut zu wissen: {Sentence}",
        ),
        D: (
            "{Sentence}",
            "In der Praxis: {Sentence}",
            "Gut zu wissen: {Sentence}",
            "Worauf es ankommt: {Sentence}",
            "Unterm Strich: {Sentence}",
            "Zum Vergleich: {Sentence}",
        ),
    },
    pitch_pronoun={
        P: ("{Pronoun} {rest}.", "{company} {rest}.", "Dazu kommt: {Pronoun} {rest}."),
        F: ("{Pronoun} {rest}.", "Und es {rest}.", "{company} {rest}."),
        D: ("{Pronoun} {rest}.", "{company} {rest}.", "Außerdem: {Pronoun} {rest}."),
    },
    # A semicolon, not ", und": a German pitch sentence often joins its clauses with "und".
    pitch_merges=("{first}; {second}", "{first}; {second}"),
    asks={
        P: (
            "Hätten Sie Zeit für {meeting}{when}{purpose}?",
            "Wäre {meeting}{when} hilfreich{purpose_after_comma}?",
            "Können wir {meeting}{when} vereinbaren{purpose_after_comma}?",
            "Hätten Sie Interesse an {meeting}{when}{purpose}?",
            "Wäre {meeting}{when} sinnvoll{purpose_after_comma}?",
            "Sind Sie offen für {meeting}{when}{purpose}?",
        ),
        F: (
            "Lust auf {meeting}{when}{purpose}?",
            "Wie wäre es mit {meeting}{when}{purpose}?",
            "Passt Ihnen {meeting}{when}{purpose_after_comma}?",
            "Hätten Sie Lust auf {meeting}{when}{purpose}?",
            "Haben Sie Zeit für {meeting}{when}{purpose}?",
            "Wäre {meeting}{when} etwas für Sie{purpose_after_comma}?",
        ),
        D: (
            "Lohnt sich {meeting}{when}{purpose}?",
            "Können wir {meeting}{when} machen{purpose_after_comma}?",
            "Interesse an {meeting}{when}{purpose}?",
            "Offen für {meeting}{when}{purpose}?",
            "Sollen wir {meeting}{when} einplanen{purpose_after_comma}?",
            "Haben Sie Zeit für {meeting}{when}{purpose}?",
        ),
    },
    asks_in_minutes={
        P: ("Hätten Sie {minutes} Minuten Zeit{when}{for_noun}{purpose}?",),
        F: ("Haben Sie {minutes} Minuten{when} für ein Gespräch{purpose}?",),
        D: ("Können wir {minutes} Minuten{when} sprechen{purpose_after_comma}?",),
    },
    text_asks={
        P: ("Hätten Sie Zeit für {meeting}{when}?", "Passt Ihnen {meeting}{when}?"),
        F: ("Lust auf {meeting}{when}?", "Wie wäre es mit {meeting}{when}?"),
        D: ("Lohnt sich {meeting}{when}?", "Können wir {meeting}{when} machen?"),
    },
    short_text_asks=("{Meeting}{when}?", "{Noun}{when}?"),
    fallback_text_asks=("Hätten Sie Zeit für ein kurzes Gespräch?", "Kurzes Gespräch?"),
    connect_asks={
        P: (
            "Wollen wir uns vernetzen?",
            "Wären Sie offen dafür, sich zu vernetzen?",
            "Sollen wir uns hier vernetzen?",
        ),
        F: ("Wollen wir uns vernetzen?", "Lust, sich hier zu vernetzen?", "Vernetzen wir uns?"),
        D: ("Wollen wir uns vernetzen?", "Sollen wir uns vernetzen?", "Offen für eine Vernetzung?"),
    },
    bridges={
        "public_content": (
            "Man merkt, dass Sie sich intensiv mit dem Thema {topic} beschäftigt haben.",
            "Das Thema {topic} kennen Sie offensichtlich aus der Praxis.",
            "Die Probleme rund um {topic} kennen Sie offenbar aus eigener Erfahrung.",
            "Da steckt viel hart erarbeitete Erfahrung mit {topic} drin.",
        ),
        "funding": (
            "Nach einer Finanzierung wächst das Team meist, und mit ihm die Arbeit rund um "
            "{topic}.",
            "Wachstum nach einer Runde erhöht meist den Druck beim Thema {topic}.",
            "Nach einer Runde wachsen Teams oft schnell, und beim Thema {topic} merkt man das "
            "meist zuerst.",
        ),
        "hiring_surge": (
            "So viele neue Leute bedeuten meist auch mehr Arbeit rund um {topic}.",
            "Wenn ein Team so schnell wächst, merkt man das meist beim Thema {topic}.",
            "Mit mehr Leuten im Team wächst meist auch der Druck beim Thema {topic}.",
        ),
        "hiring": (
            "Jede neue Stelle bringt meist etwas mehr Arbeit rund um {topic}.",
            "Ein wachsendes Team erhöht meist den Druck beim Thema {topic}.",
            "Mit jeder neuen Rolle wächst meist auch die Arbeit rund um {topic}.",
        ),
        "expansion": _NEWS_BRIDGES,
        "product_launch": (
            "Ein Launch wie dieser erhöht meist den Druck beim Thema {topic}.",
            *_NEWS_BRIDGES,
        ),
        "acquisition": _NEWS_BRIDGES,
        "partnership": _NEWS_BRIDGES,
        "news": _NEWS_BRIDGES,
        "leadership_change": (
            "Ein Wechsel an der Spitze ist oft ein guter Moment, das Thema {topic} neu anzusehen.",
            "Mit neuer Führung schauen Teams oft neu auf das Thema {topic}.",
            "Eine neue Führung bringt oft einen frischen Blick auf das Thema {topic}.",
        ),
        "technology": (
            "Ein solcher Stack bedeutet meist laufende Arbeit rund um {topic}.",
            "Bei so einem Stack kann sich die Arbeit rund um {topic} schnell stapeln.",
            "So ein Setup hält meist jemanden mit dem Thema {topic} beschäftigt.",
        ),
        "profile": (
            "Damit landet das Thema {topic} vermutlich auf Ihrem Tisch.",
            "Damit gehört das Thema {topic} wohl zu Ihren Aufgaben.",
            "Ich nehme an, die Arbeit rund um {topic} landet bei Ihnen.",
        ),
        "company": (
            "Dahinter steckt meist viel Arbeit rund um {topic}.",
            "Ein Produkt wie dieses hängt meist an solider Arbeit rund um {topic}.",
            "Teams mit solchen Produkten sind meist stark auf das Thema {topic} angewiesen.",
        ),
    },
    plain_bridges={
        "public_content": (
            "Deshalb wollte ich Ihnen schreiben.",
            "Dabei musste ich an Sie denken.",
            "Das hat mich neugierig gemacht, wie Ihr Team arbeitet.",
        ),
        "funding": (
            "Nach einer Finanzierung wächst das Team meist schnell.",
            "Wachstum nach einer Runde kommt meist schnell.",
        ),
        "hiring_surge": (
            "So viele neue Leute verändern meist, wie ein Team arbeitet.",
            "Wenn ein Team so schnell wächst, spürt man das überall.",
        ),
        "hiring": ("Ein wachsendes Team verändert meist, wie gearbeitet wird.",),
        "expansion": _NEWS_PLAIN,
        "product_launch": _NEWS_PLAIN,
        "acquisition": _NEWS_PLAIN,
        "partnership": _NEWS_PLAIN,
        "news": _NEWS_PLAIN,
        "leadership_change": (
            "Ein Wechsel an der Spitze ist oft ein guter Moment, Abläufe neu anzusehen.",
        ),
        "technology": ("Ein solcher Stack braucht viel Pflege.",),
        "profile": (
            "Deshalb wollte ich Ihnen schreiben.",
            "Da schien mir eine kurze Nachricht sinnvoll.",
        ),
        "company": ("Deshalb habe ich an Sie gedacht.", "Deshalb wollte ich Ihnen schreiben."),
        "referral": ("Deshalb schreibe ich Ihnen direkt.", "Daher hier eine kurze Nachricht."),
    },
    # A subject names no post or talk by the fact's English noun: "Beitrag" says both.
    subjects={
        "post": {
            P: ("Ihr Beitrag zu {post_topic}", "Zu Ihrem Beitrag „{full_title}“"),
            F: ("„{full_title}“", "Ein Gedanke zu Ihrem Beitrag"),
            D: ("{title}", "{Topic} bei {company}"),
        },
        "news": {
            P: ("{title}", "{company} und {topic}"),
            F: ("Nach „{full_title}“", "Eine Idee zu {topic}"),
            D: ("{Topic} bei {company}", "{title}"),
        },
        "hiring": {
            P: ("{total} offene Stellen bei {company}", "{company} und {topic}"),
            F: ("Offene Stellen im Bereich {department}", "Eine Idee zu {topic}"),
            D: ("{total} offene Stellen bei {company}", "{Topic} bei {company}"),
        },
        "technology": {
            P: ("{company} und {topic}", "{tech} bei {company}"),
            F: ("Ihr Setup mit {tech}", "Eine Idee zu {topic}"),
            D: ("{Topic} mit {tech}", "{tech} bei {company}"),
        },
        "referral": {
            P: ("Auf Empfehlung von {who}",),
            F: ("Auf Empfehlung von {who}",),
            D: ("Empfehlung von {who}",),
        },
    },
    fallback_subjects={
        P: ("{company} und {topic}", "Eine Frage an {company}", "Eine kurze Frage"),
        F: ("Eine Idee zu {topic}", "Eine Idee für {company}", "Eine kurze Idee"),
        D: ("{Topic} bei {company}", "{company}: eine kurze Frage", "Kurze Frage"),
    },
    hooks=GERMAN_HOOKS,
)
