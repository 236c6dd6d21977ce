"""Build the chat models a run uses, from settings."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from langchain_core.rate_limiters import BaseRateLimiter, InMemoryRateLimiter

from agent.offline.chat_model import OfflineChatModel
from agent.offline.phrasebooks import PHRASEBOOKS
from agent.settings import Settings
from agent.shared_limits import SharedModelRateLimiter, model_key
from graphs.context import ChatModel, StructuredMode
from tools.rate_limits import Rate


class ProviderConfigError(Exception):
    """The model settings cannot work; the message says what to set."""


@dataclass(frozen=True)
class Models:
    """The models for one run, and a line saying which provider runs."""

    analyst: ChatModel
    writer: ChatModel
    fallback: ChatModel | None
    structured_mode: StructuredMode
    provider: str
    description: str
    claim_judge: ChatModel | None = None
    """The critic's entailment judge, when the run has a model and wants one."""
    writer_languages: frozenset[str] | None = None
    """Languages the writer writes (None: any, as a model does; offline: its phrasebooks')."""
    fallback_languages: frozenset[str] | None = None
    """Languages the fallback writer writes (the offline one's phrasebooks)."""
    closers: tuple[Callable[[], Awaitable[None]], ...] = ()
    """What to close when the run ends (a shared rate limiter's Redis connections)."""

    async def aclose(self) -> None:
        """Let go of what the models hold open."""
        for close in self.closers:
            await close()


def build_models(settings: Settings) -> Models:
    """Return offline models, or an OpenAI-compatible model with the offline fallback."""
    if settings.provider == "offline":
        offline = OfflineChatModel()
        return Models(
            analyst=offline,
            writer=offline,
            fallback=None,
            structured_mode="none",
            provider="offline",
            description="offline writer (deterministic, no model endpoint)",
            writer_languages=frozenset(PHRASEBOOKS),
        )
    from langchain_openai import ChatOpenAI  # imported here so offline runs never need it

    if settings.llm_api_key is None and settings.llm_base_url is None:
        raise ProviderConfigError(
            "the openai provider needs OUTREACH_LLM_API_KEY (or OPENAI_API_KEY), or "
            "OUTREACH_LLM_BASE_URL for a local server that needs no key"
        )
    api_key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else "not-needed"
    limiter: BaseRateLimiter
    closers: tuple[Callable[[], Awaitable[None]], ...] = ()
    if settings.redis_url:  # every worker draws on the endpoint's one budget
        shared = SharedModelRateLimiter(
            settings.redis_url,
            model_key(settings),
            Rate.per_second(settings.llm_requests_per_second),
        )
        limiter, closers = shared, (shared.aclose,)
    else:
        limiter = InMemoryRateLimiter(
            requests_per_second=settings.llm_requests_per_second,
            check_every_n_seconds=0.05,
            max_bucket_size=max(1.0, settings.llm_requests_per_second),
        )
    model = ChatOpenAI(
        model=settings.llm_model,
        base_url=settings.llm_base_url,
        api_key=api_key,  # type: ignore[arg-type]
        timeout=settings.llm_timeout_s,
        max_retries=settings.llm_max_retries,
        temperature=settings.llm_temperature,
        rate_limiter=limiter,
    )
    fallback = OfflineChatModel() if settings.llm_fallback == "offline" else None
    judge = model if settings.claim_judge else None
    where = settings.llm_base_url or "api.openai.com"
    return Models(
        analyst=model,
        writer=model,
        fallback=fallback,
        structured_mode=settings.llm_structured_output,
        provider="openai",
        description=f"openai-compatible model {settings.llm_model} at {where}"
        + (" (offline fallback on failure)" if fallback else "")
        + (", claim judge on" if judge else ""),
        claim_judge=judge,
        fallback_languages=frozenset(PHRASEBOOKS) if fallback else None,
        closers=closers,
    )
