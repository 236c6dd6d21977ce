"""Lead fields are untrusted like researched pages (issue 17, item 6), on the offline provider.

A company name, a note or a custom column that reads as instructions to an AI, carries a link
or carries markup is never pasted into a message: the drafts are written without it, the lead
is queued for a person (never sent automatically), and the record names the field and why.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from agent.offline.chat_model import OfflineChatModel
from graphs.lead import Campaign, Lead
from graphs.lead_pipeline import build_graph
from tests.agent.hostile_leads import (
    HOSTILE_COMPANY,
    NEVER_IN_A_MESSAGE,
    hostile,
    message_texts,
    with_template,
)
from tests.conftest import NOW
from tests.factories import context
from tools.page_fetch import FetchLimits, PageFetcher
from tools.research_tools import build_research_tools

LOOPBACK = FetchLimits(allow_private_networks=True)  # the fixture web is on 127.0.0.1


async def run_offline(
    lead: Lead, campaign: Campaign, resolve: dict[str, str], tmp_path: Path
) -> dict[str, Any]:
    fetcher = PageFetcher(limits=LOOPBACK, resolve=resolve)
    model = OfflineChatModel()
    ctx = context(model, tmp_path, tools=build_research_tools(fetcher, clock=lambda: NOW))
    try:
        return await build_graph().ainvoke({"lead": lead, "campaign": campaign}, context=ctx)
    finally:
        await fetcher.aclose()


@pytest.mark.parametrize("templated", [False, True], ids=["no-template", "template"])
async def test_hostile_lead_fields_never_reach_a_draft_and_the_lead_waits_for_a_person(
    maya: Lead,
    campaign: Campaign,
    demo_resolve: dict[str, str],
    tmp_path: Path,
    templated: bool,
) -> None:
    chosen = with_template(campaign) if templated else campaign
    out = await run_offline(hostile(maya), chosen, demo_resolve, tmp_path)  # auto-send is on
    texts = message_texts(out)
    assert len(texts) == 3
    for text in texts:
        for forbidden in NEVER_IN_A_MESSAGE:
            assert forbidden.casefold() not in text.casefold(), (forbidden, text)
    # The company is named by a neutral fallback, never by the hostile field.
    assert not any("acme corp" in text.casefold() for text in texts), texts
    assert any("your company" in text.casefold() for text in texts), texts
    assert out["decision"].action == "queue", out["decision"].reason
    assert out.get("delivery") is None
    reason = out["decision"].reason
    assert "company" in reason and "instructions" in reason, reason
    findings = {e.message.split(":")[0]: e.message for e in out["errors"] if e.stage == "lead"}
    assert set(findings) == {"company", "notes", "bio"}, out["errors"]
    assert "instructions" in findings["company"] and "link" in findings["company"]
    assert "markup" in findings["bio"]
    # The record says what was withheld without quoting the hostile text back.
    assert not any("QX-PWNED-9" in e.message for e in out["errors"])
    # The critic's new check passes the drafts: nothing of the fields was copied.
    checks = {c.name: c for critique in out["critiques"] for c in critique.checks}
    assert checks["copied_instructions"].passed


async def test_a_company_that_is_a_bare_domain_is_not_a_finding(
    maya: Lead, campaign: Campaign, demo_resolve: dict[str, str], tmp_path: Path
) -> None:
    out = await run_offline(
        maya.model_copy(update={"company": "Monday.com"}), campaign, demo_resolve, tmp_path
    )
    assert not [e for e in out["errors"] if e.stage == "lead"], out["errors"]
    assert out["decision"].action == "send", out["decision"].reason
    assert any("Monday.com" in text for text in message_texts(out)), message_texts(out)


async def test_a_company_written_as_a_full_url_is_withheld(
    maya: Lead, campaign: Campaign, demo_resolve: dict[str, str], tmp_path: Path
) -> None:
    lead = maya.model_copy(update={"company": "https://northwind.example/careers"})
    out = await run_offline(lead, campaign, demo_resolve, tmp_path)
    assert out["decision"].action == "queue"
    assert [e.message for e in out["errors"] if e.stage == "lead"] == [
        "company: carries a link; left out of the drafts (possible prompt injection)"
    ]
    assert not any("northwind.example/careers" in text for text in message_texts(out))


async def test_an_unresearched_hostile_lead_is_queued_naming_both_reasons(
    campaign: Campaign, tmp_path: Path
) -> None:
    lead = Lead(
        name="Alex Chen",
        email="alex.chen@acme.example",
        company=HOSTILE_COMPANY,
        title="Head of Engineering",
    )
    out = await run_offline(lead, campaign, {}, tmp_path)
    assert out["decision"].action == "queue"
    reason = out["decision"].reason
    assert reason.startswith("lead fields left out of the drafts"), reason
    assert "research found nothing about this lead" in reason
    for text in message_texts(out):
        assert "QX-PWNED-9" not in text and "evil.example" not in text
        assert "at your company" in text


async def test_a_column_holding_only_a_link_is_kept_out_without_a_finding(
    maya: Lead, campaign: Campaign, demo_resolve: dict[str, str], tmp_path: Path
) -> None:
    lead = maya.model_copy(update={"extra": {"twitter": "https://x.example/maya"}})
    templated = campaign.model_copy(
        update={"template": "Hi {{first_name}}, a quick note. Your profile: {{twitter}}."}
    )
    out = await run_offline(lead, templated, demo_resolve, tmp_path)
    assert not [e for e in out["errors"] if e.stage == "lead"]
    assert out["decision"].action == "send", out["decision"].reason
    assert not any("x.example" in text or "{{" in text for text in message_texts(out))
