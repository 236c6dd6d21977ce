"""The offline writer's French words (see base.py for the slots).

Every tone says "vous". A question takes a space before its "?" and a colon one before it, as
French writes them (a plain space: the writer's tidying turns a no-break one into a plain one
anyway). A bridge names its topic as "côté {topic}" or "le volet {topic}", which reads right
with a bare keyword ("côté CI", "le volet audit") whatever its gender. Anything a text may say
(its openings, hooks and asks) keeps to GSM-7: no "ç", "ê", "«" or curly apostrophe there.
The product is "il" ("Il rédige aussi …"), as the campaign's French copy refers back to it.
"""

from __future__ import annotations

from agent.offline.phrasebooks.base import Phrasebook
from agent.offline.phrasebooks.fr_hooks import FRENCH_HOOKS
from graphs.drafts import Tone

P, F, D = Tone.PROFESSIONAL, Tone.FRIENDLY, Tone.DIRECT

_NEWS_BRIDGES = (
    "Ce genre d'évolution ajoute en général du travail côté {topic}.",
    "Un tel changement pèse souvent sur le volet {topic}.",
    "Ce type de changement finit tôt ou tard par se sentir côté {topic}.",
    "Une étape comme celle-ci amène souvent plus de travail côté {topic}.",
)
_NEWS_PLAIN = (
    "Ce genre de changement se répercute en général sur toute l'équipe.",
    "Ce type d'évolution occupe souvent une équipe un bon moment.",
    "Une étape comme celle-ci change souvent la façon dont une équipe travaille.",
)

FRENCH = Phrasebook(
    language="fr",
    and_word="et",
    greetings={P: "Bonjour {first_name},", F: "Bonjour {first_name},", D: "{first_name},"},
    sign_offs={
        P: "Bien cordialement,\n{sender_name}\n{signature_line}",
        F: "Belle journée,\n{sender_first}",
        D: "{sender_name}, {sender_company}",
    },
    note_greetings={P: "Bonjour {first_name},", F: "Bonjour {first_name} !", D: "{first_name},"},
    # After "Bonjour Camille," the sentence goes on in lower case.
    note_short_hooks={
        P: "j'ai remarqué {short}.",
        F: "Je rebondis sur {short}.",
        D: "j'ai noté {short}.",
    },
    # The last opening of each tone is for a name outside GSM-7 ("François"): 70 characters.
    text_intros={
        P: (
            "Bonjour {first_name}, {sender_first} de {sender_company}.",
            "Bonjour {first_name}, ici {sender_first}.",
            "{first_name}, ici {sender_first}.",
        ),
        F: (
            "Bonjour {first_name}, c'est {sender_first}, de chez {sender_company}.",
            "Bonjour {first_name}, c'est {sender_first}.",
            "{first_name}, c'est {sender_first}.",
        ),
        D: (
            "{first_name}, {sender_first} ({sender_company}).",
            "{first_name}, ici {sender_first}.",
        ),
    },
    text_hooks={P: "J'ai vu {short}.", F: "J'ai repéré {short}.", D: "J'ai noté {short}."},
    pronoun="Il",
    pitch_after_bridge={
        P: (
            "C'est précisément pour cela que nous avons conçu {company} : il {rest}.",
            "{company} a été conçu pour cela : il {rest}.",
            "{company} {rest}.",
            "C'est là qu'intervient {company} : il {rest}.",
            "C'est tout l'objet de {company} : il {rest}.",
            "{company} existe précisément pour cela : il {rest}.",
        ),
        F: (
            "C'est exactement pour cela que nous avons créé {company} : il {rest}.",
            "C'est là qu'intervient {company} : il {rest}.",
            "{company} {rest}.",
            "C'est le problème auquel répond {company} : il {rest}.",
            "Nous avons créé {company} pour les équipes dans ce cas : il {rest}.",
            "{company} est né de ce constat : il {rest}.",
        ),
        D: (
            "{company} sert précisément à cela : il {rest}.",
            "{company} {rest}.",
            "C'est le rôle de {company} : il {rest}.",
            "C'est le problème que règle {company} : il {rest}.",
            "Voici ce que fait {company} : il {rest}.",
            "{company} existe pour cela : il {rest}.",
        ),
    },
    pitch_plain={
        P: (
            "{company} {rest}.",
            "Voici ce que fait {company} : il {rest}.",
            "En bref, {company} {rest}.",
            "Pour présenter {company} en un mot : il {rest}.",
        ),
        F: (
            "{company} {rest}.",
            "En bref, {company} {rest}.",
            "Voici ce que fait {company} : il {rest}.",
            "Pour vous dire ce que nous faisons : {company} {rest}.",
        ),
        D: (
            "{company} {rest}.",
            "Voici ce que fait {company} : il {rest}.",
            "En bref, {company} {rest}.",
            "Concrètement, {company} {rest}.",
        ),
    },
    pitch_sentence={
        P: (
            "{Sentence}",
            "En pratique, {sentence}",
            "Pour situer, {sentence}",
            "Pour vous donner une idée, {sentence}",
            "D'expérience, {sentence}",
            "À titre de repère, {sentence}",
        ),
        F: (
            "{Sentence}",
            "En pratique, {sentence}",
            "Et {sentence}",
            "Pour vous donner une idée, {sentence}",
            "Le plus appréciable : {sentence}",
            "Bon à savoir : {sentence}",
        ),
        D: (
            "{Sentence}",
            "En pratique, {sentence}",
            "À noter : {sentence}",
            "Point clé : {sentence}",
            "Résultat : {sentence}",
            "Pour référence, {sentence}",
        ),
    },
    pitch_pronoun={
        P: ("{Pronoun} {rest}.", "{company} {rest}.", "Enfin, il {rest}."),
        F: ("{Pronoun} {rest}.", "Et il {rest}.", "{company} {rest}."),
        D: ("{Pronoun} {rest}.", "{company} {rest}.", "Autre point : il {rest}."),
    },
    # French joins two clauses with "et" without a comma before it as often as with one: a
    # semicolon joins either way without running on.
    pitch_merges=("{first} ; {second}", "{first} ; {second}"),
    asks={
        P: (
            "Seriez-vous disponible pour {meeting}{when}{purpose} ?",
            "Pourrions-nous prévoir {meeting}{when}{purpose} ?",
            "Auriez-vous le temps pour {meeting}{when}{purpose} ?",
            "Serait-il utile de prévoir {meeting}{when}{purpose} ?",
            "Pourrions-nous organiser {meeting}{when}{purpose} ?",
            "Seriez-vous disponible{when} pour {meeting}{purpose} ?",
        ),
        F: (
            "Cela vous dit, {meeting}{when}{purpose} ?",
            "Que diriez-vous de {meeting}{when}{purpose} ?",
            "On se cale {meeting}{when}{purpose} ?",
            "Ça vous dit, {meeting}{when}{purpose} ?",
            "Un créneau pour {meeting}{when}{purpose} ?",
            "Avez-vous un créneau pour {meeting}{when}{purpose} ?",
        ),
        D: (
            "{Meeting}{when}{purpose} ?",
            "Pouvons-nous caler {meeting}{when}{purpose} ?",
            "On fixe {meeting}{when}{purpose} ?",
            "Disponible pour {meeting}{when}{purpose} ?",
            "Peut-on prévoir {meeting}{when}{purpose} ?",
            "Un créneau pour {meeting}{when}{purpose} ?",
        ),
    },
    asks_in_minutes={
        P: ("Pourrions-nous trouver {minutes} minutes{when}{for_noun}{purpose} ?",),
        F: ("Auriez-vous {minutes} minutes{when} pour {meeting}{purpose} ?",),
        D: ("Avez-vous {minutes} minutes{when}{for_noun}{purpose} ?",),
    },
    text_asks={
        P: ("Disponible pour {meeting}{when} ?", "Pourrions-nous prévoir {meeting}{when} ?"),
        F: ("Cela vous dit, {meeting}{when} ?", "Un créneau pour {meeting}{when} ?"),
        D: ("Peut-on caler {meeting}{when} ?", "{Meeting}{when} ?"),
    },
    short_text_asks=("{Meeting}{when} ?", "{Noun}{when} ?"),
    fallback_text_asks=(
        "Auriez-vous un moment cette semaine pour un court appel ?",
        "Un court appel cette semaine ?",
        "Un appel cette semaine ?",
        "Un appel ?",
    ),
    connect_asks={
        P: (
            "Pouvons-nous nous connecter ?",
            "Seriez-vous d'accord pour que nous nous connections ?",
            "Pourrions-nous nous connecter ici ?",
        ),
        F: (
            "Ça vous dit qu'on se connecte ici ?",
            "Cela vous dit de rejoindre mon réseau ?",
            "On se connecte ici ?",
        ),
        D: (
            "Peut-on se connecter ici ?",
            "Pouvons-nous nous connecter ?",
            "On se connecte ?",
        ),
    },
    bridges={
        "public_content": (
            "On sent que vous avez passé du temps sur le sujet {topic}.",
            "Vous avez visiblement beaucoup réfléchi au volet {topic}.",
            "Vous connaissez manifestement le sujet {topic} de l'intérieur.",
            "On y lit une vraie expérience de terrain côté {topic}.",
        ),
        "funding": (
            "Une levée de fonds, c'est souvent une équipe qui grandit, et plus de travail côté "
            "{topic}.",
            "La croissance qui suit une levée pèse souvent sur le volet {topic}.",
            "Après une levée, les équipes grandissent vite, et le volet {topic} le ressent en "
            "général.",
        ),
        "hiring_surge": (
            "Autant de recrues, c'est souvent plus de travail côté {topic}.",
            "Une équipe qui grandit aussi vite le sent en général côté {topic}.",
            "Plus de recrues, c'est souvent plus de pression sur le volet {topic}.",
        ),
        "hiring": (
            "Chaque nouvelle recrue ajoute un peu de travail côté {topic}.",
            "Une équipe qui grandit pèse davantage sur le volet {topic}.",
            "Chaque nouveau poste ajoute en général au travail côté {topic}.",
        ),
        "expansion": _NEWS_BRIDGES,
        "product_launch": (
            "Un lancement comme celui-ci met souvent plus de pression côté {topic}.",
            *_NEWS_BRIDGES,
        ),
        "acquisition": _NEWS_BRIDGES,
        "partnership": _NEWS_BRIDGES,
        "news": _NEWS_BRIDGES,
        "leadership_change": (
            "Un changement à la tête est souvent le bon moment pour revoir le volet {topic}.",
            "Une nouvelle direction est souvent l'occasion de revoir le volet {topic}.",
            "Une nouvelle équipe dirigeante porte souvent un regard neuf sur le sujet {topic}.",
        ),
        "technology": (
            "Faire tourner tout cela demande en général un travail constant côté {topic}.",
            "Sur une stack pareille, le travail côté {topic} peut vite s'accumuler.",
            "Un tel environnement tient souvent quelqu'un occupé côté {topic}.",
        ),
        "profile": (
            "Le volet {topic} relève donc sans doute de vous.",
            "Le sujet {topic} fait donc sans doute partie de votre quotidien.",
            "J'imagine que le volet {topic} arrive sur votre bureau.",
        ),
        "company": (
            "Construire cela demande en général un travail constant côté {topic}, en coulisses.",
            "Un produit comme celui-ci repose souvent sur un travail solide côté {topic}.",
            "Les équipes qui bâtissent ce type de produit comptent beaucoup sur le volet {topic}.",
        ),
    },
    plain_bridges={
        "public_content": (
            "Cela m'a donné envie de vous écrire.",
            "C'est ce qui m'a fait penser à vous.",
            "Cela m'a fait réfléchir à la façon dont travaille votre équipe.",
        ),
        "funding": (
            "Une levée signifie souvent que l'équipe va grandir vite.",
            "Après une levée, la croissance arrive souvent vite.",
        ),
        "hiring_surge": (
            "Autant de recrues changent souvent la façon dont une équipe travaille.",
            "Une équipe qui grandit aussi vite le ressent partout.",
        ),
        "hiring": ("Une équipe qui grandit change souvent sa façon de travailler.",),
        "expansion": _NEWS_PLAIN,
        "product_launch": _NEWS_PLAIN,
        "acquisition": _NEWS_PLAIN,
        "partnership": _NEWS_PLAIN,
        "news": _NEWS_PLAIN,
        "leadership_change": (
            "Un changement à la tête est souvent le bon moment pour revoir l'organisation du "
            "travail.",
        ),
        "technology": ("Une stack comme celle-ci demande un vrai soin pour rester saine.",),
        "profile": ("C'est pourquoi je voulais vous écrire.", "Un court message m'a semblé utile."),
        "company": ("C'est pourquoi j'ai pensé à vous.", "Cela m'a donné envie de vous écrire."),
        "referral": (
            "Je voulais donc vous écrire directement.",
            "Voici donc un petit mot de ma part.",
        ),
    },
    # {noun} is left out: the subject builder fills it in English ("post", "talk").
    subjects={
        "post": {
            P: ("Votre point de vue sur {post_topic}", "À propos de « {full_title} »"),
            F: ("« {full_title} »", "Une idée côté {topic}"),
            D: ("{title}", "{Topic} chez {company}"),
        },
        "news": {
            P: ("{title}", "{company} : le volet {topic}"),
            F: ("Suite à « {full_title} »", "Une idée côté {topic}"),
            D: ("{Topic} chez {company}", "{title}"),
        },
        "hiring": {
            P: ("{total} postes ouverts chez {company}", "{company} : le volet {topic}"),
            F: ("Recrutement en {department} chez {company}", "Une idée côté {topic}"),
            D: ("{total} postes ouverts chez {company}", "{Topic} chez {company}"),
        },
        "technology": {
            P: ("{company} : le volet {topic}", "{tech} chez {company}"),
            F: ("Votre stack {tech}", "Une idée côté {topic}"),
            D: ("{Topic} sur {tech}", "{tech} chez {company}"),
        },
        "referral": {
            P: ("{who} m'a suggéré de vous écrire",),
            F: ("{who} m'a suggéré de vous écrire",),
            D: ("{who} m'a suggéré de vous écrire",),
        },
    },
    fallback_subjects={
        P: ("{company} : le volet {topic}", "Une question pour {company}", "Une question rapide"),
        F: ("Une idée côté {topic}", "Une idée pour {company}", "Une petite idée"),
        D: ("{Topic} chez {company}", "{company} : une question rapide", "Une question rapide"),
    },
    hooks=FRENCH_HOOKS,
)
