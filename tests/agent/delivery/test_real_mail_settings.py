"""Real mail needs a real unsubscribe link (issue 17, item 8).

Every email's one-click unsubscribe (RFC 8058 `List-Unsubscribe`) points at
OUTREACH_PUBLIC_BASE_URL, which defaults to this machine's loopback address. That is fine for
the dry-run outbox, where nothing leaves the machine; with SendGrid or SMTP every recipient
would get a link that cannot work. So the settings refuse it at start-up, naming the
variable and why, and the providers themselves refuse such an email whatever built it.
"""

from __future__ import annotations

import pytest
from pydantic import SecretStr
from typer.testing import CliRunner

from agent.cli.app import app
from agent.delivery.email_providers import build_email_provider
from agent.providers import ProviderConfigError
from agent.settings import Settings
from tests.conftest import EXAMPLES
from tests.fakes.sendgrid_fake import SendGridFake
from tests.fakes.smtp_sink import SmtpSink
from tools.delivery.dry_run_outbox import DryRunOutbox
from tools.delivery.email_message import OutgoingEmail, Sender, compose_email
from tools.delivery.providers import DeliveryRejected
from tools.delivery.sendgrid_provider import SendGridProvider
from tools.delivery.smtp_provider import SmtpProvider

runner = CliRunner(env={"COLUMNS": "200", "TERMINAL_WIDTH": "200"})
KEY = "SG.secret-key-never-printed"
REAL: dict[str, dict[str, object]] = {
    "sendgrid": {"email_provider": "sendgrid", "sendgrid_api_key": SecretStr(KEY)},
    "smtp": {"email_provider": "smtp", "smtp_host": "mail.brightpath.example"},
}


@pytest.mark.parametrize("provider", ["sendgrid", "smtp"])
@pytest.mark.parametrize(
    ("base_url", "why"),
    [
        (None, "is http://127.0.0.1:8001, the default"),
        ("http://outreach.brightpath.example", "is not https"),
        ("https://127.0.0.1:8001", "recipients cannot reach"),
        ("https://localhost", "recipients cannot reach"),
        ("https://10.1.2.3", "recipients cannot reach"),
        ("https://[::1]:8443", "recipients cannot reach"),
        ("https://outreach.brightpath.example/?x=1", "query or fragment"),
        ("https://", "has no host"),
    ],
)
def test_real_mail_without_an_https_public_base_url_is_refused(
    provider: str, base_url: str | None, why: str
) -> None:
    options: dict[str, object] = dict(REAL[provider])
    if base_url is not None:
        options["public_base_url"] = base_url
    with pytest.raises(ProviderConfigError) as refused:
        Settings(**options)  # type: ignore[arg-type]
    said = str(refused.value)
    assert f"OUTREACH_EMAIL_PROVIDER={provider}" in said
    assert "OUTREACH_PUBLIC_BASE_URL" in said and why in said
    assert "unsubscribe" in said and "RFC 8058" in said
    assert KEY not in said  # a settings error never prints the settings' secrets


@pytest.mark.parametrize("provider", ["sendgrid", "smtp"])
def test_real_mail_with_an_https_public_base_url_starts(provider: str) -> None:
    settings = Settings(
        **REAL[provider],  # type: ignore[arg-type]
        public_base_url="https://outreach.brightpath.example/mail",
    )
    built = build_email_provider(settings)
    assert isinstance(built, SendGridProvider if provider == "sendgrid" else SmtpProvider)


def test_the_dry_run_outbox_keeps_the_loopback_default() -> None:
    settings = Settings()
    assert settings.email_provider == "dry-run"
    assert settings.public_base_url == "http://127.0.0.1:8001"
    assert isinstance(build_email_provider(settings), DryRunOutbox)


def test_settings_built_without_validation_are_still_refused_by_the_provider_factory() -> None:
    unchecked = Settings().model_copy(update=REAL["sendgrid"])  # model_copy does not validate
    with pytest.raises(ProviderConfigError, match="OUTREACH_PUBLIC_BASE_URL"):
        build_email_provider(unchecked)


def test_outreach_run_says_what_to_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OUTREACH_EMAIL_PROVIDER", "sendgrid")
    monkeypatch.setenv("OUTREACH_SENDGRID_API_KEY", KEY)
    monkeypatch.setenv("OUTREACH_PUBLIC_BASE_URL", "http://outreach.brightpath.example")
    done = runner.invoke(
        app,
        ["run", str(EXAMPLES / "leads.csv"), "-o", "r.jsonl", "--campaign-file",
         str(EXAMPLES / "campaign.yaml")],
    )  # fmt: skip
    assert done.exit_code == 1
    assert "Error:" in done.output and "OUTREACH_PUBLIC_BASE_URL" in done.output
    assert "Traceback" not in done.output and KEY not in done.output


def test_outreach_serve_refuses_before_it_listens(monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    listened: list[object] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: listened.append(options))
    monkeypatch.setenv("OUTREACH_EMAIL_PROVIDER", "smtp")
    monkeypatch.setenv("OUTREACH_SMTP_HOST", "mail.brightpath.example")
    done = runner.invoke(app, ["serve"])
    assert done.exit_code != 0 and listened == []
    assert "OUTREACH_PUBLIC_BASE_URL" in str(done.exception) + done.output


def _email(unsubscribe_url: str) -> OutgoingEmail:
    return compose_email(
        to="maya.okafor@northwind-robotics.example",
        sender=Sender("alex@brightpath.example", "Alex Rivera", "100 Example Street, Springfield"),
        subject="CI at Northwind",
        body="Hi Maya,\n\nWorth a call?\n\nAlex",
        unsubscribe_url=unsubscribe_url,
        unsubscribe_mailto=None,
        custom_args={"outreach_message_id": "1"},
        message_domain="brightpath.example",
    )


async def test_sendgrid_refuses_an_email_whose_unsubscribe_link_is_not_https() -> None:
    with SendGridFake(api_key=KEY) as fake:
        provider = SendGridProvider(KEY, host=fake.base_url, timeout_s=2.0)
        with pytest.raises(DeliveryRejected, match=r"unsubscribe link .* is not https"):
            await provider.send(_email("http://127.0.0.1:8001/u/1.abc"))
        assert fake.sent == []  # nothing reached SendGrid
        assert await provider.send(_email("https://outreach.brightpath.example/u/1.abc"))
        assert len(fake.sent) == 1


async def test_smtp_refuses_an_email_whose_unsubscribe_link_is_not_https() -> None:
    with SmtpSink() as sink:
        provider = SmtpProvider(sink.host, sink.port, timeout_s=2.0)
        with pytest.raises(DeliveryRejected, match=r"unsubscribe link .* is not https"):
            await provider.send(_email("http://localhost:8001/u/1.abc"))
        assert sink.messages == []
        assert await provider.send(_email("https://outreach.brightpath.example/u/1.abc"))
        assert len(sink.messages) == 1
