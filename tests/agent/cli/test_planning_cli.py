"""`outreach segment` and `outreach prioritize` over a lead file, with facts from the database."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from pathlib import Path

import yaml
from typer.testing import CliRunner

from agent.cli.app import app
from agent.leads.store import store_leads
from graphs.lead import Lead
from storage.database import Database
from storage.models import FactRow
from storage.suppressions import suppress

TODAY = dt.date(2026, 12, 7)
CAMPAIGN = {
    "name": "planning",
    "value_proposition": "We cut CI time by a third.",
    "target": {"titles": ["CTO", "VP Engineering"], "industries": ["software"]},
    "segments": [
        {"name": "funded", "share": 0.5, "match": {"trigger": "funding", "within_days": 90},
         "angle": {"tone": "direct", "sequence": "3-step"}},
        {"name": "typo", "share": 0.2, "match": {"titel": "CTO"}},
        {"name": "leaders", "share": 0.3, "match": {"seniority": ["c_level", "vp"]}},
    ],
}  # fmt: skip
LEADS = (
    "name,email,company,title,industry,email_status\n"
    "Maya Okafor,maya@northwind.example,Northwind,VP Engineering,Software,Verified\n"
    "Jonas Weber,jonas@quietpeak.example,Quietpeak,VP Engineering,Software,Verified\n"
    "Chris Doyle,chris@,Nowhere,CTO,Software,\n"
    "Tom Keller,tom@harborpine.example,Harborpine,Baker,Bakery,\n"
)


async def store_funding(url: str, ages: dict[str, int]) -> None:
    """Keep the leads with a funding fact each, as an earlier run's research would."""
    async with await Database.connect(url, migrate=True) as db:
        ids = await store_leads(
            db, [Lead(name=e.split("@")[0], company="Northwind", email=e) for e in ages]
        )
        async with db.sessions.begin() as session:
            for lead_id, days_old in zip(ids, ages.values(), strict=True):
                session.add(
                    FactRow(
                        lead_id=lead_id,
                        fact_id=f"f_{lead_id}",
                        kind="news",
                        text="Northwind raises $30M Series B.",
                        title="Northwind raises $30M Series B",
                        source_url="http://northwind.example/news",
                        tool="company_research",
                        published=TODAY - dt.timedelta(days=days_old),
                        retrieved_at=dt.datetime(2026, 12, 7, tzinfo=dt.UTC),
                    )
                )
            await suppress(session, address="Tom@Harborpine.example", reason="unsubscribed")


def files(tmp_path: Path) -> tuple[str, str]:
    leads = tmp_path / "leads.csv"
    leads.write_text(LEADS)
    campaign = tmp_path / "campaign.yaml"
    campaign.write_text(yaml.safe_dump(CAMPAIGN))
    return str(leads), str(campaign)


def test_prioritize_prints_json_lines_with_reasons_and_uses_stored_facts(
    database_url: str, tmp_path: Path
) -> None:
    asyncio.run(
        store_funding(database_url, {"maya@northwind.example": 10, "jonas@quietpeak.example": 200})
    )
    leads, campaign = files(tmp_path)
    runner = CliRunner(env={"OUTREACH_DATABASE_URL": database_url})
    args = ["prioritize", leads, "--campaign-file", campaign, "--today", "2026-12-07"]
    result = runner.invoke(app, [*args, "--json", "--top", "2"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["email"] for line in lines] == [
        "maya@northwind.example",
        "jonas@quietpeak.example",
    ]
    for line in lines:
        assert {"email", "segment", "score", "reasons"} <= set(line)
        assert isinstance(line["score"], float) and all(isinstance(r, str) for r in line["reasons"])
    assert lines[0]["segment"] == "funded" and lines[1]["segment"] == "leaders"
    assert any("funding" in r and "published 10 days ago" in r for r in lines[0]["reasons"])
    assert any("funding" in r and "published 200 days ago" in r for r in lines[1]["reasons"])
    said = " ".join(result.stderr.split())
    assert "row 4: email: 'chris@' is not a valid email address" in said
    assert "facts: 2 of 3 leads have researched facts in" in said
    assert "1 of them on the suppression list" in said
    assert "segment 'typo', match: field 'titel'" in said and "left out" in said

    table = runner.invoke(app, [*args, "--top", "3"], env={"COLUMNS": "200"})
    assert table.exit_code == 0, table.output
    assert "Priorities: the best 3 of 3 leads" in table.stdout
    assert "published 10 days ago" in table.stdout and "Tom Keller" in table.stdout
    funded = runner.invoke(app, [*args, "--json", "--segment", "funded"])
    assert [json.loads(line)["email"] for line in funded.stdout.splitlines()] == [
        "maya@northwind.example"
    ]
    unknown = runner.invoke(app, [*args, "--segment", "typo"])
    assert unknown.exit_code == 1 and "no segment 'typo'; segments: funded, leaders" in (
        " ".join(unknown.output.split())
    )
    every = runner.invoke(app, [*args, "--json"])
    tom = json.loads(every.stdout.splitlines()[-1])
    assert tom["email"] == "tom@harborpine.example" and tom["score"] < 0
    assert (
        "-1.00 reachability: unsubscribed: on the suppression list, never written to"
        in (tom["reasons"])
    )


def test_segment_shows_the_split_and_each_leads_rule(database_url: str, tmp_path: Path) -> None:
    leads, campaign = files(tmp_path)
    runner = CliRunner(env={"OUTREACH_DATABASE_URL": database_url, "COLUMNS": "200"})
    shown = runner.invoke(app, ["segment", leads, "--campaign-file", campaign, "--no-facts"])
    assert shown.exit_code == 0, shown.output
    out = shown.stdout
    assert "facts: not read (--no-facts)" in out
    assert "error: segment 'typo', match: field 'titel'" in " ".join(out.split())
    rows = {line.split("│")[1].strip(): line for line in out.splitlines() if line.count("│") > 4}
    assert "leaders" in rows and "│     2 │" in rows["leaders"]  # Maya and Jonas: no facts read
    assert "50.0%" in rows["funded"] and "direct, 3-step" in rows["funded"]
    assert "1. trigger: funding; within_days: 90" in rows["funded"]
    listed = runner.invoke(
        app, ["segment", leads, "--campaign-file", campaign, "--no-facts", "--json"]
    )
    lines = [json.loads(line) for line in listed.stdout.splitlines()]
    assert [(line["email"], line["segment"], line["rule"]) for line in lines] == [
        ("maya@northwind.example", "leaders", 1),
        ("jonas@quietpeak.example", "leaders", 1),
        ("tom@harborpine.example", "unsegmented", None),
    ]
    assert lines[0]["matched"] == "seniority is vp"


def test_a_campaign_file_whose_segments_are_not_a_list_is_a_clear_error(tmp_path: Path) -> None:
    leads, _ = files(tmp_path)
    campaign = tmp_path / "bad.yaml"
    campaign.write_text(yaml.safe_dump({**CAMPAIGN, "segments": {"name": "x"}}))
    result = CliRunner().invoke(app, ["segment", leads, "--campaign-file", str(campaign)])
    assert result.exit_code == 1
    assert "campaign field segments" in result.output and "valid list" in result.output


def test_a_target_audience_that_is_not_lists_of_words_is_a_clear_error(tmp_path: Path) -> None:
    leads, _ = files(tmp_path)
    campaign = tmp_path / "bad-target.yaml"
    campaign.write_text(yaml.safe_dump({**CAMPAIGN, "target": {"titles": 5}}))
    result = CliRunner().invoke(app, ["prioritize", leads, "--campaign-file", str(campaign)])
    assert result.exit_code == 1
    said = " ".join(result.output.split())
    assert "campaign field target in" in said
    assert "target_audience.titles must be a string or a list of strings" in said


def test_a_database_that_cannot_be_reached_says_so_and_how_to_go_on(tmp_path: Path) -> None:
    leads, campaign = files(tmp_path)
    runner = CliRunner(env={"OUTREACH_DATABASE_URL": "postgresql+asyncpg://127.0.0.1:1/none"})
    result = runner.invoke(app, ["segment", leads, "--campaign-file", campaign])
    assert result.exit_code == 1
    said = " ".join(result.output.split())
    assert "cannot read stored facts from the database" in said and "--no-facts" in said


def test_help_explains_both_commands() -> None:
    for command in ("segment", "prioritize"):
        result = CliRunner().invoke(app, [command, "--help"], env={"COLUMNS": "200"})
        assert result.exit_code == 0
        assert "--campaign-file" in result.output and "--json" in result.output
    assert "--top" in CliRunner().invoke(app, ["prioritize", "--help"]).output


def test_lead_text_is_printed_as_written_never_as_markup(tmp_path: Path) -> None:
    _, campaign = files(tmp_path)
    leads = tmp_path / "hostile.csv"
    leads.write_text(
        "name,email,company,title\n"
        "[red]Eve[/red],eve@evil.example,[link=http://evil.example]Evil Co[/link],"
        "[bold]CTO[/bold]\n"
    )
    runner = CliRunner(env={"COLUMNS": "250"})
    args = [str(leads), "--campaign-file", campaign, "--no-facts"]
    split = runner.invoke(app, ["segment", *args])
    assert split.exit_code == 0, split.output
    assert "eve@evil.example" in split.stdout
    ranked = runner.invoke(app, ["prioritize", *args])
    assert ranked.exit_code == 0, ranked.output
    assert "[red]Eve[/red]" in ranked.stdout and "[link=http://evil.example]Evil" in ranked.stdout
    assert "title '[bold]CTO[/bold]' matches target 'CTO'" in ranked.stdout
