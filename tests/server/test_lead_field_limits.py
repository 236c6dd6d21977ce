"""The JSON lead import holds each field to its length limit, row by row (issue 17, item 8):
a 10 MB company is refused with its row, field and limit, and the other leads are imported."""

from __future__ import annotations

import httpx


def lead(n: int, **fields: str) -> dict[str, str]:
    return {"name": f"Person {n}", "email": f"p{n}@acme.example", "company": "Acme", **fields}


def test_a_ten_megabyte_field_is_refused_by_row_and_field(client: httpx.Client) -> None:
    body = {
        "leads": [
            lead(1),
            lead(2, company="x" * 10_000_000),
            lead(3, notes="n" * 6_000),
            lead(4, company_url="https://acme.example/" + "u" * 3_000),
            lead(5, title="CTO", notes="met at KubeCon"),
        ]
    }
    response = client.post("/api/v1/leads", json=body, timeout=60)
    assert response.status_code == 200, response.text[:500]
    result = response.json()
    assert result["errors"] == [
        {"row": 2, "field": "company", "message": "is 10000000 characters long, the limit is 200"},
        {"row": 3, "field": "notes", "message": "is 6000 characters long, the limit is 5000"},
        {"row": 4, "field": "company_url", "message": "is 3021 characters long, the limit is 2048"},
    ]
    assert result["imported"] == 2
    assert len(response.content) < 2_000  # the answer names the field; it does not echo it
    stored = client.get("/api/v1/leads").json()["items"]
    assert [(item["name"], item["company"]) for item in stored] == [
        ("Person 1", "Acme"),
        ("Person 5", "Acme"),
    ]
    assert stored[1]["extra"] == {"notes": "met at KubeCon"}
