"""generate v3: the writer is told to write in the lead's language and is handed the campaign's
pitch and ask in it; it renders from the same values as v2, so the node needs no change."""

from __future__ import annotations

from graphs.analysis import Analysis
from graphs.drafts import Tone
from graphs.lead import Campaign, CampaignCopy, Channel, Lead
from graphs.task_inputs import GenerateInput, data_block
from prompts.loader import available_versions, load_prompt

GERMAN = CampaignCopy(
    value_proposition="Wir machen CI schnell.",
    call_to_action="Passt ein kurzes Gespräch nächste Woche?",
)


def test_v3_takes_the_values_v2_takes() -> None:
    assert "v3" in available_versions("generate")  # v4 is the newest: test_generate_v4.py
    v2, v3 = load_prompt("generate", "v2"), load_prompt("generate", "v3")
    assert v3.meta.variables == v2.meta.variables == ["channel_rules", "payload"]
    assert v3.meta.parameters == v2.meta.parameters


def test_v3_tells_the_writer_the_language_and_gives_it_the_campaign_in_it() -> None:
    campaign = Campaign(
        value_proposition="We make CI fast.", language="de", translations={"de": GERMAN}
    )
    payload = GenerateInput(
        channel=Channel.EMAIL,
        language="de",
        tones=[Tone.DIRECT],
        attempt=1,
        lead=Lead(name="Jonas Weber", company="Bergwerk Logistik", language="de"),
        campaign=campaign.in_language("de"),
        analysis=Analysis(relevance_score=0.8),
        facts=[],
    )
    rendered = load_prompt("generate", "v3").render(
        channel_rules="- Email: 50 to 125 words.", payload=data_block(payload)
    )
    assert "Write every subject and body entirely in the language named by `language`" in (
        rendered.system
    )
    assert "de German" in rendered.system
    assert '"language": "de"' in rendered.user
    assert "Wir machen CI schnell." in rendered.user
    assert "Passt ein kurzes Gespräch nächste Woche?" in rendered.user
    # The rules of v2 all still hold.
    v2 = load_prompt("generate", "v2").render(channel_rules="x", payload="y").system
    v3 = load_prompt("generate", "v3").render(channel_rules="x", payload="y").system
    for line in v2.splitlines():
        assert line in v3.splitlines(), line
