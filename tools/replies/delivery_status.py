"""Recognise delivery status notifications (bounces), RFC 3464 and what servers write instead.

A bounce comes from MAILER-DAEMON or postmaster, as `multipart/report;
report-type=delivery-status`, with a status code of RFC 3463: 5.x.x is permanent, 4.x.x
transient. Many servers send a plain notice instead, so subjects and opening lines count too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from tools.replies.phrase_search import fold, rx, sentence_at

OPENING_CHARS = 3_000
"""A notice says what failed near the top; the returned message follows."""

_REPORT_TYPE = re.compile(r"multipart/report.*delivery-status|message/delivery-status", re.I)
_DAEMON = re.compile(
    r"(?:^|[<\s\"])(?:mailer-daemon|postmaster)@|mail delivery (?:subsystem|system)"
)
_DSN_SUBJECT = rx(
    r"delivery status notification",
    r"undeliverable",
    r"undelivered mail",
    r"mail delivery (?:failed|failure|subsystem|system)",
    r"returned mail",
    r"failure notice",
    r"delivery (?:failure|has failed|failed)",
    r"message not delivered",
    r"unzustellbar",
    r"nicht zustellbar",
    r"non remis",
    r"non distribuable",
    r"echec de (?:la )?(?:remise|distribution)",
    r"no se puede entregar",
    r"no entregado",
    r"entrega fallida",
    r"error de entrega",
    r"nao entregue",
    r"falha na entrega",
    r"nao foi possivel entregar",
)
_DSN_TEXT = rx(
    r"status: ?[45]\.\d{1,3}\.\d{1,3}",
    r"diagnostic-code:",
    r"[45]\d\d[ -]#?[45]\.\d{1,3}\.\d{1,3}",
    r"address not found",
    r"user unknown",
    r"unknown user",
    r"no such user",
    r"mailbox (?:unavailable|not found|does not exist|full)",
    r"recipient address rejected",
    r"the email account that you tried to reach does not exist",
    r"(?:your )?message (?:could ?not|couldn't|wasn't|was not|cannot) be delivered",
    r"delivery (?:has failed|to the following recipients? failed)",
    r"couldn't be delivered to",
    r"konnte nicht (?:zugestellt|ubermittelt) werden",
    r"n'a pas pu etre (?:remis|distribue)",
    r"no se (?:ha )?pudo entregar",
    r"nao pode ser entregue",
)
"""Lines a bounce notice opens with; a person's reply does not say these."""
_STATUS = re.compile(r"(?<![\d.])([245])\.(\d{1,3})\.(\d{1,3})(?![\d.])")


@dataclass(frozen=True)
class Bounce:
    """A delivery status notification: what showed it, and its status code if given."""

    evidence: str
    status: str | None

    @property
    def permanent(self) -> bool:
        """Whether the failure is permanent (5.x.x, or no code given)."""
        return self.status is None or self.status.startswith("5")


def _status(opening: str) -> str | None:
    for match in _STATUS.finditer(opening):
        if match.group(1) in "45":
            return match.group()
    return None


def _describe(found: str, status: str | None) -> str:
    if status is None:
        return found
    kind = "permanent" if status.startswith("5") else "transient"
    return f"{found} (status {status}, {kind})"


def find_bounce(headers: Mapping[str, str], subject: str, opening: str) -> Bounce | None:
    """Return the bounce a reply is, from headers keyed lower-case, subject and opening text."""
    opening = opening[:OPENING_CHARS]
    status = _status(opening)
    content_type = headers.get("content-type", "")
    if _REPORT_TYPE.search(content_type):
        return Bounce(_describe(f"Content-Type: {content_type.strip()}", status), status)
    for name in ("from", "return-path", "sender"):
        value = headers.get(name, "")
        if value and _DAEMON.search(value.lower()):
            return Bounce(_describe(f"{name.title()}: {value.strip()}", status), status)
    folded_subject = fold(subject)
    if _DSN_SUBJECT.search(folded_subject):
        return Bounce(_describe(f"Subject: {subject.strip()}", status), status)
    folded = fold(opening)
    match = _DSN_TEXT.search(folded)
    if match is not None:
        line = sentence_at(opening, match.start(), match.end())
        return Bounce(_describe(line, status), status)
    return None
