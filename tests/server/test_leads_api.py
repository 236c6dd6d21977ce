"""Leads over HTTP: JSON and CSV imports keep valid rows and name bad ones; erasure leaves a hash."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from storage.database import Database
from storage.models import LeadRow, SuppressionRow
from storage.suppressions import address_hash

MAYA = {
    "name": "Maya Okafor",
    "email": "maya.okafor@northwind-robotics.example",
    "company": "Northwind Robotics",
    "title": "VP Engineering",
    "company_url": "http://northwind-robotics.example/",
    "qualification_score": 82,
}


def test_json_import_keeps_valid_rows_and_reports_bad_ones(client: httpx.Client) -> None:
    response = client.post(
        "/api/v1/leads",
        json={
            "leads": [
                MAYA,
                {"name": "No Email", "company": "Acme"},
                {"name": "Bad Url", "company": "Acme", "email": "b@acme.example",
                 "company_url": "ftp://acme"},
                {**MAYA, "name": "Maya Again"},
            ]
        },
    )  # fmt: skip
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["imported"] == 1
    problems = {(e["row"], e["field"]) for e in result["errors"]}
    assert problems == {(2, "email"), (3, "company_url"), (4, "email")}
    assert "duplicate of row 1" in result["errors"][-1]["message"]
    (lead,) = client.get("/api/v1/leads").json()["items"]
    assert lead["id"] == result["lead_ids"][0]
    assert lead["name"] == "Maya Okafor" and lead["qualification_score"] == 82.0
    assert client.get(f"/api/v1/leads/{lead['id']}").json()["email"] == MAYA["email"]


def test_csv_upload_uses_the_lead_file_rules(client: httpx.Client) -> None:
    csv_text = (
        "Full Name,Work Email,Company,Job Title,Score\n"
        "Daniel Brandt,daniel@quillstack.example,Quillstack,CTO,91\n"
        "Broken Row,not-an-email,Quillstack,CTO,40\n"
    )
    response = client.post(
        "/api/v1/leads/import",
        files={"file": ("crm-export.csv", csv_text, "text/csv")},
        data={"channel": "email"},
    )
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["imported"] == 1
    assert [(e["row"], e["field"]) for e in result["errors"]] == [(3, "email")]
    qualified = client.get("/api/v1/leads", params={"min_score": 90}).json()["items"]
    assert [lead["name"] for lead in qualified] == ["Daniel Brandt"]
    assert qualified[0]["source"] == "crm-export.csv:2"


def test_an_excel_export_in_windows_1252_is_read_and_named(client: httpx.Client) -> None:
    rows = [
        "name;email;company;title",
        "Zoë Müller;zoe@cafe-creme.example;Café Crème GmbH;Geschäftsführerin",
        "José Peña;jose@acme.example;Acmé S.L.;Director de Ingeniería",
    ]
    data = "\r\n".join(rows).encode("cp1252")
    response = client.post("/api/v1/leads/import", files={"file": ("excel.csv", data, "text/csv")})
    assert response.status_code == 200, response.text
    assert response.json()["imported"] == 2 and response.json()["encoding"] == "Windows-1252"
    leads = {lead["name"]: lead for lead in client.get("/api/v1/leads").json()["items"]}
    assert leads["Zoë Müller"]["company"] == "Café Crème GmbH"
    assert leads["José Peña"]["title"] == "Director de Ingeniería"


def test_unreadable_uploads_are_refused_with_the_reason(client: httpx.Client) -> None:
    empty = client.post("/api/v1/leads/import", files={"file": ("x.csv", "", "text/csv")})
    assert empty.status_code == 422 and empty.json()["detail"] == "file: is empty"
    headers_only = client.post(
        "/api/v1/leads/import", files={"file": ("x.csv", "foo,bar\n1,2\n", "text/csv")}
    )
    assert headers_only.status_code == 422
    assert "unknown column set (bar, foo)" in headers_only.json()["detail"]
    broken = client.post(
        "/api/v1/leads/import", files={"file": ("x.csv", b"\xff\xfe\x00", "text/csv")}
    )
    assert broken.status_code == 422
    assert "starts with a UTF-16 byte-order mark but is not UTF-16" in broken.json()["detail"]
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\xff\x00\x00\x00\x08\x06"
    binary = client.post("/api/v1/leads/import", files={"file": ("x.csv", png, "text/csv")})
    assert binary.status_code == 422 and "is not text" in binary.json()["detail"]
    empty_list = client.post("/api/v1/leads", json={"leads": []})
    assert empty_list.status_code == 422 and "leads" in empty_list.json()["detail"]
    assert client.get("/api/v1/leads").json()["items"] == []


async def test_erasure_removes_the_person_and_keeps_only_a_hash(
    server: str, api_key: str, database_url: str
) -> None:
    headers = {"Authorization": f"Bearer {api_key}"}
    async with httpx.AsyncClient(base_url=server, headers=headers) as client:
        imported = await client.post("/api/v1/leads", json={"leads": [MAYA]})
        lead_id = imported.json()["lead_ids"][0]
        erased = await client.delete(f"/api/v1/leads/{lead_id}")
        assert erased.status_code == 200, erased.text
        assert erased.json()["erased"] is True and erased.json()["suppressed_addresses"] == 1
        assert (await client.get(f"/api/v1/leads/{lead_id}")).status_code == 404
        assert (await client.delete(f"/api/v1/leads/{lead_id}")).status_code == 404
    async with await Database.connect(database_url) as db, db.sessions() as session:
        assert await session.scalar(select(LeadRow)) is None
        (row,) = (await session.scalars(select(SuppressionRow))).all()
    assert row.reason == "erased" and row.email_hash == address_hash(MAYA["email"])


def test_text_with_nul_characters_is_refused_before_the_database(client: httpx.Client) -> None:
    body = {"leads": [{**MAYA, "company": "North\u0000wind"}]}
    refused = client.post("/api/v1/leads", json=body)  # sent as the JSON escape \u0000
    assert refused.status_code == 422 and "NUL" in refused.json()["detail"]
    assert client.get("/api/v1/leads", params={"min_score": "1", "x": "a\x00"}).status_code == 422
    upload = client.post(
        "/api/v1/leads/import", files={"file": ("l.csv", "name,email\nA\x00,a@b.example\n")}
    )
    assert upload.status_code == 422 and upload.json()["errors"][0]["field"] == "file"
    assert client.get("/api/v1/leads").json()["items"] == []
