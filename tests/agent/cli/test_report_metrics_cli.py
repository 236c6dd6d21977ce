"""`outreach report` with the metrics by segment, angle and week: the tables people read, the
JSON, and the weekly trend written with --plot (SVG or PNG); bad --weeks and --plot refused."""

from __future__ import annotations

import asyncio
import json
import xml.etree.ElementTree as ET
from pathlib import Path

from typer.testing import CliRunner

from agent.cli.app import app
from storage.database import Database
from tests.agent.campaigns.metrics_seed import SCRIPT, UNTIL, seed_metrics_campaign

WINDOW = ["--weeks", "3", "--until", UNTIL.isoformat()]


async def _seed(url: str) -> None:
    async with await Database.connect(url, migrate=True) as db:
        await seed_metrics_campaign(db)


def runner_for(database_url: str) -> CliRunner:
    asyncio.run(_seed(database_url))
    return CliRunner(env={"OUTREACH_DATABASE_URL": database_url, "COLUMNS": "220"})


def test_report_prints_segments_weeks_and_rankings_and_writes_the_plot(
    database_url: str, tmp_path: Path
) -> None:
    runner = runner_for(database_url)
    svg = tmp_path / "trend.svg"
    shown = runner.invoke(app, ["report", "Metrics", *WINDOW, "--plot", str(svg)])
    assert shown.exit_code == 0, shown.output
    out = shown.output
    assert "By segment, angle and week · 2026-W47 to 2026-W49 · 18 leads first written to" in out
    rows = {
        cells[0]: cells[1:]
        for line in out.splitlines()
        if line.count("│") > 3
        for cells in [[c.strip() for c in line.split("│")[1:-1]]]
    }
    # sent, replied, reply %, positive, positive %, 95% interval, meetings
    assert rows["leaders"] == ["11", "5", "45.45", "3", "27.27", "9.75–56.56", "1"]
    assert rows[SCRIPT] == ["6", "3", "50", "2", "33.33", "9.68–70", "1"]
    assert rows["unsegmented"] == ["1", "0", "0", "0", "0", "0–79.35", "0"]
    assert rows["2026-W48"][:7] == ["7", "4", "57.14", "3", "42.86", "15.82–74.95", "1"]
    assert rows["2026-W48"][7] == (
        "+30.36 pts positive; too few leads to compare (8 then 7; 30 a week needed)"
    )
    assert "Top angles" in out and "direct · “cut CI time” · funding" in out
    assert "friendly · no hook (small sample)" in out
    assert "Segments as defined now" in out
    assert f"Weekly trend written to {svg}" in out.replace("\n", "")
    picture = svg.read_bytes()
    ET.fromstring(picture)
    assert b"&lt;script&gt;" in picture and b"<script>" not in picture

    png = tmp_path / "trend.png"
    data = runner.invoke(app, ["report", "Metrics", *WINDOW, "--json", "--plot", str(png)])
    assert data.exit_code == 0, data.output
    metrics = json.loads(data.stdout)["segment_metrics"]
    assert [s["segment"] for s in metrics["segments"]] == ["leaders", SCRIPT, "unsegmented"]
    assert [w["sent"] for w in metrics["weekly"]] == [8, 7, 3]
    assert png.read_bytes().startswith(b"\x89PNG")


def test_bad_weeks_and_plot_files_are_refused(database_url: str, tmp_path: Path) -> None:
    runner = runner_for(database_url)
    too_many = runner.invoke(app, ["report", "Metrics", "--weeks", "53"])
    assert too_many.exit_code == 2 and "--weeks" in too_many.output
    wrong = runner.invoke(app, ["report", "Metrics", "--plot", str(tmp_path / "trend.pdf")])
    assert wrong.exit_code == 1
    assert "--plot trend.pdf: name an .svg or .png file" in wrong.output
    nowhere = tmp_path / "missing" / "trend.svg"
    unwritable = runner.invoke(app, ["report", "Metrics", "--plot", str(nowhere)])
    assert unwritable.exit_code == 1 and "cannot write the picture" in unwritable.output
    assert not nowhere.exists()
