"""The operator's run operation: research, analyse, write and critique leads in a campaign."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from agent.operator.operations_base import OperationsBase, check_id
from agent.operator.views import OperatorError, Outcome, ProgressUpdate, View, cell, short
from agent.runs.background import BackgroundRuns, RunRequest
from agent.runs.run_checks import CampaignNotRunnable, check_runnable
from storage.leads import lead_names, missing_lead_ids
from storage.messages import list_messages


class RunOperations(OperationsBase):
    """Run leads through the pipeline in a campaign and report what became of each."""

    async def run_leads(
        self,
        lead_ids: list[int],
        campaign: str,
        *,
        progress: Callable[[ProgressUpdate], None] | None = None,
    ) -> Outcome:
        """Research, analyse, write and critique for the given leads in a campaign.

        progress, if given, hears of each lead as it finishes.
        """
        row = await self._campaign(campaign)
        try:
            check_runnable(row)
        except CampaignNotRunnable as exc:
            raise OperatorError(str(exc)) from None
        wanted = sorted({check_id(i, "lead") for i in lead_ids})
        if not wanted:
            raise OperatorError("name at least one lead id, e.g. `run 1 2 in Q1`")
        async with self.db.sessions() as session:
            missing = await missing_lead_ids(session, wanted)
        if missing:
            raise OperatorError(f"there are no leads with ids {missing}")
        runs = BackgroundRuns(self.db, self.settings, clock=self.clock)
        on_record = _progress_per_lead(progress, len(wanted)) if progress is not None else None
        try:
            run_id = await runs.start(row, RunRequest(lead_ids=wanted), on_record=on_record)
            await runs.wait(run_id)
        finally:
            await runs.close()
        async with self.db.sessions() as session:
            messages, _ = await list_messages(session, run_id=run_id, limit=len(wanted))
            names = await lead_names(session, ids=wanted)
        data: list[dict[str, Any]] = [
            {
                "message_id": m.id,
                "lead_id": m.lead_id,
                "lead": names.get(m.lead_id),
                "status": m.status,
                "variant": m.selected_variant,
                "quality": m.quality_score,
                "relevance": m.relevance_score,
                "reason": m.reason,
            }
            for m in messages
        ]
        view = View(
            title=f"Run {run_id} in {row.name}",
            columns=["message", "lead", "status", "variant", "quality", "relevance", "reason"],
            rows=[
                [
                    cell(d["message_id"]),
                    cell(d["lead"]),
                    d["status"],
                    cell(d["variant"]),
                    cell(d["quality"]),
                    cell(d["relevance"]),
                    short(d["reason"], 60),
                ]
                for d in data
            ],
        )
        counts = ", ".join(
            f"{sum(d['status'] == s for d in data)} {s}"
            for s in sorted({d["status"] for d in data})
        )
        return Outcome(f"Run {run_id}: {len(data)} lead(s) done ({counts}).", data, view)


def _progress_per_lead(
    progress: Callable[[ProgressUpdate], None], total: int
) -> Callable[[dict[str, Any]], None]:
    """Turn a run's stored lead records into progress updates, counting them."""
    finished = 0

    def lead_done(record: dict[str, Any]) -> None:
        nonlocal finished
        finished += 1
        name = record["lead"].get("name") or f"lead {record['row']}"
        progress(ProgressUpdate(finished, total, str(name), str(record["decision"])))

    return lead_done
