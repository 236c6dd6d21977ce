"""The console in Debian's Chromium (Playwright) against a running `outreach serve`.

One reviewer's session: a wrong key refused, sign in, read the queue (a hostile lead name shown
as text), edit a draft (the critic's checks shown before it can be approved), approve it (it
leaves through the dry-run outbox exactly once), reject another with a reason, and a form posted
without its CSRF token refused. Screenshots of each page go to out/console-screenshots/.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.server.console.browser_pages import SCREENSHOTS, watched_page
from tests.server.console.seeding import HOSTILE_NAME, queue_drafts
from tests.server.console.served_console import create_key, outreach_serve, serve_env


@pytest.fixture
def served(tmp_path: Path, demo_resolve: dict[str, str]) -> Iterator[tuple[str, str, Path]]:
    """A served console with three queued drafts; yields its URL, a key and the outbox path."""
    data = tmp_path / "served"
    data.mkdir()
    env = serve_env(data, demo_resolve)
    key = create_key(env)
    with outreach_serve(env, tmp_path / "serve.log") as url:
        yield url, key, data / "outbox.jsonl"


def outbox_lines_to(outbox: Path, email: str) -> list[dict[str, Any]]:
    if not outbox.exists():
        return []
    lines = [json.loads(line) for line in outbox.read_text().splitlines() if line.strip()]
    return [line for line in lines if email in json.dumps(line.get("to"))]


def wait_for_status(api: httpx.Client, message_id: int, status: str) -> dict[str, Any]:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        message = api.get(f"/api/v1/messages/{message_id}").json()
        if message["status"] == status:
            return dict(message)
        time.sleep(0.2)
    raise AssertionError(f"message {message_id} never became {status}: {message['status']}")


def test_a_reviewer_signs_in_edits_approves_and_rejects(
    chromium: str, served: tuple[str, str, Path]
) -> None:
    from playwright.sync_api import expect

    url, key, outbox = served
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {key}"}, timeout=180) as api:
        queued = queue_drafts(api, key)
        maya, jonas, hostile = (
            queued["Maya Okafor"], queued["Jonas Weber"], queued[HOSTILE_NAME]
        )  # fmt: skip
        with watched_page(chromium) as (page, dialogs):
            # Signed out, the queue sends the browser to sign in; a wrong key is refused.
            page.goto(f"{url}/console/review")
            expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
            page.get_by_label("API key").fill("oa_not-the-key")
            page.get_by_role("button", name="Sign in").click()
            expect(page.get_by_role("alert")).to_have_text("wrong key")
            page.screenshot(path=SCREENSHOTS / "sign-in.png")

            page.get_by_label("API key").fill(key)
            page.get_by_role("button", name="Sign in").click()
            expect(page.get_by_role("heading", name="Review queue")).to_contain_text("3 waiting")
            # The hostile name is text on the page, not an image tag that ran a script.
            expect(page.get_by_role("link", name=HOSTILE_NAME)).to_be_visible()
            assert page.locator("main img").count() == 0
            page.screenshot(path=SCREENSHOTS / "review-queue.png", full_page=True)

            # j moves down the queue, Enter opens the draft.
            page.keyboard.press("j")
            page.keyboard.press("Enter")
            expect(page.get_by_role("heading", name="Critic checks")).to_be_visible()

            # Maya's draft: edit it (e focuses the editor), check it, then approve the edit.
            page.goto(f"{url}/console/review/{maya['id']}")
            expect(page.get_by_role("row", name="grounding")).to_be_visible()
            assert page.locator("#send-edit").count() == 0  # nothing to send before a check
            page.keyboard.press("e")
            expect(page.locator("#edit-body")).to_be_focused()
            body = page.locator("#edit-body").input_value()
            edited = body.replace("Best regards", "Thanks for reading")
            assert edited != body
            page.locator("#edit-body").fill(edited)
            page.get_by_role("button", name="Check the edit").click()
            verdict = page.get_by_role("region", name="Critic on your edit")
            expect(verdict).to_contain_text("can be sent")
            expect(verdict.get_by_role("row", name="grounding")).to_contain_text("passed")
            expect(page.locator("#send-edit")).to_be_enabled()
            page.screenshot(path=SCREENSHOTS / "draft-edit-checked.png", full_page=True)
            verdict.screenshot(path=SCREENSHOTS / "edit-verdict.png")
            # A second reviewer (another tab) opens the same draft before the edit goes.
            other = page.context.new_page()
            other.goto(f"{url}/console/review/{maya['id']}")
            page.keyboard.press("a")  # approves the checked edit
            expect(page.get_by_role("status")).to_contain_text(f"Message {maya['id']} edited")
            other.get_by_role("button", name="Approve").click()
            expect(other.get_by_role("alert").first).to_contain_text(
                "Changed by someone else — reload."
            )
            other.screenshot(path=SCREENSHOTS / "draft-refused.png", full_page=True)
            other.close()

            # Approved with the edit; sending the campaign sends it once, and only once.
            approved = api.get(f"/api/v1/messages/{maya['id']}").json()
            assert approved["status"] == "approved"
            assert approved["reason"].startswith("edited and approved by reviewer (console)")
            sending = api.post(f"/api/v1/campaigns/{maya['campaign_id']}/send")
            assert sending.status_code == 200 and sending.json()["sent"] == [maya["id"]], (
                sending.text
            )
            wait_for_status(api, maya["id"], "sent")
            to_maya = outbox_lines_to(outbox, "maya.okafor@northwind-robotics.example")
            assert len(to_maya) == 1
            assert "Thanks for reading" in json.dumps(to_maya[0])
            assert api.post(f"/api/v1/campaigns/{maya['campaign_id']}/send").json()["sent"] == []

            # Jonas: r focuses the reason, Enter rejects.
            page.goto(f"{url}/console/review/{jonas['id']}")
            page.keyboard.press("r")
            expect(page.locator("#reject-reason")).to_be_focused()
            page.keyboard.type("already a customer")
            page.keyboard.press("Enter")
            expect(page.get_by_role("status")).to_contain_text(f"Message {jonas['id']} rejected")
            stored = api.get(f"/api/v1/messages/{jonas['id']}").json()
            assert stored["status"] == "rejected" and "already a customer" in stored["reason"]

            # The hostile lead's draft page shows the name as text too.
            page.goto(f"{url}/console/review/{hostile['id']}")
            expect(page.locator("h1 .lead-name")).to_have_text(HOSTILE_NAME)
            page.screenshot(path=SCREENSHOTS / "draft-hostile-lead.png", full_page=True)

            # The session's cookie goes with this request, the CSRF token does not: refused.
            assert page.request.get(f"{url}/console/review").status == 200
            forged = page.request.post(
                f"{url}/console/review/{hostile['id']}/reject",
                form={"reason": "forged", "expected_version": str(hostile["version"])},
            )
            assert forged.status == 403
            assert api.get(f"/api/v1/messages/{hostile['id']}").json()["status"] == "queued"

            # On a phone the pages fit the screen's width (nothing scrolls sideways).
            page.set_viewport_size({"width": 390, "height": 844})
            for path in ("/console/review", f"/console/review/{hostile['id']}"):
                page.goto(f"{url}{path}")
                assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
                    path
                )
            page.screenshot(path=SCREENSHOTS / "draft-on-a-phone.png")

            page.get_by_role("button", name="Sign out").click()
            expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
        assert dialogs == []
        assert len(outbox_lines_to(outbox, "maya.okafor@northwind-robotics.example")) == 1
