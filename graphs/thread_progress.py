"""Where a lead's checkpointed thread stands: not started, unfinished, paused, or finished.

LangGraph's live snapshot leaves out of `next` the tasks whose writes are already saved. A
process killed after a node's writes were saved and before the step's checkpoint therefore
shows `next == ()` although the graph has not reached its end; only `tasks` tells the two
apart. Every caller that decides whether to continue a thread asks here instead.
"""

from __future__ import annotations

import enum

from langgraph.types import StateSnapshot


class ThreadProgress(enum.Enum):
    """How far a lead's thread got."""

    NEW = "new"
    """Nothing checkpointed: start it with the lead's input."""
    UNFINISHED = "unfinished"
    """Stopped between steps (a crash, an error): continue it from its checkpoint."""
    PAUSED = "paused"
    """Waiting at an interrupt for a human."""
    FINISHED = "finished"
    """Reached the end of the graph: its values are the lead's outcome."""


def progress_of(snapshot: StateSnapshot) -> ThreadProgress:
    """Return how far the thread of this (latest, live) snapshot got."""
    if not snapshot.values and not snapshot.tasks:
        return ThreadProgress.NEW
    if snapshot.interrupts:
        return ThreadProgress.PAUSED
    # A finished thread's last checkpoint schedules no task at all; a step whose tasks all
    # saved their writes (but whose checkpoint never came) still lists them here.
    return ThreadProgress.FINISHED if not snapshot.tasks else ThreadProgress.UNFINISHED
