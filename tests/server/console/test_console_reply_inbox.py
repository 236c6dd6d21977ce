"""The reply inbox over HTTP: behind the session, every reply with the classifier's intent and
reason, what was done and the drafted answer; untrusted text shown as text; filters and pages.
Replies come in through the Inbound Parse webhook, so the verdicts and actions are real."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient

from tests.server.console.console_forms import PAGE, signed_in_token
from tests.server.console.reply_seeding import HOSTILE_TEXT, INTERESTED, post_reply
from tests.server.console.seeding import HOSTILE_NAME, LEADS

EMAILS = {lead["name"]: lead["email"] for lead in LEADS}
SHOWN_REFERENCE = re.compile(
    r'(?:"body reply-text"|"preview body")>Noted, thanks\. Reference (\d\d)\.'
)
"""A reply's number where the inbox shows its text (not the deciding words quoted above it)."""


def _replies_in_order(html: str) -> list[str]:
    """The lead names of the inbox's replies, top to bottom."""
    return re.findall(r'<h2 id="reply-\d+-who"><span class="lead-name">([^<]*)</span>', html)


def test_the_inbox_and_tasks_need_a_session(browser_client: TestClient) -> None:
    for path in ("/console/replies", "/console/tasks", "/console/replies?intent=interested"):
        page = browser_client.get(path, headers=PAGE)
        assert page.status_code == 303 and page.headers["location"].endswith("/sign-in")
        fragment = browser_client.get(path, headers={"Accept": "*/*"})
        assert fragment.status_code == 401
    finish = browser_client.post("/console/tasks/1/done", data={"csrf": "x"})
    assert finish.status_code == 401


def test_replies_show_intent_reason_actions_and_the_drafted_answer(
    browser_client: TestClient, api_key: str, queued: dict[str, dict[str, Any]]
) -> None:
    post_reply(browser_client, queued["Maya Okafor"], EMAILS["Maya Okafor"], INTERESTED, n=1)
    post_reply(browser_client, queued["Jonas Weber"], EMAILS["Jonas Weber"], HOSTILE_TEXT, n=2)
    post_reply(
        browser_client, queued[HOSTILE_NAME], EMAILS[HOSTILE_NAME],
        "Please remove me from your mailing list.", n=3, minute=5,
    )  # fmt: skip
    signed_in_token(browser_client, api_key)
    inbox = browser_client.get("/console/replies", headers=PAGE)
    assert inbox.status_code == 200, inbox.text
    assert "script-src 'self'" in inbox.headers["content-security-policy"]
    assert "3 received" in inbox.text
    # Untrusted reply text and lead name are text on the page, never markup.
    assert "&lt;img src=x onerror=alert(1)&gt;" in inbox.text
    assert "<img" not in inbox.text
    assert _replies_in_order(inbox.text)[0] == "&lt;img src=x onerror=alert(1)&gt;"

    tasks = browser_client.get(
        "/api/v1/tasks?status=open", headers={"Authorization": f"Bearer {api_key}"}
    ).json()["items"]
    [answer] = [t for t in tasks if t["kind"] == "reply"]
    assert answer["lead_id"] == queued["Maya Okafor"]["lead_id"]
    maya = re.search(r'<article class="card reply".*?Maya Okafor.*?</article>', inbox.text, re.S)
    assert maya is not None
    card = maya.group(0)
    assert '<strong class="intent">interested</strong>' in card
    assert re.search(r'<dd class="evidence">[^<]*interested', card, re.I), card
    assert f"a draft answer waits for a person: task {answer['id']}" in card
    assert f"task {answer['id']}, open" in card
    first_line = answer["body"].splitlines()[0]
    assert first_line.replace("'", "&#39;") in card
    assert f'action="/console/tasks/{answer["id"]}/done"' in card

    gone = re.search(r'<article class="card reply".*?onerror=alert\(1\)&gt;</span>.*?</article>',
                     inbox.text, re.S)  # fmt: skip
    assert gone is not None and "unsubscribe" in gone.group(0)
    assert "Drafted answer" not in gone.group(0)


def test_the_intent_filter_shows_only_that_intent(
    browser_client: TestClient, api_key: str, queued: dict[str, dict[str, Any]]
) -> None:
    post_reply(browser_client, queued["Maya Okafor"], EMAILS["Maya Okafor"], INTERESTED, n=1)
    post_reply(browser_client, queued["Jonas Weber"], EMAILS["Jonas Weber"], HOSTILE_TEXT, n=2)
    signed_in_token(browser_client, api_key)
    interested = browser_client.get("/console/replies?intent=interested", headers=PAGE)
    assert _replies_in_order(interested.text) == ["Maya Okafor"]
    assert "1 received" in interested.text
    assert '<option value="interested" selected>' in interested.text
    other = browser_client.get("/console/replies?intent=not_interested&campaign=", headers=PAGE)
    assert other.status_code == 200 and _replies_in_order(other.text) == []
    assert "No replies match these filters." in other.text
    campaign = queued["Maya Okafor"]["campaign_id"]
    both = browser_client.get(f"/console/replies?intent=&campaign={campaign}", headers=PAGE)
    assert sorted(_replies_in_order(both.text)) == ["Jonas Weber", "Maya Okafor"]
    elsewhere = browser_client.get(f"/console/replies?campaign={campaign + 1}", headers=PAGE)
    assert _replies_in_order(elsewhere.text) == []


def test_the_inbox_pages_fifty_at_a_time_newest_first(
    browser_client: TestClient, api_key: str, queued: dict[str, dict[str, Any]]
) -> None:
    jonas = queued["Jonas Weber"]
    for n in range(52):  # one reply a minute, the last the newest
        text = f"Noted, thanks. Reference {n:02d}." + (" More words." * 40 if n == 51 else "")
        post_reply(browser_client, jonas, EMAILS["Jonas Weber"], text, n=n, minute=n)
    signed_in_token(browser_client, api_key)
    first = browser_client.get("/console/replies", headers=PAGE)
    assert "52 received" in first.text and "Page 1 of 2" in first.text
    assert len(_replies_in_order(first.text)) == 50
    references = SHOWN_REFERENCE.findall(first.text)
    assert references == [f"{n:02d}" for n in range(51, 1, -1)]
    # The long one is cut, its rest behind a "more" disclosure.
    assert '<details class="reply-text">' in first.text and ">more</span>" in first.text
    assert 'href="/console/replies?intent=&amp;campaign=&amp;page=2"' in first.text
    second = browser_client.get("/console/replies?page=2", headers=PAGE)
    assert SHOWN_REFERENCE.findall(second.text) == ["01", "00"]
    assert "Page 2 of 2" in second.text and "Next page" not in second.text
