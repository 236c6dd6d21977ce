"""Resume one run that a stop or crash cut off, from the console.

`outreach serve` resumes every such run when it starts (BackgroundRuns.resume_unfinished); a
run whose process died after that (or that another process held then) waits for the next
start. This adapter resumes one of them now, as resume_unfinished resumes each: the app's
BackgroundRuns works on it again, skipping the leads it already finished. BackgroundRuns has
no public call for one run, so this uses its _spawn (a public `resume(run_id)` there would be
the better home; agent/ is not the console's to edit).
"""

from __future__ import annotations

from agent.runs.background import BackgroundRuns
from storage.database import Database
from storage.models import RunRow
from storage.run_lock import run_is_busy
from storage.runs import RESUMABLE


class NotResumable(ValueError):
    """The run is finished, still being worked on, or not one this process can run."""


async def resumable(db: Database, run: RunRow) -> bool:
    """Whether the run was cut off (unfinished, API-started, in-process) and nobody holds it."""
    if run.status not in RESUMABLE or not run.options.get("api"):
        return False
    if run.options.get("distributed"):
        return False
    return not await run_is_busy(db, run.id)


async def resume_run(runs: BackgroundRuns, db: Database, run_id: str) -> None:
    """Start the cut-off run again; NotResumable says why it cannot be."""
    async with db.sessions() as session:
        run = await session.get(RunRow, run_id)
    if run is None:
        raise NotResumable(f"there is no run {run_id}")
    if run.status not in RESUMABLE:
        raise NotResumable(f"run {run_id} is {run.status}: there is nothing left to resume")
    if not await resumable(db, run):
        raise NotResumable(
            f"run {run_id} is still being worked on (or runs on the workers); reload to follow it"
        )
    runs._spawn(run_id, resume=True)
