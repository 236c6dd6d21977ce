"""Leads: bulk import (JSON or CSV upload), list (by stage), get, the stages people set, and
GDPR erasure."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Query, Request, UploadFile

from agent.leads.decoding import decode_lead_bytes, encoding_label
from agent.leads.files import LeadFile, leads_from_rows, parse_leads
from agent.leads.read_errors import LeadFileError
from agent.leads.store import erase_person, store_leads
from graphs.lead import Channel
from server.lead_schemas import (
    Erased,
    IgnoredCell,
    LeadImport,
    LeadImportResult,
    LeadList,
    LeadOut,
    RowProblem,
    StageChange,
)
from server.lookups import row_or_404
from server.nul_guard import refuse_nul_in_upload
from server.problems import Problem
from server.schemas import Limit, Offset, RowId
from storage.lead_stages import Stage, stages_of
from storage.leads import list_leads
from storage.models import LeadRow
from storage.stage_changes import StageConflict, set_stage

router = APIRouter(prefix="/leads", tags=["leads"])
MAX_UPLOAD_BYTES = 20_000_000


def lead_out(row: LeadRow, stage: str) -> LeadOut:
    """Return the API view of a lead row, with its lifecycle stage."""
    fields = {name: getattr(row, name) for name in LeadOut.model_fields if name != "stage"}
    return LeadOut.model_validate({**fields, "stage": stage})


async def _store(request: Request, parsed: LeadFile) -> LeadImportResult:
    """Keep every valid lead in one transaction; report the rows that were refused."""
    ids = await store_leads(request.app.state.db, [lead for _, lead in parsed.leads])
    errors = [RowProblem(row=e.row, field=e.field, message=e.message) for e in parsed.errors]
    ignored = [IgnoredCell(row=n.row, field=n.field, message=n.message) for n in parsed.notes]
    encoding = encoding_label(parsed.encoding) if parsed.encoding else None
    return LeadImportResult(
        imported=len(ids), lead_ids=ids, errors=errors, ignored=ignored, encoding=encoding
    )


@router.post("", response_model=LeadImportResult, summary="Import leads (JSON)")
async def import_json(request: Request, body: LeadImport) -> LeadImportResult:
    """Validate each lead as a lead file row would be; valid rows are kept, bad ones reported
    with the row number (1 = first lead) and the field at fault."""
    rows = [
        (number, {str(k): "" if v is None else str(v) for k, v in record.items()})
        for number, record in enumerate(body.leads, start=1)
    ]
    parsed = leads_from_rows(rows, source="api", channel=body.channel)
    return await _store(request, parsed)


@router.post("/import", response_model=LeadImportResult, summary="Import leads (file upload)")
async def import_file(
    request: Request,
    file: Annotated[UploadFile, File(description="A CSV or JSONL lead file.")],
    channel: Annotated[Channel, Form()] = Channel.EMAIL,
) -> LeadImportResult:
    """Upload a CSV (or JSONL) lead file; the same columns and rules as `outreach run`."""
    data = await file.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise Problem(413, f"the file is larger than {MAX_UPLOAD_BYTES // 1_000_000} MB")
    try:
        # Excel exports in Windows-1252, UTF-16 "Unicode text": read like `outreach run` does.
        text, encoding = decode_lead_bytes(data, "file")
    except LeadFileError as exc:
        raise Problem(422, str(exc)) from None
    if not text.strip():
        raise Problem(422, "file: is empty")
    refuse_nul_in_upload(text, "file")
    name = file.filename or "upload"
    jsonl = name.lower().endswith((".jsonl", ".ndjson")) or text.lstrip().startswith("{")
    try:
        parsed = parse_leads(text, source=name, channel=channel, jsonl=jsonl)
    except LeadFileError as exc:
        raise Problem(422, f"file: {exc}") from None
    parsed.encoding = encoding
    return await _store(request, parsed)


@router.get("", response_model=LeadList, summary="List leads")
async def list_all(
    request: Request,
    limit: Limit = 100,
    offset: Offset = 0,
    min_score: Annotated[float | None, Query(ge=0, le=100)] = None,
    stage: Annotated[Stage | None, Query(description="Only leads at this stage.")] = None,
) -> LeadList:
    """List leads in import order; min_score keeps those qualified at or above it, stage
    those at one lifecycle stage."""
    async with request.app.state.db.sessions() as session:
        rows = await list_leads(
            session, limit=limit, offset=offset, min_score=min_score, stage=stage
        )
        stages = await stages_of(session, [row.id for row in rows])
    items = [lead_out(row, stages.get(row.id, "new")) for row in rows]
    return LeadList(items=items, limit=limit, offset=offset)


@router.get("/{lead_id}", response_model=LeadOut, summary="Get a lead")
async def get_one(request: Request, lead_id: RowId) -> LeadOut:
    """Return one lead, with its lifecycle stage."""
    row = await row_or_404(request, LeadRow, lead_id, "lead")
    async with request.app.state.db.sessions() as session:
        stages = await stages_of(session, [row.id])
    return lead_out(row, stages.get(row.id, "new"))


@router.patch("/{lead_id}/stage", response_model=LeadOut, summary="Set a lead's stage")
async def change_stage(request: Request, lead_id: RowId, body: StageChange) -> LeadOut:
    """Mark a lead meeting_booked, won or lost (the stages people decide). Its unsent messages
    and sequences stop: a person has the conversation now. 409 for a lead that opted out or
    bounced."""
    db = request.app.state.db
    try:
        async with db.write_lock, db.sessions.begin() as session:
            row = await set_stage(session, lead_id, body.stage, now=request.app.state.clock())
            if row is None:
                raise Problem(404, f"there is no lead {lead_id}")
    except StageConflict as exc:
        raise Problem(409, str(exc)) from None
    async with db.sessions() as session:
        stages = await stages_of(session, [lead_id])
        fresh = await session.get(LeadRow, lead_id)
    assert fresh is not None
    return lead_out(fresh, stages.get(lead_id, body.stage))


@router.delete("/{lead_id}", response_model=Erased, summary="Erase a lead (GDPR)")
async def erase(request: Request, lead_id: RowId) -> Erased:
    """Remove the person's data everywhere (lead, facts, analyses, messages, events, delivery
    records and pipeline checkpoints); keep only a hash of each address on the suppression
    list so they are never contacted again."""
    erasure = await erase_person(request.app.state.db, lead_id)
    if erasure is None:
        raise Problem(404, f"there is no lead {lead_id}")
    threads = erasure.threads
    return Erased(
        id=lead_id,
        erased=True,
        suppressed_addresses=erasure.suppressed,
        checkpoint_threads_deleted=len(threads),
    )
