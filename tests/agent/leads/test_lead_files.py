"""Lead files: CRM header spellings accepted, bad rows named, good rows kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.leads.files import read_leads
from agent.leads.read_errors import LeadFileError
from graphs.lead import Channel


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_apollo_style_headers(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "apollo.csv",
        "First Name,Last Name,Title,Company,Email,Person Linkedin Url,Website,Industry,Seniority\n"
        "Maya,Okafor,VP Engineering,Northwind Robotics,maya@northwind.example,"
        "https://www.linkedin.com/in/maya,northwind.example,Software,VP\n",
    )
    result = read_leads(path)
    assert result.errors == []
    ((row, lead),) = result.leads
    assert row == 2
    assert (lead.name, lead.title, lead.company) == (
        "Maya Okafor",
        "VP Engineering",
        "Northwind Robotics",
    )
    assert lead.company_url == "https://northwind.example"  # bare domain made a URL
    assert lead.linkedin_url == "https://www.linkedin.com/in/maya"
    assert lead.industry == "Software" and lead.extra == {"seniority": "VP"}


def test_hubspot_style_headers_with_semicolons(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "hubspot.csv",
        "First Name;Last Name;Job Title;Company Name;Email;Website URL;Phone Number\n"
        "Daniel;Brandt;Head of Platform;Lumen Ledger;daniel@lumen.example;https://lumen.example;+1 202 555 0111\n",
    )
    ((_, lead),) = read_leads(path).leads
    assert lead.title == "Head of Platform" and lead.phone == "+1 202 555 0111"


def test_bad_rows_are_named_and_good_rows_kept(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "mixed.csv",
        "name,email,company,profile_url\n"
        "Ana Ruiz,ana@acme.example,Acme,\n"
        ",bob@acme.example,Acme,\n"
        "Cy Ng,cy@,Acme,\n"
        "Di Ko,di@acme.example,Acme,ftp://files.acme.example/di\n"
        "Ed Li,ana@ACME.example,Acme,\n"
        "Fay Om,,Acme,\n",
    )
    result = read_leads(path)
    assert [lead.name for _, lead in result.leads] == ["Ana Ruiz"]
    messages = [str(e) for e in result.errors]
    assert messages[0] == "row 3: name: is missing"
    assert messages[1].startswith("row 4: email: 'cy@' is not a valid email address")
    assert (
        messages[2]
        == "row 5: profile_url: 'ftp://files.acme.example/di' is not a valid http(s) URL"
    )
    assert messages[3] == "row 6: email: duplicate of row 2 (ana@acme.example)"
    assert messages[4] == "row 7: email: no email address"


def test_email_is_optional_for_linkedin_but_phone_required_for_sms(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "l.csv",
        "name,company,linkedin_url,phone\nAna Ruiz,Acme,https://linkedin.com/in/ana,\n",
    )
    assert len(read_leads(path, Channel.LINKEDIN).leads) == 1
    sms = read_leads(path, Channel.SMS)
    assert str(sms.errors[0]) == "row 2: phone: no phone number"


def test_jsonl_with_a_broken_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "leads.jsonl",
        '{"name": "Ana Ruiz", "email": "ana@acme.example", "company": "Acme"}\n'
        "{oops\n"
        '{"full_name": "Bo Li", "work_email": "bo@acme.example", "organization": "Acme"}\n',
    )
    result = read_leads(path)
    assert [lead.name for _, lead in result.leads] == ["Ana Ruiz", "Bo Li"]
    assert str(result.errors[0]).startswith("row 2: line: not valid JSON")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.csv", None, "does not exist"),
        ("empty.csv", "", "is empty"),
        ("cols.csv", "foo,bar\n1,2\n", "unknown column set (bar, foo)"),
    ],
)
def test_unreadable_files_have_clear_errors(
    tmp_path: Path, name: str, content: str | None, message: str
) -> None:
    path = tmp_path / name if content is None else write(tmp_path, name, content)
    with pytest.raises(LeadFileError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_leads(path)


def test_non_utf8_file(tmp_path: Path) -> None:
    # Read in the detected encoding (more in test_lead_file_encodings.py), not refused.
    path = tmp_path / "latin.csv"
    path.write_bytes("name,email,company\nJosé,j@x.example,Acmé\n".encode("latin-1"))
    result = read_leads(path)
    assert [(lead.name, lead.company) for _, lead in result.leads] == [("José", "Acmé")]
    assert result.encoding == "cp1252"


def test_an_empty_alias_column_does_not_hide_a_filled_one(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "apollo.csv",
        "Name,Company,Mobile Phone,Work Direct Phone\nAna Ruiz,Acme,,+1 202 555 0199\n",
    )
    ((_, lead),) = read_leads(path, Channel.SMS).leads
    assert lead.phone == "+12025550199"


def test_rows_are_numbered_like_a_spreadsheet_with_multiline_cells(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "notes.csv",
        'name,email,company,notes\nAna Ruiz,ana@acme.example,Acme,"line one\nline two"\nBo Li,bo@,Acme,\n',
    )
    assert str(read_leads(path).errors[0]).startswith("row 3: email:")


def test_a_broken_email_is_dropped_on_channels_that_do_not_need_it(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "sms.csv",
        "name,email,company,phone\nChris Doyle,chris.doyle@,Acme,+1 202 555 0117\n",
    )
    ((_, lead),) = read_leads(path, Channel.SMS).leads
    assert lead.email is None and lead.phone == "+12025550117"


def test_old_mac_line_ends_and_unreadable_csv(tmp_path: Path) -> None:
    mac = tmp_path / "mac.csv"
    mac.write_bytes(b"name,email,company\rAna Ruiz,ana@x.example,Xylo\r")
    (row, lead), *_ = read_leads(mac, Channel.EMAIL).leads
    assert (row, lead.name, lead.company) == (2, "Ana Ruiz", "Xylo")
    # An unclosed quote swallows the rest of the file into one cell: that row is refused as
    # too large, not the whole file (more in test_lead_file_encodings.py).
    huge = tmp_path / "huge.csv"
    huge.write_text('name,email,company\n"Ana,ana@x.example,X\n' + "a" * 200_000)
    result = read_leads(huge, Channel.EMAIL)
    assert result.leads == []
    assert [str(e) for e in result.errors] == [
        "row 2: name: is larger than 131072 characters, the limit for one field "
        "(line 2 of the file)"
    ]
