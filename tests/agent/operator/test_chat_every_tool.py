"""Every chat tool, called by a scripted tool-calling model over real HTTP (the loopback stub).

One operator conversation goes through the whole job: create a campaign, import, look
around, run the leads,
read the queue, explain, inspect evidence, regenerate, edit, approve, reject, send, erase. The
stub plays the chat's model (it decides nothing); the tools, the confirmation gate, the
pipeline (writing offline), the database and the outbox are real, and each step is checked by
what it changed.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from agent.demo.fixtures import DEMO_TODAY
from agent.operator.chat_session import (
    ChatSession,
    ConfirmRequest,
    Event,
    ToolCall,
    ToolProgress,
    ToolResult,
    chat_model,
)
from agent.operator.commands import TOOL_NAMES
from agent.operator.tools import CONSENT_REQUIRED
from agent.settings import Settings
from storage.database import Database
from storage.models import LeadRow, MessageRow
from tests.conftest import EXAMPLES
from tests.fakes.openai_stub import Completion, OpenAIStub, ToolCalls


class Conversation:
    """Turns in which the scripted model calls one tool and then says one sentence."""

    def __init__(self, chat: ChatSession, stub: OpenAIStub) -> None:
        self.chat = chat
        self.stub = stub
        self.called: list[str] = []

    async def call(
        self, tool: str, args: dict[str, Any], *, confirm: bool | None = None
    ) -> tuple[ToolResult, list[Event]]:
        """Have the model call `tool`; answer the confirmation if one is asked."""
        self.stub.enqueue(ToolCalls([(tool, args)]), Completion(f"Done: {tool}."))
        events = [e async for e in self.chat.say(f"please {tool.replace('_', ' ')}")]
        asked = isinstance(events[-1], ConfirmRequest)
        assert asked == (tool in CONSENT_REQUIRED), (tool, events[-1])
        if confirm is not None:
            question = events[-1]
            assert isinstance(question, ConfirmRequest)
            events += [e async for e in self.chat.answer(confirm, question.question_id)]
        assert ToolCall(tool, args) in events, events
        results = [e for e in events if isinstance(e, ToolResult)]
        assert len(results) == 1, events
        self.called.append(tool)
        return results[0], events


async def stored(url: str, message_id: int) -> MessageRow:
    async with await Database.connect(url) as db, db.sessions() as session:
        row = await session.get(MessageRow, message_id)
        assert row is not None
        return row


async def message_of(url: str, lead_name: str) -> MessageRow:
    async with await Database.connect(url) as db, db.sessions() as session:
        query = select(MessageRow).join(LeadRow, LeadRow.id == MessageRow.lead_id)
        row = await session.scalar(query.where(LeadRow.name == lead_name))
        assert row is not None, lead_name
        return row


def variant(row: MessageRow, tone: str) -> dict[str, Any]:
    return next(v for v in row.variants if v["tone"] == tone)


async def test_a_scripted_model_drives_every_tool_with_real_effects(
    chat_settings: Settings, model_settings: Settings, database_url: str, stub: OpenAIStub
) -> None:
    model = chat_model(model_settings)  # the chat talks to the stub; the pipeline runs offline
    async with ChatSession.open(
        chat_settings, model=model, reviewer="kim", clock=lambda: DEMO_TODAY
    ) as chat:
        talk = Conversation(chat, stub)

        campaign_file = str(EXAMPLES / "campaign.yaml")
        created, _ = await talk.call(
            "create_campaign", {"path": campaign_file, "name": "Q1 launch"}
        )
        assert created.view.title.startswith("Campaign Q1 launch created")
        again, _ = await talk.call("create_campaign", {"path": campaign_file, "name": "Q1 launch"})
        assert again.error and "already a campaign named 'Q1 launch'" in again.view.lines[0]

        imported, _ = await talk.call("import_leads", {"path": str(EXAMPLES / "leads.csv")})
        assert imported.view.title.startswith("Imported 7 lead(s)")

        campaigns, _ = await talk.call("list_campaigns", {})
        assert [row[1] for row in campaigns.view.rows] == ["Q1 launch"]

        leads, _ = await talk.call("list_leads", {"limit": 50})
        names = [row[1] for row in leads.view.rows]
        assert len(names) == 7 and "Maya Okafor" in names
        lead_ids = [int(row[0]) for row in leads.view.rows]

        ran, events = await talk.call("run_leads", {"lead_ids": lead_ids, "campaign": "Q1 launch"})
        assert len(ran.view.rows) == 7
        assert [e.update.done for e in events if isinstance(e, ToolProgress)] == list(range(1, 8))

        queue, _ = await talk.call("review_queue", {"campaign": "Q1 launch"})
        queued = [int(row[0]) for row in queue.view.rows]
        maya = await message_of(database_url, "Maya Okafor")
        assert maya.id in queued and len(queued) >= 3, queue.view

        shown, _ = await talk.call("show_message", {"message_id": maya.id})
        assert variant(maya, "friendly")["body"].splitlines()[0] in "\n".join(shown.view.lines)

        why, _ = await talk.call("explain_decision", {"message_id": maya.id})
        assert any("bar 0.8" in line for line in why.view.lines), why.view.lines

        lead, _ = await talk.call("show_lead", {"lead_id": maya.lead_id})
        assert any(line.startswith("hook 1:") for line in lead.view.lines), lead.view.lines
        evidence, _ = await talk.call("hook_evidence", {"lead_id": maya.lead_id, "hook": 1})
        assert evidence.view.rows and all(r[2].startswith("http") for r in evidence.view.rows)

        # Regenerate: the writer redoes the drafts; the message is still waiting, a version on.
        other = next(i for i in queued if i != maya.id)
        before = await stored(database_url, other)
        redone, _ = await talk.call(
            "regenerate_message",
            {"message_id": other, "instruction": "shorter, and lead with the hiring news"},
        )
        assert not redone.error, redone.view
        after = await stored(database_url, other)
        assert after.version > before.version
        assert after.reviews[-1]["action"] == "regenerate"
        assert after.reviews[-1]["reviewer"] == "kim"

        # Edit: a claim without a fact is refused by the critic; a faithful tweak is approved.
        unsupported = "Hi Maya,\n\nCongrats on the $90M Series D. Worth a call?\n\nAlex"
        refused, _ = await talk.call(
            "edit_message",
            {"message_id": maya.id, "body": unsupported, "variant": "friendly"},
            confirm=True,
        )
        assert "grounding" in " ".join(refused.view.lines).lower(), refused.view
        assert (await stored(database_url, maya.id)).status == "queued"
        paragraphs = variant(maya, "friendly")["body"].split("\n\n")
        paragraphs.insert(1, "Congratulations on the monorepo move.")
        body = "\n\n".join(paragraphs)
        edited, _ = await talk.call(
            "edit_message",
            {"message_id": maya.id, "body": body, "variant": "friendly"},
            confirm=True,
        )
        assert not edited.error, edited.view
        row = await stored(database_url, maya.id)
        assert (row.status, row.selected_variant) == ("approved", "friendly")
        assert variant(row, "friendly")["body"] == body

        # Approve needs a yes; a no leaves the message where it was.
        third = next(i for i in queued if i not in (maya.id, other))
        declined, _ = await talk.call("approve_message", {"message_id": third}, confirm=False)
        assert declined.declined and (await stored(database_url, third)).status == "queued"
        approved, _ = await talk.call(
            "approve_message", {"message_id": third, "variant": 3}, confirm=True
        )
        assert not approved.error, approved.view
        row = await stored(database_url, third)
        assert (row.status, row.selected_variant) == ("approved", "direct")

        rejected, _ = await talk.call(
            "reject_message", {"message_id": other, "reason": "wrong persona"}
        )
        assert not rejected.error and (await stored(database_url, other)).status == "rejected"

        sent, _ = await talk.call("send_campaign", {"campaign": "Q1 launch"}, confirm=True)
        assert any(line.startswith("sent 2 ·") for line in sent.view.lines), sent.view
        assert (await stored(database_url, maya.id)).status == "sent"
        assert (await stored(database_url, third)).status == "sent"

        report, _ = await talk.call("campaign_analytics", {"campaign": "Q1 launch"})
        assert report.view.title == "Campaign Q1 launch"
        assert any("· 2 sent ·" in line for line in report.view.lines), report.view.lines

        erased, _ = await talk.call("delete_lead", {"lead_id": maya.lead_id}, confirm=True)
        assert erased.view.title == f"Lead {maya.lead_id} erased"
        async with await Database.connect(database_url) as db, db.sessions() as session:
            assert await session.get(LeadRow, maya.lead_id) is None

    assert sorted(set(talk.called)) == sorted(TOOL_NAMES)
    assert stub.pending() == 0
