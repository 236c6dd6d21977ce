"""Resuming a run a stop cut off, from the console: the button shows only for such a run, the
form needs its CSRF token, and the resumed run writes to every lead once."""

from __future__ import annotations

import time

from fastapi.testclient import TestClient

from agent.runs.background import RunRequest
from storage.runs import start_run
from tests.server.api_helpers import DEMO_AUDIENCE
from tests.server.console.console_forms import PAGE, csrf_of, signed_in_token
from tests.server.console.seeding import LEADS

CUT_OFF = "cutoff000001"


def _cut_off_run(client: TestClient, api_key: str) -> list[int]:
    """A run recorded as the API starts one, whose process then stopped before any lead."""
    key = {"Authorization": f"Bearer {api_key}"}
    assert client.post("/api/v1/leads", json={"leads": LEADS[:2]}, headers=key).status_code == 200
    lead_ids = [lead["id"] for lead in client.get("/api/v1/leads", headers=key).json()["items"]]
    campaign = client.post(
        "/api/v1/campaigns",
        json={"name": "Cut off", "channel": "email", "target_audience": DEMO_AUDIENCE},
        headers=key,
    )
    assert campaign.status_code == 201, campaign.text
    db = client.app.state.db  # type: ignore[attr-defined]

    async def record() -> None:
        async with db.sessions.begin() as session:
            await start_run(
                session,
                run_id=CUT_OFF,
                campaign_id=campaign.json()["id"],
                total=len(lead_ids),
                options=RunRequest(lead_ids=lead_ids).options(),
            )

    assert client.portal is not None
    client.portal.call(record)
    return lead_ids


def test_a_cut_off_run_resumes_from_its_page(browser_client: TestClient, api_key: str) -> None:
    lead_ids = _cut_off_run(browser_client, api_key)
    signed_in_token(browser_client, api_key)
    page = browser_client.get(f"/console/runs/{CUT_OFF}", headers=PAGE)
    assert page.status_code == 200 and "Resume the run" in page.text
    assert 'id="run-processed">0<' in page.text

    forged = browser_client.post(f"/console/runs/{CUT_OFF}/resume", headers=PAGE)
    assert forged.status_code == 403
    resumed = browser_client.post(
        f"/console/runs/{CUT_OFF}/resume", data={"csrf": csrf_of(page.text)}, headers=PAGE
    )
    assert resumed.status_code == 303, resumed.text
    key = {"Authorization": f"Bearer {api_key}"}
    deadline = time.monotonic() + 300
    while (run := browser_client.get(f"/api/v1/runs/{CUT_OFF}", headers=key).json())[
        "status"
    ] == "running":
        assert time.monotonic() < deadline, "the resumed run never ended"
        time.sleep(0.2)
    assert run["status"] == "completed" and run["processed"] == len(lead_ids)
    messages = browser_client.get(f"/api/v1/messages?run_id={CUT_OFF}", headers=key).json()
    assert sorted(m["lead_id"] for m in messages["items"]) == sorted(lead_ids)

    finished = browser_client.get(f"/console/runs/{CUT_OFF}", headers=PAGE)
    assert "Resume the run" not in finished.text
    again = browser_client.post(
        f"/console/runs/{CUT_OFF}/resume", data={"csrf": csrf_of(finished.text)}, headers=PAGE
    )
    assert again.status_code == 409 and "nothing left to resume" in again.text
