"""`outreach eval` and `outreach calibrate` end to end on small golden sets made here."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from agent.cli.app import app
from tests.conftest import EXAMPLES

runner = CliRunner()
FACTS = [
    {"id": "f_post000001", "kind": "post", "source_url": "http://northwind.example/blog/monorepo",
     "tool": "recorded", "published": "2026-11-05", "retrieved_at": "2026-11-20T10:00:00Z",
     "title": "What we learned moving 40 services into one monorepo",
     "text": "Maya Okafor wrote about moving 40 services into one monorepo and fighting flaky tests."},
    {"id": "f_news000001", "kind": "news", "source_url": "http://northwind.example/news/series-b",
     "tool": "recorded", "published": "2026-10-28", "retrieved_at": "2026-11-20T10:00:00Z",
     "title": "Northwind Robotics raises $40M Series B to expand fleet software",
     "text": "Northwind Robotics raised a $40M Series B to expand its fleet software team."},
    {"id": "f_hire000001", "kind": "hiring", "source_url": "http://northwind.example/careers",
     "tool": "recorded", "retrieved_at": "2026-11-20T10:00:00Z",
     "text": "Northwind Robotics is hiring 3 platform engineers to work on CI and build tooling."},
]  # fmt: skip


def golden_set(root: Path) -> Path:
    (root / "campaigns").mkdir(parents=True)
    (root / "leads").mkdir()
    (root / "campaigns" / "brightpath.yaml").write_text((EXAMPLES / "campaign.yaml").read_text())
    leads: list[dict[str, Any]] = [
        {"id": "maya", "description": "strong fit, rich research", "tags": ["strong_fit"],
         "campaign": "brightpath",
         "lead": {"name": "Maya Okafor", "company": "Northwind Robotics", "title": "VP Engineering",
                  "email": "maya.okafor@northwind.example", "company_url": "http://northwind.example/"},
         "facts": FACTS,
         "expect": {"decision": "send", "must_use_facts": ["f_post000001", "f_news000001"],
                    "must_not_claim": ["Series C", "Berlin"]}},
        {"id": "bakery", "description": "poor fit", "tags": ["poor_fit"], "campaign": "brightpath",
         "lead": {"name": "Tom Keller", "company": "Keller Bakery", "title": "Owner",
                  "email": "tom@keller-bakery.example", "company_url": "http://keller-bakery.example/",
                  "industry": "bakery"},
         "facts": [{"id": "f_bake000001", "kind": "company", "source_url": "http://keller-bakery.example/",
                    "tool": "recorded", "retrieved_at": "2026-11-20T10:00:00Z",
                    "text": "Keller Bakery is a family bakery and retail shop baking sourdough bread."}],
         "expect": {"decision": "reject"}},
    ]  # fmt: skip
    for lead in leads:
        (root / "leads" / f"{lead['id']}.yaml").write_text(yaml.safe_dump(lead))
    return root


def run(*args: str) -> Any:
    return runner.invoke(app, list(args))


def test_eval_blesses_then_gates_on_the_baseline(tmp_path: Path) -> None:
    golden = str(golden_set(tmp_path / "golden"))
    base = tmp_path / "baseline.json"
    out = tmp_path / "rep"
    blessed = run("eval", "--golden", golden, "--out", str(out), "--baseline", str(base), "--bless")
    assert blessed.exit_code == 0, blessed.output
    assert "Passed: 2/2" in blessed.output
    stored = json.loads(base.read_text())
    assert [lead["id"] for lead in stored["leads"]] == ["bakery", "maya"]
    assert "latency_ms" not in stored["leads"][0]  # run-to-run noise stays out of the baseline
    maya = stored["leads"][1]
    assert maya["decision"] == "send" and maya["metrics"]["unsupported_claims"] == 0
    assert maya["metrics"]["must_use_covered"] == 1.0

    again = run("eval", "--golden", golden, "--out", str(out), "--baseline", str(base))
    assert again.exit_code == 0, again.output
    assert "No regression" in again.output and "2 from the generation cache" in again.output
    report = (out / "report.md").read_text()
    assert report.splitlines()[2].startswith("**PASS**")
    page = (out / "report.html").read_text()
    assert "<script" not in page and "<link" not in page and "Hi Maya," in page
    data = json.loads((out / "report.json").read_text())
    assert data["summary"]["passed"] == 2 and data["comparison"]["regressions"] == []


def test_a_worse_candidate_fails_the_gate_and_is_listed_first(tmp_path: Path) -> None:
    golden = str(golden_set(tmp_path / "golden"))
    base = tmp_path / "baseline.json"
    out = tmp_path / "rep"
    run("eval", "--golden", golden, "--out", str(out), "--baseline", str(base), "--bless")
    # A baseline that read far more easily than today's drafts and used no long sentences.
    stored = json.loads(base.read_text())
    maya = next(lead for lead in stored["leads"] if lead["id"] == "maya")
    maya["metrics"]["reading_ease"] += 40
    base.write_text(json.dumps(stored))

    result = run("eval", "--golden", golden, "--out", str(out), "--baseline", str(base))

    assert result.exit_code == 1, result.output
    assert "Regressions against the baseline" in result.output and "reading_ease" in result.output
    report = (out / "report.md").read_text()
    assert "**FAIL**" in report and "reading_ease" in report.splitlines()[2]
    table = [line for line in report.splitlines() if line.startswith("| reading_ease")]
    assert table and "REGRESSION" in table[0]


def test_a_pinned_prompt_version_is_evaluated_and_reported(tmp_path: Path) -> None:
    golden = str(golden_set(tmp_path / "golden"))
    base = tmp_path / "baseline.json"
    run(
        "eval", "--golden", golden, "--out", str(tmp_path / "a"), "--baseline", str(base), "--bless"
    )
    result = run(
        "eval", "--golden", golden, "--out", str(tmp_path / "b"), "--baseline", str(base),
        "--prompt", "generate=v1",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "'generate': 'v1'" in result.output
    # A new prompt hash means new generations, not the cached ones.
    assert "0 from the generation cache" in result.output


def test_bad_golden_files_are_named(tmp_path: Path) -> None:
    root = golden_set(tmp_path / "golden")
    broken = yaml.safe_load((root / "leads" / "maya.yaml").read_text())
    broken["expect"]["must_use_facts"] = ["f_nope"]
    (root / "leads" / "maya.yaml").write_text(yaml.safe_dump(broken))
    result = run("eval", "--golden", str(root), "--out", str(tmp_path / "rep"))
    assert result.exit_code == 1
    assert "maya.yaml" in result.output and "f_nope" in result.output


def calibration_case(
    case_id: str, defect: str, body: str, hooks: list[dict[str, Any]]
) -> dict[str, Any]:
    return {"id": case_id, "golden": "maya", "tone": "professional",
            "subject": "Your monorepo post", "body": body, "hooks": hooks, "defect": defect}  # fmt: skip


GOOD = (
    "Hi Maya,\n\nI read your post on moving 40 services into one monorepo, and saw that "
    "Northwind Robotics is hiring 3 platform engineers for CI and build tooling.\n\n"
    "Brightpath shows engineering teams which builds and tests slow their CI pipelines down, "
    "and flags flaky tests before they block merges.\n\n"
    "Worth a 15-minute call next week to see it on your pipeline?\n\nBest regards,\nAlex Rivera"
)
HOOKS = [
    {"text": "your post on moving 40 services into one monorepo", "fact_ids": ["f_post000001"]},
    {"text": "hiring 3 platform engineers for CI and build tooling", "fact_ids": ["f_hire000001"]},
]


@pytest.mark.parametrize(
    ("hallucination", "exit_code"),
    [
        # A proper noun no fact supports: the grounding check catches it.
        ("congratulations on the Series C led by Sequoia", 0),
        # A lowercase invention with no name, number or date slips past the deterministic gate.
        ("congratulations on the recent acquisition of a competitor", 1),
    ],
)
def test_calibrate_reports_per_defect_and_gates_on_hallucinations(
    tmp_path: Path, hallucination: str, exit_code: int
) -> None:
    golden = golden_set(tmp_path / "golden")
    cases_dir = tmp_path / "cases"
    cases_dir.mkdir()
    bad = GOOD.replace("Worth a", f"Also, {hallucination}. Worth a")
    cases = [
        calibration_case("good-1", "none", GOOD, HOOKS),
        calibration_case("hallucinated-1", "hallucinated_hook", bad, HOOKS),
        calibration_case("leak-1", "placeholder_leak", GOOD.replace("Hi Maya", "Hi {{first_name}}"), HOOKS),
    ]  # fmt: skip
    (cases_dir / "cases.yaml").write_text(yaml.safe_dump(cases))

    result = run(
        "calibrate", "--cases", str(cases_dir), "--golden", str(golden),
        "--out", str(tmp_path / "cal"),
    )  # fmt: skip

    assert result.exit_code == exit_code, result.output
    assert "Critic calibration (3 labelled messages)" in result.output
    scores = json.loads((tmp_path / "cal" / "calibration.json").read_text())["scores"]
    assert scores["placeholder_leak"]["recall"] == 1.0
    assert scores["none"]["caught"] == 0  # the good message passed
    if exit_code:
        assert "FAIL" in result.output and "hallucinated-1" in result.output
    else:
        assert scores["hallucinated_hook"]["recall"] == 1.0


FIRST_TOUCH = {
    "step": 1, "kind": "first_touch", "channel": "email", "subject": "Your monorepo post",
    "body": GOOD, "hooks": HOOKS,
}  # fmt: skip
NUDGE = (
    "Hi Maya,\n\nCongrats on the $40M Series B. More fleet software usually means more builds "
    "waiting in the same queue.\n\nWould a short call next week be useful?\n\nBest regards,\n"
    "Alex Rivera"
)
NUDGE_HOOKS = [{"text": "the $40M Series B", "fact_ids": ["f_news000001"]}]


def test_calibrate_judges_follow_ups_against_their_thread(tmp_path: Path) -> None:
    golden = golden_set(tmp_path / "golden")
    cases_dir = tmp_path / "cases"
    cases_dir.mkdir()
    turn = {"step": 2, "kind": "new_angle", "channel": "email", "earlier": [FIRST_TOUCH]}
    asks_twice = NUDGE.replace("useful?", "useful? Or should I send a demo video?")

    def follow_up(case_id: str, defect: str, body: str) -> dict[str, Any]:
        case = calibration_case(case_id, defect, body, NUDGE_HOOKS)
        return {**case, "subject": "Re: Your monorepo post", "turn": turn}

    cases = [follow_up("fu-good", "none", NUDGE), follow_up("fu-ctas", "two_ctas", asks_twice)]
    (cases_dir / "follow_ups.yaml").write_text(yaml.safe_dump(cases))

    result = run(
        "calibrate", "--cases", str(cases_dir), "--golden", str(golden),
        "--out", str(tmp_path / "cal"),
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    assert "Critic calibration (2 labelled messages)" in result.output
    assert "two_ctas" in result.output and "1 passed" in result.output
    data = json.loads((tmp_path / "cal" / "calibration.json").read_text())
    assert data["scores"]["two_ctas"]["recall"] == 1.0
    assert data["scores"]["two_ctas"]["precision"] == 1.0
    by_id = {case["id"]: case for case in data["cases"]}
    # A 32-word email: too short for a first touch, right for a follow-up.
    assert by_id["fu-good"]["critic_passed"], by_id["fu-good"]["issues"]
    assert by_id["fu-good"]["turn"] == {"step": 2, "kind": "new_angle"}
    assert by_id["fu-ctas"]["failed_checks"] == ["calls_to_action"]

    turn["earlier"] = [{**FIRST_TOUCH, "step": 3}]
    (cases_dir / "follow_ups.yaml").write_text(yaml.safe_dump(cases))
    broken = run("calibrate", "--cases", str(cases_dir), "--golden", str(golden))
    assert broken.exit_code == 1
    said = " ".join(broken.output.split())  # however the console wraps it
    assert "follow_ups.yaml: case 1: turn.earlier.0.step: 3 is not before" in said
