"""`outreach calibrate` prints and writes the report per check, class and language, lists the
false alarms and misses, and gates on it."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml
from typer.testing import CliRunner

from agent.cli.app import app
from evals.calibration_set import load_calibration

runner = CliRunner()
PICKED = (
    "good-g01-email-professional",  # English, good
    "ph-g01-your-name",  # a placeholder leak
    "es-good-g14-email-twelve-engineers",  # Spanish, good
    "es-words-g14-email-ten-engineers",  # Spanish, a wrong number in words
    "de-list-g13-email-stack-no-und",  # German, a list without "und"
)


def picked_cases(folder: Path) -> None:
    cases = {case.id: case for case in load_calibration()}
    data = [
        cases[case_id].model_dump(mode="json", by_alias=True, exclude_none=True)
        for case_id in PICKED
    ]
    folder.mkdir()
    (folder / "picked.yaml").write_text(yaml.safe_dump(data, allow_unicode=True))


def test_calibrate_prints_and_writes_the_tables_per_check_class_and_language(
    tmp_path: Path,
) -> None:
    picked_cases(tmp_path / "cases")
    result = runner.invoke(
        app, ["calibrate", "--cases", str(tmp_path / "cases"), "--out", str(tmp_path / "cal")]
    )
    said = " ".join(result.output.split())  # however the console wraps it
    for title in ("Critic calibration (5 labelled messages)", "Per check", "Per class",
                  "Per language", "Verdict (a failed message is a positive)"):  # fmt: skip
        assert title in said, title
    for row in ("grounding", "placeholders", "wording", "language", "wrong_number_words",
                "list_without_conjunction"):  # fmt: skip
        assert re.search(rf"^ {row} +│", result.output, re.MULTILINE), row  # a table's row

    data = json.loads((tmp_path / "cal" / "calibration.json").read_text(encoding="utf-8"))
    records: list[dict[str, Any]] = data["cases"]
    assert [record["id"] for record in records] == list(PICKED)
    assert {r["language"] for r in records} == {"en", "es", "de"}
    assert data["languages"]["es"]["cases"] == 2 and data["languages"]["es"]["bad"] == 1
    assert data["classes"]["placeholder_leak"]["bad"] == 1
    # The check table counts what the records say fired.
    grounding = data["checks"]["grounding"]
    assert grounding["fired"] == sum("grounding" in r["failed_checks"] for r in records)
    assert grounding["targets"] == 1  # the one hallucinated_claim case
    assert data["checks"]["placeholders"]["targets"] == 1
    # False alarms and misses are listed by id, a false alarm with the critic's issues.
    false_alarms = [r for r in records if r["defect"] == "none" and not r["critic_passed"]]
    assert [a["id"] for a in data["false_alarms"]] == [r["id"] for r in false_alarms]
    for alarm, r in zip(data["false_alarms"], false_alarms, strict=True):
        assert alarm["issues"] == r["issues"] and alarm["id"] in said
    misses = [r["id"] for r in records if r["defect"] != "none" and r["critic_passed"]]
    assert [miss["id"] for miss in data["misses"]] == misses
    assert all(miss in said for miss in misses)
    # The exit code is the gate's verdict.
    assert data["gate"]["passed"] is (result.exit_code == 0), result.output
    assert ("PASS:" in said) is data["gate"]["passed"]
    for reason in data["gate"]["failures"]:
        assert " ".join(reason.split()) in said
