"""The final email as it goes to any provider: the CAN-SPAM footer and RFC 8058 one-click headers.

`compose_email` is the only way messages should be built, so that every provider sends the
sender's postal address, a plain opt-out line and `List-Unsubscribe` / `List-Unsubscribe-Post`
headers, plus a unique `Message-ID` that replies are later matched against.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.utils import make_msgid
from urllib.parse import urlsplit

ONE_CLICK = "List-Unsubscribe=One-Click"
# Plain http is accepted only for unsubscribe endpoints on this machine (tests, demos).
_LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
# Longer header lines would be folded, and folding a URL garbles it for mail clients.
_MAX_HEADER_VALUE = 900
_UNSAFE_IN_URL = re.compile(r"[\s<>,\"]")


@dataclass(frozen=True)
class Sender:
    """Who sends: address, display name, postal address (CAN-SPAM) and an optional Reply-To."""

    email: str
    name: str
    postal_address: str
    reply_to: str | None = None


@dataclass(frozen=True)
class OutgoingEmail:
    """One composed email; `headers` has List-Unsubscribe(-Post) and Message-ID."""

    to: str
    sender: Sender
    subject: str
    text: str
    headers: dict[str, str]
    custom_args: dict[str, str]
    message_id_header: str


def compose_email(
    *,
    to: str,
    sender: Sender,
    subject: str,
    body: str,
    unsubscribe_url: str,
    unsubscribe_mailto: str | None,
    custom_args: dict[str, str],
    message_domain: str,
    in_reply_to: str | None = None,
    references: tuple[str, ...] = (),
    message_id_left: str | None = None,
) -> OutgoingEmail:
    """Return the email with its footer and headers; raise ValueError when it may not be sent.

    unsubscribe_mailto may be a bare address or a `mailto:` URI; message_domain is the right-hand
    side of the Message-ID (use the sending domain); message_id_left, when given, its left side
    (one per message, unguessable: every attempt at the message carries the same Message-ID,
    so a thread names the one that went out), else a random one. A follow-up names the message it
    continues (in_reply_to, a Message-ID) and the thread's earlier ones (references, oldest
    first), so mail clients show one conversation (RFC 5322 section 3.6.4).
    """
    postal_address = sender.postal_address.strip()
    if not postal_address:
        raise ValueError(
            "the sender's postal address is empty; CAN-SPAM requires one in every email"
        )
    for field, value in (("to", to), ("sender email", sender.email)):
        if "@" not in value or _has_line_break(value):
            raise ValueError(f"{field} is not an email address: {value!r}")
    if _has_line_break(subject):
        raise ValueError("the subject must be a single line")
    _check_unsubscribe_url(unsubscribe_url)
    if not message_domain or _UNSAFE_IN_URL.search(message_domain):
        raise ValueError(f"message_domain is not a domain name: {message_domain!r}")

    links = [f"<{unsubscribe_url}>"]
    if unsubscribe_mailto:
        mailto = unsubscribe_mailto.strip()
        mailto = mailto if mailto.lower().startswith("mailto:") else f"mailto:{mailto}"
        if _UNSAFE_IN_URL.search(mailto):
            raise ValueError(f"the unsubscribe mailto is not a valid URI: {unsubscribe_mailto!r}")
        links.append(f"<{mailto}>")
    list_unsubscribe = ", ".join(links)
    if len(list_unsubscribe) > _MAX_HEADER_VALUE:
        raise ValueError(f"the List-Unsubscribe value is over {_MAX_HEADER_VALUE} characters")

    thread = [i.strip() for i in (*references, in_reply_to or "") if i and i.strip()]
    for header_id in thread:
        if _has_line_break(header_id) or not _MESSAGE_ID.fullmatch(header_id):
            raise ValueError(f"not a Message-ID to thread on: {header_id!r}")
    left = message_id_left or ""
    message_id = (
        f"<{left}@{message_domain}>"
        if _ID_LEFT.fullmatch(left) and _MESSAGE_ID.fullmatch(f"<{left}@{message_domain}>")
        else make_msgid(domain=message_domain)
    )
    threading = {}
    if in_reply_to:
        threading["In-Reply-To"] = in_reply_to.strip()
        threading["References"] = " ".join(dict.fromkeys(thread))
    footer = f"{postal_address}\nNot interested? Unsubscribe here: {unsubscribe_url}"
    return OutgoingEmail(
        to=to.strip(),
        sender=sender,
        subject=subject,
        text=f"{body.rstrip()}\n\n{footer}\n",
        headers={
            "List-Unsubscribe": list_unsubscribe,
            "List-Unsubscribe-Post": ONE_CLICK,
            "Message-ID": message_id,
            **threading,
        },
        custom_args=dict(custom_args),
        message_id_header=message_id,
    )


def _check_unsubscribe_url(url: str) -> None:
    parts = urlsplit(url)
    local_http = parts.scheme == "http" and parts.hostname in _LOCAL_HOSTS
    if parts.scheme != "https" and not local_http:
        raise ValueError(f"the unsubscribe URL must use https (RFC 8058): {url!r}")
    if not parts.hostname or _UNSAFE_IN_URL.search(url):
        raise ValueError(f"the unsubscribe URL is not a valid absolute URL: {url!r}")


_MESSAGE_ID = re.compile(r"<[^<>\s]{1,250}@[^<>\s]{1,250}>")
_ID_LEFT = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{7,127}")
"""A Message-ID's left side we accept (RFC 5322 dot-atom text)."""


def _has_line_break(value: str) -> bool:
    return "\n" in value or "\r" in value
