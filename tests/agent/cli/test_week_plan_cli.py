"""`outreach plan-week` over a generated lead file: the table, the JSON, bad mailboxes named."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import yaml
from typer.testing import CliRunner

from agent.cli.app import app

CAMPAIGN = {
    "name": "weekly",
    "value_proposition": "We cut CI time by a third.",
    "target": {"titles": ["CTO", "VP Engineering"]},
    "sequence": "3-step",
    "segments": [
        {"name": "leaders", "share": 0.5, "match": {"seniority": ["c_level", "vp"]}},
        {"name": "managers", "share": 0.5, "match": {"title": "manager"}},
    ],
    "mailboxes": [
        {"address": "alex@seller.example", "daily_cap": 10},
        {"address": "zero@seller.example", "daily_cap": 0},
    ],
}


def files(tmp_path: Path, count: int = 120) -> tuple[str, str]:
    leads = tmp_path / "leads.csv"
    with leads.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["name", "email", "company", "title", "country"])
        for n in range(count):
            title = "CTO" if n % 2 else "Engineering Manager"
            domain = "bigco.example" if n < 6 else f"co{n}.example"
            writer.writerow([f"Person {n}", f"p{n}@{domain}", f"Co {n}", title, "US"])
    campaign = tmp_path / "campaign.yaml"
    campaign.write_text(yaml.safe_dump(CAMPAIGN))
    return str(leads), str(campaign)


def test_plan_week_prints_the_week_and_what_did_not_fit(tmp_path: Path) -> None:
    leads, campaign = files(tmp_path)
    runner = CliRunner(env={"COLUMNS": "200"})
    args = ["plan-week", leads, "--campaign-file", campaign, "--no-facts"]
    shown = runner.invoke(app, [*args, "--week", "2027-01-13"])
    assert shown.exit_code == 0, shown.output
    out = " ".join(shown.stdout.split())
    assert "Week of Mon 11 Jan 2027" in out
    assert "error: mailbox zero@seller.example: daily_cap 0" in out
    assert "leads wait for next week: mailbox caps" in out
    assert "10/10" in out  # the one mailbox that can send, full on Monday

    printed = runner.invoke(app, [*args, "--json", "--today", "2027-01-06"])
    assert printed.exit_code == 0, printed.output
    plan = json.loads(printed.stdout)
    assert plan["week"] == "2027-01-11"  # the Monday after --today
    assert [m["address"] for m in plan["mailboxes"]] == ["alex@seller.example"]
    for day in plan["days"]:
        for box in day["mailboxes"]:
            assert box["sends"] <= box["cap"] == 10
        accounts = [t["account"] for t in day.get("first_touches", [])]
        assert len(accounts) == len(set(accounts))
    waiting = {x["reason"]: x["count"] for x in plan["did_not_fit"]}
    touches = plan["totals"]["first_touches"]
    assert touches + sum(waiting.values()) == 120
    assert waiting["account_limit"] == 3  # six contacts at bigco.example, three planned
    assert "daily_cap 0" in printed.stderr


def test_a_campaign_file_the_plan_cannot_read_is_refused_by_field(tmp_path: Path) -> None:
    leads, campaign = files(tmp_path, 5)
    Path(campaign).write_text(yaml.safe_dump({**CAMPAIGN, "max_contacts_per_account": 0}))
    refused = CliRunner().invoke(app, ["plan-week", leads, "--campaign-file", campaign,
                                       "--no-facts"])  # fmt: skip
    assert refused.exit_code == 1
    assert "max_contacts_per_account" in refused.output
