"""The model judge over real HTTP against the OpenAI-compatible stub: grades, both-order
pairwise verdicts, and the judgment cache."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from agent.cli.app import app
from tests.agent.test_openai_provider import answer_like_a_model
from tests.evals.test_eval_command import golden_set
from tests.fakes.openai_stub import OpenAIStub, Respond

runner = CliRunner()


def task_input(request: dict[str, Any]) -> dict[str, Any]:
    user = request["messages"][-1]["content"]
    block = re.search(r"<task_input>\s*(.*?)\s*</task_input>", user, re.DOTALL)
    assert block is not None
    return dict(json.loads(block.group(1).replace("\\u003c", "<")))


def model(request: dict[str, Any]) -> str:
    """Write like the offline writer; judge like a reviewer who prefers shorter messages."""
    data = task_input(request)
    if data.get("task") == "grade":
        words = len(data["message"]["body"].split())
        clarity = 5 if words < 90 else 3
        return json.dumps({"relevance": 4, "specificity": 4, "tone_match": 5,
                           "clarity": clarity, "cta": 5, "reason": f"{words} words"})  # fmt: skip
    if data.get("task") == "compare":
        a, b = (len(data[side]["body"]) for side in ("A", "B"))
        return json.dumps(
            {"winner": "A" if a < b else "B" if b < a else "tie", "reason": "shorter"}
        )
    return answer_like_a_model(request)


def env(stub: OpenAIStub, tmp_path: Path) -> dict[str, str]:
    return {
        "OUTREACH_LLM_PROVIDER": "openai",
        "OUTREACH_LLM_BASE_URL": stub.base_url,
        "OUTREACH_LLM_API_KEY": "test-key",
        "OUTREACH_LLM_MAX_RETRIES": "0",
        "OUTREACH_LLM_REQUESTS_PER_SECOND": "1000",
        "OUTREACH_DATA_DIR": str(tmp_path / "data"),
    }


def test_the_judge_grades_and_compares_in_both_orders_and_caches(
    tmp_path: Path, monkeypatch: Any
) -> None:
    golden = str(golden_set(tmp_path / "golden"))
    base = tmp_path / "baseline.json"
    with OpenAIStub() as stub:
        stub.enqueue(*[Respond(model)] * 200)
        for key, value in env(stub, tmp_path).items():
            monkeypatch.setenv(key, value)
        first = runner.invoke(
            app, ["eval", "--golden", golden, "--baseline", str(base), "--bless", "--out", str(tmp_path / "a")]
        )  # fmt: skip
        assert first.exit_code == 0, first.output
        blessed = json.loads(base.read_text())
        maya = next(lead for lead in blessed["leads"] if lead["id"] == "maya")
        assert maya["judge"]["tone_match"] == 5 and 0 < maya["metrics"]["judge_score"] <= 1
        judged = [r for r in stub.requests if "task_input" in str(r)]
        grades = sum(1 for r in judged if '"task": "grade"' in str(r) or '"task":"grade"' in str(r))
        assert grades >= 1

        # A baseline whose Maya draft was longer: the candidate wins only if it wins both ways.
        maya["message"]["body"] += "\n\nP.S. One more long paragraph that adds nothing at all."
        base.write_text(json.dumps(blessed))
        before = len(stub.requests)
        second = runner.invoke(
            app, ["eval", "--golden", golden, "--baseline", str(base), "--out", str(tmp_path / "b")]
        )
        assert second.exit_code == 0, second.output
        assert "1 wins, 0 losses, 0 ties" in second.output
        compares = stub.requests[before:]
        # Generations and grades came from the caches; only the two pairwise orders were asked.
        assert len(compares) == 2

        third = runner.invoke(
            app, ["eval", "--golden", golden, "--baseline", str(base), "--out", str(tmp_path / "c")]
        )
        assert third.exit_code == 0 and len(stub.requests) == before + 2  # all cached now
