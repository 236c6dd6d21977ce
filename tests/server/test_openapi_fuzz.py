"""Property-based fuzzing of every documented endpoint (schemathesis): no input gives a 5xx.

Every operation in the server's own OpenAPI document is fuzzed over real HTTP, the unsubscribe
page and both webhooks included. The Event Webhook's fuzzed bodies are signed with the
configured key, so they reach the parsing behind the signature check instead of all stopping
at 403.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from pydantic import SecretStr
from schemathesis.schemas import APIOperation, BaseSchema

from agent.demo.fixtures import DEMO_TODAY
from agent.settings import Settings
from graphs.lead import Campaign
from server.app import create_app
from tests.fakes.sendgrid_fake import WebhookSigner
from tests.server.live_server import LiveServer

SIGNED = "POST /api/v1/webhooks/sendgrid"
MUST_BE_FUZZED = {
    SIGNED,
    "POST /api/v1/webhooks/inbound",
    "GET /u/{token}",
    "POST /u/{token}",
    "POST /api/v1/leads",
    "POST /api/v1/campaigns",
    "POST /api/v1/messages/{message_id}/review",
    "POST /api/v1/webhooks/twilio/status",
    "POST /api/v1/webhooks/twilio/inbound",
    "POST /api/v1/tasks/{task_id}/done",
}


@pytest.fixture
def signer() -> WebhookSigner:
    return WebhookSigner()


@pytest.fixture
def api_schema(
    server_settings: Settings, campaign: Campaign, api_key: str, signer: WebhookSigner
) -> Iterator[BaseSchema]:
    """The live server's own OpenAPI document, with the API key on every request."""
    fuzzed = server_settings.model_copy(
        update={
            "sendgrid_webhook_public_key": signer.public_key,
            "dispatch_interval_s": 0,
            "sequence_tick_s": 0,
            "twilio_auth_token": SecretStr("fuzz-twilio-token"),
        }
    )
    app = create_app(fuzzed, campaign_defaults=campaign, clock=lambda: DEMO_TODAY)
    with LiveServer(app) as live:
        schema = schemathesis.openapi.from_url(f"{live.base_url}/openapi.json")
        schema.config.headers = {"Authorization": f"Bearer {api_key}"}
        yield schema


def signed_call(case: schemathesis.Case, signer: WebhookSigner) -> requests.Response:
    """Send the case as schemathesis would, with SendGrid's signature over its exact body."""
    request = requests.Request(**case.as_transport_kwargs()).prepare()
    body = request.body or b""
    assert isinstance(body, bytes | str), "schemathesis sends whole bodies, not streams"
    request.headers.update(signer.headers(body.encode() if isinstance(body, str) else body))
    with requests.Session() as session:
        return session.send(request, timeout=30)


def test_no_request_makes_the_server_fail(
    api_schema: BaseSchema, api_key: str, signer: WebhookSigner
) -> None:
    failures: list[str] = []
    statuses: dict[str, set[int]] = defaultdict(set)
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) > 25  # every route is documented, so every route is fuzzed

    for operation in operations:
        fuzz(operation, lambda case: send(case, api_key, signer, statuses, failures))
    assert not failures, "\n".join(failures[:10])
    assert statuses.keys() >= MUST_BE_FUZZED
    # Signed bodies got past the signature: applied (200) or refused for their content (4xx).
    assert statuses[SIGNED] - {403}, statuses[SIGNED]


def fuzz(operation: APIOperation, check: Callable[[schemathesis.Case], None]) -> None:
    """Run `check` on 30 generated cases of one operation (the same cases every run)."""

    @given(case=operation.as_strategy())
    @settings(
        max_examples=30,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def call(case: schemathesis.Case) -> None:
        check(case)

    call()


def send(
    case: schemathesis.Case,
    api_key: str,
    signer: WebhookSigner,
    statuses: dict[str, set[int]],
    failures: list[str],
) -> None:
    """Send one case (signed, for the Event Webhook) and note its status and any 5xx."""
    name = f"{case.method.upper()} {case.path}"
    if name == SIGNED:
        response = signed_call(case, signer)
        status, text = response.status_code, response.text
    else:
        answer = case.call(headers={"Authorization": f"Bearer {api_key}"}, timeout=30)
        status, text = answer.status_code, answer.text
    statuses[name].add(status)
    if status >= 500:
        failures.append(f"{case.method} {case.formatted_path} -> {status}: {text[:300]}")
