"""Fixtures for the chat tests: offline settings with open sending limits, and a scripted model."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from agent.settings import Settings
from tests.conftest import OPEN_LIMITS
from tests.fakes.openai_stub import OpenAIStub


@pytest.fixture
def chat_settings(offline_settings: Callable[..., Settings]) -> Settings:
    return offline_settings(**OPEN_LIMITS)


@pytest.fixture
def model_settings(chat_settings: Settings, stub: OpenAIStub) -> Settings:
    return chat_settings.model_copy(
        update={
            "llm_provider": "openai",
            "llm_base_url": stub.base_url,
            "llm_max_retries": 0,
            "llm_timeout_s": 10,
            "llm_requests_per_second": 1000,
        }
    )
