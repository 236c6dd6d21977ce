"""The operator chat in the browser over HTTP: the terminal's session, its confirmations kept."""

from __future__ import annotations

import asyncio
import html
import re
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from agent.operator.chat_session import ChatSession
from storage.chat_answers import claim_answer
from storage.database import Database
from tests.server.console.console_forms import PAGE, csrf_of, signed_in_token
from tests.server.console.seeding import HOSTILE_NAME


def _message(client: TestClient, api_key: str, message_id: int) -> dict[str, Any]:
    answer = client.get(
        f"/api/v1/messages/{message_id}", headers={"Authorization": f"Bearer {api_key}"}
    )
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def _open_chat(client: TestClient) -> str:
    started = client.get("/console/chat", headers=PAGE)
    assert started.status_code == 303, started.text
    path = started.headers["location"].removeprefix("http://testserver")
    assert re.fullmatch(r"/console/chat/[0-9a-f]{10}", path), path
    return path


def _say(client: TestClient, chat: str, token: str, text: str) -> str:
    sent = client.post(f"{chat}/turns", data={"csrf": token, "text": text}, headers=PAGE)
    assert sent.status_code == 303, sent.text
    page = client.get(chat, headers=PAGE)
    assert page.status_code == 200, page.text
    return page.text


def _asked(page: str) -> str:
    found = re.search(r'name="asked" value="([^"]*)"', page)
    assert found, "the page asks no question"
    return html.unescape(found.group(1))


def test_the_chat_needs_a_session_and_its_forms_their_token(
    browser_client: TestClient, api_key: str
) -> None:
    assert browser_client.get("/console/chat", headers=PAGE).status_code == 303
    page = browser_client.get("/console/chat/abc123", headers=PAGE)
    assert page.status_code == 303 and page.headers["location"].endswith("/console/sign-in")
    assert browser_client.get("/console/chat/abc123", headers={"Accept": "*/*"}).status_code == 401
    token = signed_in_token(browser_client, api_key)
    chat = _open_chat(browser_client)
    for data in ({"text": "campaigns"}, {"text": "campaigns", "csrf": "guess"}):
        refused = browser_client.post(f"{chat}/turns", data=data, headers=PAGE)
        assert refused.status_code == 403 and "CSRF" in refused.text
    refused = browser_client.post(
        f"{chat}/confirmation", data={"answer": "yes", "asked": ""}, headers=PAGE
    )
    assert refused.status_code == 403
    page = browser_client.get(chat, headers=PAGE)
    assert "Nothing said yet" in page.text and csrf_of(page.text) == token
    assert "script-src 'self'" in page.headers["content-security-policy"]


def test_approving_waits_for_yes_and_happens_once(
    browser_client: TestClient, api_key: str, queued: dict[str, dict[str, Any]]
) -> None:
    token = signed_in_token(browser_client, api_key)
    chat = _open_chat(browser_client)
    maya = queued["Maya Okafor"]
    before = _message(browser_client, api_key, maya["id"])

    page = _say(browser_client, chat, token, f"approve {maya['id']} variant 2")
    assert f"Approve message {maya['id']} (variant 2) for sending" in page
    assert "Yes, go ahead" in page and 'id="reply"' not in page  # no new message meanwhile
    assert _message(browser_client, api_key, maya["id"]) == before
    # A message posted while the question waits is refused, and does nothing.
    busy = browser_client.post(f"{chat}/turns", data={"csrf": token, "text": "queue"}, headers=PAGE)
    assert busy.status_code == 409 and "Answer the question above first" in busy.text
    # An answer to some other question (a stale page) is refused too.
    stale = browser_client.post(
        f"{chat}/confirmation", data={"csrf": token, "answer": "yes", "asked": "x"}, headers=PAGE
    )
    assert stale.status_code == 409 and "question changed" in stale.text
    assert _message(browser_client, api_key, maya["id"]) == before

    yes = {"csrf": token, "answer": "yes", "asked": _asked(page)}
    assert browser_client.post(f"{chat}/confirmation", data=yes, headers=PAGE).status_code == 303
    after = _message(browser_client, api_key, maya["id"])
    assert after["status"] == "approved" and after["version"] > before["version"]
    again = browser_client.post(f"{chat}/confirmation", data=yes, headers=PAGE)
    assert again.status_code == 409 and "answered already" in again.text
    assert _message(browser_client, api_key, maya["id"]) == after
    shown = browser_client.get(chat, headers=PAGE).text
    assert "Yes, go ahead" not in shown and 'id="reply"' in shown


def test_a_yes_another_window_gave_first_is_not_run_again(
    browser_client: TestClient, api_key: str, queued: dict[str, dict[str, Any]]
) -> None:
    """`outreach chat --session ID` in a terminal took the question's Yes a moment before the
    browser's (its actions still running): the browser's Yes is refused and runs nothing."""
    token = signed_in_token(browser_client, api_key)
    chat = _open_chat(browser_client)
    maya = queued["Maya Okafor"]
    page = _say(browser_client, chat, token, f"approve {maya['id']} variant 2")
    before = _message(browser_client, api_key, maya["id"])
    settings = browser_client.app.state.settings  # type: ignore[attr-defined]
    chat_id = chat.rsplit("/", 1)[1]

    async def answered_in_the_terminal() -> None:
        async with ChatSession.open(settings, session_id=chat_id) as terminal:
            asked = (await terminal.graph.aget_state(terminal.config)).interrupts[0]
        async with await Database.connect(settings.database) as db, db.sessions.begin() as s:
            claimed = await claim_answer(
                s,
                thread_id=f"chat:{chat_id}",
                interrupt_id=asked.id,
                confirmed=True,
                answered_by="terminal",
            )
        assert claimed

    asyncio.run(answered_in_the_terminal())
    yes = {"csrf": token, "answer": "yes", "asked": _asked(page)}
    refused = browser_client.post(f"{chat}/confirmation", data=yes, headers=PAGE)
    assert refused.status_code == 409 and "answered already" in refused.text
    assert _message(browser_client, api_key, maya["id"]) == before


def test_no_does_nothing(
    browser_client: TestClient, api_key: str, queued: dict[str, dict[str, Any]]
) -> None:
    token = signed_in_token(browser_client, api_key)
    chat = _open_chat(browser_client)
    jonas = queued["Jonas Weber"]
    before = _message(browser_client, api_key, jonas["id"])
    page = _say(browser_client, chat, token, f"approve {jonas['id']}")
    no = {"csrf": token, "answer": "no", "asked": _asked(page)}
    assert browser_client.post(f"{chat}/confirmation", data=no, headers=PAGE).status_code == 303
    assert _message(browser_client, api_key, jonas["id"]) == before
    shown = browser_client.get(chat, headers=PAGE).text
    assert "not confirmed" in shown and "Yes, go ahead" not in shown


def test_untrusted_text_in_answers_and_messages_stays_text(
    browser_client: TestClient, api_key: str, queued: dict[str, dict[str, Any]]
) -> None:
    token = signed_in_token(browser_client, api_key)
    chat = _open_chat(browser_client)
    page = _say(browser_client, chat, token, "queue")
    assert html.escape(HOSTILE_NAME, quote=False) in page  # the hostile lead, in the table
    assert "Maya Okafor" in page and "<img" not in page
    page = _say(browser_client, chat, token, '<script>alert("you")</script>')
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page


def test_the_browser_chat_cannot_read_files_on_the_server(
    browser_client: TestClient, api_key: str, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.csv"
    secret.write_text("s3cr3t-first-line\n")
    token = signed_in_token(browser_client, api_key)
    chat = _open_chat(browser_client)
    page = _say(browser_client, chat, token, f'import "{secret}"')
    assert "s3cr3t" not in page and "import_leads is not a valid tool" in page
    assert "Start a run" in page  # where lead files go instead
