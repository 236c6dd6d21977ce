"""`outreach export --format csv` as a spreadsheet user opens it: no cell is a formula.

Lead fields and drafts are untrusted (a lead file, a CRM, an API client can put anything in a
company name), so a cell that starts like a formula (OWASP's CSV-injection list: = + - @ tab
carriage return) is written with a leading single quote, which spreadsheets read as "text".
The JSONL export stays verbatim: JSON is not a formula vector.
"""

from __future__ import annotations

import asyncio
import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from agent.cli.app import app
from agent.settings import Settings
from storage.csv_export import neutralize_cell
from storage.database import Database
from storage.models import CampaignRow, LeadRow, MessageRow, RunRow

runner = CliRunner(env={"COLUMNS": "200", "TERMINAL_WIDTH": "200"})

HOSTILE = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]
"""The issue's cells: each is a formula (or a formula after a stripped character) in Excel."""


async def _seed(values: list[str]) -> None:
    """One campaign with a message per hostile value: in the lead's name, company and title,
    and in the selected draft's subject and body and the message's reason."""
    async with (
        await Database.connect(Settings().database, migrate=True) as db,
        db.sessions.begin() as session,
    ):
        campaign = CampaignRow(name="hostile", channel="email", value_proposition="CI")
        session.add(campaign)
        await session.flush()
        session.add(RunRow(id="run-1", campaign_id=campaign.id, status="completed"))
        await session.flush()
        for number, value in enumerate(values, start=1):
            lead = LeadRow(
                name=value,
                company=value,
                title=value,
                email=f"p{number}@example.com",
                email_normalized=f"p{number}@example.com",
            )
            session.add(lead)
            await session.flush()
            session.add(
                MessageRow(
                    campaign_id=campaign.id,
                    lead_id=lead.id,
                    run_id="run-1",
                    variants=[{"tone": "professional", "subject": value, "body": value}],
                    selected_variant="professional",
                    status="queued",
                    reason=value,
                    quality_score=0.5,
                    relevance_score=0.5,
                    cost_usd=0.0,
                )
            )


def _export(tmp_path: Path, fmt: str) -> Path:
    out = tmp_path / f"hostile.{fmt}"
    done = runner.invoke(
        app, ["export", "--campaign", "hostile", "--out", str(out), "--format", fmt]
    )
    assert done.exit_code == 0, done.output
    return out


def test_csv_export_writes_no_cell_a_spreadsheet_runs_as_a_formula(tmp_path: Path) -> None:
    asyncio.run(_seed(HOSTILE))
    out = _export(tmp_path, "csv")
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(HOSTILE)
    for row, value in zip(rows, HOSTILE, strict=True):
        for column in ("name", "company", "title", "subject", "body", "reason"):
            # What a spreadsheet shows: the text as written, behind the quote that makes it text.
            assert row[column] == "'" + value, (column, row[column])
        assert row["email"] == row["email"].lstrip("'")  # ordinary cells are left alone
    # Every data field is quoted, so a comma or semicolon in a cell cannot start a new cell.
    header, first = out.read_text(encoding="utf-8").splitlines()[:2]
    assert header.startswith("campaign,run_id,name,email,company")
    assert first.startswith('"hostile","run-1","\'=cmd|\' /C calc\'!A0","p1@example.com"')


def test_jsonl_export_keeps_the_text_verbatim(tmp_path: Path) -> None:
    asyncio.run(_seed(HOSTILE))
    out = _export(tmp_path, "jsonl")
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["company"] for r in records] == HOSTILE
    assert [r["subject"] for r in records] == HOSTILE


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ("  =1+1", "'  =1+1"),  # spreadsheets that trim leading spaces on import see '=' first
        ("\u00a0@SUM(A1)", "'\u00a0@SUM(A1)"),  # a no-break space trims the same way
        ("\n=1", "'\n=1"),
        ("\x00=1", "'\x00=1"),  # OWASP ASVS 1.2.10 lists NUL too
        ("\uff1d1+1", "'\uff1d1+1"),  # full-width = (East Asian input methods write it)
        ("\uff0b1", "'\uff0b1"),
        ("\uff0d1", "'\uff0d1"),
        ("\uff20SUM(A1)", "'\uff20SUM(A1)"),
        ("-5", "'-5"),  # text that looks like a negative number is text: it gets the quote too
        ("Acme, Inc.", "Acme, Inc."),
        ("O'Brien", "O'Brien"),
        ("a=1", "a=1"),
        ("", ""),
        (None, None),
        (-5.0, -5.0),  # a number the product computed (a score, a cost) stays a number
        (-5, -5),
        (0.25, 0.25),
    ],
)
def test_which_cells_get_the_quote(value: object, written: object) -> None:
    assert neutralize_cell(value) == written
