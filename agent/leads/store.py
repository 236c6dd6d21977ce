"""Leads kept and erased as a whole: the REST API and the operator chat both go through here."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Any

from agent.runs.durable_pipeline import CHECKPOINT_TYPES
from graphs.lead import Lead
from storage.checkpoints import open_checkpointer
from storage.database import Database
from storage.leads import upsert_lead
from storage.suppressions import Erasure, erase_lead

SCORE_KEYS = ("qualification_score", "score", "lead_score")
"""Extra columns read as the lead's qualification score (0-100)."""


def _score(extra: dict[str, Any]) -> float | None:
    for key in SCORE_KEYS:
        if key in extra:
            with contextlib.suppress(TypeError, ValueError):
                return float(extra.pop(key))
    return None


async def store_leads(db: Database, leads: Sequence[Lead]) -> list[int]:
    """Keep every lead in one transaction (same email: the row is updated); return their ids."""
    ids: list[int] = []
    async with db.write_lock, db.sessions.begin() as session:
        for lead in leads:
            values = lead.model_dump(mode="json")
            extra = dict(values.get("extra") or {})
            score = _score(extra)
            row = await upsert_lead(session, lead={**values, "extra": extra})
            if score is not None:
                row.qualification_score = score
            ids.append(row.id)
    return ids


async def erase_person(db: Database, lead_id: int) -> Erasure | None:
    """Erase a lead everywhere, pipeline checkpoints included (GDPR); None if there is none.

    Only a hash of each address stays, on the suppression list, so they are never contacted.
    """
    async with db.write_lock, db.sessions.begin() as session:
        erasure = await erase_lead(session, lead_id=lead_id)
    if erasure is not None and erasure.threads:
        async with open_checkpointer(
            db.engine.url.render_as_string(False), allowed_types=CHECKPOINT_TYPES
        ) as saver:
            for thread in erasure.threads:
                await saver.adelete_thread(thread)
    return erasure
