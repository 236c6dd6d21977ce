"""The per-lead state machine: enrich → analyze → generate ⇄ critic → decide → send | review."""

from __future__ import annotations

from typing import Literal

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph
from langgraph.runtime import Runtime

from graphs.contact import contact_for
from graphs.context import PipelineContext
from graphs.nodes.analyze import analyze
from graphs.nodes.critic import critic
from graphs.nodes.decide import decide
from graphs.nodes.enrich import enrich
from graphs.nodes.generate import generate
from graphs.nodes.review import review
from graphs.nodes.send import send
from graphs.outcome import Action
from graphs.state import PipelineInput, PipelineOutput, PipelineState

# The routers below are coroutines though they await nothing: LangGraph runs a plain function
# on a worker thread when the graph runs asynchronously, a hand-off that costs more CPU than
# the router itself, six times a lead.


async def after_enrich(state: PipelineState) -> Literal["analyze", "decide"]:
    """Spend no model call on a lead that cannot be reached on the campaign's channel."""
    reachable = contact_for(state["lead"], state["campaign"].channel).address is not None
    return "analyze" if reachable else "decide"


async def after_analyze(
    state: PipelineState, runtime: Runtime[PipelineContext]
) -> Literal["generate", "decide"]:
    """Write for leads whose analysis clears the relevance floor, and for unresearched ones.

    With nothing researched, a low score says nothing about fit: the lead gets unpersonalized
    drafts so the person who reviews it has something to judge.
    """
    analysis = state.get("analysis")
    if analysis is None:
        return "decide"
    if analysis.unpersonalized:
        return "generate"
    if analysis.relevance_score < runtime.context.thresholds.relevance_floor:
        return "decide"
    return "generate"


async def after_generate(state: PipelineState) -> Literal["critic", "decide"]:
    """Critique drafts when there are any."""
    return "critic" if state.get("variants") else "decide"


async def after_critic(
    state: PipelineState, runtime: Runtime[PipelineContext]
) -> Literal["generate", "decide"]:
    """Loop back to rewrite failing drafts until they pass or attempts run out."""
    failing = [c for c in state.get("critiques") or [] if not c.passed]
    if state.get("stalled"):
        return "decide"
    if failing and state.get("attempts", 0) < runtime.context.max_attempts:
        return "generate"
    return "decide"


async def after_decide(state: PipelineState) -> Literal["send", "review", "__end__"]:
    """Send what decide chose to send, pause queued leads for a human, end rejected ones."""
    action = state["decision"].action
    if action is Action.SEND:
        return "send"
    return "review" if action is Action.QUEUE else "__end__"  # == END


async def after_send(state: PipelineState) -> Literal["review", "__end__"]:
    """A delivery that failed goes to a human instead of being lost."""
    return "review" if state["decision"].action is Action.QUEUE else "__end__"


LeadGraph = CompiledStateGraph[PipelineState, PipelineContext, PipelineInput, PipelineOutput]


def build_graph(checkpointer: BaseCheckpointSaver[str] | None = None) -> LeadGraph:
    """Build and compile the lead pipeline; run settings arrive as the runtime context."""
    builder = StateGraph(
        PipelineState,
        context_schema=PipelineContext,
        input_schema=PipelineInput,
        output_schema=PipelineOutput,
    )
    builder.add_node("enrich", enrich)
    builder.add_node("analyze", analyze)
    builder.add_node("generate", generate)
    builder.add_node("critic", critic)
    builder.add_node("decide", decide)
    builder.add_node("send", send)
    builder.add_node("review", review, destinations=("send", "generate", "review", END))
    builder.add_edge(START, "enrich")
    builder.add_conditional_edges("enrich", after_enrich)
    builder.add_conditional_edges("analyze", after_analyze)
    builder.add_conditional_edges("generate", after_generate)
    builder.add_conditional_edges("critic", after_critic)
    builder.add_conditional_edges("decide", after_decide)
    builder.add_conditional_edges("send", after_send)
    return builder.compile(checkpointer=checkpointer, name="lead_pipeline")
