"""Keep only the sender's own words: drop the quoted earlier message and the signature.

Our own message is in the quote, with its "book a call" line and its unsubscribe footer, so
a reply must be read without it. Mail clients in English, Spanish, French, German and
Portuguese introduce quotes differently (Gmail's "On … wrote:", Outlook's "From:/Sent:"
block, "-----Original Message-----"); all of them are recognised here.
"""

from __future__ import annotations

import bisect
import re
from typing import Literal

from tools.replies.phrase_search import fold

_ATTRIBUTION = re.compile(
    r"^(?:on|el|le|am|em|a|no dia|op)\b.{0,250}?"
    r"(?:wrote|escribio|a ecrit|schrieb\b[^\n]{0,200}|escreveu|ha escrito)\s?:\s*$",
    re.DOTALL,
)
"""Gmail's, Apple Mail's and Thunderbird's line before a quote, possibly wrapped on 2-3 lines."""
_ATTRIBUTION_START = re.compile(r"^(?:on|el|le|am|em|a|no dia|op)\b")
_SEPARATOR = re.compile(
    r"^[-=_*\s]*(?:original message|mensaje original|message d'origine|message original|"
    r"ursprungliche nachricht|originalnachricht|mensagem original|forwarded message|"
    r"mensaje reenviado|message transfere|weitergeleitete nachricht|mensagem encaminhada|"
    r"begin forwarded message|inicio del mensaje reenviado|debut du message reexpedie|"
    r"anfang der weitergeleiteten nachricht|inicio da mensagem encaminhada)[-=_*\s:]*$"
    r"|^_{10,}\s*$|^-{10,}\s*$"
)
"""Separators some clients put between the reply and the message it answers or forwards."""
_HEADER_FROM = re.compile(r"^[*>\s]*(?:from|de|von|van)\s?:[*\s]")
_HEADER_NEXT = re.compile(
    r"^[*\s]*(?:sent|date|to|cc|subject|enviado|fecha|para|asunto|envoye|a|objet|gesendet|"
    r"datum|an|betreff|enviada em|data|assunto|enviado el)\s?:"
)
"""Outlook's header block of the quoted message, in the five languages."""
_SIGNATURE_DELIMITER = re.compile(r"^--\s*$|^__\s*$")
_MOBILE_SIGNATURE = re.compile(
    r"^(?:sent from (?:my|mail|outlook|yahoo|gmail)|sent via|get outlook for|"
    r"enviado desde (?:mi|el|outlook)|obtener outlook|envoye (?:de|depuis) (?:mon|ma|outlook)|"
    r"telecharger outlook|von meinem [^\n]{0,40}gesendet|gesendet (?:von|mit) (?:meinem|outlook)|"
    r"outlook fur|enviado do meu|enviado de meu|enviado a partir d|obtenha o outlook)"
)
_VALEDICTION = re.compile(
    r"^(?:best|best regards|kind regards|warm regards|warmest regards|regards|many thanks|"
    r"thanks|thank you|thanks again|cheers|sincerely|yours|all the best|best wishes|br|"
    r"saludos|un saludo|saludos cordiales|atentamente|gracias|muchas gracias|un abrazo|"
    r"cordialement|bien cordialement|bien a vous|merci|merci beaucoup|salutations|"
    r"bonne journee|mit freundlichen gru(?:ß|ss)en|freundliche gru(?:ß|ss)e|mfg|"
    r"viele gru(?:ß|ss)e|beste gru(?:ß|ss)e|liebe gru(?:ß|ss)e|herzliche gru(?:ß|ss)e|lg|vg|"
    r"gru(?:ß|ss)e|danke|vielen dank|atenciosamente|att|abracos|abraco|um abraco|"
    r"obrigad[oa]|muito obrigad[oa]|cumprimentos|melhores cumprimentos|abs|bjs|atte|cdlt|"
    r"bien a toi|a bientot|best|talk soon|thanks so much|regards|gru(?:ß|ss)|tschuss|"
    r"saludos cordiales|un cordial saludo|cordiales saludos)[\s,.!]*$"
)
SIGNATURE_LINES = 14
"""A closing is followed by at most this many signature lines (name, title, address, legal)."""
_NAME_LINE = re.compile(r"^[^\W\d_][^\s.!?]*\.?(?:[ \t]+[^\W\d_a-z][^\s!?]*){0,3}[ \t]*$")
"""A signature's first line: a name ("Maya", "Maya Okafor", "J. Smith"), capitalised words."""


_POSTSCRIPT = re.compile(
    r"^(?:(?:p\.?\s?p\.?\s?s|p\.?\s?-?\s?s|p\.?\s?d|posdata|post-?scriptum)\.?(?!\w)|"
    r"(?:n\.?\s?b|obs)\s?[.:])"
)
"""A postscript ("P.S.", "PS:", "P.-S.", "PD:", "NB:", "Obs.:"): the sender writes on after
their closing, and what follows is their own words again, not the signature. "NB" and "Obs"
need their dot or colon ("NB Analytics GmbH" is a signature line)."""
_OPT_OUT_LINE = re.compile(
    r"^(?:please |pls |plz |kindly |bitte )?(?:unsubscribe|unsub|stop|stop all|stopall|stopp|end|"
    r"quit|cancel|opt[- ]?out|remove|baja|de baja|dar de baja|darme de baja|desuscribir(?:me)?|"
    r"cancelar|parar|alto|desabonner|desabonnez[- ]moi|me desabonner|desinscription|"
    r"desinscrire|me desinscrire|desinscrivez[- ]moi|abmelden|abbestellen|austragen|"
    r"descadastrar|descadastre[- ]me|descadastrar[- ]me|remover|sair)"
    r"(?: me| us| please| pls| thanks| bitte)?[\s.!]*$"
)
"""A one-line opt-out ("Unsubscribe", "STOP", "Baja", "Abmelden") is a request, not a name."""
ATTRIBUTION_CHARS = 500
"""An attribution ("On … wrote:") is shorter than this; longer lines are not read as one."""


def _is_outlook_header(lines: list[str], index: int) -> bool:
    if not _HEADER_FROM.match(lines[index]):
        return False
    following = [line for line in lines[index + 1 : index + 6] if line.strip()][:4]
    return any(_HEADER_NEXT.match(line) for line in following)


def _is_attribution(lines: list[str], index: int) -> bool:
    line = lines[index].strip().lstrip("> ")
    if not _ATTRIBUTION_START.match(line):
        return False
    parts: list[str] = []
    for part in lines[index : index + 3]:
        part = part.strip().lstrip("> ")
        if not part:  # a wrapped attribution never spans a blank line
            break
        parts.append(part)
        joined = " ".join(parts)
        if len(joined) > ATTRIBUTION_CHARS:
            break
        if any(c.isdigit() or c == "@" for c in joined) and _ATTRIBUTION.match(joined):
            return True
    return False


def _starts_quote(lines: list[str], index: int) -> bool:
    return (
        _SEPARATOR.match(lines[index].strip()) is not None
        or _is_attribution(lines, index)
        or _is_outlook_header(lines, index)
    )


Boundary = Literal["quote", "signature", "limit", "end"]


def _quote_start(
    lines: list[str], begin: int = 0, limit: int | None = None
) -> tuple[int, Boundary]:
    """Return where (from begin) the quoted message or the signature starts, and which it is.

    With a limit, stop ("limit") once that many characters of the sender's lines are passed
    and a signature's worth of lines more: a closing before the limit is still judged on all
    the lines that follow it, and nothing after the limit is read by the caller anyway."""
    size = 0
    over = 0
    for index in range(begin, len(lines)):
        line = lines[index]
        stripped = line.strip()
        if stripped.startswith(">"):
            continue
        size += len(line) + 1
        if not stripped:
            continue  # a blank line starts nothing
        if _starts_quote(lines, index):
            return index, "quote"
        if _SIGNATURE_DELIMITER.match(stripped) or _MOBILE_SIGNATURE.match(stripped):
            return index, "signature"
        if limit is not None and size > limit:
            over += 1
            if over > SIGNATURE_LINES + 1:
                return index + 1, "limit"
    return len(lines), "end"


def _closes(lines: list[str], original: list[str], filled: list[int], index: int) -> bool:
    """Return whether the closing at index is followed only by a short signature block.

    filled holds the indexes of the non-blank lines before the quote, in order."""
    after = bisect.bisect_right(filled, index)
    rest = len(filled) - after
    if rest == 0:
        return True
    if rest > SIGNATURE_LINES:
        return False
    first = original[filled[after]].strip()
    return (
        first[:1].isupper()
        and _NAME_LINE.match(first) is not None
        and _OPT_OUT_LINE.match(lines[filled[after]].strip()) is None
    )


def _postscript_below(
    lines: list[str], original: list[str], start: int, limit: int | None
) -> list[str]:
    """Return a postscript below a signature delimiter ("--", "Sent from my iPhone"), if any."""
    size = 0
    for index in range(start, len(lines)):
        stripped = lines[index].strip()
        size += len(stripped) + 1
        if limit is not None and size > limit:
            return []
        if not stripped or stripped.startswith(">"):
            continue
        if _starts_quote(lines, index):
            return []
        if _POSTSCRIPT.match(stripped):
            end, _ = _quote_start(lines, index + 1, limit)
            return [
                original[line]
                for line in range(index, end)
                if not lines[line].strip().startswith(">")
            ]
    return []


def own_words(text: str, *, keep_sign_off: bool = False) -> str:
    """Return what the sender wrote: before the quote header, without '>' lines and signature.

    With keep_sign_off, the lines after a closing like "Thanks,\nMaya" stay: an out-of-office
    message often names who covers the absence there."""
    words, signed = split_own_words(text)
    return signed if keep_sign_off else words


def split_own_words(text: str, *, limit: int | None = None) -> tuple[str, str]:
    """Return the sender's words without, and with, what follows their closing line.

    A postscript after the closing or below the signature is the sender's words again. Each
    line is looked at a bounded number of times; with a limit, lines past about that many
    characters of the sender's words are not looked at (the caller reads no further)."""
    lines = fold(text).split("\n")
    original = text.split("\n")
    end, boundary = _quote_start(lines, limit=limit)
    filled = [index for index in range(end) if original[index].strip()]
    kept: list[str] = []
    closing: int | None = None
    postscript: int | None = None
    for index in range(end):
        stripped = lines[index].strip()
        if stripped.startswith(">"):
            continue
        kept.append(original[index])
        if closing is None:
            if _VALEDICTION.match(stripped) and _closes(lines, original, filled, index):
                closing = len(kept)
        elif postscript is None and _POSTSCRIPT.match(stripped):
            postscript = len(kept) - 1
    below: list[str] = []
    if boundary == "signature":
        below = _postscript_below(lines, original, end + 1, limit)
    signed = "\n".join(kept + below).strip()
    if closing is None:
        words = signed
    else:
        after = kept[postscript:] if postscript is not None else []
        parts = ("\n".join(kept[:closing]), "\n".join(after + below))
        words = "\n\n".join(part.strip() for part in parts if part.strip())
    if signed or boundary != "quote":
        return words, signed
    inline = _inline_answers(lines, original, limit)
    return inline, inline


def _inline_answers(lines: list[str], original: list[str], limit: int | None) -> str:
    """Return unquoted lines below a quote header: the sender answered inline or at the end."""
    kept = []
    size = 0
    for index, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith(">") or _is_attribution(lines, index):
            continue
        if _SEPARATOR.match(stripped) or _is_outlook_header(lines, index):
            break
        if _SIGNATURE_DELIMITER.match(stripped) or _MOBILE_SIGNATURE.match(stripped):
            break
        kept.append(original[index])
        size += len(line) + 1
        if limit is not None and size > limit:
            break
    return "\n".join(kept).strip()
