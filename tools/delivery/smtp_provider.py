"""Send through any SMTP server with `aiosmtplib`, mapping SMTP replies to delivery errors.

A 5xx reply is permanent (DeliveryRejected); a 4xx reply, a refused or dropped connection and a
timeout are transient (DeliveryUnavailable). Custom args travel as `X-Outreach-<Key>` headers.
"""

from __future__ import annotations

import re
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate

import aiosmtplib

from tools.delivery.email_message import OutgoingEmail
from tools.delivery.providers import (
    DeliveryRejected,
    DeliveryUnavailable,
    refuse_without_https_unsubscribe,
)

# Headers are written with lines of up to 998 characters (SMTP's limit): at the usual 78 the
# email package RFC 2047-encodes an unbreakable token such as a long List-Unsubscribe URL, and
# mail clients no longer recognise the header. aiosmtplib re-flattens EmailMessage objects with
# policy.SMTP (78), so the provider hands it bytes.
WIRE_POLICY = policy.SMTP.clone(max_line_length=998)
_ARG_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def custom_arg_header(key: str) -> str:
    """Return the header carrying a custom arg: message_id -> X-Outreach-Message-Id."""
    if not _ARG_KEY.match(key):
        raise ValueError(f"custom arg key {key!r} cannot be a header name (use letters, digits, _)")
    return "X-Outreach-" + "-".join(part.capitalize() for part in re.split(r"[_-]+", key) if part)


def build_message(email: OutgoingEmail) -> EmailMessage:
    """Return the MIME message for the email, with its headers and custom-arg headers."""
    message = EmailMessage(policy=policy.SMTP)
    sender_name, sender_email = email.sender.name, email.sender.email
    user, _, domain = sender_email.rpartition("@")
    message["From"] = Address(display_name=sender_name, username=user, domain=domain)
    message["To"] = email.to
    message["Subject"] = email.subject
    message["Date"] = formatdate(localtime=False)
    if email.sender.reply_to:
        message["Reply-To"] = email.sender.reply_to
    for key, value in email.headers.items():
        message[key] = value
    for key, value in email.custom_args.items():
        message[custom_arg_header(key)] = str(value)
    # Quoted-printable for non-ASCII text, so no server needs 8BITMIME.
    message.set_content(email.text, cte=None if email.text.isascii() else "quoted-printable")
    return message


class SmtpProvider:
    """An EmailProvider for an SMTP relay (starttls upgrades a plain connection, use_tls is TLS)."""

    name = "smtp"

    def __init__(
        self,
        host: str,
        port: int,
        *,
        username: str | None = None,
        password: str | None = None,
        starttls: bool = False,
        use_tls: bool = False,
        timeout_s: float = 10.0,
    ) -> None:
        if starttls and use_tls:
            raise ValueError("choose starttls (upgrade) or use_tls (TLS from the start), not both")
        self.host, self.port = host, port
        self._username, self._password = username, password
        self._starttls, self._use_tls, self._timeout_s = starttls, use_tls, timeout_s
        self._label = f"SMTP server {host}:{port}"

    async def send(self, email: OutgoingEmail) -> str:
        """Send the email; return its Message-ID (SMTP servers give no id of their own)."""
        refuse_without_https_unsubscribe(email, self._label)
        data = build_message(email).as_bytes(policy=WIRE_POLICY)
        client = aiosmtplib.SMTP(
            hostname=self.host,
            port=self.port,
            username=self._username,
            password=self._password,
            start_tls=self._starttls,
            use_tls=self._use_tls,
            timeout=self._timeout_s,
        )
        # Until the message data is on its way nothing can have been delivered: a timeout or a
        # dropped connection then is worth another try. Once DATA is under way, the relay may
        # have taken the message without its reply reaching us: a retry could send it twice.
        sending_data = False
        try:
            async with client:
                await client.mail(email.sender.email)
                await client.rcpt(email.to)
                sending_data = True
                await client.data(data)
        except aiosmtplib.SMTPRecipientRefused as error:
            raise self._reply_error(error.code, f"{error.recipient}: {error.message}") from error
        except aiosmtplib.SMTPResponseException as error:
            raise self._reply_error(error.code, error.message) from error
        except (
            aiosmtplib.SMTPTimeoutError,
            TimeoutError,
            aiosmtplib.SMTPServerDisconnected,
            aiosmtplib.SMTPConnectError,
            OSError,
        ) as error:
            detail = f"{'no answer to the message data' if sending_data else 'connection failed'}"
            raise DeliveryUnavailable(
                self._label, f"{detail}: {error}", unanswered=sending_data
            ) from error
        except aiosmtplib.SMTPException as error:  # e.g. STARTTLS or AUTH not supported
            raise DeliveryRejected(self._label, str(error)) from error
        return email.message_id_header

    def _reply_error(self, code: int, text: str) -> DeliveryRejected | DeliveryUnavailable:
        if 500 <= code < 600:
            return DeliveryRejected(self._label, text, status=code)
        return DeliveryUnavailable(self._label, text, status=code)
