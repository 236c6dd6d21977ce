"""`outreach replies classify` and `outreach replies eval`, as a sales-ops engineer runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from agent.cli.app import app
from tools.replies.classify import RULES_FAILED

REPLIES = [
    {"id": "a", "subject": "Re: Fleet uptime", "text": "Please remove me from your list."},
    {
        "id": "b",
        "subject": "Automatic reply: Fleet uptime",
        "text": "I am out of the office until Monday 11 January 2027 with limited access to email.",
        "headers": {"Auto-Submitted": "auto-replied"},
        "received": "2027-01-04T09:00:00Z",
    },
    {
        "id": "c",
        "subject": "Re: Fleet uptime",
        "text": "I'm not the right person for this - you should talk to Ana Ruiz "
        "(ana.ruiz@northwind-robotics.example), she runs our fleet platform.",
    },
    {
        "id": "d",
        "subject": "Re: Fleet uptime",
        "text": "Sounds good\n\nOn Mon, 4 Jan 2027, Alex Rivera wrote:\n> Worth a 15-minute call "
        "next week?\n> Not interested? Unsubscribe here: https://outreach.example/u/1.abc",
    },
]


def run(tmp_path: Path, lines: list[str]) -> tuple[int, list[dict[str, object]], str]:
    source = tmp_path / "replies.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["replies", "classify", str(source)])
    out = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    return result.exit_code, out, result.stderr


def test_each_reply_gets_its_intent_and_what_to_do_with_it(tmp_path: Path) -> None:
    code, out, _ = run(tmp_path, [json.dumps(r) for r in REPLIES])
    assert code == 0
    by_id = {line["id"]: line for line in out}
    assert [line["id"] for line in out] == ["a", "b", "c", "d"]  # in order, one line each
    assert by_id["a"]["intent"] == "unsubscribe"
    assert by_id["b"]["intent"] == "out_of_office" and by_id["b"]["return_date"] == "2027-01-11"
    assert by_id["c"]["intent"] == "referral"
    assert by_id["c"]["referral"] == {
        "name": "Ana Ruiz",
        "email": "ana.ruiz@northwind-robotics.example",
    }
    # The quoted call to action and unsubscribe line are ours, not the sender's words.
    assert by_id["d"]["intent"] not in ("unsubscribe", "meeting_request")
    for line in out:
        assert set(line) >= {
            "intent",
            "reason",
            "confidence",
            "evidence",
            "return_date",
            "referral",
        }


def test_a_bad_line_is_named_and_the_rest_are_classified(tmp_path: Path) -> None:
    lines = [
        json.dumps(REPLIES[0]),
        "{not json",
        json.dumps({"id": "x", "text": 42}),
        json.dumps(REPLIES[2]),
    ]
    code, out, errors = run(tmp_path, lines)
    assert code == 1
    assert [line["id"] for line in out] == ["a", "c"]
    assert "line 2: not JSON" in errors and "line 3: field text" in errors


def test_an_excel_export_in_cp1252_and_a_file_with_a_bom_are_read(tmp_path: Path) -> None:
    line = json.dumps(
        {"id": "é", "subject": "Re:", "text": "Désinscrivez-moi de votre liste, merci."},
        ensure_ascii=False,
    )
    for name, data in (("ansi", line.encode("cp1252")), ("bom", b"\xef\xbb\xbf" + line.encode())):
        source = tmp_path / f"{name}.jsonl"
        source.write_bytes(data)
        result = CliRunner().invoke(app, ["replies", "classify", str(source)])
        assert result.exit_code == 0, result.output
        [out] = [json.loads(x) for x in result.stdout.splitlines() if x.startswith("{")]
        assert (out["id"], out["intent"]) == ("é", "unsubscribe"), name


def test_the_eval_reports_per_intent_precision_and_recall_and_its_gates(tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    result = CliRunner().invoke(app, ["replies", "eval", "--report", str(report)])
    assert "| unsubscribe |" in result.stdout and "Gates:" in result.stdout
    data = json.loads(report.read_text())
    assert data["per_intent"]["unsubscribe"]["support"] >= 25
    # The labelled set passes its gates and the rules ran on every reply: a classifier that
    # raises on each one (the catch-all makes it `other`) fails here, not just exits 1.
    assert all(data["gates"].values()), data["gates"]
    assert result.exit_code == 0, result.output
    assert data["errors"] == 0
    assert data["accuracy"]["rate"] >= 0.99, data["misses"]
    assert not [m for m in data["misses"] if RULES_FAILED in (m["evidence"] or "")]


def test_the_eval_fails_when_the_rules_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: object) -> None:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr("tools.replies.classify._classify", broken)
    report = tmp_path / "report.json"
    result = CliRunner().invoke(app, ["replies", "eval", "--report", str(report)])
    data = json.loads(report.read_text())
    assert result.exit_code == 1
    assert not all(data["gates"].values())
    assert all(RULES_FAILED in m["evidence"] for m in data["misses"] if m["field"] == "intent")


def test_standard_input_with_a_bom_and_unreadable_sets_give_clear_errors(tmp_path: Path) -> None:
    line = json.dumps(REPLIES[0]).encode()
    result = CliRunner().invoke(app, ["replies", "classify", "-"], input=b"\xef\xbb\xbf" + line)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout.splitlines()[0])["intent"] == "unsubscribe"
    missing = CliRunner().invoke(app, ["replies", "eval", "--set", str(tmp_path / "none.jsonl")])
    assert missing.exit_code != 0 and "cannot read" in " ".join(missing.output.split())
    assert missing.exception is None or isinstance(missing.exception, SystemExit)
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    nothing = CliRunner().invoke(app, ["replies", "eval", "--set", str(empty)])
    assert nothing.exit_code != 0 and "holds no labelled reply" in " ".join(nothing.output.split())
