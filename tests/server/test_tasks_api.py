"""Tasks over the API: list what is due, read a call script, mark done or skip, once."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi import Depends, FastAPI

from agent.settings import Settings
from graphs.lead import Campaign
from server.app import API_PREFIX, create_app
from server.auth import require_api_key
from server.nul_guard import refuse_nul_text
from server.routes import tasks
from storage.database import Database
from storage.sequence_models import SequenceStepRow
from storage.tasks import as_utc
from tests.conftest import NOW
from tests.server.live_server import LiveServer
from tests.storage.test_tasks import CONNECT_NOTE, SCRIPT, Seeded, seed_database

DAY = dt.timedelta(days=1)


def with_tasks(app: FastAPI) -> FastAPI:
    """Mount the tasks routes as server/app.py mounts the API's, unless it does already."""
    if not any(getattr(route, "path", "") == f"{API_PREFIX}/tasks" for route in app.routes):
        app.include_router(
            tasks.router,
            prefix=API_PREFIX,
            dependencies=[Depends(require_api_key), Depends(refuse_nul_text)],
        )
    return app


@pytest.fixture
def server(server_settings: Settings, api_key: str, campaign: Campaign) -> Iterator[str]:
    """The API with the tasks routes, its clock at NOW."""
    app = with_tasks(create_app(server_settings, campaign_defaults=campaign, clock=lambda: NOW))
    with LiveServer(app) as live:
        yield live.base_url


@pytest.fixture
async def seeded(database_url: str, api_key: str) -> Seeded:
    """Maya's call, overdue since yesterday, and her connection request, due in two days."""
    return await seed_database(database_url, call_due=NOW - DAY, connect_due=NOW + 2 * DAY)


def step_status(url: str, step_id: int) -> tuple[str, dt.datetime | None]:
    """Read a sequence step's status and when it finished, as the scheduler would."""

    async def read() -> SequenceStepRow | None:
        async with await Database.connect(url) as db, db.sessions() as session:
            return await session.get(SequenceStepRow, step_id)

    step = asyncio.run(read())
    assert step is not None
    return step.status, as_utc(step.finished_at) if step.finished_at else None


def test_tasks_are_listed_by_due_time_and_filtered(client: httpx.Client, seeded: Seeded) -> None:
    listed = client.get("/api/v1/tasks")
    assert listed.status_code == 200, listed.text
    page = listed.json()
    assert (page["total"], page["limit"], page["offset"]) == (2, 100, 0)
    call, connect = page["items"]
    assert (call["id"], connect["id"]) == (seeded.call_task_id, seeded.connect_task_id)
    assert call["title"] == "Call Maya Okafor (Northwind Robotics)"
    assert call["link"] == "+1 202 555 0110" and call["body"] == SCRIPT["voicemail"]
    assert call["script"]["discovery_questions"] == SCRIPT["discovery_questions"]
    assert connect["script"] is None and connect["body"] == CONNECT_NOTE
    assert connect["link"] == "https://www.linkedin.com/in/maya-okafor-example"

    due = client.get(
        "/api/v1/tasks", params={"status": "open", "due_before": NOW.isoformat()}
    ).json()
    assert [t["id"] for t in due["items"]] == [seeded.call_task_id] and due["total"] == 1
    naive = client.get("/api/v1/tasks", params={"due_before": "2026-11-22T12:00:00"}).json()
    assert naive["total"] == 1  # no offset: UTC
    other = client.get("/api/v1/tasks", params={"campaign_id": seeded.campaign_id + 1}).json()
    assert other["total"] == 0
    second = client.get("/api/v1/tasks", params={"limit": 1, "offset": 1}).json()
    assert [t["id"] for t in second["items"]] == [seeded.connect_task_id]


def test_a_call_task_reads_as_a_script_flagged_with_its_issues(
    client: httpx.Client, seeded: Seeded
) -> None:
    got = client.get(f"/api/v1/tasks/{seeded.call_task_id}")
    assert got.status_code == 200, got.text
    task = got.json()
    assert task["kind"] == "call" and task["status"] == "open" and task["lead"] == "Maya Okafor"
    script = task["script"]
    assert script["opener"] == SCRIPT["opener"] and script["voicemail"] == SCRIPT["voicemail"]
    assert [o["objection"] for o in script["objections"]] == [
        "It is not a priority right now.",
        "We already have a tool.",
    ]
    assert script["issues"] == ["question 2: check the wording"]
    missing = client.get("/api/v1/tasks/999")
    assert missing.status_code == 404 and missing.json()["detail"] == "there is no task 999"


def test_done_and_skip_finish_the_task_and_its_step_once(
    client: httpx.Client, seeded: Seeded, database_url: str
) -> None:
    done = client.post(
        f"/api/v1/tasks/{seeded.call_task_id}/done", json={"note": "left a voicemail"}
    )
    assert done.status_code == 200, done.text
    task = done.json()
    assert (task["status"], task["note"]) == ("done", "left a voicemail")
    assert dt.datetime.fromisoformat(task["completed_at"]) == NOW
    assert step_status(database_url, seeded.call_step_id) == ("done", NOW)

    again = client.post(f"/api/v1/tasks/{seeded.call_task_id}/skip")
    assert again.status_code == 409
    assert again.json()["detail"].startswith(f"task {seeded.call_task_id} is already done")

    skipped = client.post(f"/api/v1/tasks/{seeded.connect_task_id}/skip")
    assert skipped.status_code == 200 and skipped.json()["status"] == "skipped"
    assert step_status(database_url, seeded.connect_step_id) == ("skipped", NOW)
    assert client.post("/api/v1/tasks/999/done").status_code == 404
    assert client.get("/api/v1/tasks", params={"status": "open"}).json()["total"] == 0


def test_a_call_done_with_a_meeting_booked_marks_the_lead_meeting_booked(
    client: httpx.Client, seeded: Seeded
) -> None:
    not_a_call = client.post(
        f"/api/v1/tasks/{seeded.connect_task_id}/done", json={"meeting_booked": True}
    )
    assert not_a_call.status_code == 422
    assert not_a_call.json()["errors"][0]["field"] == "meeting_booked"
    skipped_call = client.post(
        f"/api/v1/tasks/{seeded.call_task_id}/skip", json={"meeting_booked": True}
    )
    assert skipped_call.status_code == 422  # /skip takes the same body, and refuses a meeting

    booked = client.post(
        f"/api/v1/tasks/{seeded.call_task_id}/done",
        json={"meeting_booked": True, "note": "Tuesday 10:00"},
    )
    assert booked.status_code == 200, booked.text
    assert (booked.json()["status"], booked.json()["note"]) == (
        "done",
        "meeting booked: Tuesday 10:00",
    )
    assert client.get(f"/api/v1/leads/{seeded.lead_id}").json()["stage"] == "meeting_booked"
    # The lead has a person's conversation now: its other open step's task is closed.
    connect = client.get(f"/api/v1/tasks/{seeded.connect_task_id}").json()
    assert connect["status"] == "skipped" and connect["note"].startswith("not needed")


@pytest.mark.parametrize(
    ("method", "path", "options"),
    [
        ("POST", "/done", {"json": {"note": "x" * 2001}}),
        ("POST", "/done", {"json": {"note": "ok", "status": "done"}}),
        ("POST", "/done", {"json": {"note": 42}}),
        ("POST", "/done", {"json": ["note"]}),
        ("POST", "/done", {"json": {"note": "nul\x00here"}}),
        ("POST", "/done", {"json": {"meeting_booked": "maybe"}}),
        (
            "POST",
            "/skip",
            {"content": b"{not json", "headers": {"content-type": "application/json"}},
        ),
        ("GET", "", {"params": {"status": "maybe"}}),
        ("GET", "", {"params": {"due_before": "yesterday"}}),
        ("GET", "", {"params": {"due_before": "0001-01-01T00:00:00+05:00"}}),
        ("GET", "", {"params": {"limit": 0}}),
        ("GET", "", {"params": {"limit": 100000}}),
        ("GET", "", {"params": {"campaign_id": 2**40}}),
    ],
)
def test_hostile_requests_are_refused_with_a_4xx(
    client: httpx.Client, seeded: Seeded, method: str, path: str, options: dict[str, Any]
) -> None:
    base = f"/api/v1/tasks/{seeded.call_task_id}" if path else "/api/v1/tasks"
    response = client.request(method, base + path, **options)
    assert 400 <= response.status_code < 500, response.text
    assert client.get(f"/api/v1/tasks/{seeded.call_task_id}").json()["status"] == "open"


def test_ids_no_row_can_have_and_a_missing_key_are_refused(
    client: httpx.Client, server: str, seeded: Seeded
) -> None:
    assert client.get(f"/api/v1/tasks/{2**40}").status_code == 422
    assert client.post("/api/v1/tasks/0/done").status_code == 422
    with httpx.Client(base_url=server) as stranger:
        assert stranger.get("/api/v1/tasks").status_code == 401
