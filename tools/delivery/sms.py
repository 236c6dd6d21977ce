"""Text messages, provider-neutral: what an SMS provider offers, composing one, and a dry run.

`compose_sms` turns a lead's number and a written body into the `OutgoingSms` a provider sends:
the number in E.164 form, the opt-out line on the first message of a conversation, and a
status callback that names our message. Providers fail with the same two errors as email
(tools/delivery/providers.py): `DeliveryRejected` (permanent) or `DeliveryUnavailable` (retry
later); `SmsRejected` also says when the recipient's number itself should be suppressed.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Protocol
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import gsm0338  # noqa: F401  (registers the "gsm03.38" codec that segment_count uses)
import phonenumbers

from tools.delivery.dry_run_outbox import DryRunOutbox
from tools.delivery.providers import DeliveryRejected, SentRecord

OPT_OUT_LINES = {
    "en": "Reply STOP to opt out.",
    "es": "Para darse de baja, STOP.",
    "fr": "Répondez STOP pour vous désinscrire.",
    "de": "Abmelden mit STOP.",
}
"""The line a thread's first text ends with, in the text's language (the carrier's STOP
keyword is the same in each). Each is in the GSM-7 alphabet, so adding it never halves a
text's room, and none addresses the reader as tú or du."""
OPT_OUT_LINE = OPT_OUT_LINES["en"]


def opt_out_line(language: str | None) -> str:
    """The opt-out line for a text written in language (English for any other)."""
    return OPT_OUT_LINES.get(language or "en", OPT_OUT_LINE)


MENTIONS_STOP = re.compile(r"\bSTOP\b")
"""An opt-out instruction is written in capitals ("Reply STOP"); "stop by" is not one."""
MAX_BODY_CHARS = 1600
"""Twilio's limit for one message's body (it is sent as up to ten concatenated segments)."""
MESSAGE_ID_ARG = "outreach_message_id"
"""The custom arg naming our message; the status callback URL carries it too."""
NO_SMS_TYPES = {
    phonenumbers.PhoneNumberType.FIXED_LINE: "a landline",
    phonenumbers.PhoneNumberType.PREMIUM_RATE: "a premium-rate number",
    phonenumbers.PhoneNumberType.SHARED_COST: "a shared-cost number",
    phonenumbers.PhoneNumberType.VOICEMAIL: "a voicemail access number",
}
"""Numbers that are valid but do not take text messages (or cost the sender to reach)."""
SuppressAs = Literal["unsubscribed", "bounced"]


class SmsRejected(DeliveryRejected):
    """A permanent refusal; `suppress_as` says when it is about the number itself.

    "unsubscribed": the recipient opted out with the provider (Twilio 21610), "bounced": the
    number cannot take texts (invalid, not a mobile). The sender should suppress the number so
    that no later step of the sequence tries it again.
    """

    def __init__(
        self,
        provider: str,
        detail: str,
        *,
        status: int | None = None,
        code: int | None = None,
        suppress_as: SuppressAs | None = None,
    ) -> None:
        super().__init__(provider, detail, status=status)
        self.code = code
        self.suppress_as = suppress_as


@dataclass(frozen=True)
class OutgoingSms:
    """One text message, ready for a provider."""

    to: str
    """The recipient in E.164 form (+14155550100)."""
    body: str
    """The whole text, opt-out line included."""
    sender_name: str
    """Who it is from, for the record (an SMS carries no sender name of its own)."""
    status_callback: str | None = None
    """Where the provider posts delivery updates."""
    custom_args: dict[str, str] = field(default_factory=dict)
    """Our ids for it: outreach_message_id, idempotency_key, tone."""

    @property
    def segments(self) -> int:
        """How many SMS segments the body takes (what a carrier bills)."""
        return segment_count(self.body)[0]


class SmsProvider(Protocol):
    """Something that sends an `OutgoingSms` and returns the provider's id for it."""

    name: str

    async def send(self, sms: OutgoingSms) -> str:
        """Send the text; raise DeliveryRejected or DeliveryUnavailable when it is not taken."""
        ...

    async def aclose(self) -> None:
        """Release connections (the provider may send again afterwards)."""
        ...


def segment_count(text: str) -> tuple[int, str]:
    """Return the segments a text takes and its encoding: GSM-7 (160 per segment alone, 153
    when concatenated) or, with any character outside it, UCS-2 (70, 67)."""
    try:
        septets = len(text.encode("gsm03.38"))
    except UnicodeEncodeError:
        units = len(text.encode("utf-16-le")) // 2
        return (1 if units <= 70 else math.ceil(units / 67)), "UCS-2"
    return (1 if septets <= 160 else math.ceil(septets / 153)), "GSM-7"


def e164(number: str, default_region: str = "US") -> str:
    """Return a phone number in E.164 form; raise ValueError saying why it cannot take a text.

    A number without a country code is read as one of `default_region` (ISO 3166 code).
    """
    shown = repr(number[:40])
    try:
        parsed = phonenumbers.parse(number, default_region)
    except phonenumbers.NumberParseException as exc:
        why = re.sub(r"^\(\d+\)\s*", "", str(exc)).rstrip(".")
        raise ValueError(f"the phone number {shown} cannot be read: {why}") from None
    if not phonenumbers.is_valid_number(parsed):
        raise ValueError(
            f"the phone number {shown} is not a valid number "
            f"(read as {phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)}"
            f", with {default_region} as the country when none is given)"
        )
    kind = NO_SMS_TYPES.get(phonenumbers.number_type(parsed))
    if kind is not None:
        raise ValueError(f"the phone number {shown} is {kind}: it cannot take text messages")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def _callback_naming(url: str, custom_args: dict[str, str]) -> str:
    """Return the status callback URL, with our message id in its query when there is one.

    Twilio may post the first status update before the sender has stored the message's SID;
    the id in the (signed) URL still finds the message then.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"the status callback {url[:200]!r} is not an http(s) URL")
    message_id = custom_args.get(MESSAGE_ID_ARG)
    if not message_id:
        return url
    query = parse_qsl(parts.query, keep_blank_values=True)
    query = [(k, v) for k, v in query if k != MESSAGE_ID_ARG] + [(MESSAGE_ID_ARG, message_id)]
    return urlunsplit(parts._replace(query=urlencode(query)))


def compose_sms(
    to: str,
    body: str,
    sender_name: str,
    *,
    first_message: bool,
    status_callback: str | None = None,
    custom_args: dict[str, str] | None = None,
    default_region: str = "US",
    language: str | None = None,
) -> OutgoingSms:
    """Build the text a provider sends; raise ValueError naming what is wrong with it.

    The number is normalised to E.164 (`default_region` for numbers without a country code).
    The first message of a conversation ends with the opt-out line in the text's language
    ("Reply STOP to opt out.", "Para darse de baja, STOP.") unless it already says STOP.
    A status callback URL gets our message id (custom arg `outreach_message_id`) in its query
    too.
    """
    args = {key: str(value) for key, value in (custom_args or {}).items()}
    text = body.strip()
    if not text:
        raise ValueError("the text message is empty")
    if first_message and not MENTIONS_STOP.search(text):
        text = f"{text}\n{opt_out_line(language)}"
    if len(text) > MAX_BODY_CHARS:
        raise ValueError(
            f"the text message is {len(text)} characters long; the limit is {MAX_BODY_CHARS}"
        )
    callback = _callback_naming(status_callback, args) if status_callback else None
    return OutgoingSms(
        to=e164(to, default_region),
        body=text,
        sender_name=sender_name,
        status_callback=callback,
        custom_args=args,
    )


class DryRunSms:
    """An SmsProvider that writes each text as one JSON line of an outbox file; nothing is sent.

    A text whose idempotency key (custom arg `idempotency_key`) was written before is not
    written again, and gets the same id back.
    """

    name = "dry-run"

    def __init__(self, path: Path) -> None:
        self.path = path
        self._outbox = DryRunOutbox(path)

    can_look_up = True
    """The outbox file is its own log of what was written."""

    async def find_sent(self, key: str, *, to: str, body: str, since: dt.datetime) -> SentRecord:
        """Look the text's key up in the outbox file."""
        return await self._outbox.find_sent(key, to=to, body=body, since=since)

    async def send(self, sms: OutgoingSms) -> str:
        """Write the text; return its dry-run id."""
        key = sms.custom_args.get("idempotency_key") or f"sms-{uuid.uuid4().hex}"
        segments, encoding = segment_count(sms.body)
        delivery = await self._outbox.deliver(
            idempotency_key=key,
            recipient=sms.to,
            channel="sms",
            tone=sms.custom_args.get("tone", ""),
            subject=None,
            body=sms.body,
            metadata={
                "sender_name": sms.sender_name,
                "status_callback": sms.status_callback,
                "segments": segments,
                "encoding": encoding,
                **sms.custom_args,
            },
        )
        return delivery.message_id

    async def aclose(self) -> None:
        """Nothing to release: each text is written and the file closed."""
