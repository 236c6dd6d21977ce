"""Metrics by segment, angle, sequence and ISO week, on both backends, from a campaign written
through the real storage functions (tests/agent/campaigns/metrics_seed.py has the table)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import select, update

from agent.campaigns.metric_tally import Tally, ranked
from agent.campaigns.segment_metrics import WeeksOutOfRange, segment_metrics
from agent.campaigns.trend_plot import trend_plot
from agent.experiments.intervals import wilson
from storage.database import Database
from storage.models import CampaignRow, LeadRow, MessageRow
from tests.agent.campaigns.metrics_seed import SCRIPT, TITLES, UNTIL, seed_metrics_campaign


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    async with await Database.connect(database_url, migrate=True) as opened:
        yield opened


async def metrics(db: Database, campaign_id: int, weeks: int = 3) -> dict[str, Any]:
    async with db.sessions() as session:
        campaign = await session.get(CampaignRow, campaign_id)
        assert campaign is not None
        return await segment_metrics(session, campaign, weeks=weeks, until=UNTIL)


def counts(row: dict[str, Any]) -> tuple[int, int, int, int]:
    return (row["sent"], row["replied"], row["positive_replies"], row["meetings"])


def ci(part: int, whole: int) -> list[float]:
    return [round(100 * bound, 2) for bound in wilson(part, whole)]


async def test_counts_rates_and_intervals_per_segment_and_week(db: Database) -> None:
    report = await metrics(db, await seed_metrics_campaign(db))
    assert report["weeks"] == ["2026-W47", "2026-W48", "2026-W49"]
    assert report["segment_basis"] == "campaign_rules"
    assert any(note.startswith("Segments as defined now") for note in report["notes"])
    # The W46 lead is outside the window; the late reply counts for its lead's first week.
    assert counts(report["totals"]) == (18, 8, 5, 2)
    segments = {row["segment"]: row for row in report["segments"]}
    assert list(segments) == ["leaders", SCRIPT, "unsegmented"]
    assert counts(segments["leaders"]) == (11, 5, 3, 1)
    assert counts(segments[SCRIPT]) == (6, 3, 2, 1)
    assert counts(segments["unsegmented"]) == (1, 0, 0, 0)
    leaders = segments["leaders"]
    assert leaders["reply_rate"] == round(100 * 5 / 11, 2)
    assert leaders["positive_reply_rate_ci"] == ci(3, 11)
    assert leaders["meeting_rate_ci"] == ci(1, 11)
    assert segments[SCRIPT]["unread_replies"] == 1  # replied, but not counted as positive
    assert any("have no reply the reply classifier read" in n for n in report["notes"])

    weekly = {row["week"]: row for row in report["weekly"]}
    assert counts(weekly["2026-W47"]) == (8, 3, 1, 1)
    assert counts(weekly["2026-W48"]) == (7, 4, 3, 1)
    assert counts(weekly["2026-W49"]) == (3, 1, 1, 0)
    assert weekly["2026-W48"]["positive_reply_rate_ci"] == ci(3, 7)
    assert weekly["2026-W47"]["change"] is None
    moved = weekly["2026-W48"]["change"]
    assert moved["positive_reply_rate"] == {"points": round(300 / 7 - 12.5, 2), "call": "too_few"}
    assert moved["note"] == "too few leads to compare (8 then 7; 30 a week needed)"
    by_segment = {
        s["segment"]: {w["week"]: w for w in s["weeks"]} for s in report["weekly_by_segment"]
    }
    assert counts(by_segment["leaders"]["2026-W48"]) == (5, 3, 2, 0)
    assert counts(by_segment[SCRIPT]["2026-W49"]) == (1, 1, 1, 0)
    assert counts(by_segment["unsegmented"]["2026-W49"]) == (0, 0, 0, 0)

    wider = await metrics(db, report["campaign_id"], weeks=4)
    assert wider["weeks"][0] == "2026-W46" and counts(wider["totals"]) == (19, 9, 6, 2)


async def test_angles_and_sequences_are_ranked_by_the_lower_bound(db: Database) -> None:
    report = await metrics(db, await seed_metrics_campaign(db))
    angles = {row["label"]: row for row in report["angles"]}
    assert counts(angles["direct · “cut CI time” · funding"]) == (11, 5, 3, 1)
    assert counts(angles["friendly · no hook"]) == (6, 3, 2, 1)
    assert angles["friendly · no hook"]["angle"] == {
        "tone": "friendly",
        "emphasis": None,
        "hook": "no hook",
    }
    top = [(row["label"], row["sent"], row["small_sample"]) for row in report["top_angles"]]
    # The friendly angle's rate is higher (33% vs 27%), but 6 leads are too few to outrank 11.
    assert top == [
        ("direct · “cut CI time” · funding", 11, False),
        ("friendly · no hook", 6, True),
        ("professional · no hook", 1, True),
    ]
    assert report["top_angles"][0]["lower_bound"] == ci(3, 11)[0]
    sequences = [(r["sequence"], counts(r)) for r in report["top_sequences"]]
    assert sequences == [("one message", (14, 6, 4, 1)), ("3-step", (4, 2, 1, 1))]


async def test_without_segment_rules_the_leads_segment_column_is_used(db: Database) -> None:
    report = await metrics(db, await seed_metrics_campaign(db, rules=False))
    assert report["segment_basis"] == "lead_field" and report["defined_segments"] == []
    assert any("`segment` column" in note for note in report["notes"])
    segments = {row["segment"]: counts(row) for row in report["segments"]}
    assert segments == {
        "leaders": (11, 5, 3, 1), SCRIPT: (6, 3, 2, 1), "unsegmented": (1, 0, 0, 0),
    }  # fmt: skip
    assert report["top_angles"][0]["label"] == "direct · funding"  # no segment, no emphasis


def tally(sent: int, positive: int) -> dict[str, Any]:
    counted = Tally()
    for n in range(sent):
        yes = n < positive
        counted.add(replied=yes, positive=yes, read=True, meeting=False)
    return counted.row()


def test_the_lower_bound_not_the_raw_rate_decides_the_ranking() -> None:
    rows = {
        "30 of 200": tally(200, 30),
        "2 of 10": tally(10, 2),
        "4 of 12": tally(12, 4),
        "1 of 1": tally(1, 1),
        "1 of 2": tally(2, 1),
        "none sent": tally(0, 0),
    }
    order = ranked([{"name": k, **v} for k, v in rows.items()], top=10)
    assert [row["name"] for row in order] == ["4 of 12", "30 of 200", "2 of 10", "1 of 1", "1 of 2"]
    # 2 of 10 has the higher rate (20% vs 15%) and still ranks below 30 of 200.
    assert order[2]["positive_reply_rate"] > order[1]["positive_reply_rate"]
    assert [row["rank"] for row in order] == [1, 2, 3, 4, 5]
    assert [row["small_sample"] for row in order] == [False, False, False, True, True]


@pytest.mark.parametrize("weeks", [0, 53, -1])
async def test_weeks_outside_1_to_52_are_refused(db: Database, weeks: int) -> None:
    campaign_id = await seed_metrics_campaign(db)
    with pytest.raises(WeeksOutOfRange, match="weeks must be from 1 to 52"):
        await metrics(db, campaign_id, weeks=weeks)


async def test_a_campaign_without_sends_has_empty_tables_and_a_plot_saying_so(
    db: Database,
) -> None:
    async with db.sessions.begin() as session:
        empty = CampaignRow(name="Empty", channel="email", value_proposition="CI.")
        session.add(empty)
        await session.flush()
        campaign_id = empty.id
    report = await metrics(db, campaign_id)
    assert report["segments"] == [] and report["angles"] == [] and report["top_angles"] == []
    assert counts(report["totals"]) == (0, 0, 0, 0)
    assert [counts(w) for w in report["weekly"]] == [(0, 0, 0, 0)] * 3
    svg = trend_plot(report, "svg")
    ET.fromstring(svg)
    assert b"No data yet" in svg


async def test_the_trend_plot_names_the_segments_escaped(db: Database) -> None:
    report = await metrics(db, await seed_metrics_campaign(db))
    svg = trend_plot(report, "svg")
    root = ET.fromstring(svg)  # well-formed XML
    texts = " ".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
    assert "leaders" in texts and SCRIPT in texts and "Metrics: 2026-W47 to 2026-W49" in texts
    assert b"&lt;script&gt;" in svg and b"<script>" not in svg
    assert "W47" in texts and "n=8" in texts  # the weeks and their sample sizes
    assert trend_plot(report, "png").startswith(b"\x89PNG")


def test_hostile_segment_names_stay_text_in_the_plot() -> None:
    name = "$x^2$ _hidden\x00 </text><script>alert(1)</script>"
    week = {**tally(3, 1), "week": "2026-W49", "change": None}
    report = {
        "name": "<b>campaign</b>",
        "weeks": ["2026-W49"],
        "totals": tally(3, 1),
        "weekly": [week],
        "weekly_by_segment": [{"segment": name, "weeks": [week]}],
    }
    svg = trend_plot(report, "svg")
    root = ET.fromstring(svg)
    texts = [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert any("</text><script>" in t for t in texts)  # shown as written, as text
    assert any("$x^2$" in t for t in texts)  # not typeset as mathtext
    assert any("<b>campaign</b>" in t for t in texts)
    assert b"<script>" not in svg and b"\x00" not in svg


async def _record_segment(db: Database, title: str, segment: str, emphasis: str) -> None:
    """Give the first messages of the leads with this title the segment a run recorded."""
    recorded = {"prompts": {"generate": {"segment": {
        "segment": segment, "rule": 1, "matched": "seeded",
        "angle": {"tone": None, "emphasis": emphasis, "sequence": None},
    }}}}  # fmt: skip
    async with db.sessions.begin() as session:
        ids = select(LeadRow.id).where(LeadRow.title == title).scalar_subquery()
        await session.execute(
            update(MessageRow)
            .where(MessageRow.lead_id.in_(ids), MessageRow.sequence_step == 0)
            .values(generation=recorded)
        )


async def test_a_segment_the_message_recorded_wins_over_todays_rules(db: Database) -> None:
    campaign_id = await seed_metrics_campaign(db)
    # The unsegmented lead's message was written for "leaders" (rules changed since).
    await _record_segment(db, TITLES["unsegmented"], "leaders", "recorded emphasis")
    report = await metrics(db, campaign_id)
    assert report["segment_basis"] == "recorded_and_rules"
    assert any(note.startswith("Segments as recorded where") for note in report["notes"])
    segments = {row["segment"]: counts(row) for row in report["segments"]}
    assert segments == {"leaders": (12, 5, 3, 1), SCRIPT: (6, 3, 2, 1)}
    labels = [row["label"] for row in report["top_angles"]]
    assert any("“recorded emphasis”" in label for label in labels)

    for title in {TITLES[name] for name in TITLES if name != "unsegmented"}:
        await _record_segment(db, title, "as written", "")
    report = await metrics(db, campaign_id)
    assert report["segment_basis"] == "recorded"
    segments = {row["segment"]: counts(row) for row in report["segments"]}
    assert segments == {"as written": (17, 8, 5, 2), "leaders": (1, 0, 0, 0)}
