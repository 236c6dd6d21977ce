"""Email delivery: composing the final email, SendGrid over real HTTP, SMTP over a real socket,
and Event Webhook signatures. Every provider runs against a loopback fake; nothing is mocked."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator

import pytest

from tests.fakes.sendgrid_fake import SendGridFake, WebhookSigner
from tests.fakes.smtp_sink import SmtpSink
from tools.delivery.email_message import OutgoingEmail, Sender, compose_email
from tools.delivery.providers import DeliveryRejected, DeliveryUnavailable, EmailProvider
from tools.delivery.sendgrid_provider import SendGridProvider
from tools.delivery.sendgrid_signature import verify_sendgrid_signature
from tools.delivery.smtp_provider import SmtpProvider, custom_arg_header

KEY = "SG.test-key-0123456789"
SENDER = Sender(
    email="jordan@acme-outreach.example",
    name="Jordan Lee",
    postal_address="Acme Outreach Inc., 500 Market St, San Francisco, CA 94105",
    reply_to="jordan+r42@replies.acme-outreach.example",
)
# Long enough that a header folded at 78 characters would have to break (or encode) it.
UNSUBSCRIBE = "https://acme-outreach.example/u/" + "tok3n" * 20
MAILTO = "unsubscribe@acme-outreach.example"


def make_email(**overrides: object) -> OutgoingEmail:
    options: dict[str, object] = {
        "to": "maya.okafor@northwind-robotics.example",
        "sender": SENDER,
        "subject": "Robot fleet uptime at Northwind",
        "body": "Hi Maya,\n\nSaw the Series B news. Worth a chat about fleet uptime?\n\nJordan",
        "unsubscribe_url": UNSUBSCRIBE,
        "unsubscribe_mailto": MAILTO,
        "custom_args": {"message_id": "42"},
        "message_domain": "acme-outreach.example",
    }
    return compose_email(**{**options, **overrides})  # type: ignore[arg-type]


def closed_port() -> int:
    """Return a loopback port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def silent_port() -> Iterator[int]:
    """Yield a loopback port that takes connections (into the backlog) and never answers."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield int(listener.getsockname()[1])


# --- compose_email -------------------------------------------------------------------------------


def test_compose_appends_footer_and_rfc8058_headers() -> None:
    email = make_email()
    body, footer = email.text.rsplit("\n\n", 1)
    assert body.endswith("Jordan")
    assert footer.splitlines() == [
        SENDER.postal_address,
        f"Not interested? Unsubscribe here: {UNSUBSCRIBE}",
    ]
    assert email.headers == {
        "List-Unsubscribe": f"<{UNSUBSCRIBE}>, <mailto:{MAILTO}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Message-ID": email.message_id_header,
    }
    assert email.message_id_header.startswith("<")
    assert email.message_id_header.endswith("@acme-outreach.example>")
    assert make_email().message_id_header != email.message_id_header
    assert email.custom_args == {"message_id": "42"}


def test_compose_without_mailto_has_only_the_https_link() -> None:
    email = make_email(unsubscribe_mailto=None)
    assert email.headers["List-Unsubscribe"] == f"<{UNSUBSCRIBE}>"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"sender": Sender("j@acme.example", "J", postal_address="  ")}, "postal address"),
        ({"unsubscribe_url": "http://acme-outreach.example/u/1"}, "https"),
        ({"unsubscribe_url": "ftp://acme-outreach.example/u/1"}, "https"),
        ({"unsubscribe_url": "https:///u/1"}, "not a valid"),
        ({"subject": "Hi\nBcc: everyone@example.com"}, "single line"),
    ],
)
def test_compose_refuses_what_may_not_be_sent(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make_email(**overrides)


def test_compose_allows_plain_http_on_loopback_only() -> None:
    email = make_email(unsubscribe_url="http://127.0.0.1:8000/u/abc")
    assert email.headers["List-Unsubscribe"].startswith("<http://127.0.0.1:8000/u/abc>")


# --- SendGrid ------------------------------------------------------------------------------------


@pytest.fixture
def sendgrid() -> Iterator[SendGridFake]:
    with SendGridFake(api_key=KEY) as fake:
        yield fake


def sendgrid_provider(fake: SendGridFake, key: str = KEY) -> SendGridProvider:
    return SendGridProvider(key, host=fake.base_url, timeout_s=2.0)


async def test_sendgrid_sends_everything_the_email_carries(sendgrid: SendGridFake) -> None:
    email = make_email()
    provider: EmailProvider = sendgrid_provider(sendgrid)
    message_id = await provider.send(email)

    [body] = sendgrid.sent
    assert message_id == sendgrid.message_ids[0]
    assert body["personalizations"] == [{"to": [{"email": email.to}]}]
    assert body["from"] == {"email": SENDER.email, "name": SENDER.name}
    assert body["reply_to"] == {"email": SENDER.reply_to}
    assert body["subject"] == email.subject
    assert body["content"] == [{"type": "text/plain", "value": email.text}]
    assert SENDER.postal_address in body["content"][0]["value"]
    assert body["headers"] == {
        "List-Unsubscribe": f"<{UNSUBSCRIBE}>, <mailto:{MAILTO}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Message-ID": email.message_id_header,
    }
    assert body["custom_args"] == {"message_id": "42"}


async def test_sendgrid_wrong_key_is_rejected(sendgrid: SendGridFake) -> None:
    with pytest.raises(DeliveryRejected, match=r"SendGrid rejected .*\(401\).*authorization"):
        await sendgrid_provider(sendgrid, key="SG.wrong").send(make_email())
    assert sendgrid.sent == []


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (429, DeliveryUnavailable),
        (500, DeliveryUnavailable),
        (503, DeliveryUnavailable),
        (400, DeliveryRejected),
        (403, DeliveryRejected),
        (413, DeliveryRejected),
    ],
)
async def test_sendgrid_statuses_map_to_retry_or_not(
    sendgrid: SendGridFake, status: int, error: type[Exception]
) -> None:
    sendgrid.fail_next(status)
    provider = sendgrid_provider(sendgrid)
    with pytest.raises(error, match=rf"SendGrid .*\({status}\)") as raised:
        await provider.send(make_email())
    assert raised.value.status == status  # type: ignore[attr-defined]
    assert await provider.send(make_email())  # the fault was one-off
    assert len(sendgrid.sent) == 1


async def test_sendgrid_invalid_body_reports_the_fields(sendgrid: SendGridFake) -> None:
    provider = sendgrid_provider(sendgrid)
    email = make_email()
    # An empty body passes compose_email (which has no opinion on it) but not SendGrid.
    invalid = OutgoingEmail(**{**email.__dict__, "text": ""})
    with pytest.raises(DeliveryRejected, match="content parameter is required") as raised:
        await provider.send(invalid)
    assert raised.value.status == 400


async def test_sendgrid_unreachable_is_unavailable() -> None:
    provider = SendGridProvider(KEY, host=f"http://127.0.0.1:{closed_port()}", timeout_s=2.0)
    with pytest.raises(DeliveryUnavailable, match=r"SendGrid could not take .*cannot reach"):
        await provider.send(make_email())


async def test_sendgrid_silence_times_out_as_unavailable(silent_port: int) -> None:
    provider = SendGridProvider(KEY, host=f"http://127.0.0.1:{silent_port}", timeout_s=0.2)
    with pytest.raises(DeliveryUnavailable, match=r"SendGrid could not take .*timed out"):
        await provider.send(make_email())


def test_sendgrid_needs_a_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SENDGRID_API_KEY", "SG.from-the-environment")
    with pytest.raises(ValueError, match="API key"):
        SendGridProvider("")


# --- SMTP ----------------------------------------------------------------------------------------


@pytest.fixture
def sink() -> Iterator[SmtpSink]:
    with SmtpSink() as server:
        yield server


def smtp_provider(sink: SmtpSink) -> SmtpProvider:
    return SmtpProvider(sink.host, sink.port, timeout_s=2.0)


async def test_smtp_sends_headers_footer_and_custom_args(sink: SmtpSink) -> None:
    email = make_email(custom_args={"message_id": "42", "campaign": "q4-robotics"})
    message_id = await smtp_provider(sink).send(email)

    [mail] = sink.messages
    assert message_id == email.message_id_header
    assert mail.mail_from == SENDER.email
    assert mail.rcpt_tos == [email.to]
    message = mail.message
    assert message["Message-ID"] == email.message_id_header
    assert message["From"].addresses[0].display_name == "Jordan Lee"
    assert message["From"].addresses[0].addr_spec == SENDER.email
    assert message["To"] == email.to
    assert message["Reply-To"] == SENDER.reply_to
    assert message["Subject"] == email.subject
    assert message["X-Outreach-Message-Id"] == "42"
    assert message["X-Outreach-Campaign"] == "q4-robotics"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # On the wire, unfolded and unencoded, or mail clients would not offer one-click unsubscribe.
    assert f"\r\nList-Unsubscribe: <{UNSUBSCRIBE}>, <mailto:{MAILTO}>\r\n".encode() in mail.data
    text = message.get_content()
    assert SENDER.postal_address in text
    assert f"Unsubscribe here: {UNSUBSCRIBE}" in text


async def test_smtp_keeps_non_ascii_text_intact(sink: SmtpSink) -> None:
    email = make_email(subject="Grüße aus München", body="Hallo Jörg, kurze Frage zu Ihrer Flotte.")
    await smtp_provider(sink).send(email)
    [mail] = sink.messages
    assert mail.data.isascii()
    assert mail.message["Subject"] == "Grüße aus München"
    assert "Hallo Jörg" in mail.message.get_content()


async def test_smtp_unknown_recipient_is_rejected(sink: SmtpSink) -> None:
    sink.refuse("maya.okafor@northwind-robotics.example", "550 5.1.1 No such user")
    with pytest.raises(
        DeliveryRejected, match=r"SMTP server 127\.0\.0\.1:\d+ rejected .*\(550\).*No such user"
    ):
        await smtp_provider(sink).send(make_email())
    assert sink.messages == []


async def test_smtp_try_later_is_unavailable(sink: SmtpSink) -> None:
    sink.refuse("maya.okafor@northwind-robotics.example", "421 4.3.2 Try again later")
    with pytest.raises(DeliveryUnavailable, match=r"\(421\).*Try again later"):
        await smtp_provider(sink).send(make_email())


async def test_smtp_refused_connection_is_unavailable() -> None:
    provider = SmtpProvider("127.0.0.1", closed_port(), timeout_s=2.0)
    with pytest.raises(DeliveryUnavailable, match="connection failed"):
        await provider.send(make_email())


async def test_smtp_silence_times_out_as_unavailable(silent_port: int) -> None:
    provider = SmtpProvider("127.0.0.1", silent_port, timeout_s=0.2)
    with pytest.raises(DeliveryUnavailable, match=r"(?i)timed out") as raised:
        await provider.send(make_email())
    assert not raised.value.unanswered  # nothing was sent: another try is safe


async def test_smtp_without_an_answer_to_the_data_may_have_delivered(sink: SmtpSink) -> None:
    sink.stall_after_data = True
    provider = SmtpProvider(sink.host, sink.port, timeout_s=0.3)
    with pytest.raises(DeliveryUnavailable, match="no answer to the message data") as raised:
        await provider.send(make_email())
    assert raised.value.unanswered  # the relay has it: a blind retry would send it twice
    assert len(sink.messages) == 1


def test_custom_arg_header_names() -> None:
    assert custom_arg_header("message_id") == "X-Outreach-Message-Id"
    with pytest.raises(ValueError, match="header name"):
        custom_arg_header("bad key:")


# --- Event Webhook signatures --------------------------------------------------------------------

EVENTS = json.dumps(
    [
        {
            "email": "maya@northwind.example",
            "event": "delivered",
            "sg_event_id": "e1",
            "message_id": "42",
        }
    ]
).encode()


def test_signed_payload_verifies() -> None:
    signer = WebhookSigner()
    headers = signer.headers(EVENTS)
    signature = headers["X-Twilio-Email-Event-Webhook-Signature"]
    timestamp = headers["X-Twilio-Email-Event-Webhook-Timestamp"]
    assert verify_sendgrid_signature(signer.public_key, EVENTS, signature, timestamp)


@pytest.mark.parametrize(
    "case",
    [
        "tampered",
        "wrong key",
        "garbage signature",
        "garbage key",
        "stale",
        "future",
        "bad timestamp",
        "not utf-8",
    ],
)
def test_bad_signatures_are_refused(case: str) -> None:
    signer = WebhookSigner()
    now = time.time()
    timestamp = str(int(now))
    payload, key = EVENTS, signer.public_key
    signature = signer.sign(payload, timestamp)
    if case == "tampered":
        payload = payload.replace(b"delivered", b"bounce")
    elif case == "wrong key":
        key = WebhookSigner().public_key
    elif case == "garbage signature":
        signature = "not-base64!!ÿ"
    elif case == "garbage key":
        key = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE"
    elif case in ("stale", "future"):
        timestamp = str(int(now - 601 if case == "stale" else now + 601))
        signature = signer.sign(payload, timestamp)
    elif case == "bad timestamp":
        timestamp = "nan"
        signature = signer.sign(payload, timestamp)
    else:
        payload = b"\xff\xfe" + payload
        signature = signer.sign(payload, timestamp)
    assert not verify_sendgrid_signature(key, payload, signature, timestamp, now=now)


def test_replay_window_is_configurable() -> None:
    signer = WebhookSigner()
    old = "1700000000"
    signature = signer.sign(EVENTS, old)
    assert not verify_sendgrid_signature(signer.public_key, EVENTS, signature, old)
    assert verify_sendgrid_signature(signer.public_key, EVENTS, signature, old, max_age_s=None)
    assert verify_sendgrid_signature(
        signer.public_key, EVENTS, signature, old, now=1700000300.0, max_age_s=600
    )
