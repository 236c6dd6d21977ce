"""Prompt files: validated at load, rendered strictly, identified by hash."""

from __future__ import annotations

from pathlib import Path

import pytest

from prompts.loader import PromptError, PromptSet, load_prompt, parse_pins

GOOD = """---
id: greet
version: v1
description: test prompt
variables: [name]
parameters: {temperature: 0.1}
---
# System
Be brief.

# User
Say hello to {{ name }}.
"""


def make(tmp_path: Path, text: str, version: str = "v1", prompt_id: str = "greet") -> Path:
    folder = tmp_path / prompt_id
    folder.mkdir(exist_ok=True)
    path = folder / f"{version}.md"
    path.write_text(text)
    return tmp_path


def test_render_and_hash(tmp_path: Path) -> None:
    prompt = load_prompt("greet", root=make(tmp_path, GOOD))
    rendered = prompt.render(name="Maya")
    assert rendered.system == "Be brief." and rendered.user == "Say hello to Maya."
    assert prompt.meta.parameters == {"temperature": 0.1}
    assert len(prompt.sha256) == 64
    changed = load_prompt("greet", root=make(tmp_path, GOOD.replace("brief", "short")))
    assert changed.sha256 != prompt.sha256


def test_missing_and_unknown_values_are_named(tmp_path: Path) -> None:
    prompt = load_prompt("greet", root=make(tmp_path, GOOD))
    with pytest.raises(PromptError, match="missing name"):
        prompt.render()
    with pytest.raises(PromptError, match="not declared extra"):
        prompt.render(name="x", extra="y")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            GOOD.replace("Say hello to {{ name }}.", "Say hello to {{ nam }}."),
            "undeclared variables nam",
        ),
        (
            GOOD.replace("variables: [name]", "variables: [name, tone]"),
            "declares unused variables tone",
        ),
        (GOOD.replace("# System\n", ""), "exactly one '# System'"),
        (GOOD.replace("description: test prompt\n", ""), "bad front matter"),
        (GOOD.replace("{{ name }}", "{{ name }"), "template syntax error"),
        (GOOD.replace("version: v1", "version: v2"), "must live at greet/v2.md"),
    ],
)
def test_broken_files_fail_fast(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(PromptError, match=message):
        load_prompt("greet", root=make(tmp_path, text))


def test_pinning_versions(tmp_path: Path) -> None:
    root = make(tmp_path, GOOD)
    make(
        tmp_path, GOOD.replace("version: v1", "version: v2").replace("brief", "terse"), version="v2"
    )
    assert load_prompt("greet", root=root).version == "v2"
    assert load_prompt("greet", "v1", root=root).version == "v1"
    with pytest.raises(PromptError, match=r"no version 'v9' \(available: v1, v2\)"):
        load_prompt("greet", "v9", root=root)


def test_shipped_prompts_load_and_pins_are_checked() -> None:
    prompts = PromptSet.load({"generate": "v1"})
    assert prompts.versions() == {
        "analyze": "v1",
        "generate": "v1",
        "follow_up_soft_nudge": "v3",
        "follow_up_new_angle": "v3",
        "follow_up_direct_cta": "v3",
        "follow_up_breakup": "v3",
        "call_script": "v1",
        "judge_claims": "v2",
    }
    with pytest.raises(PromptError, match="unknown prompt name"):
        PromptSet.load({"summarize": "v1"})
    assert parse_pins(["generate=v1"]) == {"generate": "v1"}
    with pytest.raises(PromptError, match="NAME=VERSION"):
        parse_pins(["generate"])
