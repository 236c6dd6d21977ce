"""A lead's language and a campaign's languages over HTTP: imported by JSON or CSV (names,
codes and locales read as en/es/fr/de, anything else named by row and left empty), listed
with each lead, and a campaign's language and translated pitch kept and changed."""

from __future__ import annotations

import httpx

CAMPAIGN = {"name": "DACH", "channel": "email", "value_proposition": "We make CI fast."}
GERMAN = {
    "value_proposition": "Wir machen CI schnell.",
    "short_pitch": "Schnellere Builds.",
    "call_to_action": "Passt ein kurzes Gespräch nächste Woche?",
}


def test_json_import_reads_each_language_and_names_the_ones_left_empty(
    client: httpx.Client,
) -> None:
    response = client.post(
        "/api/v1/leads",
        json={
            "leads": [
                {"name": "Jonas Weber", "company": "Bergwerk", "email": "jonas@bergwerk.example",
                 "language": "Deutsch"},
                {"name": "Lucía Herrera", "company": "Solana", "email": "lucia@solana.example",
                 "language": "es-MX"},
                {"name": "Giulia Rossi", "company": "Brera", "email": "giulia@brera.example",
                 "language": "it"},
                {"name": "Maya Okafor", "company": "Northwind", "email": "maya@northwind.example",
                 "language": None},
            ]
        },
    )  # fmt: skip
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["imported"] == 4 and result["errors"] == []
    assert result["ignored"] == [
        {
            "row": 3,
            "field": "language",
            "message": "'it' is Italian, which messages are not written in (en, es, fr, de); "
            "left empty, so the language is inferred",
        }
    ]
    listed = {
        lead["name"]: lead["language"] for lead in client.get("/api/v1/leads").json()["items"]
    }
    assert listed == {
        "Jonas Weber": "de",
        "Lucía Herrera": "es",
        "Giulia Rossi": None,
        "Maya Okafor": None,
    }
    one = client.get(f"/api/v1/leads/{result['lead_ids'][0]}").json()
    assert one["language"] == "de" and "language" not in one["extra"]


def test_a_csv_upload_reads_a_language_column_under_its_crm_header(client: httpx.Client) -> None:
    csv_text = (
        "Full Name,Work Email,Company,Locale\n"
        "Claire Martin,claire@delorme.example,Maison Delorme,fr_FR\n"
        "Bo Berg,bo@acme.example,Acme,Klingon\n"
    )
    response = client.post(
        "/api/v1/leads/import", files={"file": ("crm.csv", csv_text, "text/csv")}
    )
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["imported"] == 2
    assert [(i["row"], i["field"]) for i in result["ignored"]] == [(3, "language")]
    assert "'Klingon' is not a language name or code" in result["ignored"][0]["message"]
    listed = {
        lead["name"]: lead["language"] for lead in client.get("/api/v1/leads").json()["items"]
    }
    assert listed == {"Claire Martin": "fr", "Bo Berg": None}


def test_a_campaign_keeps_its_language_and_translations_and_changes_them(
    client: httpx.Client,
) -> None:
    created = client.post(
        "/api/v1/campaigns", json={**CAMPAIGN, "language": "de", "translations": {"de": GERMAN}}
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["language"] == "de" and body["translations"] == {"de": GERMAN}
    assert body["value_proposition"] == "We make CI fast.", "the campaign's own words stay"
    url = f"/api/v1/campaigns/{body['id']}"
    assert client.get(url).json()["translations"] == {"de": GERMAN}

    spanish = {"value_proposition": "Hacemos CI rápida."}
    patched = client.patch(url, json={"language": None, "translations": {"es": spanish}}).json()
    assert patched["language"] is None
    # An update replaces the languages it names and keeps the others.
    assert patched["translations"] == {
        "de": GERMAN,
        "es": {"value_proposition": "Hacemos CI rápida.", "short_pitch": None,
               "call_to_action": None},
    }  # fmt: skip
    untouched = client.patch(url, json={"description": "DACH and Spain"}).json()
    assert untouched["translations"] == patched["translations"], "fields not sent stay"
    cleared = client.patch(url, json={"translations": None}).json()
    assert cleared["translations"] == {}


def test_a_campaign_language_we_do_not_write_in_is_refused(client: httpx.Client) -> None:
    bad_language = client.post("/api/v1/campaigns", json={**CAMPAIGN, "language": "it"})
    assert bad_language.status_code == 422
    assert "language" in bad_language.text
    bad_key = client.post(
        "/api/v1/campaigns",
        json={**CAMPAIGN, "name": "x", "translations": {"it": {"value_proposition": "CI"}}},
    )
    assert bad_key.status_code == 422 and "translations" in bad_key.text
    no_pitch = client.post(
        "/api/v1/campaigns",
        json={**CAMPAIGN, "name": "y", "translations": {"de": {"call_to_action": "Zeit?"}}},
    )
    assert no_pitch.status_code == 422 and "value_proposition" in no_pitch.text
    assert client.get("/api/v1/campaigns").json()["items"] == []
