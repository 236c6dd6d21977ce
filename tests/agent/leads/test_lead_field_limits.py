"""Each lead field has a length limit: a row over one is refused by row and field, with the
limit, and the other rows go on (issue 17, item 8)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from agent.leads.files import read_leads
from graphs.lead import FIELD_LIMITS, Lead


def test_a_csv_row_with_an_overlong_field_is_refused_by_field_and_limit(tmp_path: Path) -> None:
    rows = [
        "Ana Ruiz,ana@acme.example,Acme,VP Engineering,https://acme.example/,short note",
        f"Long Company,lc@acme.example,{'C' * 250},CTO,,",
        f"Long Title,lt@acme.example,Acme,{'T' * 300},,",
        f"Long Url,lu@acme.example,Acme,CTO,https://acme.example/{'u' * 3000},",
        f"Long Note,ln@acme.example,Acme,CTO,,{'n' * 6000}",
        f"{'N' * 201},nn@acme.example,Acme,CTO,,",
        f"Long Email,{'e' * 250}@acme.example,Acme,CTO,,",
        "Bo Li,bo@acme.example,Acme,CTO,,",
    ]
    path = tmp_path / "leads.csv"
    path.write_text("name,email,company,title,website,notes\n" + "\n".join(rows) + "\n")
    result = read_leads(path)
    assert [(row, lead.name) for row, lead in result.leads] == [(2, "Ana Ruiz"), (9, "Bo Li")]
    assert [str(error) for error in result.errors] == [
        "row 3: company: is 250 characters long, the limit is 200",
        "row 4: title: is 300 characters long, the limit is 200",
        "row 5: company_url: is 3021 characters long, the limit is 2048",
        "row 6: notes: is 6000 characters long, the limit is 5000",
        "row 7: name: is 201 characters long, the limit is 200",
        "row 8: email: is 263 characters long, the limit is 254",
    ]


def test_a_ten_megabyte_field_in_a_jsonl_file_is_refused_and_not_kept(tmp_path: Path) -> None:
    lines = [
        {"name": f"Person {n}", "email": f"p{n}@acme.example", "company": "Acme"}
        for n in range(1, 6)
    ]
    lines[3]["company"] = "x" * 10_000_000
    path = tmp_path / "leads.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    result = read_leads(path)
    assert [row for row, _ in result.leads] == [1, 2, 3, 5]
    (error,) = result.errors
    assert str(error) == "row 4: company: is 10000000 characters long, the limit is 200"
    # The results file records the row's other fields, not ten megabytes of it.
    assert error.raw == {"name": "Person 4", "email": "p4@acme.example", "company": ""}


def test_fields_of_exactly_their_limit_are_kept(tmp_path: Path) -> None:
    lead = {
        "name": "N" * FIELD_LIMITS["name"],
        "email": "ana@acme.example",
        "company": "C" * FIELD_LIMITS["company"],
        "title": "T" * FIELD_LIMITS["title"],
        "company_url": "https://acme.example/" + "u" * (FIELD_LIMITS["company_url"] - 21),
        "notes": "n" * FIELD_LIMITS["custom field"],
    }
    path = tmp_path / "edge.jsonl"
    path.write_text(json.dumps(lead) + "\n")
    ((_, kept),) = read_leads(path).leads
    assert kept.company == lead["company"] and kept.extra["notes"] == lead["notes"]
    assert kept.company_url == lead["company_url"]


def test_custom_fields_have_a_name_limit_and_a_count_limit(tmp_path: Path) -> None:
    base = {"name": "Ana Ruiz", "email": "ana@acme.example", "company": "Acme"}
    many = {**base, "email": "many@acme.example"} | {f"field_{n}": "v" for n in range(101)}
    long_name = {**base, "email": "long@acme.example", "k" * 300: "value"}
    path = tmp_path / "custom.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in (base, many, long_name)))
    result = read_leads(path)
    assert [row for row, _ in result.leads] == [1]
    assert [str(error) for error in result.errors] == [
        "row 2: custom fields: 101 have a value, the limit is 100",
        "row 3: custom field name: 'kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk...' is 300 "
        "characters long, the limit is 200",
    ]


def test_a_name_made_of_first_and_last_name_is_held_to_the_name_limit(tmp_path: Path) -> None:
    path = tmp_path / "split.csv"
    path.write_text(
        "first_name,last_name,email,company\n"
        f"{'A' * 150},{'B' * 150},ab@acme.example,Acme\n"
        "Bo,Li,bo@acme.example,Acme\n"
    )
    result = read_leads(path)
    assert [lead.name for _, lead in result.leads] == ["Bo Li"]
    assert [str(e) for e in result.errors] == [
        "row 2: name: is 301 characters long, the limit is 200"
    ]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("company", "c" * 201),
        ("linkedin_url", "https://www.linkedin.com/in/" + "x" * 2048),
        ("extra", {"notes": "n" * 5001}),
    ],
)
def test_the_lead_model_refuses_overlong_fields_too(field: str, value: object) -> None:
    fields: dict[str, object] = {"name": "Ana Ruiz", "company": "Acme", field: value}
    with pytest.raises(ValidationError):
        Lead.model_validate(fields)
