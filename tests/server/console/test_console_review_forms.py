"""The review pages over HTTP: untrusted text escaped, actions applied once, stale ones refused."""

from __future__ import annotations

import html
from typing import Any

from fastapi.testclient import TestClient

from agent.leads.store import store_leads
from graphs.lead import Lead
from storage.database import Database
from storage.models import MessageRow
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


async def test_the_queue_is_paginated_fifty_a_page(
    browser_client: TestClient,
    api_key: str,
    database_url: str,
    queued: dict[str, dict[str, Any]],
) -> None:
    first = queued["Maya Okafor"]
    async with await Database.connect(database_url) as db:
        leads = [
            Lead(name=f"Waiting {n:02d}", email=f"w{n}@acme.example", company="Acme")
            for n in range(50)
        ]
        ids = await store_leads(db, leads)
        async with db.sessions.begin() as session:
            for lead_id in ids:
                session.add(
                    MessageRow(
                        campaign_id=first["campaign_id"], lead_id=lead_id,
                        run_id=first["run_id"], status="queued", reason="held for a person",
                        variants=[{"tone": "friendly", "subject": "CI", "body": "Hello <b>."}],
                        selected_variant="friendly",
                    )
                )  # fmt: skip
    signed_in_token(browser_client, api_key)
    one = browser_client.get("/console/review", headers=PAGE).text
    two = browser_client.get("/console/review?page=2", headers=PAGE).text
    assert "53 waiting" in one and "Page 1 of 2" in one and "Page 2 of 2" in two
    assert one.count('class="queue-row"') == 50 and two.count('class="queue-row"') == 3
    assert "Maya Okafor" in one and "Waiting 46" in one and "Waiting 47" in two
    # A draft held without a paused pipeline still shows its stored text, escaped.
    held = browser_client.get(f"/console/review/{ids[-1]}", headers=PAGE)
    assert held.status_code == 200 and "Hello &lt;b&gt;." in held.text


def test_an_edit_the_critic_blocks_cannot_be_approved(
    browser_client: TestClient, api_key: str, queued: dict[str, dict[str, Any]]
) -> None:
    token = signed_in_token(browser_client, api_key)
    maya = queued["Maya Okafor"]
    stored = message(browser_client, api_key, maya["id"])
    chosen = next(v for v in stored["variants"] if v["tone"] == stored["selected_tone"])
    form = {
        "csrf": token,
        "expected_version": str(maya["version"]),
        "tone": chosen["tone"],
        "subject": chosen["subject"],
        "body": chosen["body"].replace("Hi Maya", "Hi {first_name}"),
    }
    checked = browser_client.post(
        f"/console/review/{maya['id']}/check-edit", data=form, headers=PAGE
    )
    assert checked.status_code == 200
    assert "blocked" in checked.text and 'id="send-edit" disabled' in checked.text
    assert '<th scope="row">placeholders</th>' in checked.text
    # Posted anyway, past the page: the paused lead's own critic refuses it; nothing is sent.
    forced = browser_client.post(f"/console/review/{maya['id']}/edit", data=form, headers=PAGE)
    assert forced.status_code == 303
    page = browser_client.get(forced.headers["location"], headers=PAGE).text
    assert "edit not sent; the critic found: placeholders" in page
    assert message(browser_client, api_key, maya["id"])["status"] == "queued"


def test_regenerate_rewrites_and_keeps_the_draft_waiting(
    browser_client: TestClient, api_key: str, queued: dict[str, dict[str, Any]]
) -> None:
    token = signed_in_token(browser_client, api_key)
    jonas = queued["Jonas Weber"]
    rewritten = browser_client.post(
        f"/console/review/{jonas['id']}/regenerate",
        data={"csrf": token, "expected_version": str(jonas["version"]), "instruction": "shorter"},
        headers=PAGE,
    )
    assert rewritten.status_code == 303, rewritten.text
    stored = message(browser_client, api_key, jonas["id"])
    assert stored["status"] == "queued" and stored["version"] > jonas["version"]
