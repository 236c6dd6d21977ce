"""The operator's operations on leads: list, show, trace a hook to its facts, import, erase."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from agent.leads.files import LeadFile, read_leads
from agent.leads.read_errors import LeadFileError
from agent.leads.store import erase_person, store_leads
from agent.operator.operations_base import OperationsBase, fact_data
from agent.operator.views import MAX_LIST, OperatorError, Outcome, View, cell, short
from storage.leads import latest_analysis, list_leads
from storage.models import AnalysisRow


class LeadOperations(OperationsBase):
    """List, show, import and erase leads, and show the evidence behind their hooks."""

    async def list_leads(
        self, campaign: str | None = None, status: str | None = None, limit: int = 20
    ) -> Outcome:
        """List leads (of a campaign, of a status), in import order."""
        limit = max(1, min(limit, MAX_LIST))
        title = "Leads"
        campaign_id: int | None = None
        if campaign is not None:
            row = await self._campaign(campaign)
            campaign_id = row.id
            title += f" in {row.name}"
        if status is not None:
            title += f" ({status})"
        async with self.db.sessions() as session:
            rows = await list_leads(session, limit=limit, campaign_id=campaign_id, status=status)
        data = [
            {
                "id": r.id,
                "name": r.name,
                "title": r.title,
                "company": r.company,
                "email": r.email,
                "score": r.qualification_score,
                "status": r.status,
            }
            for r in rows
        ]
        view = View(
            title=title,
            columns=["id", "name", "title", "company", "email", "score", "status"],
            rows=[[cell(v) for v in item.values()] for item in data],
            lines=[] if data else ["No leads match."],
        )
        return Outcome(f"{len(data)} lead(s).", data, view)

    async def _analysis(self, lead_id: int) -> AnalysisRow | None:
        async with self.db.sessions() as session:
            return await latest_analysis(session, lead_id=lead_id)

    async def show_lead(self, lead_id: int) -> Outcome:
        """Show a lead, the facts research found (with sources) and the analyst's hooks."""
        lead = await self._lead(lead_id)
        facts = await self._facts(lead.id)
        analysis = await self._analysis(lead.id)
        hooks = (analysis.data.get("hooks") if analysis else None) or []
        lines = [
            f"{lead.name} · {lead.title or 'no title'} · {lead.company} · {lead.email or ''}",
            f"status {lead.status}"
            + (f" · relevance {analysis.relevance_score:.2f}" if analysis else " · not analysed"),
        ]
        lines += [
            f"hook {n}: {short(h.get('text'), 100)} (facts {', '.join(h.get('fact_ids', []))})"
            for n, h in enumerate(hooks, start=1)
        ]
        data = {
            "lead": {
                "id": lead.id,
                "name": lead.name,
                "title": lead.title,
                "company": lead.company,
                "email": lead.email,
                "status": lead.status,
            },
            "facts": [fact_data(f) for f in facts],
            "analysis": analysis.data if analysis else None,
        }
        view = View(
            title=f"Lead {lead.id}",
            lines=lines,
            columns=["fact", "kind", "text", "source"],
            rows=[[f.fact_id, f.kind, short(f.text, 70), short(f.source_url, 50)] for f in facts],
        )
        return Outcome(f"Lead {lead.id}: {len(facts)} fact(s), {len(hooks)} hook(s).", data, view)

    async def hook_evidence(self, lead_id: int, hook: int) -> Outcome:
        """Show the facts (text, source, date) behind one of a lead's hooks."""
        lead = await self._lead(lead_id)
        analysis = await self._analysis(lead.id)
        hooks = (analysis.data.get("hooks") if analysis else None) or []
        if not hooks:
            raise OperatorError(f"lead {lead_id} has no hooks yet: run the lead first")
        if not 1 <= hook <= len(hooks):
            raise OperatorError(f"lead {lead_id} has hooks 1 to {len(hooks)}, not {hook}")
        chosen = hooks[hook - 1]
        facts = await self._facts(lead.id, chosen.get("fact_ids", []))
        missing = sorted(set(chosen.get("fact_ids", [])) - {f.fact_id for f in facts})
        view = View(
            title=f"Evidence for hook {hook} of lead {lead.id}",
            lines=[short(chosen.get("text"), 200)]
            + ([f"facts no longer stored: {', '.join(missing)}"] if missing else []),
            columns=["fact", "text", "source", "published", "retrieved"],
            rows=[
                [
                    f.fact_id,
                    short(f.text, 80),
                    f.source_url,
                    cell(f.published),
                    f.retrieved_at.date().isoformat(),
                ]
                for f in facts
            ],
        )
        data = {"hook": chosen, "facts": [fact_data(f) for f in facts], "missing": missing}
        return Outcome(f"Hook {hook} rests on {len(facts)} fact(s).", data, view)

    async def import_leads(self, path: str) -> Outcome:
        """Import a CSV or JSONL lead file: valid rows are kept, bad rows reported."""
        try:
            parsed = await asyncio.to_thread(_read_lead_file, path)
        except LeadFileError as exc:
            raise OperatorError(str(exc)) from None
        ids = await store_leads(self.db, [lead for _, lead in parsed.leads])
        errors: list[dict[str, Any]] = [
            {"row": e.row, "field": e.field, "message": e.message} for e in parsed.errors
        ]
        # A cell that was ignored (a language we do not write in) leaves its row imported.
        ignored: list[dict[str, Any]] = [
            {"row": n.row, "field": n.field, "message": n.message} for n in parsed.notes
        ]
        listed = errors + [{**n, "message": f"ignored: {n['message']}"} for n in ignored]
        view = View(
            title=f"Imported {len(ids)} lead(s) from {Path(path).name}"
            + (f"; {len(errors)} row(s) refused:" if errors else ""),
            lines=[f"lead ids: {', '.join(map(str, ids))}"] if ids else [],
            columns=["row", "field", "problem"] if listed else [],
            rows=[[cell(e["row"]), cell(e["field"]), e["message"]] for e in listed],
        )
        data = {"imported": len(ids), "lead_ids": ids, "errors": errors, "ignored": ignored}
        return Outcome(f"Imported {len(ids)} lead(s); {len(errors)} row(s) refused.", data, view)

    async def delete_lead(self, lead_id: int) -> Outcome:
        """Erase a person everywhere (GDPR); only a suppression hash of their address stays."""
        await self._lead(lead_id)
        erasure = await erase_person(self.db, lead_id)
        if erasure is None:
            raise OperatorError(f"there is no lead {lead_id}")
        data = {
            "lead_id": lead_id,
            "erased": True,
            "suppressed_addresses": erasure.suppressed,
            "checkpoint_threads_deleted": len(erasure.threads),
        }
        view = View(
            title=f"Lead {lead_id} erased",
            lines=[
                "Their lead, facts, analyses, messages, events and checkpoints are deleted; "
                f"{erasure.suppressed} address hash(es) stay on the suppression list."
            ],
        )
        return Outcome(f"Lead {lead_id} erased.", data, view)


def _read_lead_file(path: str) -> LeadFile:
    return read_leads(Path(path).expanduser())
