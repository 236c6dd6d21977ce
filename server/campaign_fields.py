"""Turn API campaign fields into the pipeline's Campaign and the stored row, and back."""

from __future__ import annotations

from typing import Any

from agent.campaigns.spec import PIPELINE_FIELDS
from agent.campaigns.stored import pin_problem_text, prompt_pin_problems, spec_of, write_spec
from agent.planning.cadence_config import read_mailboxes
from agent.planning.scoring_weights import read_scoring
from agent.planning.segment_config import read_segments
from agent.sequences.definition import DEFAULT_WINDOW
from graphs.lead import Campaign
from server.problems import Problem
from server.schemas import CampaignFields, CampaignOut
from storage.models import CampaignRow


def check_prompt_versions(fields: CampaignFields) -> None:
    """Refuse (422) prompt pins that name no prompt, or no version of one, on disk."""
    problems = prompt_pin_problems(fields.prompt_versions or {})
    if not problems:
        return
    errors: list[dict[str, Any]] = []
    for problem in problems:
        error: dict[str, Any] = {
            "field": f"prompt_versions.{problem.prompt[:80]}",
            "message": problem.message,
        }
        if problem.available_prompts:
            error["available_prompts"] = problem.available_prompts
        else:
            error["available_versions"] = problem.available_versions
        errors.append(error)
    raise Problem(422, f"prompt_versions: {pin_problem_text(problems)}", errors=errors)


def check_planning(fields: CampaignFields) -> None:
    """Refuse (422) segments, mailboxes or a scoring section that cannot be read, naming the
    segment, rule, mailbox and field of each problem; warnings (shares that do not add up) are
    kept for the segment and cadence endpoints to report."""
    errors: list[dict[str, Any]] = []
    if fields.segments is not None:
        setup = read_segments(fields.segments, fields.segment_split or "partial")
        errors += [
            {
                "field": "segments"
                + (f".{p.segment[:80]}" if p.segment else "")
                + (f".{p.field[:80]}" if p.field else ""),
                "segment": p.segment,
                "rule": p.rule,
                "message": p.message,
            }
            for p in setup.errors
        ]
    if fields.mailboxes:
        boxes = read_mailboxes(
            fields.mailboxes,
            default_address=None,
            default_cap=1,
            default_window=DEFAULT_WINDOW,
            default_country="US",
        )
        errors += [
            {
                "field": "mailboxes"
                + (f".{b.mailbox[:254]}" if b.mailbox else "")
                + (f".{b.field[:80]}" if b.field and b.field != "mailboxes" else ""),
                "mailbox": b.mailbox,
                "message": b.message,
            }
            for b in boxes.problems
            if b.level == "error"
        ]
    if fields.scoring is not None:
        errors += [
            {"field": "scoring", "message": m} for m in read_scoring(fields.scoring).problems
        ]
    if errors:
        raise Problem(422, "; ".join(e["message"] for e in errors), errors=errors)


def apply_fields(row: CampaignRow, fields: CampaignFields, defaults: Campaign | None) -> None:
    """Write the fields that were sent onto a campaign row, through the campaign's spec.

    A new campaign (no stored settings yet) starts from the server's defaults: their sender,
    pitch and call to action."""
    spec = spec_of(row)
    if defaults is not None and not row.settings:
        spec = spec.model_copy(update={key: getattr(defaults, key) for key in PIPELINE_FIELDS})
    sent = fields.model_dump(exclude_unset=True, exclude={"name", "status"})
    write_spec(row, spec.with_changes(sent))


def campaign_out(row: CampaignRow) -> CampaignOut:
    """Return the API view of a campaign row."""
    spec = spec_of(row)
    shown = spec.shown()
    return CampaignOut(
        id=row.id,
        name=row.name,
        description=spec.description,
        channel=spec.channel,
        status=row.status,
        target_audience=spec.target_audience,
        min_qualification_score=spec.min_qualification_score,
        value_proposition=spec.pitch,
        short_pitch=spec.short_pitch,
        call_to_action=shown.call_to_action,
        template=spec.template,
        custom_context=spec.custom_context,
        linkedin_format=shown.linkedin_format,
        sender=shown.sender,
        language=spec.language,
        translations=spec.translations,
        auto_send=bool(spec.policy.auto_send),
        min_quality_to_send=spec.policy.min_quality_to_send,
        min_relevance_to_send=spec.policy.min_relevance_to_send,
        variant_allocation=spec.policy.allocation,
        prompt_versions=spec.prompt_versions,
        sequence=spec.sequence.as_field() if spec.sequence is not None else None,
        segments=spec.segments,
        segment_split=spec.segment_split,
        scoring=spec.scoring,
        mailboxes=spec.mailboxes,
        max_contacts_per_account=spec.max_contacts_per_account,
        stop_account_on_positive_reply=spec.stop_account_on_positive_reply,
        total_messages=row.total_messages,
        messages_sent=row.messages_sent,
        total_cost_usd=row.total_cost_usd,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )
