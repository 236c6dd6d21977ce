"""The optional model judge: a rubric score per message and pairwise comparisons.

Used only when a model endpoint is configured. Judgments are cached by judge model, prompt
(rubric) hash and the hash of what was judged, so changing the rubric re-grades without
regenerating the messages, and re-running with nothing changed costs nothing.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field

from evals.golden_set import GoldenLead
from graphs.context import ChatModel, StructuredMode
from graphs.lead import Campaign
from graphs.structured_output import call_structured
from graphs.task_inputs import data_block
from prompts.loader import Prompt, load_prompt

CRITERIA = ("relevance", "specificity", "tone_match", "clarity", "cta")


class RubricScore(BaseModel):
    """The judge's grades, 1–5 per criterion, and why."""

    relevance: int = Field(ge=1, le=5)
    specificity: int = Field(ge=1, le=5)
    tone_match: int = Field(ge=1, le=5)
    clarity: int = Field(ge=1, le=5)
    cta: int = Field(ge=1, le=5)
    reason: str

    @property
    def overall(self) -> float:
        """Mean grade scaled to 0–1."""
        return (sum(getattr(self, name) for name in CRITERIA) / len(CRITERIA) - 1) / 4


class PairVerdict(BaseModel):
    """Which of two messages the judge prefers."""

    winner: Literal["A", "B", "tie"]
    reason: str


class _Message(BaseModel):
    tone: str
    subject: str | None = None
    body: str


class _JudgeContext(BaseModel):
    channel: str
    lead: dict[str, Any]
    value_proposition: str
    facts: list[str]


class _RubricInput(_JudgeContext):
    task: Literal["grade"] = "grade"
    message: _Message


class _PairInput(_JudgeContext):
    task: Literal["compare"] = "compare"
    A: _Message
    B: _Message


def _hash(value: object) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()


class Judge:
    """Grades and compares messages with a chat model, caching every judgment."""

    def __init__(
        self,
        model: ChatModel,
        *,
        model_name: str,
        mode: StructuredMode = "json_schema",
        cache_dir: Path | None = None,
        rubric: Prompt | None = None,
        pairwise: Prompt | None = None,
    ) -> None:
        self.model = model
        self.model_name = model_name
        self.mode = mode
        self.rubric = rubric or load_prompt("judge_rubric")
        self.pairwise = pairwise or load_prompt("judge_pairwise")
        self.cache_dir = cache_dir
        if cache_dir is not None:
            cache_dir.mkdir(parents=True, exist_ok=True)

    def _cached(self, key: str) -> dict[str, Any] | None:
        if self.cache_dir is None or not (self.cache_dir / f"{key}.json").exists():
            return None
        return dict(json.loads((self.cache_dir / f"{key}.json").read_text(encoding="utf-8")))

    def _store(self, key: str, value: BaseModel) -> None:
        if self.cache_dir is not None:
            (self.cache_dir / f"{key}.json").write_text(value.model_dump_json(), "utf-8")

    async def _ask(self, prompt: Prompt, payload: BaseModel, schema: type[BaseModel]) -> Any:
        reply = await call_structured(
            self.model,
            prompt.render(payload=data_block(payload)),
            schema,
            mode=self.mode,
            params=prompt.meta.parameters,
            cost_of=lambda *_: 0.0,
            step="judge",
        )
        return reply.value

    async def grade(self, context: dict[str, Any], message: dict[str, Any]) -> RubricScore:
        """Grade one message (`context`: channel, lead, value_proposition, facts)."""
        payload = _RubricInput(**context, message=_Message(**message))
        key = _hash([self.model_name, self.rubric.sha256, payload.model_dump()])
        cached = self._cached(key)
        if cached is not None:
            return RubricScore.model_validate(cached)
        score: RubricScore = await self._ask(self.rubric, payload, RubricScore)
        self._store(key, score)
        return score

    async def _prefer(self, context: dict[str, Any], a: _Message, b: _Message) -> str:
        payload = _PairInput(**context, A=a, B=b)
        key = _hash([self.model_name, self.pairwise.sha256, payload.model_dump()])
        cached = self._cached(key)
        if cached is not None:
            return PairVerdict.model_validate(cached).winner
        verdict: PairVerdict = await self._ask(self.pairwise, payload, PairVerdict)
        self._store(key, verdict)
        return verdict.winner

    async def compare(
        self, context: dict[str, Any], baseline: dict[str, Any], candidate: dict[str, Any]
    ) -> Literal["candidate", "baseline", "tie"]:
        """Ask in both orders; a win counts only if it holds both ways (else a tie)."""
        base, cand = _Message(**baseline), _Message(**candidate)
        first = await self._prefer(context, base, cand)  # candidate is B
        second = await self._prefer(context, cand, base)  # candidate is A
        if first == "B" and second == "A":
            return "candidate"
        if first == "A" and second == "B":
            return "baseline"
        return "tie"


def judge_context(golden: GoldenLead, campaign: Campaign) -> dict[str, Any]:
    """What the judge sees besides the message: channel, lead, offer and facts."""
    return {
        "channel": campaign.channel.value,
        "lead": golden.lead.model_dump(mode="json", exclude_none=True),
        "value_proposition": campaign.value_proposition,
        "facts": [fact.text for fact in golden.facts],
    }
