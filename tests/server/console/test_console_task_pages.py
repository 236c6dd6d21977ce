"""The task list over HTTP: LinkedIn steps and drafted answers with the text to send, done and
skip through the API's own finish (stored on the task), the form's CSRF token required, and a
second click on a task someone already finished refused plainly."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient

from tests.server.console.console_forms import PAGE, csrf_of, signed_in_token
from tests.server.console.reply_seeding import (
    INTERESTED,
    post_reply,
    store_call_task,
    store_linkedin_task,
)
from tests.server.console.seeding import HOSTILE_NAME, LEADS

LINKEDIN_TEXT = "Hi, saw your post on flaky CI <script>alert(1)</script> - worth a chat?"


def _seed_tasks(client: TestClient, queued: dict[str, dict[str, Any]]) -> dict[str, int]:
    """A drafted answer (Maya replied, interested), a LinkedIn step for the hostile lead and a
    call to Jonas."""
    post_reply(client, queued["Maya Okafor"], LEADS[0]["email"], INTERESTED, n=1)
    db = client.app.state.db  # type: ignore[attr-defined]
    hostile = queued[HOSTILE_NAME]

    async def store() -> int:
        return await store_linkedin_task(db, hostile, HOSTILE_NAME, "Fjordline", LINKEDIN_TEXT)

    async def call() -> int:
        return await store_call_task(db, queued["Jonas Weber"], "Jonas Weber")

    assert client.portal is not None
    return {"linkedin": client.portal.call(store), "call": client.portal.call(call)}


def _task(client: TestClient, api_key: str, task_id: int) -> dict[str, Any]:
    answer = client.get(f"/api/v1/tasks/{task_id}", headers={"Authorization": f"Bearer {api_key}"})
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def _reply_task_id(client: TestClient, api_key: str) -> int:
    items = client.get(
        "/api/v1/tasks?status=open", headers={"Authorization": f"Bearer {api_key}"}
    ).json()["items"]
    [answer] = [t["id"] for t in items if t["kind"] == "reply"]
    return int(answer)


def test_the_list_shows_each_task_with_its_text_lead_and_campaign(
    browser_client: TestClient, api_key: str, queued: dict[str, dict[str, Any]]
) -> None:
    ids = _seed_tasks(browser_client, queued)
    answer_id = _reply_task_id(browser_client, api_key)
    signed_in_token(browser_client, api_key)
    page = browser_client.get("/console/tasks", headers=PAGE)
    assert page.status_code == 200, page.text
    assert "3 open" in page.text
    # Earliest due first: the drafted answer (due when the reply came, the 18th), then the
    # LinkedIn step (due the 20th), then the call (the 21st).
    order = [int(n) for n in re.findall(r'<article class="card task" id="task-(\d+)"', page.text)]
    assert order == [answer_id, ids["linkedin"], ids["call"]]
    assert "<script>" not in page.text and "<img" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert '<dd class="lead-name">&lt;img src=x onerror=alert(1)&gt; (Fjordline Logistics)' in (
        page.text
    )
    assert "Text to send" in page.text and "Drafted answer" in page.text
    assert 'href="https://www.linkedin.com/in/example"' in page.text
    body = _task(browser_client, api_key, answer_id)["body"]
    assert body.splitlines()[0].replace("'", "&#39;") in page.text
    assert "Console review" in page.text  # the campaign
    assert page.text.count('value="open" selected') == 1
    # The call: the number to dial, what to say and ask, the answers, the voicemail.
    assert 'href="tel:+14155550100"' in page.text and "Call Jonas Weber" in page.text
    assert '<p class="body call-opener">Hi, this is Alex from Brightpath.</p>' in page.text
    assert "flaky CI &lt;b&gt;last week&lt;/b&gt;" in page.text
    assert "<li>Who owns the CI setup?</li>" in page.text
    assert "<dt>We have no budget.</dt><dd>It pays for itself in saved hours.</dd>" in page.text
    assert "please call me back." in page.text


def test_finishing_needs_the_forms_token(
    browser_client: TestClient, api_key: str, queued: dict[str, dict[str, Any]]
) -> None:
    ids = _seed_tasks(browser_client, queued)
    signed_in_token(browser_client, api_key)
    for token in ({}, {"csrf": "not-the-token"}):
        forged = browser_client.post(f"/console/tasks/{ids['linkedin']}/done", data=token)
        assert forged.status_code == 403
    assert _task(browser_client, api_key, ids["linkedin"])["status"] == "open"


def test_done_and_skip_are_stored_and_a_stale_second_click_is_refused(
    browser_client: TestClient, api_key: str, queued: dict[str, dict[str, Any]]
) -> None:
    ids = _seed_tasks(browser_client, queued)
    answer_id = _reply_task_id(browser_client, api_key)
    signed_in_token(browser_client, api_key)
    page = browser_client.get("/console/tasks", headers=PAGE)
    token = csrf_of(page.text)

    done = browser_client.post(
        f"/console/tasks/{answer_id}/done", data={"csrf": token}, headers=PAGE
    )
    assert done.status_code == 303
    after = browser_client.get(done.headers["location"], headers=PAGE)
    assert f"Task {answer_id} marked done." in after.text
    assert f'id="task-{answer_id}"' not in after.text  # no longer open
    stored = _task(browser_client, api_key, answer_id)
    assert stored["status"] == "done" and stored["completed_at"] is not None

    # The same button again (a stale page, or a second reviewer): refused, nothing changes.
    again = browser_client.post(
        f"/console/tasks/{answer_id}/skip", data={"csrf": token}, headers=PAGE
    )
    assert again.status_code == 409
    assert f"Changed by someone else — reload. (Task {answer_id} is already done.)" in again.text
    assert _task(browser_client, api_key, answer_id)["status"] == "done"

    skipped = browser_client.post(
        f"/console/tasks/{ids['linkedin']}/skip", data={"csrf": token}, headers=PAGE
    )
    assert skipped.status_code == 303
    assert _task(browser_client, api_key, ids["linkedin"])["status"] == "skipped"
    finished = browser_client.get("/console/tasks?status=all", headers=PAGE)
    assert "3 in all" in finished.text and finished.text.count("Mark done") == 1  # the call
    missing = browser_client.post("/console/tasks/999999/done", data={"csrf": token}, headers=PAGE)
    assert missing.status_code == 404 and "there is no task 999999" in missing.text


def test_a_note_is_kept_with_the_task_and_shown_as_text(
    browser_client: TestClient, api_key: str, queued: dict[str, dict[str, Any]]
) -> None:
    ids = _seed_tasks(browser_client, queued)
    signed_in_token(browser_client, api_key)
    page = browser_client.get("/console/tasks", headers=PAGE)
    assert f'id="task-{ids["linkedin"]}-note" name="note" maxlength="2000"' in page.text
    note = "Sent <script>alert(2)</script> & waiting"

    forged = browser_client.post(f"/console/tasks/{ids['linkedin']}/done", data={"note": note})
    assert forged.status_code == 403
    assert _task(browser_client, api_key, ids["linkedin"])["note"] is None

    token = csrf_of(page.text)
    too_long = browser_client.post(
        f"/console/tasks/{ids['linkedin']}/skip",
        data={"csrf": token, "note": "x" * 2001},
        headers=PAGE,
    )
    assert too_long.status_code == 422
    assert "a task&#39;s note is at most 2000 characters, not 2001" in too_long.text
    assert _task(browser_client, api_key, ids["linkedin"])["status"] == "open"
    nul = browser_client.post(
        f"/console/tasks/{ids['linkedin']}/done",
        data={"csrf": token, "note": "called\x00back"},
        headers=PAGE,
    )
    assert nul.status_code == 422 and "note: text may not contain NUL" in nul.text
    assert _task(browser_client, api_key, ids["linkedin"])["status"] == "open"

    done = browser_client.post(
        f"/console/tasks/{ids['linkedin']}/done",
        data={"csrf": token, "note": f"  {note}  "},
        headers=PAGE,
    )
    assert done.status_code == 303
    stored = _task(browser_client, api_key, ids["linkedin"])
    assert (stored["status"], stored["note"]) == ("done", note)  # what the API reads back
    listed = browser_client.get("/console/tasks?status=done", headers=PAGE)
    assert "<script>alert(2)" not in listed.text
    assert (
        '<dd class="task-note">Sent &lt;script&gt;alert(2)&lt;/script&gt; &amp; waiting</dd>'
        in listed.text
    )


def test_a_call_done_with_a_meeting_booked_counts_in_the_campaigns_funnel(
    browser_client: TestClient, api_key: str, queued: dict[str, dict[str, Any]]
) -> None:
    ids = _seed_tasks(browser_client, queued)
    signed_in_token(browser_client, api_key)
    campaign_id = queued["Jonas Weber"]["campaign_id"]
    before = browser_client.get(f"/console/campaigns/{campaign_id}", headers=PAGE)
    assert '<th scope="row">Meetings</th><td>0</td>' in before.text
    page = browser_client.get("/console/tasks", headers=PAGE)
    # Only the call offers it.
    assert page.text.count('name="meeting_booked" value="true"') == 1
    assert f'aria-label="Meeting booked on task {ids["call"]}: mark it done"' in page.text
    token = csrf_of(page.text)

    forged = browser_client.post(
        f"/console/tasks/{ids['call']}/done", data={"meeting_booked": "true"}, headers=PAGE
    )
    assert forged.status_code == 403
    not_a_call = browser_client.post(
        f"/console/tasks/{ids['linkedin']}/done",
        data={"csrf": token, "meeting_booked": "true"},
        headers=PAGE,
    )
    assert not_a_call.status_code == 422
    assert f"Task {ids['linkedin']} was left open: a meeting is booked by marking a call done" in (
        not_a_call.text
    )
    assert _task(browser_client, api_key, ids["linkedin"])["status"] == "open"

    booked = browser_client.post(
        f"/console/tasks/{ids['call']}/done",
        data={"csrf": token, "meeting_booked": "true", "note": "Tuesday 10:00"},
        headers=PAGE,
    )
    assert booked.status_code == 303
    after = browser_client.get(booked.headers["location"], headers=PAGE)
    assert f"Task {ids['call']} marked done: meeting booked." in after.text
    stored = _task(browser_client, api_key, ids["call"])
    assert (stored["status"], stored["note"]) == ("done", "meeting booked: Tuesday 10:00")
    key = {"Authorization": f"Bearer {api_key}"}
    lead = browser_client.get(f"/api/v1/leads/{stored['lead_id']}", headers=key).json()
    assert lead["stage"] == "meeting_booked"
    funnel = browser_client.get(f"/console/campaigns/{campaign_id}", headers=PAGE)
    assert '<th scope="row">Meetings</th><td>1</td>' in funnel.text


def test_a_long_list_pages_with_its_filters_kept(
    browser_client: TestClient, api_key: str, queued: dict[str, dict[str, Any]]
) -> None:
    db = browser_client.app.state.db  # type: ignore[attr-defined]
    maya = queued["Maya Okafor"]

    async def store() -> None:
        for n in range(51):
            await store_linkedin_task(db, maya, "Maya Okafor", "Northwind", f"Hello {n}")

    assert browser_client.portal is not None
    browser_client.portal.call(store)
    signed_in_token(browser_client, api_key)
    campaign = maya["campaign_id"]
    first = browser_client.get(f"/console/tasks?campaign={campaign}", headers=PAGE)
    assert "51 open" in first.text and "Page 1 of 2" in first.text
    assert "Previous page" not in first.text
    assert f'href="/console/tasks?status=open&amp;campaign={campaign}&amp;page=2"' in first.text
    second = browser_client.get(f"/console/tasks?campaign={campaign}&page=2", headers=PAGE)
    assert "Page 2 of 2" in second.text and "Next page" not in second.text
    assert second.text.count('<article class="card task"') == 1
