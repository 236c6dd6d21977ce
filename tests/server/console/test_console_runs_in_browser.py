"""Campaigns and runs in Debian's Chromium (Playwright) against a running `outreach serve`.

A manager starts a run from an uploaded lead file (a few demo leads, one named like markup)
and watches it finish through the live progress, then opens the campaign: its funnel, the
A/B standings and the plots render, and the hostile names show as text. Screenshots go to
out/console-screenshots/.
"""

from __future__ import annotations

import httpx

from tests.server.api_helpers import DEMO_AUDIENCE
from tests.server.console.browser_pages import SCREENSHOTS, watched_page
from tests.server.console.run_uploads import demo_lead_file
from tests.server.console.seeding import HOSTILE_NAME
from tests.server.console.test_console_in_browser import (  # the same served console
    served,
    wait_for_status,
)

__all__ = ["served"]
CAMPAIGN_NAME = f"Spring {HOSTILE_NAME}"


def send_and_wait(api: httpx.Client, campaign_id: int) -> int:
    """Send the campaign's approved messages (the dry-run outbox); return how many went."""
    sending = api.post(f"/api/v1/campaigns/{campaign_id}/send")
    assert sending.status_code == 200, sending.text
    for message_id in sending.json()["sent"]:
        wait_for_status(api, message_id, "sent")
    return len(sending.json()["sent"])


def test_a_run_from_an_upload_finishes_live_and_its_campaign_plots(
    chromium: str, served: tuple[str, str, object]
) -> None:
    from playwright.sync_api import FilePayload, expect

    url, key, _ = served
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {key}"}, timeout=60) as api:
        campaign = api.post(
            "/api/v1/campaigns",
            json={
                "name": CAMPAIGN_NAME,
                "channel": "email",
                "auto_send": True,
                "target_audience": DEMO_AUDIENCE,
            },
        )
        assert campaign.status_code == 201, campaign.text
        campaign_id = campaign.json()["id"]
        data, names = demo_lead_file()
        with watched_page(chromium) as (page, dialogs):
            page.goto(f"{url}/console/runs")
            page.get_by_label("API key").fill(key)
            page.get_by_role("button", name="Sign in").click()
            page.get_by_role("link", name="Runs").click()
            expect(page.get_by_role("heading", name="Runs")).to_contain_text("0 recent")

            # Start a run: the campaign and a lead file, uploaded.
            page.get_by_role("link", name="Start a run from a lead file").click()
            page.get_by_label("Campaign").select_option(str(campaign_id))
            expect(page.get_by_label("Campaign")).to_contain_text(CAMPAIGN_NAME)
            upload: FilePayload = {"name": "leads.csv", "mimeType": "text/csv", "buffer": data}
            page.get_by_label("Lead file").set_input_files(files=upload)
            page.screenshot(path=SCREENSHOTS / "run-upload.png", full_page=True)
            page.get_by_role("button", name="Start the run").click()

            # The run page follows the stream until the run ends, then shows every lead.
            expect(page.get_by_role("heading", name="Progress")).to_be_visible()
            expect(page.locator("#run-status")).to_have_text("completed", timeout=180_000)
            expect(page.locator("#run-processed")).to_have_text(str(len(names)))
            expect(page.locator("#run-leads tr")).to_have_count(len(names))
            for name in names:
                expect(page.locator("#run-leads .lead-name", has_text=name)).to_have_count(1)
            assert page.locator("main img").count() == 0
            page.screenshot(path=SCREENSHOTS / "run-finished.png", full_page=True)
            run_id = page.url.rsplit("/", 1)[1]
            stored = api.get(f"/api/v1/runs/{run_id}").json()
            assert stored["status"] == "completed" and stored["processed"] == len(names)
            # A lead's decision opens its message, with the drafts the run wrote.
            decided = {
                api.get(f"/api/v1/leads/{m['lead_id']}").json()["name"]: m
                for m in api.get(f"/api/v1/messages?run_id={run_id}").json()["items"]
            }
            page.locator("#run-leads tr", has_text=names[0]).get_by_role("link").click()
            expect(page.get_by_role("heading", level=1)).to_contain_text(names[0])
            expect(page.locator(".decision-status")).to_have_text(decided[names[0]]["status"])
            chosen = decided[names[0]]["selected_tone"]
            expect(page.get_by_role("region", name=f"{chosen} draft")).to_contain_text("(chosen)")
            page.screenshot(path=SCREENSHOTS / "run-message.png", full_page=True)

            # The campaign: the run's sends in the funnel, the A/B test and the plots.
            sent = send_and_wait(api, campaign_id)
            assert sent >= 1  # the demo leads' drafts pass the offline critic
            page.get_by_role("link", name="Campaigns").click()
            expect(page.get_by_role("link", name=CAMPAIGN_NAME)).to_be_visible()
            page.get_by_role("link", name=CAMPAIGN_NAME).click()
            expect(page.locator("h1 .campaign-name")).to_have_text(CAMPAIGN_NAME)
            funnel = page.locator("table.funnel")
            expect(funnel.get_by_role("row", name=f"Sent {sent}", exact=True)).to_be_visible()
            expect(page.get_by_role("heading", name="A/B test: variants (tones)")).to_be_visible()
            expect(page.locator(".decision")).to_contain_text("Decision:")
            trend = page.locator("#weekly-trend")
            expect(trend).to_be_visible()
            # The picture decodes (a broken or refused one would reject, or have no width).
            assert trend.evaluate("img => img.decode().then(() => img.naturalWidth)") > 0
            box = trend.bounding_box()
            assert box is not None and box["width"] > 0 and box["height"] > 0
            if sent:
                intervals = page.locator("#variant-intervals")
                expect(intervals).to_be_visible()
                shape = intervals.bounding_box()
                assert shape is not None and shape["width"] > 0 and shape["height"] > 0
                assert intervals.locator("rect").count() >= 2
            page.screenshot(path=SCREENSHOTS / "campaign.png", full_page=True)

            # On a phone the pages fit the screen's width (nothing scrolls sideways).
            page.set_viewport_size({"width": 390, "height": 844})
            for path in (f"/console/campaigns/{campaign_id}", f"/console/runs/{run_id}"):
                page.goto(f"{url}{path}")
                assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
                    path
                )
            page.screenshot(path=SCREENSHOTS / "run-on-a-phone.png")
        assert dialogs == []
