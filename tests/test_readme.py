"""The README shows what the code does: its graph is generated, its test command is CI's."""

from __future__ import annotations

import re

from graphs.lead_pipeline import build_graph
from tests.conftest import ROOT


def test_readme_graph_is_the_compiled_graph() -> None:
    readme = (ROOT / "README.md").read_text()
    block = re.search(r"```mermaid\n(.*?)\n```", readme, re.DOTALL)
    assert block is not None
    drawn = build_graph().get_graph().draw_mermaid().strip()
    assert block.group(1).split() == drawn.split(), "README graph is stale: run `outreach graph`"


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    assert "bash tasks.sh test" in readme
    assert "bash tasks.sh test" in ci
    assert "bash tasks.sh demo" in readme and "outreach demo" in readme
