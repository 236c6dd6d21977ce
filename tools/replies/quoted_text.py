"""Keep only the sender's own words: drop the quoted earlier message and the signature.

Our own message is in the quote, with its "book a call" line and its unsubscribe footer, so
a reply must be read without it. Mail clients in English, Spanish, French, German and
Portuguese introduce quotes differently (Gmail's "On … wrote:", Outlook's "From:/Sent:"
block, "-----Original Message-----"); all of them are recognised here.
"""

from __future__ import annotations

import re

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
        if any(c.isdigit() or c == "@" for c in joined) and _ATTRIBUTION.match(joined):
            return True
    return False


def _quote_start(lines: list[str]) -> tuple[int, bool]:
    """Return where the quoted message or the signature starts, and whether it is a quote."""
    for index, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith(">"):
            continue
        if _SEPARATOR.match(stripped) or _is_attribution(lines, index):
            return index, True
        if _is_outlook_header(lines, index):
            return index, True
        if _SIGNATURE_DELIMITER.match(stripped) or _MOBILE_SIGNATURE.match(stripped):
            return index, False
    return len(lines), False


def _ends_with_signature(original: list[str], index: int, end: int) -> bool:
    """Return whether a closing line is followed only by a short signature block."""
    rest = [line.strip() for line in original[index + 1 : end] if line.strip()]
    if not rest:
        return True
    first = rest[0]
    return (
        len(rest) <= SIGNATURE_LINES and first[:1].isupper() and _NAME_LINE.match(first) is not None
    )


def own_words(text: str, *, keep_sign_off: bool = False) -> str:
    """Return what the sender wrote: before the quote header, without '>' lines and signature.

    With keep_sign_off, the lines after a closing like "Thanks,\nMaya" stay: an out-of-office
    message often names who covers the absence there."""
    words, signed = split_own_words(text)
    return signed if keep_sign_off else words


def split_own_words(text: str) -> tuple[str, str]:
    """Return the sender's words without, and with, what follows their closing line."""
    lines = fold(text).split("\n")
    original = text.split("\n")
    end, is_quote = _quote_start(lines)
    kept: list[str] = []
    closing: int | None = None
    for index in range(end):
        stripped = lines[index].strip()
        if stripped.startswith(">"):
            continue
        kept.append(original[index])
        if (
            closing is None
            and _VALEDICTION.match(stripped)
            and _ends_with_signature(original, index, end)
        ):
            closing = len(kept)
    signed = "\n".join(kept).strip()
    words = "\n".join(kept[:closing]).strip() if closing is not None else signed
    if signed or not is_quote:
        return words, signed
    inline = _inline_answers(lines, original)
    return inline, inline


def _inline_answers(lines: list[str], original: list[str]) -> str:
    """Return unquoted lines below a quote header: the sender answered inline or at the end."""
    kept = []
    for index, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith(">") or _is_attribution(lines, index):
            continue
        if _SEPARATOR.match(stripped) or _is_outlook_header(lines, index):
            break
        if _SIGNATURE_DELIMITER.match(stripped) or _MOBILE_SIGNATURE.match(stripped):
            break
        kept.append(original[index])
    return "\n".join(kept).strip()
