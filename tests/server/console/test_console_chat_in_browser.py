"""The operator chat in Debian's Chromium against a running `outreach serve`.

Sign in, open the chat from the navigation, ask a read-only question by typing it, and see the
answer on the page; then ask for an approval and see the confirmation question (nothing done
before it is answered). A screenshot of the page goes to out/console-screenshots/.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.server.console.browser_pages import LAUNCH_ARGS, SCREENSHOTS
from tests.server.console.seeding import HOSTILE_NAME, queue_drafts
from tests.server.console.served_console import create_key, outreach_serve, serve_env


@pytest.fixture
def served_chat(tmp_path: Path, demo_resolve: dict[str, str]) -> Iterator[tuple[str, str]]:
    """A served console; yields its URL and an API key."""
    data = tmp_path / "served"
    data.mkdir()
    env = serve_env(data, demo_resolve)
    key = create_key(env)
    with outreach_serve(env, tmp_path / "serve.log") as url:
        yield url, key


def test_an_operator_asks_the_chat_in_the_browser(
    chromium: str, served_chat: tuple[str, str]
) -> None:
    from playwright.sync_api import expect, sync_playwright

    url, key = served_chat
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {key}"}, timeout=180) as api:
        maya = queue_drafts(api, key)["Maya Okafor"]
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=LAUNCH_ARGS)
            page = browser.new_context(viewport={"width": 1100, "height": 800}).new_page()
            page.goto(f"{url}/console/sign-in")
            page.get_by_label("API key").fill(key)
            page.get_by_role("button", name="Sign in").click()
            page.get_by_role("navigation", name="Console").get_by_role("link", name="Chat").click()
            expect(page.get_by_role("heading", name="Operator chat")).to_be_visible()

            page.get_by_label("Message").fill("queue")
            page.get_by_role("button", name="Send").click()
            conversation = page.get_by_role("region", name="Conversation")
            expect(conversation.get_by_role("cell", name="Maya Okafor")).to_be_visible()
            expect(conversation.get_by_role("cell", name=HOSTILE_NAME)).to_be_visible()
            assert page.locator("main img").count() == 0

            page.get_by_label("Message").fill(f"approve {maya['id']}")
            page.get_by_role("button", name="Send").click()
            expect(page.get_by_role("button", name="Yes, go ahead")).to_be_visible()
            page.screenshot(path=SCREENSHOTS / "chat.png", full_page=True)
            assert api.get(f"/api/v1/messages/{maya['id']}").json()["status"] == "queued"
            page.get_by_role("button", name="No, do nothing").click()
            expect(page.get_by_label("Message")).to_be_visible()
            browser.close()
        assert api.get(f"/api/v1/messages/{maya['id']}").json()["status"] == "queued"
