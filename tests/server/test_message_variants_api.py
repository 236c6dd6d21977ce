"""GET /messages/{id}/variants answers in the seed's shape, which its own client code reads."""

from __future__ import annotations

import httpx

from tests.server.api_helpers import create_campaign, generate, import_demo_leads


def test_the_seed_client_reads_the_variants_of_a_message(client: httpx.Client) -> None:
    ids = import_demo_leads(client)
    campaign = create_campaign(client)
    (message,) = generate(client, campaign["id"], lead_ids=[ids["Maya Okafor"]])

    # The seed's usage example, line for line.
    variants = client.get(f"/api/v1/messages/{message['id']}/variants").json()
    bodies = [variants["variants"][n]["body"] for n in range(3)]

    assert all(bodies) and bodies == [v["body"] for v in message["variants"]]
    assert [v["tone"] for v in variants["variants"]] == ["professional", "friendly", "direct"]
    assert [v["variant_number"] for v in variants["variants"]] == [0, 1, 2]
    assert all(v["quality_score"] is not None for v in variants["variants"])
    assert variants["message_id"] == message["id"]
    assert variants["selected_variant"] == message["selected_variant"] is not None
    assert variants["selected_tone"] == message["selected_tone"]
    assert variants["status"] == message["status"]
    missing = client.get("/api/v1/messages/999999/variants")
    assert missing.status_code == 404 and "999999" in missing.json()["detail"]
