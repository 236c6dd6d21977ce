"""`outreach replies classify` and `outreach replies eval`, as a sales-ops engineer runs them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from agent.cli.app import app
from evals.reply_scoring import HOLDOUT
from tests.agent.replies.reply_reader import script_reader
from tests.fakes.openai_stub import HTTPError, OpenAIStub
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


def use_model(monkeypatch: pytest.MonkeyPatch, stub: OpenAIStub) -> None:
    """Point the settings, read from the environment as everywhere, at the local stub."""
    for name, value in {
        "OUTREACH_LLM_PROVIDER": "openai",
        "OUTREACH_LLM_BASE_URL": stub.base_url,
        "OUTREACH_LLM_MAX_RETRIES": "0",
        "OUTREACH_LLM_REQUESTS_PER_SECOND": "1000",
    }.items():
        monkeypatch.setenv(name, value)


def intent_misses(report: dict[str, Any]) -> dict[str, str]:
    return {m["id"]: m["got"] for m in report["misses"] if m["field"] == "intent"}


def test_the_eval_with_the_model_reports_both_columns_and_the_model_reads_what_rules_leave(
    tmp_path: Path, stub: OpenAIStub, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_model(monkeypatch, stub)
    script_reader(stub)
    report = tmp_path / "report.json"
    args = ["replies", "eval", "--with-model", "--set", str(HOLDOUT), "--report", str(report)]
    result = CliRunner().invoke(app, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    out = result.stdout
    assert "## Rules\n" in out and "## Rules + model\n" in out and "## Side by side" in out
    assert (
        "| intent | support | precision rules | recall rules "
        "| precision rules + model | recall rules + model |"
    ) in out
    data = json.loads(report.read_text())
    rules, both = intent_misses(data["rules"]), intent_misses(data["rules_and_model"])
    left_open = {case for case, got in rules.items() if got == "other"}
    fixed = left_open - set(both)
    assert len(fixed) >= 5, (rules, both)  # e.g. "does it work w circleci" is a question now
    assert set(both) <= set(rules)  # the model only reads what the rules leave open
    assert f"Fixed by the model: {len(set(rules) - set(both))} (" in out
    assert data["rules_and_model"]["accuracy"]["rate"] > data["rules"]["accuracy"]["rate"]
    asked = len(stub.requests)
    assert asked >= len(left_open) and f"The model decided {asked} of " in out
    assert "could not be asked or read on 0" in out


def test_the_eval_with_the_model_passes_the_labelled_sets_gates(
    tmp_path: Path, stub: OpenAIStub, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_model(monkeypatch, stub)
    script_reader(stub)
    report = tmp_path / "report.json"
    result = CliRunner().invoke(app, ["replies", "eval", "--with-model", "--report", str(report)])
    assert result.exit_code == 0, result.output
    data = json.loads(report.read_text())
    assert all(data["rules_and_model"]["gates"].values())
    assert data["rules_and_model"]["accuracy"]["hits"] >= data["rules"]["accuracy"]["hits"]
    assert 0 < len(stub.requests) < 30  # only the few replies the rules leave open


def test_when_every_model_call_fails_the_eval_still_reports_with_the_rules_verdicts(
    tmp_path: Path, stub: OpenAIStub, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_model(monkeypatch, stub)
    stub.enqueue(*[HTTPError(500, "upstream broke")] * 100)
    report = tmp_path / "report.json"
    result = CliRunner().invoke(app, ["replies", "eval", "--with-model", "--report", str(report)])
    assert result.exit_code == 0, result.output
    data = json.loads(report.read_text())
    assert data["rules_and_model"]["confusion"] == data["rules"]["confusion"]
    asked = len(stub.requests)
    assert asked > 0 and f"could not be asked or read on {asked} " in result.stdout


def test_with_model_and_no_model_configured_says_what_to_set(tmp_path: Path) -> None:
    source = tmp_path / "replies.jsonl"
    source.write_text(json.dumps(REPLIES[0]) + "\n", encoding="utf-8")
    for args in (["eval", "--with-model"], ["classify", "--with-model", str(source)]):
        result = CliRunner().invoke(app, ["replies", *args])
        assert result.exit_code == 1
        assert "OUTREACH_LLM_BASE_URL" in " ".join(result.output.split())


def test_classify_with_the_model_reads_only_the_open_reply(
    tmp_path: Path, stub: OpenAIStub, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_model(monkeypatch, stub)
    script_reader(stub)
    open_reply = {"id": "e", "subject": "Re: Fleet uptime", "text": "does it work w circleci"}
    lines = [json.dumps(r) for r in (*REPLIES, open_reply)]
    source = tmp_path / "replies.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["replies", "classify", "--with-model", str(source)])
    assert result.exit_code == 0, result.output
    out = {line["id"]: line for line in map(json.loads, result.stdout.splitlines())}
    assert list(out) == ["a", "b", "c", "d", "e"]
    assert (out["e"]["intent"], out["e"]["layer"], out["e"]["needs_person"]) == (
        "question",
        "model",
        False,
    )
    assert out["e"]["evidence"] == "does it work w circleci"
    assert out["a"]["layer"] == "rules" and out["b"]["layer"] == "headers"
    assert len(stub.requests) == 1 + (out["d"]["layer"] == "model")  # d: "Sounds good"
