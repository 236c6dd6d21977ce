"""The writer's reply schema: one required field per tone asked, valid for strict structured
output, described to the model exactly as it is sent."""

from __future__ import annotations

import itertools
import json
import re
from typing import Any

import pytest
from pydantic import ValidationError

from graphs.draft_reply import drafts_reply
from graphs.drafts import TONES, Tone
from graphs.structured_output import json_schema_of
from graphs.task_inputs import DraftOut

TONE_SETS = [
    tuple(tones) for n in range(1, len(TONES) + 1) for tones in itertools.combinations(TONES, n)
]
REPLIES = [(tones, plain) for tones in TONE_SETS for plain in (False, True)]
HOOK = {"text": "your post on CI", "fact_ids": ["f_1"]}


def draft(tone: str, **extra: Any) -> dict[str, Any]:
    return {"subject": f"{tone} subject", "body": f"{tone} body", "hooks": [HOOK], **extra}


def subschemas(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """Every schema in a JSON Schema, nested ones and definitions included."""
    found: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            found.append(node)
            for key, value in node.items():
                walk(list(value.values()) if key in ("properties", "$defs") else value)

    walk(schema)
    return found


@pytest.mark.parametrize(("tones", "plain"), REPLIES)
def test_the_schema_requires_exactly_the_tones_asked_and_fits_strict_mode(
    tones: tuple[Tone, ...], plain: bool
) -> None:
    reply = drafts_reply(tones, plain=plain)
    schema = json_schema_of(reply)
    assert list(schema["properties"]) == list(tones)
    assert schema["required"] == list(tones) and schema["additionalProperties"] is False
    # OpenAI's strict json_schema mode: every object requires all of its properties and allows
    # no other, no property has a default, a $ref stands alone, the root is an object.
    assert schema["type"] == "object"
    for node in subschemas(schema):
        assert "default" not in node, node
        assert "$ref" not in node or list(node) == ["$ref"], node
        if node.get("type") == "object":
            assert node["required"] == list(node["properties"]), node
            assert node["additionalProperties"] is False, node
    assert re.fullmatch(r"[a-zA-Z0-9_-]{1,64}", reply.__name__), "OpenAI's schema name rule"
    drafts = [d for d in schema["$defs"].values() if "body" in d["properties"]]
    assert [list(d["properties"]) for d in drafts] == [
        ["subject", "body"] if plain else ["subject", "body", "hooks"]
    ]


def test_a_reply_model_is_built_once_per_tone_set_and_plainness() -> None:
    assert drafts_reply(TONES) is drafts_reply(list(reversed(TONES)))
    assert drafts_reply([Tone.FRIENDLY]) is drafts_reply({Tone.FRIENDLY})
    assert drafts_reply([Tone.FRIENDLY]) is not drafts_reply([Tone.FRIENDLY], plain=True)
    assert json_schema_of(drafts_reply(TONES)) is json_schema_of(drafts_reply(TONES))
    assert len({drafts_reply(tones, plain=plain) for tones, plain in REPLIES}) == len(REPLIES)


def test_a_valid_reply_is_read_as_drafts_in_tone_order() -> None:
    reply = drafts_reply(TONES).model_validate(
        {"direct": draft("direct"), "professional": draft("professional", subject=None),
         "friendly": draft("friendly")}
    )  # fmt: skip
    drafts = reply.drafts()
    assert [d.tone for d in drafts] == list(TONES)
    assert drafts[0] == DraftOut(
        tone=Tone.PROFESSIONAL, subject=None, body="professional body", hooks=[HOOK]
    )
    assert drafts_reply(TONES).of(drafts) == reply


def test_a_reply_missing_a_tone_asked_is_refused_and_one_not_asked_is_not_read() -> None:
    reply = drafts_reply([Tone.PROFESSIONAL, Tone.DIRECT])
    with pytest.raises(ValidationError) as refused:
        reply.model_validate({"professional": draft("professional"), "friendly": draft("x")})
    assert [e["loc"] for e in refused.value.errors()] == [("direct",)]
    assert refused.value.errors()[0]["type"] == "missing"
    read = reply.model_validate(
        {"professional": draft("professional"), "friendly": draft("x"), "direct": draft("direct")}
    )
    assert [d.tone for d in read.drafts()] == [Tone.PROFESSIONAL, Tone.DIRECT]


def test_a_plain_reply_has_no_hooks_even_when_a_model_writes_some() -> None:
    reply = drafts_reply([Tone.FRIENDLY], plain=True).model_validate(
        {"friendly": draft("friendly")}
    )
    assert reply.drafts() == [DraftOut(tone=Tone.FRIENDLY, subject="friendly subject",
                                       body="friendly body")]  # fmt: skip
    assert json.loads(reply.model_dump_json()) == {
        "friendly": {"subject": "friendly subject", "body": "friendly body"}
    }


def test_a_reply_in_the_list_shape_of_older_prompt_versions_is_read_by_the_same_rule() -> None:
    """generate v1-v3 and follow_up_* v1-v2 ask for {"variants": [...]}: a pinned one runs."""
    reply = drafts_reply([Tone.FRIENDLY, Tone.DIRECT])
    listed = {"variants": [{"tone": t, **draft(t)} for t in ("direct", "friendly", "warm")]}
    assert [d.tone for d in reply.model_validate(listed).drafts()] == [Tone.FRIENDLY, Tone.DIRECT]
    with pytest.raises(ValidationError, match="friendly"):
        reply.model_validate({"variants": [{"tone": "direct", **draft("direct")}]})


def example_of(shape: str) -> Any:
    """Turn a prompt's reply shape into an example reply (each type written as a value)."""
    text = shape.replace("str or null", "null").replace("[str]", '["f_1"]')
    return json.loads(re.sub(r"(?<=: )str\b", '"text"', text))


def keys_of(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: keys_of(sub) for key, sub in value.items()}
    if isinstance(value, list):
        return [keys_of(item) for item in value]
    return None


def schema_keys(node: dict[str, Any], defs: dict[str, Any]) -> Any:
    """The keys a schema's instances have, nested as keys_of gives them."""
    node = defs[node["$ref"].rsplit("/", 1)[1]] if "$ref" in node else node
    if "properties" in node:
        return {key: schema_keys(sub, defs) for key, sub in node["properties"].items()}
    return [schema_keys(node["items"], defs)] if node.get("type") == "array" else None


@pytest.mark.parametrize(("tones", "plain"), REPLIES)
def test_the_prompt_describes_exactly_the_schema_sent(tones: tuple[Tone, ...], plain: bool) -> None:
    reply = drafts_reply(tones, plain=plain)
    example = example_of(reply.shape())
    schema = json_schema_of(reply)
    assert keys_of(example) == schema_keys(schema, schema.get("$defs", {}))
    assert [d.tone for d in reply.model_validate(example).drafts()] == list(tones)
