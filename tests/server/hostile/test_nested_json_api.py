"""Deeply nested JSON is refused with 422 naming the limit, never a 500 (issue 17, item 3).

Over HTTP, on the API's JSON bodies (routes with and without a body model) and on a validly
signed Event Webhook batch, whatever its Content-Type; and JSON in any JSON media type is checked
for NUL characters as FastAPI parses it.
"""

from __future__ import annotations

import json

import httpx
import pytest

from server.json_depth import MAX_JSON_DEPTH
from tests.fakes.sendgrid_fake import WebhookSigner
from tests.server.api_helpers import api_client
from tests.server.hostile.hostile_http import problem_detail

EVENTS_URL = "/api/v1/webhooks/sendgrid"


def nested(depth: int) -> str:
    """A JSON array nested `depth` levels deep."""
    return "[" * depth + "]" * depth


def _post_json(http: httpx.Client, path: str, text: str, **headers: str) -> httpx.Response:
    return http.post(
        path, content=text.encode(), headers={"Content-Type": "application/json", **headers}
    )


@pytest.mark.parametrize("depth", [900, 50_000])
@pytest.mark.parametrize("path", ["/api/v1/campaigns", "/api/v1/leads", "/api/v1/campaigns/1/send"])
def test_deeply_nested_json_is_refused_with_the_limit(
    client: httpx.Client, path: str, depth: int
) -> None:
    response = _post_json(client, path, '{"name": ' + nested(depth) + "}")
    assert response.status_code == 422, response.text[:500]
    assert problem_detail(response) == (
        f"body: the JSON is nested {depth + 1} levels deep; at most {MAX_JSON_DEPTH} are accepted"
    )


def test_nesting_up_to_the_limit_is_read_as_usual(client: httpx.Client) -> None:
    at_limit = _post_json(client, "/api/v1/campaigns", '{"name": ' + nested(63) + "}")
    assert at_limit.status_code == 422 and "nested" not in problem_detail(at_limit)
    assert "name" in [e["field"] for e in at_limit.json()["errors"]]  # the model's own check
    brackets_in_text = {"name": "[" * 5000, "target_audience": "{" * 5000}
    in_strings = client.post("/api/v1/campaigns", json=brackets_in_text)
    assert "nested" not in in_strings.text, in_strings.text[:300]


@pytest.mark.parametrize("depth", [900, 50_000])
def test_a_signed_deeply_nested_webhook_body_is_refused_with_the_limit(
    stranger: httpx.Client, signer: WebhookSigner, depth: int
) -> None:
    payload = '[{"event": "open", "sg_event_id": ' + nested(depth) + "}]"
    response = _post_json(stranger, EVENTS_URL, payload, **signer.headers(payload.encode()))
    assert response.status_code == 422, response.text[:500]
    assert problem_detail(response) == (
        f"body: the JSON is nested {depth + 2} levels deep; at most {MAX_JSON_DEPTH} are accepted"
    )


def test_a_signed_deep_webhook_body_is_refused_whatever_its_content_type(
    stranger: httpx.Client, signer: WebhookSigner
) -> None:
    payload = nested(50_000).encode()
    headers = {"Content-Type": "text/plain", **signer.headers(payload)}
    response = stranger.post(EVENTS_URL, content=payload, headers=headers)
    assert response.status_code == 422, response.text[:500]
    assert "nested 50000 levels deep" in problem_detail(response)


def test_deep_json_with_another_json_media_type_is_refused(client: httpx.Client) -> None:
    response = _post_json(
        client,
        "/api/v1/campaigns",
        nested(50_000),
        **{"Content-Type": "application/merge-patch+json"},
    )
    assert response.status_code == 422, response.text[:500]
    assert "nested 50000 levels deep" in problem_detail(response)


def test_a_nul_character_in_any_json_media_type_is_refused(client: httpx.Client) -> None:
    body = {"name": "a\x00b", "channel": "email", "target_audience": {}}
    response = _post_json(
        client, "/api/v1/campaigns", json.dumps(body), **{"Content-Type": "application/vnd.x+json"}
    )
    assert response.status_code == 422, response.text[:500]
    assert "NUL" in problem_detail(response)


def test_api_clients_are_still_served(server: str, api_key: str) -> None:
    with api_client(server, api_key, timeout=30) as http:
        assert http.get("/api/v1/leads").status_code == 200
        assert http.post("/api/v1/leads", json={"leads": [{"name": "Ann"}]}).status_code == 200
