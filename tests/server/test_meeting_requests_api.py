"""A meeting request through Inbound Parse, end to end: the lead is marked interested, a task
holds a draft answer with free slots from the sender's availability file (in the lead's
timezone), and booking the slot the lead accepted returns an ICS invite, marks the lead
meeting_booked and closes the task. With a booking link the draft offers the link instead."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterator
from typing import Any

import httpx
import icalendar
import pytest

from agent.settings import Settings
from graphs.lead import Campaign
from tests.conftest import EXAMPLES
from tests.server.api_helpers import api_client, live_api
from tests.server.test_reply_actions_api import _seed, lead_state, post_reply

ASK = "This is timely, we are fighting flaky tests. Can we set up a call next week?"


@pytest.fixture
def server_settings(server_settings: Settings) -> Settings:
    return server_settings.model_copy(
        update={
            "availability_file": EXAMPLES / "availability.ics",
            "sender_timezone": "America/Los_Angeles",
            "working_hours": "09:00-17:00",
        }
    )


@pytest.fixture
def people(database_url: str, server_settings: Settings) -> dict[str, int]:
    return asyncio.run(_seed(database_url, server_settings))


def reply_task(client: httpx.Client) -> dict[str, Any]:
    tasks = client.get("/api/v1/tasks", params={"status": "open"}).json()["items"]
    [task] = [t for t in tasks if t["kind"] == "reply"]
    return dict(client.get(f"/api/v1/tasks/{task['id']}").json())


def test_a_meeting_request_gets_slots_and_a_booked_slot_becomes_an_invite(
    client: httpx.Client, database_url: str, people: dict[str, int]
) -> None:
    got = post_reply(client, "priya", ASK, reply_id="meet")
    assert got["recorded"] == "replied"
    task = reply_task(client)
    answer = task["answer"]
    assert task["lead"] == "Priya Natarajan" and answer["intent"] == "meeting_request"
    slots = answer["slots"]
    assert 2 <= len(slots) <= 3
    for slot in slots:  # the sender's working hours, Los Angeles time, on a weekday
        start = dt.datetime.fromisoformat(slot["start"]).astimezone(
            dt.timezone(dt.timedelta(hours=-8))
        )
        assert start.weekday() < 5 and 9 <= start.hour < 17
        assert slot["label"] in task["body"]  # the draft offers exactly these
    assert "Alex Rivera" in task["body"] and answer["needs"] == []
    assert lead_state(database_url, people["priya"])["status"] == "interested"

    booked = client.post(f"/api/v1/tasks/{task['id']}/book", json={"slot": 2})
    assert booked.status_code == 200, booked.text
    data = booked.json()
    assert data["lead_stage"] == "meeting_booked" and data["task"]["status"] == "done"
    [event] = icalendar.Calendar.from_ical(data["invite_ics"]).walk("VEVENT")
    assert event.decoded("dtstart") == dt.datetime.fromisoformat(slots[1]["start"])
    assert "priya@copperleaf-health.example" in str(event["attendee"])
    stage = client.get(f"/api/v1/leads/{people['priya']}").json()["stage"]
    assert stage == "meeting_booked"
    again = client.post(f"/api/v1/tasks/{task['id']}/book", json={"slot": 1})
    assert again.status_code == 409  # booked once


def test_booking_a_slot_that_was_not_offered_is_refused(
    client: httpx.Client, people: dict[str, int]
) -> None:
    post_reply(client, "priya", ASK, reply_id="meet")
    task = reply_task(client)
    for body, status in (({"slot": 9}, 422), ({"slot": 0}, 422), ({"slot": "x"}, 422)):
        response = client.post(f"/api/v1/tasks/{task['id']}/book", json=body)
        assert response.status_code == status, response.text
    assert client.post("/api/v1/tasks/999999/book", json={"slot": 1}).status_code == 404
    assert reply_task(client)["status"] == "open"


@pytest.fixture
def linked(server_settings: Settings, api_key: str, campaign: Campaign) -> Iterator[httpx.Client]:
    """The API for a campaign whose sender has a booking page."""
    with live_api(server_settings, campaign) as base_url, api_client(base_url, api_key) as http:
        yield http


def test_with_a_booking_link_the_draft_offers_the_link(
    linked: httpx.Client, database_url: str, server_settings: Settings
) -> None:
    asyncio.run(_seed(database_url, server_settings, booking_url="https://cal.example/alex"))
    post_reply(linked, "priya", ASK, reply_id="meet")
    task = reply_task(linked)
    assert "https://cal.example/alex" in task["body"] and task["answer"]["slots"] == []
    assert task["link"] == "https://cal.example/alex"


def test_a_slot_that_has_passed_is_not_booked(
    server_settings: Settings, api_key: str, campaign: Campaign, people: dict[str, int]
) -> None:
    """The lead answers late: by the time a person books, the slot is gone."""
    with live_api(server_settings, campaign) as base_url, api_client(base_url, api_key) as http:
        post_reply(http, "priya", ASK, reply_id="meet")
        task = reply_task(http)
    later = lambda: dt.datetime(2030, 1, 1, tzinfo=dt.UTC)  # noqa: E731
    with (
        live_api(server_settings, campaign, clock=later) as base_url,
        api_client(base_url, api_key) as http,
    ):
        gone = http.post(f"/api/v1/tasks/{task['id']}/book", json={"slot": 1})
        assert gone.status_code == 422 and "has passed" in gone.json()["detail"]
        assert reply_task(http)["status"] == "open"
