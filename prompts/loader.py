"""Load versioned prompt files, validate their variables, and render them."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import frontmatter
import jinja2
from jinja2 import meta
from pydantic import BaseModel, ConfigDict, Field, ValidationError

PROMPTS_DIR = Path(__file__).resolve().parent
_SECTION = re.compile(r"^#\s*(system|user)\s*$", re.IGNORECASE | re.MULTILINE)
_VERSION = re.compile(r"^v\d+$")


class PromptError(Exception):
    """A prompt file is missing, malformed, or used with the wrong variables."""


class PromptMeta(BaseModel):
    """Front matter every prompt file must carry."""

    model_config = ConfigDict(extra="forbid")

    id: str
    version: str
    description: str
    variables: list[str]
    parameters: dict[str, Any] = Field(default_factory=dict)


@dataclass(frozen=True)
class RenderedPrompt:
    """A prompt filled with values: a system and a user message."""

    system: str
    user: str


@dataclass(frozen=True)
class Prompt:
    """One prompt file: metadata, its two message templates and the hash of its text."""

    meta: PromptMeta
    system_template: str
    user_template: str
    sha256: str
    path: Path
    _compiled: tuple[jinja2.Template, jinja2.Template] = field(repr=False, compare=False)

    @property
    def id(self) -> str:
        """Return the prompt's id."""
        return self.meta.id

    @property
    def version(self) -> str:
        """Return the prompt's version."""
        return self.meta.version

    def render(self, **values: Any) -> RenderedPrompt:
        """Fill the prompt; every declared variable must be given, and nothing else."""
        declared = set(self.meta.variables)
        missing = sorted(declared - values.keys())
        unknown = sorted(values.keys() - declared)
        if missing or unknown:
            problems = []
            if missing:
                problems.append(f"missing {', '.join(missing)}")
            if unknown:
                problems.append(f"not declared {', '.join(unknown)}")
            raise PromptError(f"prompt {self.id}/{self.version}: {'; '.join(problems)}")
        system_template, user_template = self._compiled
        system = system_template.render(**values)
        user = user_template.render(**values)
        return RenderedPrompt(system=system.strip(), user=user.strip())


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=False
    )


def parse_prompt(path: Path) -> Prompt:
    """Read and validate one prompt file."""
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PromptError(f"cannot read prompt file {path}: {exc.strerror}") from None
    post = frontmatter.loads(raw)
    try:
        prompt_meta = PromptMeta.model_validate(post.metadata)
    except ValidationError as exc:
        raise PromptError(f"{path}: bad front matter: {exc.errors()[0]['msg']}") from None
    if not _VERSION.match(prompt_meta.version):
        raise PromptError(f"{path}: version must look like v1, v2, ... (got {prompt_meta.version})")
    if path.stem != prompt_meta.version or path.parent.name != prompt_meta.id:
        raise PromptError(f"{path}: file must live at {prompt_meta.id}/{prompt_meta.version}.md")
    parts = _SECTION.split(post.content)
    sections = {name.lower(): text for name, text in zip(parts[1::2], parts[2::2], strict=True)}
    if set(sections) != {"system", "user"}:
        raise PromptError(f"{path}: needs exactly one '# System' and one '# User' section")
    env = _environment()
    used: set[str] = set()
    for text in sections.values():
        try:
            used |= meta.find_undeclared_variables(env.parse(text))
        except jinja2.TemplateSyntaxError as exc:
            raise PromptError(
                f"{path}:{exc.lineno}: template syntax error: {exc.message}"
            ) from None
    declared = set(prompt_meta.variables)
    if used - declared:
        raise PromptError(f"{path}: uses undeclared variables {', '.join(sorted(used - declared))}")
    if declared - used:
        raise PromptError(f"{path}: declares unused variables {', '.join(sorted(declared - used))}")
    return Prompt(
        meta=prompt_meta,
        system_template=sections["system"],
        user_template=sections["user"],
        sha256=hashlib.sha256(raw.encode("utf-8")).hexdigest(),
        path=path,
        _compiled=(env.from_string(sections["system"]), env.from_string(sections["user"])),
    )


def _root(root: Path | None) -> Path:
    """Return the prompts folder: the one given, else PROMPTS_DIR (read at call time, so a
    test can point every load at a folder of its own)."""
    return PROMPTS_DIR if root is None else root


def available_versions(prompt_id: str, root: Path | None = None) -> list[str]:
    """Return the versions on disk for a prompt id, oldest first."""
    folder = _root(root) / prompt_id
    versions = [p.stem for p in folder.glob("v*.md") if _VERSION.match(p.stem)]
    return sorted(versions, key=lambda v: int(v[1:]))


def load_prompt(prompt_id: str, version: str | None = None, root: Path | None = None) -> Prompt:
    """Load a prompt by id, the newest version unless one is pinned."""
    root = _root(root)
    versions = available_versions(prompt_id, root)
    if not versions:
        raise PromptError(f"no prompt named {prompt_id!r} under {root}")
    chosen = version or versions[-1]
    if chosen not in versions:
        raise PromptError(
            f"prompt {prompt_id!r} has no version {chosen!r} (available: {', '.join(versions)})"
        )
    return parse_prompt(root / prompt_id / f"{chosen}.md")


def parse_pins(pins: list[str]) -> dict[str, str]:
    """Parse NAME=VERSION pins from the command line."""
    parsed: dict[str, str] = {}
    for pin in pins:
        name, sep, version = pin.partition("=")
        if not sep or not name or not version:
            raise PromptError(f"--prompt expects NAME=VERSION (e.g. generate=v1), got {pin!r}")
        parsed[name.strip()] = version.strip()
    return parsed


class PromptSet:
    """The prompts one run uses, loaded and validated up front."""

    REQUIRED: tuple[str, ...] = (
        "analyze",
        "generate",
        "call_script",
        "follow_up_soft_nudge",
        "follow_up_new_angle",
        "follow_up_direct_cta",
        "follow_up_breakup",
        "judge_claims",
    )  # fmt: skip

    def __init__(self, prompts: dict[str, Prompt]) -> None:
        self._prompts = prompts

    @classmethod
    def load(cls, pins: Mapping[str, str] | None = None, root: Path | None = None) -> PromptSet:
        """Load every required prompt, honouring pinned versions."""
        pins = pins or {}
        cls._check_names(pins)
        return cls({name: load_prompt(name, pins.get(name), root) for name in cls.REQUIRED})

    @classmethod
    def _check_names(cls, pins: Mapping[str, str]) -> None:
        unknown = sorted(set(pins) - set(cls.REQUIRED))
        if unknown:
            raise PromptError(
                f"unknown prompt name(s) {', '.join(unknown)}; known: {', '.join(cls.REQUIRED)}"
            )

    def with_pins(self, pins: Mapping[str, str], root: Path | None = None) -> PromptSet:
        """Return this set with the pinned prompts loaded at their pinned versions (the others
        stay as loaded here); PromptError names an unknown prompt or version."""
        if not pins:
            return self
        self._check_names(pins)
        pinned = {name: load_prompt(name, version, root) for name, version in pins.items()}
        return type(self)({**self._prompts, **pinned})

    def __getitem__(self, name: str) -> Prompt:
        return self._prompts[name]

    def versions(self) -> dict[str, str]:
        """Return name → version for every prompt in the set."""
        return {name: p.version for name, p in self._prompts.items()}
