"""The openai path over real HTTP (the loopback stub): a later contact's request carries the
earlier_outreach fact from our own records and the prompt's rule for it, and the model's
draft that cites it passes; a draft claiming earlier contact where no such fact exists is
failed by the critic's earlier_outreach check, whatever the model says."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from sqlalchemy import update

from agent.settings import Settings
from graphs.lead import Campaign
from storage.database import Database
from storage.models import MessageRow
from tests.agent.planning.test_earlier_outreach_in_runs import (
    DANIEL,
    MAYA,
    SAM,
    SENT_ON,
    messages,
    run,
)
from tests.agent.test_openai_provider import answer_like_a_model
from tests.fakes.openai_stub import OpenAIStub, Respond

FACT = "We emailed Maya Okafor (VP Engineering) at Northwind Robotics on 20 November 2026."
CLAIM = "I reached out to your colleague last week about this."


def claiming(request: dict[str, Any]) -> str:
    """A model that answers well, then adds an earlier contact to every draft's body."""
    answer = json.loads(answer_like_a_model(request))
    drafts = answer.get("drafts", answer)
    for draft in drafts.values() if isinstance(drafts, dict) else []:
        if isinstance(draft, dict) and isinstance(draft.get("body"), str):
            first, _, rest = draft["body"].partition("\n\n")
            draft["body"] = f"{first}\n\n{CLAIM} {rest}"
    return json.dumps(answer)


def _openai(settings: Settings, stub: OpenAIStub) -> Settings:
    return settings.model_copy(
        update={
            "llm_provider": "openai",
            "llm_base_url": stub.base_url,
            "llm_api_key": SecretStr("test-key"),
            "llm_max_retries": 0,
            "llm_requests_per_second": 1000,
            "llm_fallback": "none",
            "auto_send": False,
        }
    )


def _generate_requests(stub: OpenAIStub, since: int) -> list[str]:
    bodies = [json.dumps(r.json) for r in stub.requests[since:] if r.json]
    return [b for b in bodies if "reviewer_edits" in b or "tones" in b.lower()]


async def test_the_model_is_given_the_fact_and_a_claim_without_one_fails(
    database_url: str,
    tmp_path: Path,
    campaign: Campaign,
    demo_resolve: dict[str, str],
    stub: OpenAIStub,
) -> None:
    offline = Settings(
        database_url=database_url, data_dir=tmp_path, allow_private_networks=True, auto_send=True
    )
    await run(offline, campaign, demo_resolve, [MAYA], tmp_path / "first.csv")
    async with await Database.connect(offline.database) as db, db.sessions.begin() as session:
        await session.execute(update(MessageRow).values(sent_at=SENT_ON))

    mode = {"claim": False}

    def model(request: dict[str, Any]) -> str:
        return claiming(request) if mode["claim"] else answer_like_a_model(request)

    stub.enqueue(*[Respond(model)] * 16)
    seen = len(stub.requests)
    await run(_openai(offline, stub), campaign, demo_resolve, [SAM], tmp_path / "sam.csv")
    sent = [json.dumps(r.json) for r in stub.requests[seen:] if r.json]
    assert any(FACT in body for body in sent), "the fact reached no request"
    assert any("earlier_outreach" in body and "Earlier outreach" in body for body in sent)
    sam = (await messages(offline))["Sam Lee"]
    checks = [c for v in sam.variants for c in v["quality"]["checks"]]
    assert all(c["passed"] for c in checks if c["name"] == "earlier_outreach")

    # Daniel works elsewhere: no fact, and a model that claims an earlier contact anyway.
    mode["claim"] = True
    await run(_openai(offline, stub), campaign, demo_resolve, [DANIEL], tmp_path / "dan.csv")
    daniel = (await messages(offline))["Daniel Brandt"]
    claimed = [v for v in daniel.variants if CLAIM in v["body"]]
    assert claimed, "the model's claim never reached a draft"
    for variant in claimed:
        failed = [c for c in variant["quality"]["checks"] if not c["passed"]]
        assert "earlier_outreach" in [c["name"] for c in failed], variant["quality"]
