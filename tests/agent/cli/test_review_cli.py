"""`outreach review` as a reviewer uses it: the list, a draft with evidence, and each action."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from agent.cli.app import app
from agent.settings import Settings
from graphs.lead import Campaign
from tests.agent.review.test_review_queue import queue_demo_leads

runner = CliRunner()


@pytest.fixture
def queued(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    campaign: Campaign,
    demo_resolve: dict[str, str],
) -> dict[str, int]:
    monkeypatch.setenv("OUTREACH_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("COLUMNS", "160")
    settings = Settings(data_dir=tmp_path, allow_private_networks=True, auto_send=False)
    return asyncio.run(queue_demo_leads(settings, campaign, demo_resolve))


def outbox(tmp_path: Path) -> list[dict[str, str]]:
    path = tmp_path / "outbox.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def test_list_and_show_give_the_reviewer_drafts_and_evidence(queued: dict[str, int]) -> None:
    listed = runner.invoke(app, ["review", "list"])
    assert listed.exit_code == 0, listed.output
    assert "Review queue (6 waiting)" in listed.output and "Maya Okafor" in listed.output
    assert f"{queued['Maya Okafor']} (v1)" in listed.output

    shown = runner.invoke(app, ["review", "show", str(queued["Maya Okafor"])])
    assert shown.exit_code == 0, shown.output
    assert "Why it is queued: ready to send" in shown.output
    assert "Evidence behind each hook" in shown.output
    assert "http://northwind-robotics.example/" in shown.output
    assert "Subject:" in shown.output

    as_json = runner.invoke(app, ["review", "show", str(queued["Maya Okafor"]), "--json"])
    item = json.loads(as_json.output)
    assert item["paused"] is True and len(item["variants"]) == 3


def test_approve_with_a_variant_sends_that_variant(queued: dict[str, int], tmp_path: Path) -> None:
    message_id = queued["Maya Okafor"]
    shown = json.loads(runner.invoke(app, ["review", "show", str(message_id), "--json"]).output)
    friendly = next(v for v in shown["variants"] if v["tone"] == "friendly")

    result = runner.invoke(
        app,
        ["review", "approve", str(message_id), "--variant", "friendly", "--reviewer", "kim",
         "--expect-version", str(shown["version"])],
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    assert f"Message {message_id}: sent via dry-run" in result.output
    assert [m["body"] for m in outbox(tmp_path)] == [friendly["body"]]
    listed = runner.invoke(app, ["review", "list"])
    assert "Maya Okafor" not in listed.output and "(5 waiting)" in listed.output


def test_errors_name_what_is_wrong(queued: dict[str, int], tmp_path: Path) -> None:
    message_id = str(queued["Maya Okafor"])
    stale = runner.invoke(app, ["review", "approve", message_id, "--expect-version", "9"])
    assert stale.exit_code == 1
    assert "changed since you loaded it (you had version 9, it is now 1)" in stale.output
    missing = runner.invoke(
        app, ["review", "edit", message_id, "--expect-version", "1", "--body-file", "nope.txt"]
    )
    assert missing.exit_code == 1 and "--body-file: nope.txt does not exist" in missing.output
    empty = runner.invoke(app, ["review", "regenerate", message_id, "--instruction", " "])
    assert empty.exit_code == 1 and "regenerate needs a non-empty instruction" in empty.output
    unversioned = runner.invoke(app, ["review", "approve", message_id])
    assert unversioned.exit_code == 2 and "--expect-version" in unversioned.output
    unknown = runner.invoke(app, ["review", "approve", "999", "--expect-version", "1"])
    assert unknown.exit_code == 1 and "there is no message 999" in unknown.output
    assert outbox(tmp_path) == []


def test_interactive_edit_opens_the_editor_and_sends_the_edit(
    queued: dict[str, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    editor = tmp_path / "editor.py"
    editor.write_text(
        "import sys, pathlib\n"
        "p = pathlib.Path(sys.argv[1])\n"
        "head, rest = p.read_text().split('\\n\\n', 2)[:2], p.read_text().split('\\n\\n', 2)[2]\n"
        "p.write_text('\\n\\n'.join([*head, 'Your monorepo post was a good read.', rest]))\n"
    )
    monkeypatch.setenv("EDITOR", f"{sys.executable} {editor}")
    message_id = queued["Maya Okafor"]

    result = runner.invoke(
        app, ["review", "--reviewer", "kim"], input=f"{message_id}\ne\nprofessional\nq\n"
    )

    assert result.exit_code == 0, result.output
    assert "Review queue (6 waiting)" in result.output
    assert f"Message {message_id}: sent via dry-run" in result.output
    assert "edited and approved by kim" in result.output
    [message] = outbox(tmp_path)
    assert "Your monorepo post was a good read." in message["body"]
    assert "Review queue (5 waiting)" in result.output  # back to the list, one fewer


def test_interactive_reject_and_quit(queued: dict[str, int], tmp_path: Path) -> None:
    message_id = queued["Sofia Lindqvist"]
    result = runner.invoke(app, ["review"], input=f"{message_id}\nr\nnot a fit this quarter\nq\n")
    assert result.exit_code == 0, result.output
    assert f"Message {message_id}: rejected" in result.output
    assert "not a fit this quarter" in result.output
    assert outbox(tmp_path) == []
