"""Enough of English, Spanish, French and German to tell whether a sentence has a verb.

No tagger: auxiliaries, modals and irregular forms listed, common verbs inflected by rule, and
endings that mark a probable verb. Tuned for precision: a false alarm blocks a good message,
so anything that may be a verb counts as one. A word after a determiner ("your post", "un
appel") is a noun; a capitalised word inside a sentence is a name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# --- English ---------------------------------------------------------------------------------
_EN_FORMS = """am is are was were be been being isn't aren't wasn't weren't have has had having
haven't hasn't hadn't do does did done doing don't doesn't didn't can could will would shall
should may might must ought can't cannot couldn't won't wouldn't shouldn't mustn't i'm i've i'd
i'll you're you've you'd you'll we're we've we'd we'll they're they've they'd they'll he's she's
it's that's there's here's what's who's let's it'd that'd there'd it'll that'll
began begun brought built bought caught chose chosen came dealt dug drew drawn drove driven ate
eaten fell fallen felt found flew flown forgot forgotten got gotten gave given went gone grew
grown heard held hid hidden kept knew known led learnt left lent lost made meant met paid ran
rode rang rung rose risen said saw seen sold sent shook shone showed shown sang sat slept spoke
spoken spent stood stole stolen stuck struck swam took taken taught told thought threw thrown
understood woke wore won wrote written broke broken became bent bit bitten blew blown burnt
fed fought forgave froze frozen hung laid lay lain lit proven sought shot sank sunk slid sprang
swept swung tore torn wound withdrew overcame rebuilt rewrote rewritten misled undid undone
outgrew sped spun upheld""".split()
_EN_VERBS = """accept achieve act adapt add adopt agree aim allow announce answer appear apply
appreciate approve argue arrange arrive ask assume attend audit automate avoid bet block
book boost break bring build buy cache call care catch cause change charge chat check choose
claim clean clear click close collect combine come compare complain complete connect consider
contain continue control cost count cover create cross cut deal decide deliver depend deploy
describe design detect develop die dig do double drop enable end enjoy ensure enter expand expect
explain face fail fall feel fill find finish fit fix flag focus follow force forget gain gather
get give go grow guess halve handle happen hate head hear help hire hit hold hope hurt imagine
improve include increase integrate intend introduce invest invite involve join jump keep kill
know land last launch lead learn leave let like limit link list listen live load look lose love
make manage mark matter mean measure meet mention merge migrate mind miss move name need note
notice offer open operate order own pass pay pick plan play point post prefer prepare present
prevent print promise protect prove provide publish pull push put quarantine quit raise reach
read realise realize receive recommend record reduce refer reflect release rely remain remember
remove repeat replace reply report require rest retry return reveal review rewrite ride run save
say scale schedule see seem sell send serve set share shift ship shorten show shrink sign sit
sleep slow solve sound speak speed spend split spot stand start stay step stick stop struggle
suggest support suppose surprise switch sync take talk target teach tell tend test thank think
throw touch track train treat trust try turn understand update use value visit wait walk want
warn watch wear win wish wonder work worry write drag hop sort sit hand thrive tie welcome
wrap wrestle benefit resonate recoup erode accelerate drive empower streamline simplify surface
highlight unblock lower earn generate belong deserve owe lack consist emerge evolve spike dip
climb soar plunge triple compile execute trigger flake hang commit roll approve certify
comply encrypt store host tackle address suffer juggle stall fade rise""".split()
_EN_NOT_VERB_ING = frozenset(
    """thing things something nothing anything everything morning mornings evening evenings
    during ceiling spring string king ring wing sibling pricing engineering tooling funding
    onboarding offering clothing wedding pudding heading""".split()
)
_EN_FUNCTION = """the a an this that these those my your our their his her its every each no
some any all both either neither whose which what who whom whoever and or but nor so yet for of
to in on at by with from into onto about above below over under after before since until
during through across between among against without within around near as than like per via
also just really still often always never only even already recently usually probably
perhaps maybe too very quite rather again soon now then here there today tomorrow yesterday
not well more most less least much many few one two three four five six seven eight nine ten
next last first new quick short great good nice i you we they he she it me us them him
one's worth re plus besides""".split()
_EN_DETERMINERS = frozenset(
    "the a an my your our their his its every each whose no some any another".split()
)
_EN_SUBJECTS = frozenset("i we you they he she it who which that this there what".split())

# --- Spanish ---------------------------------------------------------------------------------
_ES_FORMS = """soy eres es somos son era eras éramos eran fui fue fuimos fueron sido siendo sea
seas seamos sean será serán sería serían estoy estás está estamos están estaba estaban estuve
estuvo estuvieron esté estén he has ha hemos han había habían hubo habrá habría haya hay tengo
tienes tiene tenemos tienen tenía tuve tuvo tendrá tendría tenga voy vas va vamos van iba iban
ido hago haces hace hacemos hacen hizo hicimos hecho hará haría haga puedo puedes puede podemos
pueden podía pude pudo podrá podría podríamos pueda quiero quieres quiere queremos quieren
quería quise quiso querría digo dices dice decimos dicen dijo dicho veo ves ve vemos ven vi vio
vimos visto doy das da damos dan dio dado sé sabes sabe sabemos saben supe supo vengo viene
vienen vino pongo pone ponen puso puesto salgo sale salen leí leyó leído escrito parece parecen
pareció conozco conoce conocen sigo sigue siguen siguió consigue consiguen muestro muestra
muestran mostró empieza empiezan pienso piensa cuesta cuestan encuentra encuentran siento
siente vuelve vuelven resuelve resuelven mueve mueven ofrezco reduzco reduce reducen encanta
encantan encantó encantaría gusta gustan gustó gustaría interesa interesan interesaría vale
merece tendría vendría convendría sirve sirven pide piden mide miden abierto cubierto""".split()
_ES_AR = """hablar llamar trabajar ayudar enviar mandar lanzar usar utilizar publicar contratar
buscar acelerar automatizar detectar bloquear ahorrar gestionar conectar integrar revisar cambiar
crear pasar quedar dejar llevar tomar presentar preparar interesar encantar gustar agendar
reservar coordinar charlar comentar notar destacar felicitar celebrar anunciar cerrar auditar
certificar escalar mejorar migrar desplegar probar fallar tardar esperar bajar contar encontrar
acabar terminar comenzar recomendar ganar pagar nombrar marcar aportar apostar duplicar recortar
acortar liberar arreglar mostrar empezar pensar costar generar recopilar centrar ejecutar
optimizar monitorizar alertar compartir""".split()
_ES_ER = """ofrecer conocer leer ver aprender comprender responder correr romper meter deber
creer comer vender depender mover resolver volver poder querer tener hacer saber poner traer
crecer parecer merecer valer recoger""".split()
_ES_IR = """escribir vivir recibir decidir permitir subir abrir cubrir describir compartir añadir
existir ocurrir invertir medir seguir conseguir sentir cumplir reducir producir construir incluir
servir pedir elegir""".split()
_ES_AR_ENDINGS = """o as a amos an é aste ó aron aba abas ábamos aban ado ada ados adas ando ar
ará arás aremos arán aría arías aríamos arían e es emos en ara aran""".split()
_ES_ER_ENDINGS = """o es e emos en í iste ió imos ieron ía ías íamos ían ido ida idos idas iendo
er erá erán ería erían a as amos an iera ieran""".split()
_ES_IR_ENDINGS = """o es e imos en í iste ió ieron ía ían ido ida idos idas iendo ir irá irán
iría irían a as amos an iera ieran""".split()
_ES_FUNCTION = """a de la el los las lo un una unos unas y e o u ni en con por para que su sus tu
tus mi mis del al como más menos muy pero sin sobre entre también ya este esta esto estos estas
ese esa eso esos esas aquel nuestro nuestra nuestros nuestras vuestro se le les me te nos os
yo tú usted ustedes él ella ellos ellas nosotros nosotras cada todo toda todos todas otro otra
otros otras mucho mucha muchos muchas poco poca hasta desde hacia según durante ante tras cuando
donde si no sí aquí allí hoy mañana ayer ahora luego después antes semana próxima próximo
minutos minuto gracias hola saludos""".split()
_ES_DETERMINERS = frozenset(
    """el un una unos unas tu tus su sus mi mis nuestro nuestra nuestros nuestras del al este
    esta estos estas ese esa esos esas cada""".split()
)
_ES_SUBJECTS = frozenset(
    "yo tú usted él ella nosotros nosotras ellos ellas ustedes me te se nos os le les que".split()
)
_ES_SUFFIXES = (
    "ar", "er", "ir", "ando", "iendo", "yendo", "aron", "ieron", "amos", "emos", "imos", "ado",
    "ados", "ido", "idos", "aba", "aban", "ó", "ió", "aría", "ería", "iría", "arían", "erían",
    "irían", "ará", "erá", "irá", "arán", "erán", "irán", "áis", "éis",
)  # fmt: skip

# --- French ----------------------------------------------------------------------------------
_FR_FORMS = """suis es est sommes êtes sont étais était étions étiez étaient été serai sera
serons serez seront serais serait serions seriez seraient sois soit soyez soient ai as a avons
avez ont avais avait avions aviez avaient eu aurai aura aurons aurez auront aurais aurait
aurions auriez auraient aie ait ayez aient vais vas va allons allez vont allé irai ira irait
fais fait faisons faites font fera ferait fasse faisait peux peut pouvons pouvez peuvent pu
pourrai pourra pourrait pourriez pourrions puisse pouvait veux veut voulons voulez veulent
voulu voudrais voudrait voudriez voulait dois doit devons devez doivent dû devrait devriez
devait sais sait savons savez savent su saurait vois voit voyons voyez voient vu verrai verrait
viens vient venons venez viennent venu prends prend prenons prenez prennent pris mets met
mettons mettez mettent mis dis dit disons dites disent lis lit lisons lisez lisent lu écris
écrit écrivons écrivez écrivent connais connaît connaissons connaissez connu permets permet
permettent permis reçois reçoit reçu offre offrons offrez offrent offert ouvre ouvert suit
suivons suivez suivent suivi tiens tient tenons tenez tiennent croit cru paraît faut fallait
faudrait vaut vaudrait plaît plairait réduit réduisent produit produisent obtient obtiennent
vise visent prenne parle parlent""".split()
_FR_FUNCTION = """le la les l' un une des du de d' et ou mais donc or ni car en dans sur sous
avec pour par sans chez vers entre que qu' qui quoi dont où ce cet cette ces c' mon ma mes ton ta
tes son sa ses notre nos votre vos leur leurs je j' tu il elle on nous vous ils elles me m' te t'
se s' lui y ne n' pas plus très aussi bien déjà encore toujours jamais souvent ici là aujourd'hui
demain hier semaine prochaine prochain minutes merci bonjour assez mais jamais désormais
français anglais premier dernier chaque tout toute tous toutes autre autres même""".split()
_FR_DETERMINERS = frozenset(
    """un une des du mon ma mes ton ta tes son sa ses notre nos votre vos leur leurs ce cet
    cette ces chaque""".split()
)
_FR_SUBJECTS = frozenset(
    "je j' tu il elle on nous vous ils elles qui c' ce me m' te t' se s' lui y ne n' en".split()
)
_FR_SUFFIXES = (
    "er", "ez", "ons", "ent", "é", "ée", "és", "ées", "ait", "aient", "ais", "era", "erai",
    "erait", "eraient", "erez", "erons", "eront", "ira", "irait", "ir", "issons", "issez",
    "issent",
)  # fmt: skip
_FR_NOT_SUFFIX = ("ions", "ment", "ient")

# --- German ----------------------------------------------------------------------------------
_DE_FORMS = """bin bist ist sind seid war warst waren wart gewesen wäre wären sei habe hast hat
haben habt hatte hatten gehabt hätte hätten werde wirst wird werden werdet wurde wurden geworden
würde würden kann kannst können könnt konnte konnten könnte könnten muss musst müssen müsst
musste mussten müsste soll sollst sollen sollt sollte sollten will willst wollen wollt wollte
wollten darf dürfen durfte dürfte mag mögen mochte möchte möchten gibt gab geht ging kommt kam
sieht sah liest las schreibt schrieb weiß wusste lässt ließ hilft half nimmt nahm passt läuft
lief fällt fiel bleibt blieb zeigt spricht sprach trifft traf findet fand steht stand tut tat
gefällt gefiel schließt schloss bringt brachte denkt dachte kennt kannte""".split()
_DE_FUNCTION = """der die das den dem des ein eine einen einem einer eines und oder aber sowie
mit nicht jetzt erst zuerst meist selbst sonst fast bereits seit oft bis gut heute morgen gestern
oben unten neben zwischen gegen keinen meinen ihren unseren diesen jeden allen vielen wenigen
beiden anderen nächsten letzten ersten neuen kurzen guten großen kleinen konkret direkt exakt
zuletzt insgesamt derzeit zurzeit weit breit bereit leicht recht echt acht halt statt samt in
im an am auf aus bei für von vom zu zum zur über unter nach vor um durch ohne auch noch schon
sehr mehr nur so wie als wenn dass ob ich du er sie es wir ihr man mein dein sein unser euer
kein dieser diese dieses jede jeder jedes alle viele minuten woche nächste danke hallo
ihre ihrem ihrer ihres unsere unserem unserer mich dich sich uns euch ihnen mir dir""".split()
_DE_DETERMINERS = frozenset(
    """der die das den dem des ein eine einen einem einer eines ihr ihre ihren ihrem ihrer
    unser unsere unseren unserem unserer mein meine meinen meinem kein keine keinen diese
    dieser dieses diesen jede jeder jedes jeden""".split()
)
_DE_SUBJECTS = frozenset("ich du er sie es wir ihr man".split())
_DE_SUFFIXES = ("en", "t", "te", "ten", "tet", "st", "est", "et", "ern", "eln")

SKIPPABLE = frozenset(
    """also just really still often always never only even already recently usually probably
    all both not ne n' me m' te t' se s' le la les l' lui leur y en nous vous nos os lo
    auch noch schon gerne gern nur ja doch bereits immer""".split()
)
"""Adverbs and clitics between a subject and its verb ("we usually cut", "je vous écris")."""
PREPOSITIONS = {
    "en": "on about for of in at by with without from after before into through over under via "
    "instead besides despite toward towards",
    "es": "de en con por para sin sobre entre hasta desde hacia según durante ante tras",
    "fr": "de d' à au aux dans sur sous avec pour par sans chez vers entre pendant depuis",
    "de": "mit von vom zu zum zur bei beim für über unter nach vor um durch ohne gegen seit aus",
}
"""A word right after one of these names a topic ("your post on quarantining tests"), unless
it is an infinitive or a listed form."""
INFINITIVE_ENDINGS = ("ar", "er", "ir", "re", "en", "ern", "eln")
_FOLLOWERS = {
    "en": "the a an your our their its my this these those it them you us me him her",
    "es": "el la los las un una tu tus su sus mis nuestro nuestra nuestros nuestras",
    "fr": "le la les un une des du mon ma votre vos notre nos ce cette ces leur leurs",
    "de": "den dem das einen einem ein eine ihre ihren ihnen uns mich sie es",
}
"""Articles and object pronouns: a word right before one of these is a verb ("recoup the")."""


@dataclass(frozen=True)
class VerbRules:
    """What marks a verb in one language (or in several, merged)."""

    forms: frozenset[str]
    """Known verb forms: auxiliaries, modals, irregular and inflected common verbs."""
    function: frozenset[str]
    """Words that are never verbs: articles, prepositions, pronouns, adverbs."""
    determiners: frozenset[str]
    """A word right after one of these is a noun ("your post", "un appel")."""
    subjects: frozenset[str]
    """A word after one of these (past adverbs and clitics) is a verb ("we ship")."""
    followers: frozenset[str]
    """A word right before one of these is a verb ("recoup the cost")."""
    suffixes: tuple[str, ...] = ()
    """Endings of a probable verb, for lower-case words not listed."""
    not_suffixed: frozenset[str] = frozenset()
    """Words with a verb's ending that are not verbs ("thing", "lugar")."""
    vetoed_endings: tuple[str, ...] = ()
    """Endings that are never a verb's, though they end like one (French "-ment")."""
    min_length: int = 4
    third_person_s: bool = False
    """English: a word in -s after a noun is a verb ("the team benefits")."""
    weak: frozenset[str] = frozenset()
    """Forms that are nouns as often as verbs ("post", "tests", "calls"): verbs only where a
    verb stands (after a subject, before an article, after "to", opening the sentence)."""
    prepositions: frozenset[str] = frozenset()
    strict: bool = False
    """English alone: noun phrases are read out ("the CI queue", "your September post"). A
    message in another language is read more generously (German capitalises every noun)."""

    def suffix(self, word: str) -> str | None:
        """Return the verb ending an unlisted lower-case word has, if any."""
        if len(word) < self.min_length or word in self.not_suffixed:
            return None
        if word.endswith(self.vetoed_endings):
            return None
        return next((end for end in self.suffixes if word.endswith(end)), None)


def _english_weak() -> frozenset[str]:
    """Base and -s forms of the common verbs: "post", "posts" are nouns as often."""
    weak = set()
    for verb in _EN_VERBS:
        weak |= {verb, verb + "s", verb + "es"}
        if verb.endswith("y") and verb[-2:-1] not in "aeiou":
            weak.add(verb[:-1] + "ies")
    return frozenset(weak - set(_EN_FORMS))


def _english_forms() -> frozenset[str]:
    forms = set(_EN_FORMS)
    for verb in _EN_VERBS:
        forms |= {verb + "ed", verb + "d", verb + "ing"}
        if verb.endswith("e"):
            forms |= {verb[:-1] + "ing", verb[:-1] + "ed"}
        if verb.endswith("y") and verb[-2:-1] not in "aeiou":
            forms.add(verb[:-1] + "ied")
        if re.search(r"[^aeiou][aeiou][bdgklmnprt]$", verb):
            forms |= {verb + verb[-1] + "ed", verb + verb[-1] + "ing"}
    return frozenset(forms)


def _spanish_forms() -> frozenset[str]:
    forms = set(_ES_FORMS)
    classes = ((_ES_AR, _ES_AR_ENDINGS), (_ES_ER, _ES_ER_ENDINGS), (_ES_IR, _ES_IR_ENDINGS))
    for verbs, endings in classes:
        for verb in verbs:
            forms |= {verb[:-2] + ending for ending in endings}
    return frozenset(forms)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


RULES: dict[str, VerbRules] = {
    "en": VerbRules(
        forms=_english_forms(), function=frozenset(_EN_FUNCTION), determiners=_EN_DETERMINERS,
        subjects=_EN_SUBJECTS, followers=_words(_FOLLOWERS["en"]), suffixes=("ed", "ing"),
        not_suffixed=_EN_NOT_VERB_ING | {"hundred", "indeed"}, min_length=5,
        third_person_s=True, weak=_english_weak(), prepositions=_words(PREPOSITIONS["en"]),
        strict=True,
    ),
    "es": VerbRules(
        forms=_spanish_forms(), function=frozenset(_ES_FUNCTION), determiners=_ES_DETERMINERS,
        subjects=_ES_SUBJECTS, followers=_words(_FOLLOWERS["es"]), suffixes=_ES_SUFFIXES,
        not_suffixed=_words("lugar mujer hogar mar nivel familiar similar particular popular"),
        prepositions=_words(PREPOSITIONS["es"]),
    ),
    "fr": VerbRules(
        forms=frozenset(_FR_FORMS), function=frozenset(_FR_FUNCTION), determiners=_FR_DETERMINERS,
        subjects=_FR_SUBJECTS, followers=_words(_FOLLOWERS["fr"]), suffixes=_FR_SUFFIXES,
        vetoed_endings=_FR_NOT_SUFFIX, prepositions=_words(PREPOSITIONS["fr"]),
    ),
    "de": VerbRules(
        forms=frozenset(_DE_FORMS), function=frozenset(_DE_FUNCTION), determiners=_DE_DETERMINERS,
        subjects=_DE_SUBJECTS, followers=_words(_FOLLOWERS["de"]), suffixes=_DE_SUFFIXES,
        prepositions=_words(PREPOSITIONS["de"]),
    ),
}  # fmt: skip
