"""Recognise mail that a machine sent on someone's behalf, from its headers and subject.

RFC 3834: `Auto-Submitted` other than "no" marks automatic mail. Older conventions still in
use: `X-Autoreply`, `X-Autorespond`, `Precedence: auto_reply`, and the subjects mail servers
give out-of-office replies, which put their marker first ("Automatic reply: …"; a person's
"Re: out of office policy" is a reply). `Precedence: bulk|junk|list` is a weak mark: list
software and some clients set it on people's mail too, so the person's own words may outrank it.
Exchange's `X-Auto-Response-Suppress` asks the *receiver* not to auto-reply; senders put it on
ordinary outgoing mail, so it says nothing about the mail that carries it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import Message

from tools.replies.inbound_text import header_map
from tools.replies.phrase_search import PhraseHit, first_hit, fold, rx

AUTO_PRECEDENCE = frozenset({"auto_reply", "auto-reply"})
LIST_PRECEDENCE = frozenset({"bulk", "junk", "list"})
"""Weak: set by mailing lists and some clients on mail people write."""
_FLAG_HEADERS = ("x-autoreply", "x-autorespond")
HEADER_CHARS = 1_000
"""Header values and subjects are read this far: a marker is near the start, and a 1 MB
header must not cost a scan per character."""

AUTO_SUBJECT = rx(
    r"automatic reply",
    r"auto[- ]?reply",
    r"auto[- ]?response",
    r"autoresponder",
    r"auto",
    r"out of (?:the )?office",
    r"ooo",
    r"abwesenheitsnotiz",
    r"abwesenheit",
    r"automatische antwort",
    r"reponse automatique",
    r"message d'absence",
    r"absente? du bureau",
    r"respuesta automatica",
    r"fuera de la oficina",
    r"resposta automatica",
    r"fora do escritorio",
    r"ausente",
    r"abwesend",
    r"vacation reply",
)
"""Subjects that Outlook, Gmail, Exchange, Lotus and others give automatic replies (at the
start of the subject, after any gateway tag like "[EXTERNAL]")."""
SUBJECT_TAGS = re.compile(r"(?:\s*\[[^\]\n]{1,40}\])*\s*")
"""Tags a mail gateway puts before the subject ("[EXTERNAL] Automatic reply: …")."""
_SUBJECT_TAIL = re.compile(
    r"\s*(?:$|[:\-|(\[,/!.]|\d|(?:until|till|through|from|back|returning|re|aw|rv|tr|wg|fw|fwd|"
    r"sv|notice|message|hasta|desde|del|jusqu|du|bis|vom|ab|ate|de|em|auto\w*)(?!\w))"
)
"""What follows a marker in an automatic subject: nothing, a separator, a date or an end."""

_READ_RECEIPT_SUBJECT = re.compile(
    r"^\s*(?:read|gelesen|lu|leido|lida|lido|zur kenntnis genommen)\s?:"
)
_READ_RECEIPT_TYPE = re.compile(
    r"\s*multipart/report\s*;[\s\S]{0,300}?\breport-type\s*=\s*\"?disposition-notification",
    re.IGNORECASE,
)

AUTOMATIC_TEXT = rx(
    # English
    r"this is an? (?:automated|automatic|auto-?generated|system-generated) (?:message|response|"
    r"reply|e-?mail|notification|notice)",
    r"(?:please )?do not reply (?:to )?this (?:e-?mail|message|address)",
    r"we(?:'ve| have)? (?:successfully )?received your (?:message|e-?mail|request|enquiry|inquiry)",
    r"your (?:request|ticket|case|enquiry|inquiry)(?: \(?(?:#|no\.? ?|number )?[\w-]+\)?)? "
    r"(?:has been|was) (?:received|created|logged|opened|submitted)",
    r"thank you for contacting (?:\w+ ){0,3}(?:support|customer service|customer care|help ?desk)",
    r"this (?:mailbox|inbox|e-?mail address|address) is (?:not|no longer|un)(?: being)? ?monitored",
    r"(?:mailbox|inbox|e-?mail|address) is (?:only )?(?:checked|read|monitored) (?:weekly|daily|"
    r"once|"
    r"twice|periodically|occasionally|infrequently)",
    r"i (?:only )?check (?:my )?e-?mails? (?:only )?(?:twice|once|two times|three times|"
    r"a few times)",
    r"do not disturb while driving",
    r"protecting myself from (?:receiving )?(?:junk|spam)",
    r"complete the verification",
    # Spanish
    r"hemos recibido (?:su|tu) (?:mensaje|correo|solicitud|consulta|e-?mail)",
    r"(?:por favor,? )?no (?:responda|respondas|conteste) (?:a )?este (?:correo|mensaje|e-?mail)",
    r"este (?:buzon|correo|e-?mail) no (?:se )?(?:revisa|supervisa|monitoriza|esta monitorizado)",
    r"numero de (?:incidencia|ticket|solicitud|caso)",
    r"(?:su|tu) (?:solicitud|consulta|incidencia|mensaje|peticion) (?:ha sido|fue) (?:registrad|"
    r"recibid|cread)[oa]",
    r"(?:este|esto) es un(?:a)? (?:mensaje|correo|respuesta|e-?mail) automatic[oa]",
    r"(?:mensaje|correo|respuesta) generad[oa] automaticamente",
    # French
    r"nous avons bien recu votre (?:message|demande|e-?mail|courriel)",
    r"(?:ceci est|il s'agit d') ?une? (?:reponse|message|e-?mail|courriel) (?:automatique|genere)",
    r"merci de ne pas (?:y )?repondre",
    r"votre demande (?:n° ?[\w-]+ )?a (?:bien )?ete (?:enregistree|recue|prise en compte)",
    r"cette (?:adresse|boite(?: aux lettres)?) n'est (?:pas|plus) (?:consultee|surveillee|lue)",
    # German
    r"(?:wir haben|haben) ihre (?:nachricht|anfrage|e-?mail) (?:erhalten|bekommen)",
    r"(?:ihre|deine) (?:anfrage|nachricht|e-?mail) ist (?:bei uns )?eingegangen",
    r"(?:dies ist|es handelt sich um) eine automatisch\w*",
    r"automatisch (?:generierte|erstellte|versandte) (?:e-?mail|nachricht|antwort)",
    r"ihr ticket(?: #?[\w-]+)? wurde (?:erstellt|angelegt|eroffnet)",
    r"(?:bitte )?antworten sie nicht auf diese",
    r"dieses postfach wird nicht (?:mehr )?(?:uberwacht|gelesen|betreut)",
    # Portuguese
    r"recebemos (?:sua|a sua|seu|o seu) (?:mensagem|e-?mail|solicitacao|pedido|contato)",
    r"(?:esta|este) e (?:uma|um) (?:resposta|mensagem|e-?mail) automatic[ao]",
    r"(?:por favor,? )?nao responda (?:a )?(?:este|esta)",
    r"seu (?:chamado|ticket|protocolo|pedido)(?: n[o°º]?\.? ?[\w-]+)? foi (?:aberto|registrado|"
    r"criado|recebido)",
    r"esta caixa (?:de (?:e-?mail|entrada) )?nao e monitorada",
)
"""What automatic mail says of itself when its headers do not (ticket systems, filters)."""

LEFT_COMPANY = rx(
    r"(?:is|are) no longer (?:with|at|working (?:at|for)|employed)",
    r"(?:has|have) left (?:the company|the organi[sz]ation|the business|our (?:company|team))",
    r"(?:has|have) left [a-z][\w&-]*(?: [a-z][\w&-]*){0,2}\.",
    r"no longer works? (?:here|at|for)",
    r"ya no (?:trabaja|forma parte)",
    r"(?:ha|han) dejado (?:la empresa|de trabajar)",
    r"ne (?:fait|travaille) plus (?:partie|chez|pour)",
    r"a quitte (?:la societe|l'entreprise)",
    r"nicht mehr (?:im unternehmen|bei uns|fur uns tatig|fur \w+ tatig)",
    r"hat (?:das unternehmen|uns) verlassen",
    r"nao (?:faz mais parte|trabalha mais)",
    r"(?:deixou|saiu d)a empresa",
)
"""A notice that the person has left: a referral if it names a successor, else automatic."""


@dataclass(frozen=True)
class AutoMark:
    """Why a reply looks automatic, and whether that alone outranks the sender's words."""

    evidence: str
    strong: bool
    """False for `Precedence: bulk|junk|list`, which people's mail can carry too."""


def read_receipt_mark(headers: Mapping[str, str], subject: str) -> str | None:
    """Return why a reply is a read receipt (a disposition notification), or None."""
    content_type = headers.get("content-type", "")[:HEADER_CHARS]
    if _READ_RECEIPT_TYPE.match(content_type):
        return f"Content-Type: {content_type.strip()}"
    if _READ_RECEIPT_SUBJECT.match(fold(subject[:HEADER_CHARS])):
        return f"Subject: {subject.strip()}"
    return None


def automatic_text(text: str, folded: str) -> PhraseHit | None:
    """Return where a reply's text says a machine sent it (or that its person has left)."""
    return first_hit(AUTOMATIC_TEXT, text, folded) or first_hit(LEFT_COMPANY, text, folded)


def subject_mark(subject: str) -> str | None:
    """Return the subject when it starts as mail servers start automatic replies' subjects."""
    shown = subject[:HEADER_CHARS].strip()
    folded = fold(shown)
    start = SUBJECT_TAGS.match(folded)
    match = AUTO_SUBJECT.match(folded, start.end() if start else 0)
    if match is None:
        return None
    rest = folded[match.end() :]
    if match.group() == "auto" and not rest.lstrip().startswith(":"):
        return None  # "Auto: …" is a marker; "Auto parts pricing" is not
    if _SUBJECT_TAIL.match(rest) is None:
        return None  # "Out of office policy question" is about absences, not one
    return f"Subject: {shown}"


def header_mark(headers: Mapping[str, str]) -> str | None:
    """Return the header line that marks automatic mail, or None (headers keyed lower-case)."""
    found = _header_signal(headers)
    return found.evidence if found else None


def _header_signal(headers: Mapping[str, str]) -> AutoMark | None:
    auto = headers.get("auto-submitted", "")[:HEADER_CHARS].strip()
    if auto and auto.split(";", 1)[0].strip().lower() != "no":
        return AutoMark(f"Auto-Submitted: {auto}", strong=True)
    for name in _FLAG_HEADERS:
        if name in headers:
            shown = "-".join(part.capitalize() for part in name.split("-"))
            value = headers[name][:HEADER_CHARS].strip()
            return AutoMark(f"{shown}: {value}".rstrip(": "), strong=True)
    precedence = headers.get("precedence", "")[:HEADER_CHARS].strip()
    if precedence.lower() in AUTO_PRECEDENCE:
        return AutoMark(f"Precedence: {precedence}", strong=True)
    if precedence.lower() in LIST_PRECEDENCE:
        return AutoMark(f"Precedence: {precedence}", strong=False)
    return None


def automatic_signal(headers: Mapping[str, str] | Message, subject: str) -> AutoMark | None:
    """Return why a reply looks automatic and how strongly, or None (any header casing)."""
    keyed = header_map(headers)
    found = _header_signal(keyed)
    if found is not None and found.strong:
        return found
    marked = subject_mark(subject) or read_receipt_mark(keyed, subject)
    if marked is not None:
        return AutoMark(marked, strong=True)
    return found


def automatic_mark(headers: Mapping[str, str] | Message, subject: str) -> str | None:
    """Return why a reply is automatic (a header line or its subject), or None.

    headers may be any mapping or an email.message.Message, in any case."""
    found = automatic_signal(headers, subject)
    return found.evidence if found else None
