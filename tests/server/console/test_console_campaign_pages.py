"""Campaign pages over HTTP: behind the session, the API's figures, untrusted names as text."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.server.api_helpers import DEMO_AUDIENCE
from tests.server.console.console_forms import PAGE, signed_in_token
from tests.server.console.seeding import HOSTILE_NAME


def test_campaign_pages_and_their_plot_need_a_session(
    browser_client: TestClient, queued: dict[str, dict[str, Any]]
) -> None:
    campaign_id = queued["Maya Okafor"]["campaign_id"]
    for path in ("/console/campaigns", f"/console/campaigns/{campaign_id}"):
        page = browser_client.get(path, headers=PAGE)
        assert page.status_code == 303 and page.headers["location"].endswith("/sign-in")
    plot = browser_client.get(
        f"/console/campaigns/{campaign_id}/weekly-trend.svg", headers={"Accept": "image/*"}
    )
    assert plot.status_code == 401 and "<svg" not in plot.text


def test_the_list_and_a_campaign_show_the_reports_figures(
    browser_client: TestClient, api_key: str, queued: dict[str, dict[str, Any]]
) -> None:
    key = {"Authorization": f"Bearer {api_key}"}
    hostile = browser_client.post(
        "/api/v1/campaigns",
        json={"name": HOSTILE_NAME, "channel": "email", "target_audience": DEMO_AUDIENCE},
        headers=key,
    )
    assert hostile.status_code == 201, hostile.text
    signed_in_token(browser_client, api_key)

    listing = browser_client.get("/console/campaigns", headers=PAGE)
    assert listing.status_code == 200
    assert "Console review" in listing.text
    assert HOSTILE_NAME not in listing.text
    assert "&lt;img src=x onerror=alert(1)&gt;" in listing.text

    campaign_id = queued["Maya Okafor"]["campaign_id"]
    page = browser_client.get(f"/console/campaigns/{campaign_id}", headers=PAGE)
    assert page.status_code == 200
    assert "script-src 'self'" in page.headers["content-security-policy"]
    # Nothing was sent yet: the funnel says 0 and the A/B test says why it has not decided.
    assert '<th scope="row">Sent</th><td>0</td>' in page.text
    assert "Decision: <strong>not yet</strong>" in page.text
    assert "no sends yet" in page.text
    assert f'src="/console/campaigns/{campaign_id}/weekly-trend.svg"' in page.text

    plot = browser_client.get(f"/console/campaigns/{campaign_id}/weekly-trend.svg")
    assert plot.status_code == 200 and plot.headers["content-type"] == "image/svg+xml"
    assert plot.text.lstrip().startswith("<?xml") and "No data yet" in plot.text
    assert plot.headers["content-security-policy"].startswith("default-src 'none'")

    hostile_page = browser_client.get(f"/console/campaigns/{hostile.json()['id']}", headers=PAGE)
    assert hostile_page.status_code == 200 and HOSTILE_NAME not in hostile_page.text
    assert browser_client.get("/console/campaigns/999999", headers=PAGE).status_code == 404
