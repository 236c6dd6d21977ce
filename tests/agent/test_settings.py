"""Settings: environment, OPENAI_* aliases and the config file, in that order."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.pricing import PriceTable
from agent.providers import ProviderConfigError, build_models
from agent.settings import Settings


def test_defaults_are_offline() -> None:
    settings = Settings()
    assert settings.provider == "offline"
    assert build_models(settings).provider == "offline"


def test_openai_variables_select_the_openai_provider(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    monkeypatch.setenv("OUTREACH_LLM_MODEL", "llama3.1")
    settings = Settings()
    assert settings.provider == "openai"
    assert settings.llm_api_key is not None and settings.llm_api_key.get_secret_value() == "sk-test"
    models = build_models(settings)
    assert models.provider == "openai" and "llama3.1" in models.description
    assert models.fallback is not None


def test_outreach_variables_win_over_openai_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", "http://a.invalid/v1")
    monkeypatch.setenv("OUTREACH_LLM_BASE_URL", "http://127.0.0.1:11434/v1")
    assert Settings().llm_base_url == "http://127.0.0.1:11434/v1"


def test_config_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    config = tmp_path / "outreach.toml"
    config.write_text('min_quality_to_send = 0.9\nllm_provider = "offline"\nconcurrency = 8\n')
    monkeypatch.setenv("OUTREACH_CONFIG_FILE", str(config))
    monkeypatch.setenv("OUTREACH_CONCURRENCY", "2")
    settings = Settings()
    assert settings.min_quality_to_send == 0.9
    assert settings.concurrency == 2  # the environment beats the file


def test_openai_without_key_or_url_explains_what_to_set() -> None:
    with pytest.raises(ProviderConfigError, match="OPENAI_API_KEY"):
        build_models(Settings(llm_provider="openai"))


def test_price_table_matches_dated_model_names() -> None:
    prices = PriceTable({"gpt-4o-mini": (0.15, 0.60), "gpt-4o": (2.5, 10.0)})
    assert prices.cost_of("gpt-4o-mini-2024-07-18", 1_000_000, 0) == 0.15
    assert prices.cost_of("gpt-4o", 0, 1_000_000) == 10.0
    assert prices.cost_of("mystery-model", 10, 10) == 0.0


def test_a_redis_broker_also_holds_the_shared_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    from agent.workers.distributed_settings import limits_warning

    monkeypatch.setenv("OUTREACH_BROKER_URL", "redis://queue-host:6379/0")
    settings = Settings()
    assert settings.redis_url == "redis://queue-host:6379/0"
    assert limits_warning(settings) is None
    # Another Redis named for the limits wins; a RabbitMQ broker shares nothing by itself.
    monkeypatch.setenv("OUTREACH_REDIS_URL", "redis://limits-host:6379/1")
    assert Settings().redis_url == "redis://limits-host:6379/1"
    monkeypatch.delenv("OUTREACH_REDIS_URL")
    monkeypatch.setenv("OUTREACH_BROKER_URL", "amqp://guest:guest@queue-host:5672//")
    rabbit = Settings()
    assert rabbit.redis_url is None
    assert "OUTREACH_REDIS_URL is not set" in (limits_warning(rabbit) or "")


@pytest.mark.parametrize(
    ("broker", "limits"),
    [
        # Celery's transport options and constant-style TLS flags are not redis-py's.
        (
            "rediss://u:secret@queue-host:6380/2?ssl_cert_reqs=CERT_REQUIRED&visibility_timeout=9",
            "rediss://u:secret@queue-host:6380/2?ssl_cert_reqs=required",
        ),
        ("redis://queue-host/3?visibility_timeout=3600", "redis://queue-host/3"),
        ("redis://a:6379/0;redis://b:6379/0", None),  # failover: name the limits' Redis
        ("sentinel://sentinel-host:26379", None),
    ],
)
def test_the_limits_reach_a_redis_broker_as_redis_py_takes_it(
    monkeypatch: pytest.MonkeyPatch, broker: str, limits: str | None
) -> None:
    monkeypatch.setenv("OUTREACH_BROKER_URL", broker)
    settings = Settings()
    assert settings.redis_url == limits
    if limits is not None:
        from redis import Redis

        Redis.from_url(limits)  # accepted (nothing is connected yet)


async def test_a_silent_broker_redis_is_named_as_the_broker(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from agent.shared_limits import SharedLimitsUnavailable, check_shared_limits

    monkeypatch.setenv("OUTREACH_BROKER_URL", "redis://127.0.0.1:1/0")  # nothing listens there
    with pytest.raises(SharedLimitsUnavailable) as caught:
        await check_shared_limits(Settings())
    said = str(caught.value)
    assert "the broker's Redis at redis://127.0.0.1:1/0 (OUTREACH_BROKER_URL)" in said
    assert "unset OUTREACH_REDIS_URL" not in said  # the operator never set it
