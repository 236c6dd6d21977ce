"""The writer's reply: one required field per tone asked, so any reply that fits is usable.

`drafts_reply(tones, plain)` returns the reply model for the tones being written, built once per
(tone set, plain) and cached: each tone asked is its own required property holding that tone's
draft, and no other tone has a place in it. A reply missing a tone is refused like any other
invalid JSON (one re-ask through the repair path, then the fallback), never half used; a tone
not asked is not read. A lead research found nothing about gets drafts with no place for hooks
(plain). `DraftsReply.drafts()` is the one way to read a reply as a list of drafts.

The JSON Schema sent to the model fits OpenAI's strict json_schema mode: every object lists all
its properties as required (a subject is a string or null) and allows no other, and nothing has
a default. Reading is kinder than the schema where that costs nothing: a subject or hooks left
out are read as null and none, in a mode that does not enforce the schema.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any, ClassVar, Self

from pydantic import BaseModel, ConfigDict, Field, create_model, model_validator

from graphs.analysis import Hook
from graphs.drafts import TONES, Tone
from graphs.task_inputs import DraftOut


class PlainToneDraft(BaseModel):
    """One tone's draft for a lead research found nothing about: nothing to cite, no hooks."""

    model_config = ConfigDict(extra="ignore")

    subject: str | None = Field(default=None, description="Email subject; null otherwise.")
    body: str


class ToneDraft(PlainToneDraft):
    """One tone's draft, with the hooks it used."""

    hooks: list[Hook] = Field(default_factory=list, description="Hooks used, with fact ids.")


class DraftsReply(BaseModel):
    """The writer's reply: one field per tone asked (the models are built by drafts_reply)."""

    model_config = ConfigDict(extra="ignore")
    draft: ClassVar[type[PlainToneDraft]] = ToneDraft
    strict_schema: ClassVar[bool] = True
    """Its JSON Schema fits strict mode, so a json_schema request asks the endpoint to hold
    the reply to it (graphs/structured_output.py)."""

    @classmethod
    def tones(cls) -> list[Tone]:
        """Return the tones this reply holds, in the order of TONES."""
        return [Tone(name) for name in cls.model_fields]

    def drafts(self) -> list[DraftOut]:
        """Return the drafts, one per tone asked, in the order of TONES."""
        drafts = []
        for tone in self.tones():
            draft: PlainToneDraft = getattr(self, tone.value)
            hooks = draft.hooks if isinstance(draft, ToneDraft) else []
            drafts.append(DraftOut(tone=tone, subject=draft.subject, body=draft.body, hooks=hooks))
        return drafts

    @classmethod
    def of(cls, drafts: Iterable[DraftOut]) -> Self:
        """Return the reply holding these drafts (the offline writer answers with it)."""
        return cls.model_validate({d.tone.value: d.model_dump(exclude={"tone"}) for d in drafts})

    @classmethod
    def shape(cls) -> str:
        """Describe the reply's JSON for a prompt: exactly the keys the schema has."""
        fields = '"subject": str or null, "body": str'
        if "hooks" in cls.draft.model_fields:
            fields += ', "hooks": [{"text": str, "fact_ids": [str]}]'
        return "{" + ",\n ".join(f'"{tone}": {{{fields}}}' for tone in cls.tones()) + "}"

    @model_validator(mode="before")
    @classmethod
    def _from_a_list(cls, data: Any) -> Any:
        """Read the list shape older prompt versions ask for (generate v1-v3, follow_up_* v1-v2:
        {"variants": [{"tone": ..., ...}]}), so a pinned one still runs: same rule, every
        tone asked must be there."""
        listed = data.get("variants") if isinstance(data, dict) else None
        if not isinstance(listed, list) or set(data) & set(cls.model_fields):
            return data
        return {str(v["tone"]): v for v in listed if isinstance(v, dict) and "tone" in v}

    @classmethod
    def model_json_schema(cls, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """Return the reply's JSON Schema in the form strict structured output requires."""
        schema: dict[str, Any] = strict_schema(super().model_json_schema(*args, **kwargs))
        return schema


class PlainDraftsReply(DraftsReply):
    """The writer's reply for a lead research found nothing about: no place for a hook."""

    draft: ClassVar[type[PlainToneDraft]] = PlainToneDraft


def strict_schema(node: Any) -> Any:
    """Return a JSON Schema where every object requires all its properties and allows no
    other, nothing has a default and a $ref stands alone: what OpenAI's json_schema
    response_format accepts in strict mode."""
    if isinstance(node, list):
        return [strict_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:  # strict mode refuses keywords beside a $ref
        return {"$ref": node["$ref"]}
    strict: dict[str, Any] = {}
    for key, value in node.items():
        if key == "default":
            continue
        if key in ("properties", "$defs"):  # maps of names to schemas, not schemas
            strict[key] = {name: strict_schema(sub) for name, sub in value.items()}
        else:
            strict[key] = strict_schema(value)
    if "properties" in strict:
        strict["required"] = list(strict["properties"])
        strict["additionalProperties"] = False
    return strict


def drafts_reply(tones: Iterable[Tone], plain: bool = False) -> type[DraftsReply]:
    """Return the reply model for these tones (plain: no hooks), built once and cached."""
    asked = set(tones)
    return _reply_model(tuple(tone for tone in TONES if tone in asked), plain)


@functools.cache
def _reply_model(tones: tuple[Tone, ...], plain: bool) -> type[DraftsReply]:
    base = PlainDraftsReply if plain else DraftsReply
    name = f"{'PlainDrafts' if plain else 'Drafts'}_{'_'.join(tones) or 'none'}"
    fields: dict[str, Any] = {tone.value: (base.draft, ...) for tone in tones}
    doc = f"One draft for each tone asked ({', '.join(tones) or 'none'}), under its name."
    return create_model(name, __base__=base, __doc__=doc, **fields)
