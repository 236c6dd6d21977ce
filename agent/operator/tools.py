"""The operations as LangChain tools, with the ones that have outside effects marked for consent.

Each tool answers the agent with a summary and a delimited data block (see views.data_block)
and carries its View as the ToolMessage artifact, for the terminal to render.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from langchain_core.tools import BaseTool, StructuredTool
from langgraph.config import get_stream_writer
from pydantic import BaseModel, Field

from agent.operator.operations import Operations
from agent.operator.views import (
    MAX_LIST,
    MAX_RUN_LEADS,
    OperatorError,
    Outcome,
    ProgressUpdate,
    View,
    data_block,
)
from storage.models import MAX_ROW_ID

Variant = int | str | None


def _id(what: str) -> Any:
    return Field(gt=0, le=MAX_ROW_ID, description=f"The {what}'s id.")


class NoArgs(BaseModel):
    pass


class CampaignArg(BaseModel):
    campaign: str = Field(description="Campaign name or id.")


class OptionalCampaign(BaseModel):
    campaign: str | None = Field(default=None, description="Campaign name or id; all if omitted.")


class LeadsArgs(OptionalCampaign):
    status: str | None = Field(default=None, description="Lead status, e.g. new, sent, replied.")
    limit: int = Field(default=20, ge=1, le=MAX_LIST)


class CreateCampaignArgs(BaseModel):
    path: str = Field(
        min_length=1,
        description="A campaign file (YAML or JSON, like examples/campaign.yaml): name, channel, "
        "value_proposition, call_to_action, sender, target.",
    )
    name: str | None = Field(
        default=None, min_length=1, max_length=200, description="Overrides the file's name."
    )


class QueueArgs(OptionalCampaign):
    limit: int = Field(default=20, ge=1, le=MAX_LIST, description="How many to list, oldest first.")


class LeadArg(BaseModel):
    lead_id: int = _id("lead")


class HookArgs(LeadArg):
    hook: int = Field(ge=1, description="The hook's number as show_lead lists it (1 = first).")


class ImportArgs(BaseModel):
    path: str = Field(description="Path of a CSV or JSONL lead file on this machine.")


class RunArgs(CampaignArg):
    lead_ids: list[int] = Field(
        min_length=1, max_length=MAX_RUN_LEADS, description="Lead ids to run."
    )


class MessageArg(BaseModel):
    message_id: int = _id("message")


class ApproveArgs(MessageArg):
    variant: Variant = Field(
        default=None,
        description="Variant number (1 professional, 2 friendly, 3 direct) or tone name; "
        "default: the best-scoring draft.",
    )


class EditArgs(ApproveArgs):
    body: str = Field(min_length=1, description="The new message text, complete.")
    subject: str | None = Field(default=None, description="A new subject (email only).")


class RejectArgs(MessageArg):
    reason: str = Field(min_length=1, description="Why the message must not go.")


class RegenerateArgs(MessageArg):
    instruction: str = Field(min_length=1, description="What the writer should change.")


def describe_action(name: str, args: dict[str, Any]) -> str:
    """Return what a consent-requiring call would do, in words the operator confirms."""
    variant = f" (variant {args['variant']})" if args.get("variant") is not None else ""
    if name == "approve_message":
        return f"Approve message {args.get('message_id')}{variant} for sending"
    if name == "edit_message":
        return (
            f"Replace the text of message {args.get('message_id')}{variant} and, if the critic "
            "passes it, approve it for sending"
        )
    if name == "send_campaign":
        return f"Send the approved emails of campaign {args.get('campaign')!r} now"
    if name == "delete_lead":
        return f"Erase lead {args.get('lead_id')} and all their data (cannot be undone)"
    return f"Run {name}"


CONSENT_REQUIRED = frozenset({"approve_message", "edit_message", "send_campaign", "delete_lead"})
"""Tools with effects outside the chat: they run only after the operator confirms."""


def result_message(tool: str, outcome: Outcome) -> tuple[str, dict[str, Any]]:
    """Return a tool's content (for the agent) and artifact (for the terminal)."""
    return data_block(tool, outcome.summary, outcome.data), {"view": outcome.view.to_dict()}


def error_message(tool: str, message: str) -> tuple[str, dict[str, Any]]:
    """Return a refused operation as a tool result both the agent and the operator can read."""
    view = View(title=f"{tool} could not be done", lines=[message])
    return f"Error: {message}", {"view": view.to_dict(), "error": True}


PROGRESS_REPORTING = frozenset({"run_leads"})
"""Long tools that report each finished item on the graph's custom stream."""


def progress_writer(tool: str) -> Callable[[ProgressUpdate], None] | None:
    """Return a callback that puts a tool's progress on the chat graph's custom stream.

    None when the tool runs outside a graph (nothing would hear it).
    """
    try:
        write = get_stream_writer()
    except (RuntimeError, KeyError):
        return None

    def report(update: ProgressUpdate) -> None:
        write({"kind": "progress", "tool": tool, **update.to_dict()})

    return report


def _tool(
    name: str,
    description: str,
    schema: type[BaseModel],
    operation: Callable[..., Awaitable[Outcome]],
) -> BaseTool:
    async def run(**kwargs: Any) -> tuple[str, dict[str, Any]]:
        if name in PROGRESS_REPORTING:
            kwargs["progress"] = progress_writer(name)
        try:
            outcome = await operation(**kwargs)
        except OperatorError as exc:
            return error_message(name, str(exc))
        return result_message(name, outcome)

    return StructuredTool.from_function(
        coroutine=run,
        name=name,
        description=description,
        args_schema=schema,
        response_format="content_and_artifact",
    )


def operator_tools(ops: Operations) -> list[BaseTool]:
    """Return the chat's tools, bound to one set of operations."""
    specs: list[tuple[str, str, type[BaseModel], Callable[..., Awaitable[Outcome]]]] = [
        ("list_campaigns", "List campaigns with status and totals.", NoArgs, ops.list_campaigns),
        (
            "create_campaign",
            "Create a draft campaign from a campaign file (what is offered, to whom, the sender "
            "and the call to action). Nothing is sent.",
            CreateCampaignArgs,
            ops.create_campaign,
        ),
        (
            "campaign_analytics",
            "A campaign's sent/delivered/opened/replied counts and rates, cost, and A/B status "
            "(reply rate per variant, whether a winner is declared and why not yet).",
            CampaignArg,
            ops.campaign_analytics,
        ),
        ("list_leads", "List leads, of a campaign or status.", LeadsArgs, ops.list_leads),
        (
            "show_lead",
            "A lead's details, the facts research found (with sources) and the analyst's "
            "personalization hooks (numbered, citing fact ids).",
            LeadArg,
            ops.show_lead,
        ),
        (
            "hook_evidence",
            "The facts (text, source URL, dates) behind one of a lead's hooks.",
            HookArgs,
            ops.hook_evidence,
        ),
        ("import_leads", "Import a CSV or JSONL lead file.", ImportArgs, ops.import_leads),
        (
            "run_leads",
            "Run the pipeline (research, analyse, write three variants, critique, decide) for "
            "leads in a campaign. Nothing is sent: messages are queued or approved for the "
            "send queue.",
            RunArgs,
            ops.run_leads,
        ),
        (
            "review_queue",
            "List messages waiting for human review, oldest first, with why each was queued "
            "and how many wait in all.",
            QueueArgs,
            ops.review_queue,
        ),
        (
            "show_message",
            "A message's three drafts with critic scores and issues.",
            MessageArg,
            ops.show_message,
        ),
        (
            "explain_decision",
            "Why a message was sent, queued or rejected: scores against the thresholds, the "
            "critic checks that failed, the facts its hooks used, and the review history.",
            MessageArg,
            ops.explain_decision,
        ),
        (
            "approve_message",
            "Approve a queued message (optionally choosing the variant) for sending. Needs the "
            "operator's confirmation.",
            ApproveArgs,
            ops.approve_message,
        ),
        (
            "edit_message",
            "Replace a queued message's draft with new text; the critic checks it and, if it "
            "passes, it is approved for sending. Needs the operator's confirmation.",
            EditArgs,
            ops.edit_message,
        ),
        (
            "reject_message",
            "Reject a queued message so it is never sent.",
            RejectArgs,
            ops.reject_message,
        ),
        (
            "regenerate_message",
            "Have the writer redo a queued message's drafts following an instruction.",
            RegenerateArgs,
            ops.regenerate_message,
        ),
        (
            "send_campaign",
            "Activate a campaign and send its approved emails through the configured provider, "
            "within the sending limits. Needs the operator's confirmation.",
            CampaignArg,
            ops.send_campaign,
        ),
        (
            "delete_lead",
            "Erase a lead and all their data (GDPR); only a suppression hash stays. Needs the "
            "operator's confirmation.",
            LeadArg,
            ops.delete_lead,
        ),
    ]
    return [_tool(*spec) for spec in specs]
