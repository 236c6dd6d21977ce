"""Providers' logs of what they sent, searched over real HTTP: SendGrid's Email Activity API
and Twilio's message list (each against its loopback fake, with the official clients), and the
dry-run outbox file. A send we lost track of is found there, or known to be absent; a log that
cannot be read says unknown, never absent."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from agent.delivery.unsubscribe_links import UnsubscribeLinks
from tests.fakes.fake_twilio import FakeTwilio
from tests.fakes.sendgrid_fake import SendGridFake
from tests.tools.delivery.test_twilio_sms import FROM, MAYA, text
from tests.tools.test_delivery_providers import make_email
from tools.delivery.dry_run_outbox import DryRunOutbox
from tools.delivery.email_message import OutgoingEmail
from tools.delivery.providers import DeliveryUnavailable, SentRecord, sent_log
from tools.delivery.sendgrid_provider import SendGridProvider
from tools.delivery.sms import DryRunSms
from tools.delivery.twilio_sms import TwilioSms

KEY = "SG.activity-key"
LINKS = UnsubscribeLinks(b"server-secret", "https://outreach.example")
AN_HOUR_AGO = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)


@pytest.fixture
def sendgrid() -> Iterator[SendGridFake]:
    with SendGridFake(api_key=KEY) as fake:
        yield fake


def keyed_email(key: str, to: str = "maya.okafor@northwind-robotics.example") -> OutgoingEmail:
    return make_email(
        to=to,
        custom_args={"idempotency_key": key, "tone": "direct"},
        message_id_left=LINKS.header_id(key),
    )


async def look(provider: SendGridProvider, email: OutgoingEmail) -> SentRecord:
    key = email.custom_args["idempotency_key"]
    return await provider.find_sent(key, to=email.to, body=email.text, since=AN_HOUR_AGO)


async def test_sendgrid_finds_a_sent_email_by_its_key_in_the_activity_log(
    sendgrid: SendGridFake,
) -> None:
    provider = SendGridProvider(KEY, host=sendgrid.base_url, activity_api=True)
    email = keyed_email("key-0001-abcdef")
    message_id = await provider.send(email)
    await provider.send(keyed_email("key-0002-abcdef", to="priya@example.com"))
    assert await look(provider, email) == SentRecord("found", message_id)
    assert await look(provider, keyed_email("key-0003-abcdef")) == SentRecord("absent")
    # The same key to someone else is not this send.
    other = keyed_email("key-0001-abcdef", to="jonas@example.com")
    assert await look(provider, other) == SentRecord("absent")


async def test_sendgrid_without_the_activity_add_on_cannot_look_sends_up(
    sendgrid: SendGridFake,
) -> None:
    plain = SendGridProvider(KEY, host=sendgrid.base_url)
    assert sent_log(plain) is None  # so a cut-off send is held for a person
    sendgrid.activity_api = False  # the setting says yes, the account says 403
    provider = SendGridProvider(KEY, host=sendgrid.base_url, activity_api=True)
    email = keyed_email("key-0001-abcdef")
    await provider.send(email)
    assert await look(provider, email) == SentRecord("unknown")


async def test_sendgrid_log_errors_read_as_unknown_never_absent(sendgrid: SendGridFake) -> None:
    provider = SendGridProvider(KEY, host=sendgrid.base_url, activity_api=True, timeout_s=2)
    email = keyed_email("key-0001-abcdef")
    for status in (429, 500):
        sendgrid.fail_next(status)
    wrong_key = SendGridProvider("SG.wrong", host=sendgrid.base_url, activity_api=True)
    for provider_now in (provider, provider, wrong_key):
        assert await look(provider_now, email) == SentRecord("unknown")
    assert await look(provider, email) == SentRecord("absent")


async def test_a_timed_out_sendgrid_send_says_it_may_have_gone(sendgrid: SendGridFake) -> None:
    provider = SendGridProvider(KEY, host=sendgrid.base_url, activity_api=True, timeout_s=0.5)
    sendgrid.hang_on(1, took_it=True)
    email = keyed_email("key-0001-abcdef")
    with pytest.raises(DeliveryUnavailable) as raised:
        await provider.send(email)
    assert raised.value.unanswered
    found = await look(provider, email)
    assert found.state == "found" and found.message_id == sendgrid.message_ids[0]


@pytest.fixture
def twilio_fake() -> Iterator[FakeTwilio]:
    with FakeTwilio() as running:
        yield running


@pytest.fixture
async def twilio(twilio_fake: FakeTwilio) -> AsyncIterator[TwilioSms]:
    provider = TwilioSms(
        twilio_fake.account_sid, twilio_fake.auth_token, FROM, base_url=twilio_fake.base_url
    )
    yield provider
    await provider.aclose()


async def test_twilio_finds_a_sent_text_by_recipient_body_and_time(
    twilio: TwilioSms, twilio_fake: FakeTwilio
) -> None:
    sms = text()
    sid = await twilio.send(sms)
    await twilio.send(text("Another note entirely"))
    found = await twilio.find_sent("key-42", to=MAYA, body=sms.body, since=AN_HOUR_AGO)
    assert found == SentRecord("found", sid)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)  # sent before the attempt began
    assert (await twilio.find_sent("key-42", to=MAYA, body=sms.body, since=later)).state == (
        "absent"
    )
    assert (
        await twilio.find_sent("key-42", to="+14155550199", body=sms.body, since=AN_HOUR_AGO)
    ).state == "absent"


async def test_twilio_log_errors_read_as_unknown(
    twilio: TwilioSms, twilio_fake: FakeTwilio
) -> None:
    wrong = TwilioSms(twilio_fake.account_sid, "wrong-token", FROM, base_url=twilio_fake.base_url)
    try:
        assert (await wrong.find_sent("k", to=MAYA, body="x", since=AN_HOUR_AGO)).state == (
            "unknown"
        )
    finally:
        await wrong.aclose()


async def test_the_dry_run_outbox_is_its_own_log_across_processes(tmp_path: Path) -> None:
    path = tmp_path / "outbox.jsonl"
    writer, reader = DryRunOutbox(path), DryRunOutbox(path)  # two processes, one file
    email = keyed_email("key-0001-abcdef")
    message_id = await writer.send(email)
    key = "key-0001-abcdef"
    assert await reader.find_sent(key, to=email.to, body="", since=AN_HOUR_AGO) == SentRecord(
        "found", message_id
    )
    assert (await reader.find_sent("nope", to=email.to, body="", since=AN_HOUR_AGO)).state == (
        "absent"
    )
    sms = DryRunSms(tmp_path / "sms.jsonl")
    await sms.send(text())
    assert (await sms.find_sent("key-42", to=MAYA, body="", since=AN_HOUR_AGO)).state == "found"


async def test_a_line_torn_by_a_kill_does_not_lose_the_outbox(tmp_path: Path) -> None:
    path = tmp_path / "outbox.jsonl"
    first = DryRunOutbox(path)
    await first.send(keyed_email("key-0001-abcdef"))
    with path.open("a", encoding="utf-8") as handle:
        handle.write('{"idempotency_key": "key-0002-abcdef", "deliv')  # killed mid-write
    after = DryRunOutbox(path)  # reads what is whole
    await after.send(keyed_email("key-0003-abcdef"))
    keys = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            keys.append(json.loads(line)["idempotency_key"])
        except ValueError:
            continue
    assert keys == ["key-0001-abcdef", "key-0003-abcdef"]


def test_every_email_attempt_of_one_message_carries_the_same_unguessable_message_id() -> None:
    first, again = keyed_email("key-0001-abcdef"), keyed_email("key-0001-abcdef")
    assert first.message_id_header == again.message_id_header
    assert first.message_id_header.endswith("@acme-outreach.example>")
    assert "key-0001" not in first.message_id_header  # not derivable from the key alone
    other_server = UnsubscribeLinks(b"another-secret", "https://outreach.example")
    assert other_server.header_id("key-0001-abcdef") != LINKS.header_id("key-0001-abcdef")
    assert keyed_email("key-0002-abcdef").message_id_header != first.message_id_header
    assert make_email().message_id_header != make_email().message_id_header  # none: random
