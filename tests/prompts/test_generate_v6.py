"""generate v6: generate v5 plus the lead's segment emphasis and the earlier-outreach rule;
unpinned runs use it."""

from __future__ import annotations

from prompts.loader import PromptSet, load_prompt


def test_v6_is_v5_with_the_segment_emphasis_and_earlier_outreach_rules() -> None:
    v5, v6 = load_prompt("generate", "v5"), PromptSet.load()["generate"]
    assert v6.version == "v6", "unpinned runs use the newest"
    assert v6.meta.variables == v5.meta.variables
    assert v6.meta.parameters == v5.meta.parameters
    values = {"channel_rules": "x", "payload": "y", "reply_shape": "z", "examples": "[]"}
    old, new = v5.render(**values), v6.render(**values)
    head, tail = old.system.split("Learning from this campaign's reviewers:")
    assert new.system.startswith(head)
    assert new.system.endswith("Learning from this campaign's reviewers:" + tail)
    assert "`campaign.emphasis`" in new.system
    assert "`earlier_outreach`" in new.system and "never say the\n  colleague replied" in new.system
    assert new.user == old.user
