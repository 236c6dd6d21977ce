"""Recognise delivery status notifications (bounces), RFC 3464 and what servers write instead.

A bounce comes from MAILER-DAEMON or postmaster, as `multipart/report;
report-type=delivery-status`, with a status code of RFC 3463: 5.x.x is permanent, 4.x.x
transient. Many servers send a plain notice instead, so a notice is also known by its shape:
a mailer's sender or a subject that starts as a notice's does ("Undeliverable: …"), with a
notice's lines at the top. Those lines alone are not enough: a person writes "your last email
bounced, mailbox unavailable" or pastes an error into a reply, and that reply is theirs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from tools.replies.phrase_search import fold, rx

OPENING_CHARS = 3_000
"""A notice says what failed near the top; the returned message follows."""
HEADER_CHARS = 1_000
"""Header values and subjects are read this far (the part that says what the mail is)."""

_REPORT_TYPE = re.compile(
    r"\s*(?:multipart/report\s*;[\s\S]{0,300}?\breport-type\s*=\s*\"?delivery-status"
    r"|message/delivery-status)",
    re.I,
)
"""Matched at the start of Content-Type only (a bounded scan, whatever the header's size)."""
_SUBJECT_TAGS = re.compile(r"(?:\s*\[[^\]\n]{1,40}\])*\s*")
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
    r"nao e possivel entregar",
)
"""Subjects of notices, at the start of the subject ("Re: Undeliverable" is a person's)."""
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
    r"(?:wasn't|was not|were not|weren't) (?:able|unable) to deliver",
    r"message to \S{1,100} (?:couldn't|could not|can't|cannot|wasn't|was not) be delivered",
    r"(?:wasn't|was not) found at",
    r"(?:i'm|i am) afraid i (?:wasn't|was not) able to deliver",
    r"delivery to the following recipients? (?:failed|has been delayed|was delayed)",
    r"(?:message|e-?mail) (?:not|wasn't|was not) delivered",
    r"falha na entrega",
    r"la remise a echoue",
    r"ubermittlung an folgende empfanger",
)
"""Lines a notice opens with; they count only in mail whose sender or subject is a notice's."""
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


def _daemon_sender(headers: Mapping[str, str]) -> str | None:
    for name in ("from", "return-path", "sender"):
        value = headers.get(name, "")[:HEADER_CHARS]
        if value and _DAEMON.search(value.lower()):
            return f"{name.title()}: {value.strip()}"
    return None


def _notice_subject(subject: str) -> str | None:
    shown = subject[:HEADER_CHARS].strip()
    folded = fold(shown)
    tags = _SUBJECT_TAGS.match(folded)
    if _DSN_SUBJECT.match(folded, tags.end() if tags else 0) is None:
        return None
    return f"Subject: {shown}"


def find_bounce(headers: Mapping[str, str], subject: str, opening: str) -> Bounce | None:
    """Return the bounce a reply is, from headers keyed lower-case, subject and opening text.

    A bounce is a delivery report (`multipart/report; report-type=delivery-status`), or a
    mailer's notice: a MAILER-DAEMON/postmaster sender or a notice's subject, and a notice's
    lines or status code at the top. Only then are status codes read."""
    opening = opening[:OPENING_CHARS]
    content_type = headers.get("content-type", "")[:HEADER_CHARS]
    if _REPORT_TYPE.match(content_type):
        status = _status(opening)
        return Bounce(_describe(f"Content-Type: {content_type.strip()}", status), status)
    sender, notice = _daemon_sender(headers), _notice_subject(subject)
    if sender is None and notice is None:
        return None
    status = _status(opening)
    one_sign = sender is None or notice is None  # then the notice's lines must show as well
    if one_sign and status is None and _DSN_TEXT.search(fold(opening)) is None:
        return None
    return Bounce(_describe(sender or str(notice), status), status)
