"""Property-based fuzzing of every documented endpoint (schemathesis): no input gives a 5xx."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.schemas import BaseSchema

from agent.demo import DEMO_TODAY
from agent.settings import Settings
from graphs.lead import Campaign
from server.app import create_app
from tests.fakes.sendgrid_fake import WebhookSigner
from tests.server.live_server import LiveServer


@pytest.fixture
def api_schema(server_settings: Settings, campaign: Campaign, api_key: str) -> Iterator[BaseSchema]:
    """The live server's own OpenAPI document, with the API key on every request."""
    fuzzed = server_settings.model_copy(
        update={"sendgrid_webhook_public_key": WebhookSigner().public_key, "dispatch_interval_s": 0}
    )
    app = create_app(fuzzed, campaign_defaults=campaign, clock=lambda: DEMO_TODAY)
    with LiveServer(app) as live:
        schema = schemathesis.openapi.from_url(f"{live.base_url}/openapi.json")
        schema.config.headers = {"Authorization": f"Bearer {api_key}"}
        yield schema


def test_no_request_makes_the_server_fail(api_schema: BaseSchema, api_key: str) -> None:
    failures: list[str] = []
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) > 25  # every route is documented, so every route is fuzzed

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=30,
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def call(case: schemathesis.Case) -> None:
            response = case.call(headers={"Authorization": f"Bearer {api_key}"}, timeout=30)
            if response.status_code >= 500:
                failures.append(
                    f"{case.method} {case.formatted_path} -> {response.status_code}: "
                    f"{response.text[:300]}"
                )

        call()
    assert not failures, "\n".join(failures[:10])
