"""Text messages: composing one, Twilio over real HTTP (the official client against a loopback
fake of its Messages API), the dry-run outbox and building the configured provider."""

from __future__ import annotations

import contextlib
import json
import socket
import struct
import threading
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr

from agent.delivery.sms_providers import build_sms_provider, status_callback_url
from agent.providers import ProviderConfigError
from agent.settings import Settings
from tests.fakes.fake_twilio import FakeTwilio
from tests.tools.test_delivery_providers import closed_port
from tools.delivery.providers import DeliveryRejected, DeliveryUnavailable
from tools.delivery.sms import (
    OPT_OUT_LINE,
    OPT_OUT_LINES,
    DryRunSms,
    OutgoingSms,
    SmsRejected,
    compose_sms,
    segment_count,
)
from tools.delivery.twilio_sms import TwilioSms

FROM = "+15005550006"
MAYA = "+14155552671"
CALLBACK = "https://outreach.example/api/v1/webhooks/twilio/status"
SERVICE_SID = "MG" + "a1" * 16


@pytest.fixture
def fake() -> Iterator[FakeTwilio]:
    with FakeTwilio() as running:
        yield running


@pytest.fixture
async def twilio(fake: FakeTwilio) -> AsyncIterator[TwilioSms]:
    provider = TwilioSms(fake.account_sid, fake.auth_token, FROM, base_url=fake.base_url)
    yield provider
    await provider.aclose()


def text(body: str = "Hi Maya, saw the Series B. Worth a chat?", **options: object) -> OutgoingSms:
    settings: dict[str, object] = {
        "first_message": True,
        "status_callback": CALLBACK,
        "custom_args": {"outreach_message_id": "42", "idempotency_key": "key-42"},
    }
    return compose_sms(MAYA, body, "Jordan Lee", **{**settings, **options})  # type: ignore[arg-type]


# --- compose_sms ---------------------------------------------------------------------------------


def test_compose_normalises_the_number_to_e164() -> None:
    assert text().to == MAYA
    assert compose_sms("(415) 555-2671", "Hi", "J", first_message=False).to == MAYA
    assert compose_sms("+1 415-555-2671", "Hi", "J", first_message=False).to == MAYA
    london = compose_sms("07400 123456", "Hi", "J", first_message=False, default_region="GB")
    assert london.to == "+447400123456"


@pytest.mark.parametrize(
    ("number", "problem"),
    [
        ("not a number", "cannot be read"),
        ("", "cannot be read"),
        ("+1 415 555", "not a valid number"),
        ("+44 20 7946 0000", "is a landline"),
    ],
)
def test_compose_refuses_numbers_that_cannot_take_a_text(number: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        compose_sms(number, "Hi", "Jordan", first_message=True)


def test_the_first_message_gets_the_opt_out_line_once() -> None:
    first = text()
    assert first.body == f"Hi Maya, saw the Series B. Worth a chat?\n{OPT_OUT_LINE}"
    assert first.body.count("STOP") == 1
    follow_up = text(first_message=False)
    assert "STOP" not in follow_up.body
    already = text("Hi Maya, worth a chat? Text STOP to opt out.")
    assert already.body == "Hi Maya, worth a chat? Text STOP to opt out."
    # "stop by" is no opt-out instruction: the line is still added.
    assert text("Stop by our booth, Maya?").body.endswith(OPT_OUT_LINE)


def test_the_opt_out_line_is_in_the_texts_language() -> None:
    spanish = text("Hola, Lucia, soy Alex. ¿Hablamos esta semana?", language="es")
    assert spanish.body.endswith("\nPara darse de baja, STOP.")
    french = text("Bonjour Camille, un appel ?", language="fr")
    assert french.body.endswith("\nRépondez STOP pour vous désinscrire.")
    assert text("Hallo Lukas, kurz sprechen?", language="de").body.endswith("Abmelden mit STOP.")
    assert text("Hi Maya, worth a chat?", language="pt").body.endswith(OPT_OUT_LINE)
    # Each line keeps a text in the GSM-7 alphabet: adding it never cuts the room to 70.
    for line in OPT_OUT_LINES.values():
        assert segment_count(f"Hi Maya, worth a chat?\n{line}")[1] == "GSM-7", line


def test_compose_refuses_empty_and_overlong_texts() -> None:
    with pytest.raises(ValueError, match="empty"):
        text("   ")
    with pytest.raises(ValueError, match="limit is 1600"):
        text("x" * 1590)  # the opt-out line takes it over the limit


def test_the_status_callback_names_our_message() -> None:
    assert text().status_callback == f"{CALLBACK}?outreach_message_id=42"
    assert text(custom_args={}).status_callback == CALLBACK
    assert text(status_callback=None).status_callback is None
    with pytest.raises(ValueError, match="not an http"):
        text(status_callback="javascript:alert(1)")


def test_segments_count_gsm7_and_unicode_texts() -> None:
    assert text("a" * 160, first_message=False).segments == 1
    assert text("a" * 161, first_message=False).segments == 2
    assert text("é" * 160, first_message=False).segments == 1  # é is in GSM-7
    assert text("ü🙂" * 35, first_message=False).segments == 2  # UCS-2: 105 units > 70


# --- Twilio --------------------------------------------------------------------------------------


async def test_a_text_reaches_twilio_with_its_number_body_and_callback(
    fake: FakeTwilio, twilio: TwilioSms
) -> None:
    sms = text()
    sid = await twilio.send(sms)
    assert sid.startswith("SM") and len(sid) == 34
    [received] = fake.sent
    assert received["Sid"] == sid
    assert received["To"] == MAYA
    assert received["From"] == FROM
    assert received["Body"] == sms.body
    assert received["StatusCallback"] == f"{CALLBACK}?outreach_message_id=42"
    assert "MessagingServiceSid" not in received


async def test_a_messaging_service_sends_from_its_pool(fake: FakeTwilio) -> None:
    provider = TwilioSms(fake.account_sid, fake.auth_token, SERVICE_SID, base_url=fake.base_url)
    try:
        await provider.send(text(status_callback=None))
    finally:
        await provider.aclose()
    [received] = fake.sent
    assert received["MessagingServiceSid"] == SERVICE_SID
    assert "From" not in received and "StatusCallback" not in received


@pytest.mark.parametrize("status", [429, 500, 503])
async def test_rate_limits_and_server_errors_are_unavailable(
    fake: FakeTwilio, twilio: TwilioSms, status: int
) -> None:
    fake.fail_next(status)
    with pytest.raises(
        DeliveryUnavailable, match=rf"Twilio could not take the message \({status}\)"
    ):
        await twilio.send(text())
    assert fake.sent == []
    await twilio.send(text())  # the next try goes through
    assert len(fake.sent) == 1


async def test_an_invalid_number_is_rejected_and_bounces(
    fake: FakeTwilio, twilio: TwilioSms
) -> None:
    fake.fail_next(400, code=21211, message="The 'To' number +14155552671 is not valid.")
    with pytest.raises(
        DeliveryRejected, match=r"Twilio rejected the message \(400\).*21211"
    ) as info:
        await twilio.send(text())
    assert isinstance(info.value, SmsRejected)
    assert info.value.code == 21211 and info.value.suppress_as == "bounced"
    assert fake.sent == []


async def test_a_recipient_who_texted_stop_is_rejected_as_unsubscribed(
    fake: FakeTwilio, twilio: TwilioSms
) -> None:
    fake.unsubscribed.add(MAYA)
    with pytest.raises(SmsRejected, match="unsubscribed") as info:
        await twilio.send(text())
    assert info.value.code == 21610 and info.value.suppress_as == "unsubscribed"
    assert fake.sent == []


async def test_a_wrong_auth_token_is_rejected(fake: FakeTwilio) -> None:
    provider = TwilioSms(fake.account_sid, "wrong-token", FROM, base_url=fake.base_url)
    try:
        with pytest.raises(SmsRejected, match=r"\(401\).*authentication failed") as info:
            await provider.send(text())
    finally:
        await provider.aclose()
    assert info.value.suppress_as is None
    assert fake.sent == []


async def test_an_unreachable_api_is_unavailable() -> None:
    provider = TwilioSms(
        "AC" + "0" * 32, "token", FROM, base_url=f"http://127.0.0.1:{closed_port()}"
    )
    try:
        with pytest.raises(DeliveryUnavailable, match="cannot reach the API") as raised:
            await provider.send(text())
    finally:
        await provider.aclose()
    assert not raised.value.unanswered  # it never left: another try is safe


@pytest.fixture
def resetting_port() -> Iterator[int]:
    """A loopback port that reads each whole request, then resets the connection (RST)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)

    def serve() -> None:
        with contextlib.suppress(OSError):
            while True:
                connection, _ = listener.accept()
                with connection:
                    connection.settimeout(2)
                    connection.recv(65536)
                    connection.setsockopt(
                        socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                    )

    threading.Thread(target=serve, daemon=True).start()
    yield listener.getsockname()[1]
    listener.close()


async def test_a_connection_reset_after_the_request_went_may_have_sent_it(
    resetting_port: int,
) -> None:
    provider = TwilioSms(
        "AC" + "0" * 32, "token", FROM, base_url=f"http://127.0.0.1:{resetting_port}"
    )
    try:
        with pytest.raises(DeliveryUnavailable) as raised:
            await provider.send(text())
    finally:
        await provider.aclose()
    assert raised.value.unanswered  # Twilio may have it: its log decides, not a blind retry


async def test_a_silent_api_times_out_as_unavailable(fake: FakeTwilio) -> None:
    fake.hang_next()
    provider = TwilioSms(
        fake.account_sid, fake.auth_token, FROM, base_url=fake.base_url, timeout_s=0.3
    )
    try:
        with pytest.raises(DeliveryUnavailable, match=r"no answer within 0\.3 s") as raised:
            await provider.send(text())
    finally:
        await provider.aclose()
    assert fake.sent == []
    assert raised.value.unanswered  # a stuck API may still take it


def test_twilio_needs_its_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", "from-the-environment")
    with pytest.raises(ValueError, match="auth token"):
        TwilioSms("AC" + "0" * 32, "", FROM)


# --- dry run and configuration -------------------------------------------------------------------


async def test_the_dry_run_writes_each_text_once(tmp_path: Path) -> None:
    outbox = tmp_path / "sms_outbox.jsonl"
    provider = DryRunSms(outbox)
    first = await provider.send(text())
    again = await DryRunSms(outbox).send(text())  # a restarted process, the same key
    other = await provider.send(text(custom_args={"idempotency_key": "key-43"}))
    assert first == again != other
    records = [json.loads(line) for line in outbox.read_text().splitlines()]
    assert [r["to"] for r in records] == [MAYA, MAYA]
    assert records[0]["channel"] == "sms"
    assert records[0]["body"].endswith(OPT_OUT_LINE)
    assert records[0]["metadata"]["sender_name"] == "Jordan Lee"
    assert records[0]["metadata"]["segments"] == 1


def settings_for(tmp_path: Path, **overrides: object) -> Settings:
    return Settings(data_dir=tmp_path / "data", **overrides)  # type: ignore[arg-type]


async def test_the_default_provider_is_the_dry_run(tmp_path: Path) -> None:
    provider = build_sms_provider(settings_for(tmp_path))
    assert provider.name == "dry-run"
    await provider.send(text())
    assert (tmp_path / "data" / "sms_outbox.jsonl").exists()


def test_twilio_settings_name_what_is_missing(tmp_path: Path) -> None:
    with pytest.raises(ProviderConfigError) as info:
        build_sms_provider(
            settings_for(tmp_path, sms_provider="twilio", twilio_account_sid="AC" + "0" * 32)
        )
    assert str(info.value) == (
        "OUTREACH_SMS_PROVIDER=twilio needs OUTREACH_TWILIO_AUTH_TOKEN and "
        "OUTREACH_TWILIO_FROM_NUMBER"
    )


async def test_configured_twilio_sends_to_its_base_url(tmp_path: Path, fake: FakeTwilio) -> None:
    settings = settings_for(
        tmp_path,
        sms_provider="twilio",
        twilio_account_sid=fake.account_sid,
        twilio_auth_token=SecretStr(fake.auth_token),
        twilio_from_number=FROM,
        twilio_base_url=fake.base_url,
        public_base_url="https://outreach.example/",
    )
    provider = build_sms_provider(settings)
    assert isinstance(provider, TwilioSms)
    assert status_callback_url(settings) == CALLBACK
    try:
        sid = await provider.send(text(status_callback=status_callback_url(settings)))
    finally:
        await provider.aclose()
    assert [m["Sid"] for m in fake.sent] == [sid]
