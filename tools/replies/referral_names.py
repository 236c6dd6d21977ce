"""Find the person a reply sends us to: "talk to Priya instead", "la persona indicada es Ana".

A cue phrase (folded text) says a referral follows or precedes; the name is read from the
reply's own text, where capitals survive, right after the cue (past an article, a possessive and
a role: "talk to our Head of Data, Ana Ruiz") or right before it ("Priya handles this"), and an
address nearby is taken as that person's. A month, a weekday or another calendar word is a
date, not a name ("…email, but happy to talk after that: does Tuesday Jan 5 work?").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tools.replies.phrase_search import fold, rx, sentence_at
from tools.replies.verdict import Referral

_NAME_AFTER = rx(
    # English
    r"(?:talk|speak|chat) (?:to|with)",
    r"reach out to",
    r"(?:best|better|easiest) (?:to |would be to )?(?:reach|contact|email|ask|ping|talk to|"
    r"speak to|"
    r"go through)",
    r"you(?:'d| would|'ll| will)? (?:want|need) (?:to (?:talk|speak) (?:to|with) )?",
    r"get in touch with",
    r"(?:contact|e-?mail|ping|ask|try|loop in|connect with|write to|call)",
    r"(?:connecting|connect) you (?:with|to)",
    r"(?:who|the person who) (?:can|could) help (?:you )?(?:here |with this )?is",
    r"the (?:person|one) (?:responsible|in charge) (?:for (?:this|that|it) )?is",
    r"introduc(?:e|ing) you to",
    r"(?:cc'?ing|cc'?d|cc|copying|copied|looping in|looped in|adding)",
    r"(?:forwarded|forwarding|passed|passing|sent|sending) (?:this|it|your (?:e-?mail|note|message|"
    r"request))"
    r" (?:on |along |over )?to",
    r"(?:best|right|correct|better|appropriate) (?:person|contact|one) (?:to (?:talk|speak) to |"
    r"for (?:this|that) )?(?:is|would be)",
    r"(?:my|our) (?:colleague|coworker|co-worker|teammate|boss|manager)",
    r"(?:handled|owned|managed|decided) by",
    # Spanish
    r"(?:habla|hable|hablar|hablad|contacta|contacte|contactar|contactad|escribe|escriba|escribele|"
    r"escribale|escribir|ponte en contacto|pongase en contacto|ponerse en contacto|dirigete|"
    r"dirijase|consulta|consulte|te paso con|le paso con|te pongo en contacto|le pongo en contacto)"
    r"(?: con| a)?",
    r"(?:en copia a|copio a|reenvio a|he reenviado (?:tu|su) (?:correo|mensaje) a|reenviado a)",
    r"(?:te|le|os) (?:pongo|dejo|he puesto) en copia(?: a)?",
    r"(?:te|le|os) (?:paso|doy|dejo|comparto) (?:el )?(?:contacto|correo|email) de",
    r"(?:la persona|quien) (?:que )?(?:te|le|os) (?:puede|podria) ayudar (?:es|seria)",
    r"(?:el|la) responsable (?:de (?:esto|eso|este tema|esta area) )?es",
    r"la persona (?:indicada|adecuada|correcta|responsable)(?: para (?:esto|eso|este tema))? (?:es|"
    r"seria)",
    r"(?:mi|nuestra|nuestro) (?:companer[oa]|colega|jef[ea])",
    # French
    r"(?:contactez|contacter|(?:adressez-vous|s'adresser|adressez vous)(?: plutot| directement)? a|"
    r"(?:voyez|voir|parlez|echangez)(?: plutot| directement| donc)? avec|"
    r"ecrivez a|ecrire a|parlez a|parlez avec|parler avec|rapprochez-vous de|joignez|joindre|"
    r"je mets en copie|en copie|je transfere a|j'ai transfere (?:votre (?:message|e-?mail) )?a)",
    r"(?:je vous|on vous) (?:mets|met|mettre) en (?:relation|contact) avec",
    r"(?:le|la) responsable (?:de (?:ce sujet|cela|ca) )?(?:est|c'est)",
    r"(?:la personne|celui|celle) qui (?:peut|pourra|pourrait) vous aider(?:,)? (?:est|c'est|"
    r"serait)",
    r"la (?:bonne )?personne(?: a contacter| pour (?:cela|ca))? (?:est|serait)",
    r"(?:mon|ma|notre) (?:collegue|collaborateur|collaboratrice|responsable)",
    # German
    r"(?:wenden sie sich|wende dich)(?: bitte| gerne| gern)? an",
    r"(?:wer|die person,? die) (?:ihnen|dir) (?:helfen kann|weiterhelfen kann)(?:,)? ist",
    r"(?:sprechen sie|sprich)(?: bitte| gerne| gern)? mit",
    r"(?:kontaktieren sie|kontaktiere)(?: bitte| gerne| gern)?",
    r"(?:schreiben sie|schreib)(?: bitte| gerne| gern)? an",
    r"(?:melden sie sich|melde dich)(?: bitte| gerne| gern)? bei",
    r"ansprechpartner(?:in)?(?: dafur| hierfur| fur (?:dieses|das) thema)? (?:ist|ware)",
    r"(?:dafur |hierfur )?zustandig (?:ist|ware)",
    r"(?:weitergeleitet an|in kopie|cc an|leite (?:ihre|die) (?:nachricht|e-?mail|anfrage) an)",
    r"(?:meine|meinen|mein|unsere|unseren|unser) (?:kollegin|kollegen|kollege|chefin|chef)",
    # Portuguese
    r"(?:fale com|falar com|fala com|converse com|conversar com|entre em contato com|"
    r"entrar em contato com|entre em contacto com|contate|contacte|procure|procurar|escreva para|"
    r"escrever para|encaminhei (?:seu|o seu|teu) (?:e-?mail|contato) para|encaminhei para|"
    r"encaminhando para|copiando|em copia)",
    r"a pessoa (?:certa|indicada|correta|responsavel)(?: para (?:isso|isto|este assunto))? (?:e|"
    r"seria)",
    r"quem (?:cuida|decide|responde|trata) (?:disso|disto|desse assunto)(?: aqui| ai)? e",
    r"quem (?:pode|poderia) (?:te|lhe|os|vos) ajudar (?:aqui |nisso )?e",
    r"(?:o|a) responsavel (?:(?:por isso|por isto|pelo assunto|por essa area|aqui) )?e",
    r"(?:te|lhe) passo o contato d[oae]",
    r"(?:meu|minha|nosso|nossa) (?:colega|chefe)",
)
"""Phrases after which the person we should write to is named."""

_NAME_BEFORE = rx(
    r"(?:is|would be|'s) (?:who|the one|the person|the guy|the woman) (?:you want|you need|to talk "
    r"to|to ask|you should (?:talk|speak) to|to contact)",
    r"(?:is|would be|'s) (?:the |a |our )?(?:right|best|better|correct|appropriate|relevant|"
    r"decision|key) ?(?:person|contact|one|maker|fit|owner|decision-maker)",
    r"(?:who |qui |que |quien |der |die )?(?:handles|owns|runs|manages|leads|oversees|looks after|"
    r"is responsible for|is in charge of|"
    r"takes care of|covers|decides on|makes (?:those|these|the|all|such) (?:decisions|calls)|"
    r"is the decision)",
    r"(?:es|seria) (?:la persona|quien) (?:indicada|adecuada|correcta|responsable|decide|lleva)",
    r"(?:quien |que )?(?:se encarga|lleva|gestiona|decide|es responsable|es el responsable|"
    r"es la responsable)",
    r"(?:est|serait) (?:la bonne personne|la personne|le bon interlocuteur|responsable|en charge)",
    r"(?:qui |que )?(?:s'en occupe|s'occupe|gere|decide)",
    r"(?:ist|ware) (?:dafur |hierfur )?(?:der|die) (?:richtige|zustandige|passende|bessere)",
    r"(?:ist|ware) (?:dafur |hierfur )?(?:zustandig|verantwortlich)",
    r"(?:der |die )?(?:kummert sich|entscheidet|verantwortet)",
    r"(?:e|seria) a pessoa (?:certa|indicada|correta|responsavel)",
    r"(?:quem |que )?(?:cuida disso|e responsavel|e o responsavel|e a responsavel|decide)",
)
"""Phrases before which the person we should write to is named ("Priya handles this")."""

_NAME = re.compile(
    r"(?:(?:Mr|Mrs|Ms|Mx|Dr|Sr|Sra|Srta|Dña|Don|Doña|Mme|Mlle|Monsieur|Madame|M|Herr|Herrn|Frau|"
    r"Hr|Fr|Dona|Senhor|Senhora|Prof)\.?\s+)*"
    r"(?P<name>[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ'’-]+"
    r"(?:\s+(?:(?:de|da|del|dos|das|do|van|von|der|den|la|le|di|du)\s+)?"
    r"[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ'’-]+){0,2})"
)
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}")
"""An address; parts no longer than RFC 5321 allows, so a long run of letters is read once."""
_NOT_NAMES = frozenset(
    "I You Me Us We Him Her Them They He She It Our My Your The This That Please Thanks Thank "
    "Hi Hello Dear Sales Support Team Marketing Engineering Finance Procurement Purchasing "
    "Operations Head Chief Director Manager Lead Officer Department Office Company Monday "
    "Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June "
    "July August September October November December Linkedin LinkedIn Email Mail Phone "
    "Usted Ustedes Nuestro Nuestra Nosotros Él Ella Por Favor Gracias Equipo Ventas Soporte "
    "Vous Nous Lui Elle Merci Équipe Service Sie Ihr Ihnen Uns Ihm Danke Bitte Abteilung Team "
    "Você Vocês Ele Ela Nós Obrigado Obrigada Equipe Vendas Suporte Kontakt Contact Best "
    "Regards Cheers Kind Warm Many Sent From Re Fwd Hola Bonjour Hallo Olá Oi Buenos Guten "
    "Bom Saludos Cordialement Grüße Viele Beste Abraços Atenciosamente Señor Señora Monsieur "
    "Madame Customer Success Account Executive Representative Data Security Compliance Legal "
    "Eng Ops Dev DevOps DevEx Sec Infra Growth RevOps Head VP "
    "Platform Reception Admin Infrastructure Engineering Product Design Analytics Kollege "
    "Kollegin Kollegen Sekretariat Zentrale Empfang Kundenservice Vertrieb Einkauf Buchhaltung "
    "Geschäftsführung Assistenz Rezeption Büro Hotline Leiter Leiterin Chef Chefin Datenschutz "
    "Abteilungsleiter Abteilungsleiterin Ansprechpartner Ansprechpartnerin Compañera Compañero "
    "Colega Responsable Director Directora Jefe Jefa Recepción Dirección Collègue Directeur "
    "Directrice Accueil Secrétariat Direction Diretor Diretora Gerente Recepção Secretaria "
    "Responsável Mit Freundlichen Grüßen Saludos Atentamente Cordialement".split()
)
_CALENDAR = frozenset(
    # months and their abbreviations
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec enero febrero marzo abril mayo junio julio "
    "agosto septiembre setiembre octubre noviembre diciembre ene abr ago dic janvier fevrier "
    "mars avril mai juin juillet aout septembre octobre novembre decembre janv fevr fev avr "
    "juil januar februar marz juni juli oktober dezember mrz okt dez janeiro "
    "fevereiro marco maio junho julho setembro outubro novembro dezembro fev set out "
    # weekdays and their abbreviations
    "monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs "
    "fri sat sun lunes martes miercoles jueves viernes sabado domingo lun mie jue vie sab dom "
    "lundi mardi mercredi jeudi vendredi samedi dimanche mer jeu ven sam dim montag dienstag "
    "mittwoch donnerstag freitag samstag sonntag sonnabend mo di mi do fr sa so segunda terca "
    "quarta quinta sexta segunda-feira terca-feira quarta-feira quinta-feira sexta-feira seg "
    "ter qua qui sex "
    # other calendar and time words
    "today tomorrow tonight yesterday morning afternoon evening noon midnight weekend week "
    "month year christmas xmas easter thanksgiving eod eow asap hoy manana tarde noche semana "
    "mes navidad pascua aujourd'hui demain matin soir semaine mois noel paques heute morgen "
    "ubermorgen mittag nachmittag abend woche monat weihnachten ostern silvester neujahr hoje "
    "amanha manha noite natal pascoa carnaval uhr".split()
)
"""Months, weekdays (five languages, abbreviated too) and other calendar words: a "Jan" or a
"Mo" after a cue is a date ("email … does Tuesday Jan 5 work?", "Mo-Fr 9-17 Uhr")."""
_LEAD = re.compile(
    r"\s*(?:[:,-]\s*)?"
    r"(?:(?:probably|actually|rather|directly|maybe|perhaps|plutot|directement|bitte|gerne|gern|"
    r"mejor|directamente|diretamente)\s+)?"
    r"(?:(?:the|el|la|le|o|a|der|die|den|dem|my|our|mi|nuestr[oa]|ma|mon|notre|meu|minha|nosso|"
    r"nossa|mein\w*|unser\w*)\s+"
    r"(?:(?!(?:about|on|at|in|after|before|by|when|if|and|or|but|that|this|sobre|en|apres|"
    r"avant|sur|uber|um|nach|vor|na|no|em)\b)[\w'&/.-]+,?\s+){0,4})?"
)
"""What may stand between a cue and its name: "talk to our Head of Data, Ana", "fale com a
Beatriz", "wenden Sie sich bitte an Herrn Maier" (titles are read with the name)."""
_ROLE_MAILBOXES = frozenset(
    "info support sales help office admin contact hello team service kontakt ventas contacto "
    "contato atendimento marketing noreply no-reply jobs careers hr billing reception "
    "recepcion empfang accueil secretariat sekretariat zentrale helpdesk servicedesk privacy "
    "legal dpo datenschutz compliance security it finance accounts procurement purchasing "
    "einkauf compras achats mail postmaster webmaster enquiries inquiries".split()
)
WINDOW_CHARS = 90
"""How far from the cue a name or address is looked for."""
NAME_GAP_CHARS = 45
"""A name further than this from its cue belongs to another thought."""
EMAIL_CHARS = 160
"""How far around a named referral its address is looked for (the sentence or the next)."""
_SELF = re.compile(
    r"\s*(?:-|\s)?(?:me|us|you|mich|uns|dich|moi|nous|vous|te|le|nos|mim|nosotros|conmigo|"
    r"comigo|myself|yourself)\b"
)
"""The sender or we ourselves after the cue ("contact me at …"): no referral."""
_OWN_PLAN = re.compile(
    r"(?:i'll|i will|let me|i need to|we'll|we will|i'm going to|i have to|i must|i'd have to|"
    r"i should|voy a|tengo que|je vais|je dois|ich werde|ich muss|vou|preciso|tenho que)\s+$"
)
"""The sender's own next step ("I'll talk to Priya"), not a referral."""
_ROLE_OBJECT = re.compile(r"(?:\bof|\bde|\bdu|\bder|\bfor|\bdo|\bda) $")
_STOP = re.compile(r"[.!?;\n]")


@dataclass(frozen=True)
class ReferralHit:
    """A referral found in a reply: the person (if named) and the sentence that says so."""

    referral: Referral | None
    sentence: str
    start: int


def _calendar(token: str) -> bool:
    return fold(token).strip("'.-") in _CALENDAR


def _clean_name(raw: str, after: str = "") -> str | None:
    """Return the name in raw without its greeting, team or title words; None if none is left
    or it is a date: a calendar word alone, calendar words only, or one before a day number."""
    tokens = raw.split()
    while tokens and tokens[0] in _NOT_NAMES:
        tokens.pop(0)
    while tokens and tokens[-1] in _NOT_NAMES:
        tokens.pop()
    if not tokens or any(token in _NOT_NAMES for token in tokens):
        return None
    dated = any(map(_calendar, tokens))
    if dated and (all(map(_calendar, tokens)) or _DAY_NUMBER.match(after)):
        return None
    return " ".join(tokens)


_DAY_NUMBER = re.compile(r"[\s.,]{0,3}\d")
"""A number right after a word ("Jan 5", "Sept. 3"): the word is part of a date."""


def _name_after(text: str, start: int, stop: int) -> str | None:
    """Return the name standing right after a cue (after an article, possessive or role)."""
    for match in _NAME.finditer(text, start, stop):
        if match.start() - start > NAME_GAP_CHARS:
            break
        if _ROLE_OBJECT.search(text, max(0, match.start() - 5), match.start()):
            continue  # "Head of Data": a department, not a person
        if _LEAD.fullmatch(fold(text[start : match.start()])) is None:
            continue  # "…email, but happy to talk after that: does Tuesday Jan 5…"
        name = _clean_name(match.group("name"), text[match.end() : match.end() + 4])
        if name is not None:
            return name
    return None


def _name_before(text: str, start: int, stop: int) -> str | None:
    found = None
    for match in _NAME.finditer(text, start, stop):
        if stop - match.end() <= 4:  # the name ends right before the cue
            found = _clean_name(match.group("name"), text[match.end() : match.end() + 4])
    return found


def _personal(emails: list[str]) -> str | None:
    personal = [e for e in emails if e.split("@")[0].lower() not in _ROLE_MAILBOXES]
    return personal[0] if personal else None


def _email_near(text: str, start: int, stop: int, name: str | None) -> str | None:
    """Return the address of the person named near start..stop (or any personal one there)."""
    emails = [e.rstrip(".") for e in _EMAIL.findall(text, max(0, start), min(len(text), stop))]
    if name:
        first = name.split()[0].lower()
        around = _EMAIL.findall(text, max(0, start - EMAIL_CHARS), stop + EMAIL_CHARS)
        for email in around:
            if first in email.lower().split("@")[0]:
                return email.rstrip(".")
    return _personal(emails)


def _sentence_end(text: str, start: int) -> int:
    stop = min(len(text), start + WINDOW_CHARS)
    end = _STOP.search(text, start, stop)
    while end is not None and end.group() == "." and _inside_word(text, end.start()):
        end = _STOP.search(text, end.end(), stop)  # "ana.ruiz@", "Dr. Ruiz"
    return end.start() if end is not None else stop


def _inside_word(text: str, index: int) -> bool:
    after = text[index + 1 : index + 2]
    before = text[max(0, index - 3) : index]
    return (after != "" and not after.isspace()) or before.strip() in {
        "Dr",
        "Mr",
        "Ms",
        "Mrs",
        "Sr",
        "Sra",
    }


def from_copies(referral: Referral, copies: str) -> Referral:
    """Complete a referral from a Cc header ("Dan Whitaker <dan@x>"): full name and address."""
    if not referral.name or not copies or referral.email:
        return referral
    first = fold(referral.name.split()[0])
    for part in copies.split(","):
        email = _EMAIL.search(part)
        if email is None or first not in fold(part):
            continue
        shown = part[: part.find("<")].strip(' "') if "<" in part else ""
        name = shown if shown and fold(shown).startswith(fold(referral.name)) else referral.name
        return Referral(name=name, email=email.group().rstrip("."))
    return referral


def find_referral(text: str, folded: str) -> ReferralHit | None:
    """Return the person a reply points us to (named, or by address), or None.

    A named person wins over a bare address found earlier: in "my colleague bounced with
    <j.doe@…>, talk to Lena Fischer instead" the address is the one that failed."""
    address_only: ReferralHit | None = None
    for match in _NAME_AFTER.finditer(folded):
        if _SELF.match(folded, match.end()) or _OWN_PLAN.search(
            folded, max(0, match.start() - 20), match.start()
        ):
            continue
        stop = _sentence_end(text, match.end())
        name = _name_after(text, match.end(), stop)
        if name is None and address_only is not None:
            continue
        email = _email_near(text, match.end(), stop + 40, name)
        if name is None and email is None:
            continue
        sentence = sentence_at(text, match.start(), match.end())
        hit = ReferralHit(Referral(name=name, email=email), sentence, match.start())
        if name is not None:
            return hit
        address_only = hit
    for match in _NAME_BEFORE.finditer(folded):
        begin = max(0, match.start() - 60)
        newline = text.rfind("\n", begin, match.start())
        begin = newline + 1 if newline != -1 else begin
        name = _name_before(text, begin, match.start())
        if name is None:
            continue
        email = _email_near(text, begin, _sentence_end(text, match.end()), name)
        sentence = sentence_at(text, match.start(), match.end())
        return ReferralHit(Referral(name=name, email=email), sentence, match.start())
    return address_only
