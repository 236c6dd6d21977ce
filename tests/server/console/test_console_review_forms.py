"""The review pages over HTTP: untrusted text escaped, actions applied once, stale ones refused."""

from __future__ import annotations

import html
from typing import Any

from fastapi.testclient import TestClient

from tests.server.console.console_forms import PAGE, signed_in_token
from tests.server.console.seeding import HOSTILE_NAME


def message(client: TestClient, api_key: str, message_id: int) -> dict[str, Any]:
    answer = client.get(
        f"/api/v1/messages/{message_id}", headers={"Authorization": f"Bearer {api_key}"}
    )
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def test_a_hostile_lead_name_is_shown_as_text(
    browser_client: TestClient, api_key: str, queued: dict[str, dict[str, Any]]
) -> None:
    signed_in_token(browser_client, api_key)
    hostile = queued[HOSTILE_NAME]
    for path in ("/console/review", f"/console/review/{hostile['id']}"):
        page = browser_client.get(path, headers=PAGE)
        assert page.status_code == 200, page.text
        assert html.escape(HOSTILE_NAME, quote=False) in page.text
        assert "<img" not in page.text
    queue = browser_client.get("/console/review", headers=PAGE).text
    assert "3 waiting" in queue and "Maya Okafor" in queue and "Jonas Weber" in queue


def test_draft_page_shows_hooks_facts_and_every_check(
    browser_client: TestClient, api_key: str, queued: dict[str, dict[str, Any]]
) -> None:
    signed_in_token(browser_client, api_key)
    maya = queued["Maya Okafor"]
    page = browser_client.get(f"/console/review/{maya['id']}", headers=PAGE).text
    stored = message(browser_client, api_key, maya["id"])
    chosen = next(v for v in stored["variants"] if v["tone"] == stored["selected_tone"])
    assert chosen["body"] in html.unescape(page)
    for check in ("grounding", "personalization", "call_to_action", "spam_phrases"):
        assert f'<th scope="row">{check}</th>' in page
    assert 'rel="noopener noreferrer"' in page and "northwind-robotics.example" in page
    assert "auto-send is off" in page


def test_reject_with_a_reason_and_a_stale_decision_is_refused_plainly(
    browser_client: TestClient, api_key: str, queued: dict[str, dict[str, Any]]
) -> None:
    token = signed_in_token(browser_client, api_key)
    jonas = queued["Jonas Weber"]
    form = {"csrf": token, "expected_version": str(jonas["version"])}
    rejected = browser_client.post(
        f"/console/review/{jonas['id']}/reject",
        data={**form, "reason": "already a customer"},
        headers=PAGE,
    )
    assert rejected.status_code == 303, rejected.text
    assert f"done=reject&message={jonas['id']}" in rejected.headers["location"]
    stored = message(browser_client, api_key, jonas["id"])
    assert stored["status"] == "rejected" and "already a customer" in stored["reason"]
    # A second reviewer who loaded the same version approves it afterwards.
    late = browser_client.post(
        f"/console/review/{jonas['id']}/approve", data={**form, "tone": "direct"}, headers=PAGE
    )
    assert late.status_code == 409
    assert "Changed by someone else — reload." in late.text
    assert message(browser_client, api_key, jonas["id"])["status"] == "rejected"
    # The queue no longer lists it.
    queue = browser_client.get("/console/review", headers=PAGE).text
    assert "2 waiting" in queue and "Jonas Weber" not in queue
