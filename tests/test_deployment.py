"""The compose file and the image: no Docker engine runs here, so what can drift is checked by
reading them: every setting they pass exists and validates, every command they run exists, and
the image copies every package the project installs."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import yaml
from typer.main import get_command

from agent.cli.app import app
from agent.settings import Settings
from agent.workers.distributed_settings import check_distributed

ROOT = Path(__file__).resolve().parent.parent
COMPOSE: dict[str, Any] = yaml.safe_load((ROOT / "compose.yaml").read_text())
DEFAULT = re.compile(r"\$\{[A-Z_]+:-([^}]*)\}")


def _environment(service: str) -> dict[str, str]:
    """The service's environment, with each ${VAR:-default} at its default (nothing set)."""
    env = COMPOSE["services"][service]["environment"]
    return {key: DEFAULT.sub(r"\1", str(value)) for key, value in env.items()}


def test_every_setting_the_compose_file_passes_exists_and_validates() -> None:
    known = {f"OUTREACH_{name.upper()}" for name in Settings.model_fields}
    for service in ("migrate", "api", "worker"):
        env = _environment(service)
        assert set(env) <= known, set(env) - known
        values = {k.removeprefix("OUTREACH_").lower(): v for k, v in env.items() if v != ""}
        settings = Settings(**values, _env_file=None)  # type: ignore[arg-type]
        check_distributed(settings)  # PostgreSQL and a broker: a real distributed setup
        assert settings.provider == "offline"  # no key in the environment: the offline writer


def test_every_command_the_compose_file_runs_exists() -> None:
    cli = get_command(app)
    for service in ("migrate", "api", "worker"):
        command = COMPOSE["services"][service]["command"]
        assert command[0] == "outreach"
        group: Any = cli
        for word in command[1:]:
            if word.startswith("-"):
                break
            group = group.commands[word]  # KeyError: the command does not exist
        options = {o for p in group.params for o in getattr(p, "opts", [])}
        assert {w for w in command if w.startswith("--")} <= options, command


def test_the_image_copies_every_package_the_project_installs() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    packages = project["tool"]["setuptools"]["packages"]["find"]["include"]
    copied = set(re.findall(r"^COPY (\w+) \1$", (ROOT / "Dockerfile").read_text(), re.M))
    assert {p.rstrip("*") for p in packages} <= copied
    assert (ROOT / "examples").is_dir() and "examples" in copied  # the demo campaign
