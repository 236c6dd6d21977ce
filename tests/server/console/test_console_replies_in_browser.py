"""Replies and tasks in Debian's Chromium (Playwright) against a running `outreach serve`.

Two replies come in through the Inbound Parse webhook: an interested one (the classifier marks
the lead interested and drafts an answer, a task) and a long one that is markup. A reviewer
opens the inbox (the markup shown as text, the long reply opened through its "more"
disclosure), reads the drafted answer and marks its task done. No script runs; screenshots go
to out/console-screenshots/.
"""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.server.console.browser_pages import SCREENSHOTS, watched_page
from tests.server.console.reply_seeding import HOSTILE_TEXT, INTERESTED, post_reply
from tests.server.console.seeding import LEADS, queue_drafts
from tests.server.console.test_console_in_browser import (  # the same served console
    served,
)

__all__ = ["served"]
LONG_TAIL = "The rest of a long reply, behind the disclosure."


def test_a_reviewer_reads_the_inbox_and_finishes_the_drafted_answer(
    chromium: str, served: tuple[str, str, Path]
) -> None:
    from playwright.sync_api import expect

    url, key, _ = served
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {key}"}, timeout=180) as api:
        queued = queue_drafts(api, key)
        post_reply(api, queued["Maya Okafor"], LEADS[0]["email"], INTERESTED, n=1, minute=1)
        long_text = f"{HOSTILE_TEXT} " + "We looked at this already. " * 12 + LONG_TAIL
        post_reply(api, queued["Jonas Weber"], LEADS[1]["email"], long_text, n=2, minute=2)
        [answer] = [t for t in api.get("/api/v1/tasks").json()["items"] if t["kind"] == "reply"]
        with watched_page(chromium) as (page, dialogs):
            page.goto(f"{url}/console/replies")  # signed out: sent to sign in first
            page.get_by_label("API key").fill(key)
            page.get_by_role("button", name="Sign in").click()
            expect(page.get_by_role("heading", name="Review queue")).to_be_visible()
            page.get_by_role("navigation", name="Console").get_by_role(
                "link", name="Replies"
            ).click()
            expect(page.get_by_role("heading", name="Replies")).to_contain_text("2 received")

            # Jonas's reply is markup shown as text; its rest opens behind "more".
            jonas = page.get_by_role("article", name="Jonas Weber")
            expect(jonas.locator("summary")).to_contain_text(HOSTILE_TEXT)
            assert page.locator("main img").count() == 0
            expect(jonas.get_by_text(LONG_TAIL)).to_be_hidden()
            jonas.get_by_text("more", exact=True).click()
            expect(jonas.get_by_text(LONG_TAIL)).to_be_visible()
            expect(jonas.locator("summary .preview")).to_be_hidden()  # the text shows once

            # Maya's: interested, the reason, what was done and the drafted answer.
            maya = page.get_by_role("article", name="Maya Okafor")
            expect(maya.locator(".intent")).to_have_text("interested")
            expect(maya.locator(".reply-actions")).to_contain_text(
                f"a draft answer waits for a person: task {answer['id']}"
            )
            drafted = maya.get_by_role("region", name="Drafted answer to Maya Okafor")
            expect(drafted).to_contain_text(answer["body"].splitlines()[0])
            page.screenshot(path=SCREENSHOTS / "reply-inbox.png", full_page=True)

            drafted.get_by_role("button", name=f"Mark task {answer['id']} done").click()
            expect(page.get_by_role("status")).to_have_text(f"Task {answer['id']} marked done.")
            expect(page.get_by_role("heading", name="Tasks")).to_contain_text("0 open")
            assert api.get(f"/api/v1/tasks/{answer['id']}").json()["status"] == "done"

            page.goto(f"{url}/console/tasks?status=done")
            expect(page.get_by_role("article", name=answer["title"])).to_contain_text("done")
            page.screenshot(path=SCREENSHOTS / "tasks-done.png", full_page=True)

            # On a phone the pages fit the screen's width (nothing scrolls sideways).
            page.set_viewport_size({"width": 390, "height": 844})
            for path in ("/console/replies", "/console/tasks?status=all"):
                page.goto(f"{url}{path}")
                assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
                    path
                )
        assert dialogs == []
