"""The checkpoint savers on their own thread: a checkpoint remembered between a run's stops
reads exactly as the database gives it back, and a run resumed from memory ends where one
resumed from the database does."""

from __future__ import annotations

import operator
from typing import Annotated, Any, TypedDict

from langchain_core.runnables import RunnableConfig
from langgraph.graph import END, START, StateGraph

from storage.checkpoints import open_checkpointer
from storage.threaded_checkpoints import remembering


class _State(TypedDict):
    steps: Annotated[list[str], operator.add]
    note: str


def _graph(saver: Any) -> Any:
    builder = StateGraph(_State)
    builder.add_node("research", lambda state: {"steps": ["research"], "note": "found 3 facts"})
    builder.add_node("write", lambda state: {"steps": ["write"], "note": state["note"] + "!"})
    builder.add_node("send", lambda state: {"steps": ["send"]})
    builder.add_edge(START, "research")
    builder.add_edge("research", "write")
    builder.add_edge("write", "send")
    builder.add_edge("send", END)
    return builder.compile(checkpointer=saver)


async def _run_with_stops(graph: Any, config: RunnableConfig, stops: int = 3) -> dict[str, Any]:
    """Run through `stops` stops (after research, before sending, the end), each checkpointed."""
    step: dict[str, Any] | None = {"steps": [], "note": ""}
    for _ in range(stops):
        await graph.ainvoke(
            step,
            config,
            durability="exit",
            interrupt_after=["research"],
            interrupt_before=["send"],
        )
        step = None
    return dict((await graph.aget_state(config)).values)


async def test_a_remembered_checkpoint_reads_as_the_stored_one(database_url: str) -> None:
    async with open_checkpointer(database_url, allowed_types=()) as saver:
        graph = _graph(saver)
        config: RunnableConfig = {"configurable": {"thread_id": "run1:lead1"}}
        with remembering("run1:lead1", new=True):
            assert await saver.aget_tuple(config) is None  # new: nothing read from anywhere
            # Two stops: the second's checkpoint has the first as its parent.
            await _run_with_stops(graph, config, stops=2)
            remembered = await saver.aget_tuple(config)
        stored = await saver.aget_tuple(config)
        assert remembered is not None and stored is not None
        assert remembered.config == stored.config
        assert remembered.parent_config == stored.parent_config is not None
        assert remembered.metadata == stored.metadata
        assert remembered.pending_writes == stored.pending_writes
        for part in ("id", "channel_values", "channel_versions", "versions_seen"):
            assert remembered.checkpoint[part] == stored.checkpoint[part], part  # type: ignore[literal-required]


async def test_a_run_resumed_from_memory_ends_as_one_resumed_from_the_database(
    database_url: str,
) -> None:
    async with open_checkpointer(database_url, allowed_types=()) as saver:
        graph = _graph(saver)
        from_db = await _run_with_stops(graph, {"configurable": {"thread_id": "run1:a"}})
        with remembering("run1:b", new=True):
            from_memory = await _run_with_stops(graph, {"configurable": {"thread_id": "run1:b"}})
        assert (
            from_memory
            == from_db
            == {
                "steps": ["research", "write", "send"],
                "note": "found 3 facts!",
            }
        )
        # And what the remembered run stored reads back the same from the database.
        history = [c async for c in saver.alist({"configurable": {"thread_id": "run1:b"}})]
        assert len(history) == 3  # the three stops: after research, before sending, the end
