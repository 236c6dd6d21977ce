"""Opt-outs in words, in the five languages: any request to stop contacting or to erase.

A request is honoured at once, like the one-click link, wherever it stands in a reply. Words
that only talk about opting out are not one: "I almost hit unsubscribe", a negated one ("Don't
unsubscribe me", "No me des de baja", "Bitte nicht abmelden"), or an instruction a machine
gives ("To unsubscribe, click here", "If you'd rather not receive these, reply STOP"). A
complaint ("I keep getting your emails") and an opt-out from someone else's list ("I tried to
unsubscribe from Acme's newsletter") are mentions: they count only when the reply asks for
nothing else (no interest, no meeting, no question, no colleague).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tools.replies.phrase_rules import Rule, RuleHit, rule, rule_hits
from tools.replies.verdict import Intent

U = Intent.UNSUBSCRIBE

_KEYWORDS = (
    r"stop|stopall|stop all|unsubscribe|unsub|cancel|end|quit|remove|baja|alta no|desuscribir|"
    r"desinscription|desinscrire|abmelden|stopp|austragen|descadastrar|sair|parar|pare|parem|"
    r"remover|cancelar"
)
_LINE_KEYWORDS = (
    r"stop|stopall|stop all|unsubscribe|unsub|baja|desuscribir|desinscription|abmelden|stopp|"
    r"austragen|descadastrar|pare|parem"
)
"""Keywords that opt out as a sentence of their own anywhere ("Not interested. Stop.")."""
_HYPOTHETICAL = (
    r"(?:almost|nearly|about to|going to|was going to|thought about|tempted to|before i|"
    r"(?:hit|click|clicked|press|pressed|use|used|found|see|saw)(?: the| your| that| an?)?)"
)
"""Words that make "unsubscribe" a thing talked about, not a request."""

KEYWORD_ONLY = rule(
    U,
    0.95,
    "",
    rf"^\s*(?:please |pls |plz |kindly )?(?:{_KEYWORDS})(?: me| us| sms| texts?| messages| "
    r"e-?mails)?(?: please| pls| thanks| now)?\s*[.!]*\s*$",
    r"^\s*(?:remove|unsubscribe|stop|baja|abmelden)\s*[.!]",
)
"""A reply that is an opt-out keyword ("STOP", "BAJA", "Unsubscribe.", "Remove. …")."""
KEYWORD_SENTENCE = Rule(
    U,
    0.9,
    "",
    re.compile(
        rf"(?:^|(?<=[.!?] ))[ \t]*(?:please |pls |plz )?(?:{_LINE_KEYWORDS})(?: me| us)?"
        r"(?: please| pls| now)?[ \t]*[.!]*[ \t]*$",
        re.MULTILINE,
    ),
)
"""An opt-out keyword as a line or last sentence of its own ("Not interested. Stop.")."""

UNSUBSCRIBE_RULES = (
    rule(
        U, 0.95, "en", r"unsubscribe[ds]?", r"un-subscribe", r"unsub", unless_before=_HYPOTHETICAL
    ),
    KEYWORD_ONLY,
    KEYWORD_SENTENCE,
    rule(
        U,
        0.95,
        "en",
        r"remove (?:me|us|my (?:e-?mail|email address|address|name|details|contact|info|data|"
        r"(?:phone |mobile |cell )?number|phone|mobile|cell))",
        r"take (?:me|us|my (?:name|e-?mail|address|details)) off",
        r"(?:stop|quit|cease) (?:e-?mailing|contacting|messaging|texting|writing to|spamming|"
        r"bothering|pestering|harassing|calling|emailing|reaching out to) (?:me|us)",
        r"(?:^|(?<=\n)|(?<=[.!?,] )|(?<=please )|(?<=pls )|(?<=kindly )|(?<=just )|(?<=you )|"
        r"(?<=you to ))(?:stop|quit|cease) (?:e-?mailing|contacting|messaging|texting|spamming|"
        r"reaching out|calling)(?=\s*(?:$|[.!?,;]|please|pls|thanks|thank you|now|"
        r"already))",
        r"how (?:do|can) i (?:stop (?:these|this|them|the (?:e-?mails|messages|texts))|get off)",
        r"stop sending (?:me|us|these|this|emails?|messages?)",
        r"(?:rather|prefer to|prefer) not (?:to )?(?:receive|get) (?:these|your|any|such|more|"
        r"further)",
        r"(?:do not|don't|dont|never) (?:ever )?(?:contact|e-?mail|message|text|write to|"
        r"reach out to|call|spam) (?:me|us)",
        r"opt(?:-| )?(?:me |us )?out",
        r"no more (?:e-?mails|messages|emails|texts|sms|calls|spam)",
        r"(?:delete|erase|remove) (?:all )?(?:of )?(?:my|our) (?:personal )?(?:data|details|"
        r"information|e-?mail|contact|(?:phone |mobile |cell )?number)",
        r"(?:erasure|deletion) of (?:my|our|all my) (?:personal )?(?:data|details|information)",
        r"right to (?:be forgotten|erasure)",
        r"never consented to (?:be contacted|receive)",
        r"off (?:your|the|this) (?:mailing |e-?mail |distribution |contact )?list",
        r"(?:please )?(?:don't|do not) (?:reach out|follow up|write|email) (?:again|anymore|"
        r"any more)",
        r"(?:i|we) (?:do not|don't|no longer) (?:want|wish) to (?:receive|get|hear) (?:any )?"
        r"(?:more|further|these|your)",
        r"(?:don't|do not) send (?:me|us) (?:any )?(?:more|further|anything)",
        r"(?:be|get|been|being) (?:removed|taken off|unsubscribed|deleted|excluded|"
        r"dropped) (?:from|off)",
        r"no (?:further|more) (?:contact|communication|outreach|follow-?ups?|messages|emails)",
        r"stop (?:these|the|your|all) (?:e-?mails|messages|sequence|outreach|follow-?ups)",
        r"(?:take|get|remove) (?:me|us) (?:out|off) of",
    ),
    rule(U, 0.8, "en", r"leave (?:me|us) alone", r"(?:lose|forget) my (?:e-?mail|address|number)"),
    rule(
        U,
        0.95,
        "es",
        r"dar(?:me|nos|se)? de baja",
        r"no (?:quiero )?mas (?:mensajes|correos|e-?mails|sms|llamadas)",
        r"(?:quiero|quisiera|deseo|queremos) (?:que me |que nos )?(?:eliminen|borren|saquen|quiten|"
        r"den de baja|excluyan)",
        r"no (?:quiero|queremos|deseo) (?:que me (?:escriban|contacten)|recibir)",
        r"(?:me|nos) (?:doy|dan|den|de|des) de baja",
        r"(?:me|nos) (?:elimin|borr|quit|sac|retir)\w* de (?:su|tu|la|sus|vuestra|esta|vuestras|"
        r"tus) (?:lista|base|listado|listas|envios|registros)",
        r"(?:eliminar|eliminen|elimine|borrar|borren|borre|quitar|quiten|quite|sacar|saquen|"
        r"saque)(?:me|nos)? de (?:su|tu|la|sus|vuestra|esta|vuestras) (?:lista|base de datos|"
        r"listado|listas)",
        r"(?:eliminarme|borrarme|quitarme|sacarme|eliminenme|borrenme|quitenme|sacenme|"
        r"eliminame|borrame|quitame|sacame)",
        r"no (?:me|nos) (?:vuelva|vuelvan|vuelvas) a (?:escribir|contactar|enviar|mandar|llamar)",
        r"(?:deje|dejen|deja|dejad) de (?:escribir|enviar|mandar|contactar|llamar)(?:me|nos)?",
        r"no (?:quiero|queremos|deseo|deseamos) recibir (?:mas|ningun)",
        r"prefiero (?:que )?no (?:me )?(?:lleguen|recibir|escriban|envien)",
        r"no (?:me|nos) (?:escriba|escriban|escribas|contacte|contacten|contactes|envie|envien|"
        r"envies|mande|manden|mandes|lleguen) (?:nunca )?mas",
        r"(?:cancelar|anular) (?:la |mi )?suscripcion",
        r"desuscrib\w*",
        r"desinscrib\w*",
        r"ya no (?:me|nos) (?:envien|manden|escriban|contacten)",
        r"(?:supresion|borrado|eliminacion) de (?:mis|todos mis) datos",
        r"(?:elimin|borr|quit|sac|retir)\w* (?:mi|mis) (?:correo|email|e-mail|direccion|datos|"
        r"contacto)",
    ),
    rule(
        U,
        0.95,
        "fr",
        r"(?:me )?desinscri\w*",
        r"desabonn\w*",
        r"(?:retirez|supprimez|enlevez|rayez|otez|effacez)[- ](?:moi|nous)",
        r"(?:retirer|supprimer|enlever|effacer|rayer|retirez|supprimez|enlevez|effacez|rayez) "
        r"(?:mon adresse|mes coordonnees|mes donnees|mon e-?mail|mon nom|moi)",
        r"ne (?:me|nous) (?:contactez|ecrivez|envoyez|sollicitez|relancez|contacte[rz]?) plus",
        r"(?:merci de|veuillez|je vous prie de|priere de) ne plus (?:me|nous) (?:contacter|ecrire|"
        r"envoyer|solliciter|relancer)",
        r"(?:arretez|cessez|arrete) de (?:me |m'|nous )(?:contacter|ecrire|envoyer|solliciter|"
        r"relancer|spammer)",
        r"ne (?:souhaite|veux|desire|voulons|souhaitons) plus (?:rien )?recevoir",
        r"ne plus recevoir",
        r"ne plus (?:me |m'|nous )(?:contacter|ecrire|envoyer|solliciter|relancer|spammer)",
        r"(?:me|nous) (?:retirer|supprimer|enlever|effacer|rayer|desinscrire|desabonner) (?:de|des|"
        r"du)",
        r"(?:je souhaite|je veux|je voudrais|merci de) (?:etre )?(?:retire|retiree|desinscrit|"
        r"desinscrite|supprime|supprimee)",
        r"stop(?:pez)? (?:les|vos) (?:e-?mails|mails|messages|envois)",
        r"suppression de (?:mes|toutes mes) donnees",
        r"(?:supprim|retir|effac|enlev)\w* (?:mon|mes) (?:adresse|e-?mail|donnees|coordonnees|"
        r"contact)",
    ),
    rule(
        U,
        0.95,
        "de",
        r"abmelden",
        r"(?:mochte|will|wunsche|mochten) (?:keine|nicht mehr)\b[^.!?\n]{0,40}(?:e-?mails|mails|"
        r"nachrichten|erhalten|kontaktiert|angeschrieben)",
        r"abmeldung",
        r"abbestellen",
        r"austragen",
        r"tragen sie (?:mich|uns)\b[^.\n]{0,50}\baus",
        r"(?:entfernen|loschen|streichen) sie (?:bitte )?(?:mich|uns|meine (?:e-?mail-?adresse|"
        r"adresse|"
        r"daten|kontaktdaten))",
        r"(?:mich|meine (?:e-?mail-?adresse|adresse|daten|kontaktdaten)) (?:bitte )?(?:aus "
        r"(?:ihrem|ihrer|dem|der) (?:verteiler|liste|datenbank|kartei|mailingliste) )?(?:zu )?"
        r"(?:entfernen|loschen|streichen)",
        r"nehmen sie mich (?:bitte )?(?:aus|von)",
        r"keine (?:weiteren |weitere )?(?:e-?mails|mails|nachrichten|zusendungen|werbung|"
        r"kontaktaufnahmen?|anfragen|sms|anrufe) mehr",
        r"keine weiteren (?:e-?mails|mails|nachrichten|zusendungen|kontaktaufnahmen?)",
        r"(?:kontaktieren|schreiben|anschreiben|mailen|belastigen) sie (?:mich|uns) (?:bitte )?"
        r"(?:nicht mehr|nie wieder|kein\w* (?:weiteres )?mal)",
        r"(?:bitte )?nicht mehr (?:kontaktieren|anschreiben|schreiben|mailen|belastigen)",
        r"nicht (?:mehr|weiter) (?:zu )?\w{0,4}(?:zu)?(?:kontaktieren|schreiben|mailen|belastigen|"
        r"behelligen)",
        r"horen sie auf,? mir zu (?:schreiben|mailen)",
        r"(?:widerspreche|widersprechen) (?:der|jeder) (?:nutzung|verarbeitung|verwendung)",
        r"(?:bitte um|verlange|fordere) (?:die )?loschung",
        r"(?:losch|entfern|streich)\w* (?:sie )?(?:bitte )?meine (?:e-?mail|adresse|daten|"
        r"kontaktdaten)",
        r"loschung (?:meiner|der|aller) daten",
    ),
    rule(
        U,
        0.95,
        "pt",
        r"descadastr\w*",
        r"(?:cancelar|cancele) (?:a |minha )?(?:inscricao|assinatura)",
        r"(?:remova|removam|remover|retire|retirem|tire|tirem|exclua|excluam|excluir|apague|"
        r"apaguem)(?:-me)? (?:o )?(?:meu (?:e-?mail|email|contato|nome|endereco)|meus dados|"
        r"da (?:sua |vossa )?(?:lista|base))",
        r"(?:remova|removam|retire|retirem|tire|tirem|exclua|excluam)-me",
        r"me (?:remova|removam|retire|retirem|tire|tirem|exclua|excluam|tirar|remover|excluir|tira|"
        r"remove|exclui)",
        r"nao (?:me )?(?:envie|envies|enviem|mande|mandem|contate|contatem|contacte|escreva|"
        r"escrevam|procure|procurem) (?:nunca )?mais",
        r"(?:parem|pare|para|deixe|deixem) de (?:me )?(?:enviar|mandar|escrever|contatar|"
        r"contactar|ligar)",
        r"nao (?:quero|queremos|desejo|desejamos) (?:mais )?receber",
        r"(?:quero|gostaria de|desejo) (?:ser )?(?:removid[oa]|descadastrad[oa]|excluid[oa]|"
        r"retirad[oa])",
        r"nao (?:quero|desejo) (?:mais )?ser (?:contatad|contactad|procurad)[oa]",
        r"sair da (?:sua )?lista",
        r"exclusao (?:dos|de) (?:meus )?dados",
        r"(?:remov|exclu|apag|tir|retir)\w* (?:o )?(?:meu|meus|minha) (?:e-?mail|dados|contato|"
        r"endereco)",
    ),
)
"""Opt-outs in words: honoured at once, whatever else the reply says (also deep in it)."""

COMPLAINT_RULES = (
    rule(
        U,
        0.9,
        "en",
        r"(?:still|keep|keeps|continue to) (?:get|getting|receive|receiving|gets) (?:these|your|"
        r"this|emails|e-mails|messages)",
    ),
    rule(U, 0.9, "es", r"sigo recibiendo"),
    rule(U, 0.9, "fr", r"(?:je continue a recevoir|je recois toujours|je recois encore)"),
    rule(U, 0.9, "de", r"(?:bekomme|erhalte|bekommen|erhalten) (?:immer noch|weiterhin|trotzdem)"),
    rule(U, 0.9, "pt", r"(?:continuo|sigo) recebendo"),
)
"""Complaints about our mail: an opt-out unless the reply also wants something from us."""

_CLAUSE_BREAK = re.compile(r"[.,!?;:\n]|\b(?:but|pero|mais|aber|mas|however)\b")
_SENTENCE_BREAK = re.compile(r"[.!?\n]")
_CLITIC = re.compile(r"(?:me|nos|te|se)\b")
_NEGATED = re.compile(
    r"(?<!\w)(?:don't|dont|do not|didn't|did not|never|not|won't|will not|wouldn't|would not|"
    r"no need to|nicht|nie|ne|pas|nao|nunca|jamais|no(?= (?:me|nos|te|se)\b))"
    r"(?: (?:ever|please|bitte|want to|wish to|need to|mean to|plan to|quiero|quisiera|deseo|"
    r"queremos|quero|desejo|veux|voulez|souhaite|souhaitez|mochte|mochten|will|wollen|"
    r"wirklich|me|nos|te|se|moi|mich|uns|vous|sie|ich|be|get|etre|ser|estar|werden))* ?$"
)
"""A prohibition just before the opt-out words: "don't unsubscribe me", "não me descadastre"."""
_TRIED = re.compile(
    r"(?<!\w)(?:can|could|kann|kannst|konnte|konnen|able|unable|manage|schaffe)(?!\w)"
)
"""A failed attempt is no prohibition: "I could not unsubscribe", "kann mich nicht abmelden"."""
_INSTRUCTION = re.compile(
    r"^\s*(?:to|para|pour|pour vous|pour se|um sich)\s+(?:\w+\s+)?$"
    r"|(?<!\w)click(?: here| the link| below)? to\s*$"
    r"|(?<!\w)(?:reply|respond|text|send)(?: with)? \"?\w+\"? to\s*$"
)
_ADDRESSED_IF = re.compile(
    r"(?<!\w)(?:if|should|when|whenever) you(?:'d| would)? (?:no longer |ever |rather |do not |"
    r"don't )?(?:wish|want|like|prefer|rather|would like|'d like)"
    r"|(?<!\w)si (?:usted |vous |voce )?(?:no |ne |nao )?(?:desea|quiere|prefiere|souhaitez|"
    r"voulez|desirez|deseja|quiser|preferir)"
    r"|(?<!\w)(?:wenn|falls) sie (?:keine|nicht)"
)
"""A machine's instructions ("To unsubscribe, click…", "If you'd rather not receive these…")."""
_SOMEONE_ELSES = re.compile(
    r"\s*(?:me |us )?from (?:[a-z][\w&.-]*'s|their|his|her|another|other|some|a|an|that|those)\b"
)
"""An opt-out from another sender's list: "I unsubscribed from Acme's newsletter"."""
_NOT_A_LIST = re.compile(r"\s*(?:the|this|that) (?:thread|chain|e-?mail chain|cc|loop|call)\b")
"""Off a thread, not off our list: "Take me off the thread, loop in Priya"."""
_ASKED_BACK = re.compile(r"\s*\?\s*(?:no|nope|never|nein|non|nunca|jamais|nao)\b")
"""Asked and answered: "Unsubscribe? No way, send me pricing"."""
REQUEST, MENTION = "request", "mention"


def opt_out_kind(folded: str, start: int, end: int) -> str | None:
    """Return whether opt-out words at start..end are a request, a mention, or neither."""
    clause = folded[max(0, start - 60) : start]
    breaks = list(_CLAUSE_BREAK.finditer(clause))
    head = clause[breaks[-1].end() :] if breaks else clause
    clitic = _CLITIC.match(folded, start)
    if _NEGATED.search(head + (clitic.group() + " " if clitic else "")) and not _TRIED.search(head):
        return None
    sentences = list(_SENTENCE_BREAK.finditer(clause))
    if sentences:
        sentence = clause[sentences[-1].end() :]
    else:  # the sentence starts before the window: its start is not in view
        sentence = clause if start <= len(clause) else "\x00" + clause
    if _INSTRUCTION.search(sentence) or _ADDRESSED_IF.search(sentence + folded[start:end]):
        return None
    if _NOT_A_LIST.match(folded, end, end + 40):
        return None
    if _SOMEONE_ELSES.match(folded, end, end + 60) or _ASKED_BACK.match(folded, end, end + 20):
        return MENTION
    return REQUEST


def _kept(folded: str, start: int, end: int) -> bool:
    return opt_out_kind(folded, start, end) is not None


@dataclass(frozen=True)
class OptOuts:
    """A reply's opt-out words: requests are honoured; mentions only if nothing else is asked."""

    requests: list[RuleHit]
    mentions: list[RuleHit]


def find_opt_outs(text: str, folded: str) -> OptOuts:
    """Return the opt-out requests and mentions in a person's own words, first first."""
    requests: list[RuleHit] = []
    mentions: list[RuleHit] = []
    for found in rule_hits(UNSUBSCRIBE_RULES, text, folded, keep=_kept):
        kind = opt_out_kind(folded, found.hit.start, found.hit.end)
        if found.rule is KEYWORD_ONLY and folded[found.hit.end :].strip(" .!\n"):
            kind = MENTION  # "Stop! This is exactly what we need. Thursday at 2pm?"
        (requests if kind == REQUEST else mentions).append(found)
    mentions += rule_hits(COMPLAINT_RULES, text, folded, keep=_kept)
    return OptOuts(
        sorted(requests, key=lambda hit: hit.hit.start),
        sorted(mentions, key=lambda hit: hit.hit.start),
    )
