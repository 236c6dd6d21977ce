"""A pipeline step that fails for chosen leads until it is repaired: how a lead gets held."""

from __future__ import annotations

from typing import Any

import pytest
from langgraph.runtime import Runtime

import graphs.lead_pipeline
from graphs.context import PipelineContext
from graphs.nodes.decide import decide
from graphs.state import PipelineState


class FailingDecide:
    """Replaces the pipeline's decide step; raises for the named leads while broken."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, *names: str) -> None:
        self.names = set(names)
        self.broken = True
        self.failures = 0

        async def step(state: PipelineState, runtime: Runtime[PipelineContext]) -> dict[str, Any]:
            if self.broken and state["lead"].name in self.names:
                self.failures += 1
                raise RuntimeError("the decision service is unavailable")
            return await decide(state, runtime)

        # build_graph reads the node from its module each time a pipeline is opened.
        monkeypatch.setattr(graphs.lead_pipeline, "decide", step)

    def repair(self) -> None:
        self.broken = False
