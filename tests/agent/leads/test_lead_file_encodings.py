"""Lead files as spreadsheets really write them: Excel's Windows-1252, UTF-16 and UTF-8 with
a byte-order mark, semicolons, and the odd cell far too large to be a lead field."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from agent.leads.files import read_leads
from agent.leads.read_errors import LeadFileError
from graphs.lead import Channel

GERMAN = (
    "First Name;Last Name;Company;Title;Email\r\n"
    "Zoë;Müller;Café Crème GmbH;Geschäftsführer;zoe@cafe-creme.example\r\n"
    "Jürgen;Weiß;Bäckerei Größe & Söhne;Inhaber;juergen@baeckerei.example\r\n"
)


def write_bytes(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def people(path: Path, channel: Channel = Channel.EMAIL) -> list[tuple[str, str, str | None]]:
    result = read_leads(path, channel)
    assert result.errors == []
    return [(lead.name, lead.company, lead.title) for _, lead in result.leads]


# --- encodings ---------------------------------------------------------------------------


def test_excel_windows_1252_with_semicolons_is_read_and_named(tmp_path: Path) -> None:
    path = write_bytes(tmp_path, "excel.csv", GERMAN.encode("cp1252"))
    result = read_leads(path)
    assert [(lead.name, lead.company, lead.title) for _, lead in result.leads] == [
        ("Zoë Müller", "Café Crème GmbH", "Geschäftsführer"),
        ("Jürgen Weiß", "Bäckerei Größe & Söhne", "Inhaber"),
    ]
    assert result.encoding == "cp1252"
    assert result.describe() == (
        "excel.csv: 2 leads; read as Windows-1252 (detected: the file is not UTF-8)"
    )


def test_windows_1252_only_characters_euro_sign_and_curly_quotes(tmp_path: Path) -> None:
    # € ’ “ ” – are bytes 0x80, 0x92, 0x93, 0x94, 0x96: Windows-1252, not Latin-1.
    text = (
        "name;company;email\n"
        "Renée O’Brien;“Smart” €uro Solutions – Lyon;renee@smart.example\n"
        "Siân Jones;Zoë’s Café;sian@zoes.example\n"
    )
    data = text.encode("cp1252")
    assert {0x80, 0x92, 0x93, 0x94, 0x96} <= set(data)
    path = write_bytes(tmp_path, "quotes.csv", data)
    assert people(path) == [
        ("Renée O’Brien", "“Smart” €uro Solutions – Lyon", None),
        ("Siân Jones", "Zoë’s Café", None),
    ]
    assert read_leads(path).encoding == "cp1252"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("name,email,company\nJosé,j@x.example,Acmé\n", [("José", "Acmé", None)]),
        ("name;company;email\nZoë Müller;Café;z@x.example\n", [("Zoë Müller", "Café", None)]),
        (
            "name,company,email\nAnn Lee,Price €5 Ltd,a@x.example\n",
            [("Ann Lee", "Price €5 Ltd", None)],
        ),
        (
            "name,company,email\nHans Groß,Straße AG,h@x.example\n",
            [("Hans Groß", "Straße AG", None)],
        ),
    ],
)
def test_tiny_windows_1252_files_decode_right(
    tmp_path: Path, text: str, expected: list[tuple[str, str, str | None]]
) -> None:
    # Too little text for a detector to be sure; charset-normalizer alone guesses cp1250 or
    # cp437 here, which would turn "Crème" into "Crčme" and "€" into "Ç".
    path = write_bytes(tmp_path, "tiny.csv", text.encode("cp1252"))
    assert people(path) == expected
    assert read_leads(path).encoding == "cp1252"


def test_latin_1_file(tmp_path: Path) -> None:
    text = (
        "name;company;title;email\n"
        "François Døssing;Ålborg Æble ApS;Directeur Général;f@aeble.example\n"
        "Íñigo Núñez;Señor Café S.L.;Jefe de Ventas;i@senor.example\n"
    )
    path = write_bytes(tmp_path, "latin1.csv", text.encode("latin-1"))
    assert people(path) == [
        ("François Døssing", "Ålborg Æble ApS", "Directeur Général"),
        ("Íñigo Núñez", "Señor Café S.L.", "Jefe de Ventas"),
    ]
    # Every Latin-1 letter is the same byte in Windows-1252, its superset.
    assert read_leads(path).encoding == "cp1252"


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf_16_with_a_byte_order_mark(tmp_path: Path, codec: str) -> None:
    # Excel's "Unicode Text" export: UTF-16 with a byte-order mark, tab-separated.
    text = GERMAN.replace(";", "\t")
    bom = {"utf-16": b"", "utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}[codec]
    path = write_bytes(tmp_path, "unicode.txt", bom + text.encode(codec))
    result = read_leads(path)
    assert [(lead.name, lead.company) for _, lead in result.leads] == [
        ("Zoë Müller", "Café Crème GmbH"),
        ("Jürgen Weiß", "Bäckerei Größe & Söhne"),
    ]
    assert result.encoding == "utf-16"
    assert result.describe() == "unicode.txt: 2 leads; read as UTF-16 (byte-order mark)"


def test_utf_8_with_a_byte_order_mark(tmp_path: Path) -> None:
    path = write_bytes(tmp_path, "bom.csv", GERMAN.encode("utf-8-sig"))
    result = read_leads(path)
    # The mark is not part of the first header, so "First Name" is still recognised.
    assert [(lead.name, lead.title) for _, lead in result.leads] == [
        ("Zoë Müller", "Geschäftsführer"),
        ("Jürgen Weiß", "Inhaber"),
    ]
    assert result.encoding == "utf-8-sig"
    assert result.describe() == "bom.csv: 2 leads; read as UTF-8 (byte-order mark)"


def test_plain_utf_8_is_still_utf_8(tmp_path: Path) -> None:
    path = write_bytes(tmp_path, "utf8.csv", GERMAN.encode("utf-8"))
    result = read_leads(path)
    assert [lead.name for _, lead in result.leads] == ["Zoë Müller", "Jürgen Weiß"]
    assert result.encoding == "utf-8"
    assert result.describe() == "utf8.csv: 2 leads; read as UTF-8"


def test_a_detected_encoding_other_than_windows_1252(tmp_path: Path) -> None:
    text = (
        "name;company;email\n"
        "Иван Петров;ООО Ромашка;ivan@romashka.example\n"
        "Мария Сидорова;АО Лютик и партнёры;maria@lyutik.example\n"
        "Алексей Смирнов;Северный ветер;alexey@veter.example\n"
    )
    path = write_bytes(tmp_path, "cyrillic.csv", text.encode("cp1251"))
    result = read_leads(path)
    assert [(lead.name, lead.company) for _, lead in result.leads] == [
        ("Иван Петров", "ООО Ромашка"),
        ("Мария Сидорова", "АО Лютик и партнёры"),
        ("Алексей Смирнов", "Северный ветер"),
    ]
    assert result.encoding == "cp1251"
    assert "read as Windows-1251" in result.describe()


def test_rows_that_cannot_run_are_counted_in_the_description(tmp_path: Path) -> None:
    text = GERMAN + "Ohne;Firma;;;ohne@x.example\r\n"
    path = write_bytes(tmp_path, "mixed.csv", text.encode("cp1252"))
    result = read_leads(path)
    assert [str(e) for e in result.errors] == ["row 4: company: is missing"]
    assert result.describe().startswith("mixed.csv: 2 leads, 1 row that cannot run; ")


def test_a_spreadsheet_that_is_not_text_is_refused_by_name(tmp_path: Path) -> None:
    # The start of an .xlsx (a zip archive) saved under a .csv name.
    data = b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00" + bytes(range(256)) * 8
    path = write_bytes(tmp_path, "leads.csv", data)
    with pytest.raises(LeadFileError) as caught:
        read_leads(path)
    message = str(caught.value)
    assert message.startswith(f"lead file {path} is not text")
    assert "byte 0x80 at offset 142" in message
    assert "save it as CSV" in message


def test_a_utf_8_mark_over_bytes_that_are_not_utf_8(tmp_path: Path) -> None:
    path = write_bytes(tmp_path, "broken.csv", b"\xef\xbb\xbfname,company\nZo\xeb,Acme\n")
    with pytest.raises(LeadFileError) as caught:
        read_leads(path)
    assert str(caught.value) == (
        f"lead file {path} starts with a UTF-8 byte-order mark but is not UTF-8: "
        "byte 0xeb at offset 18 cannot be decoded"
    )


def test_a_utf_16_mark_over_an_odd_number_of_bytes(tmp_path: Path) -> None:
    data = "name,company\nZoë,Acme\n".encode("utf-16") + b"\x00"
    path = write_bytes(tmp_path, "cut.csv", data)
    with pytest.raises(LeadFileError, match=r"starts with a UTF-16 byte-order mark but is not"):
        read_leads(path)


# --- oversized fields -------------------------------------------------------------------


def good_rows(start: int, count: int) -> str:
    return "".join(
        f"Person {n},p{n}@acme.example,Acme,short note\n" for n in range(start, start + count)
    )


def test_an_oversized_field_rejects_only_its_row(tmp_path: Path) -> None:
    text = (
        "name,email,company,notes\n"
        + good_rows(2, 4)
        + "Big Note,big@acme.example,Acme,"
        + "x" * 200_000
        + "\n"
        + 'Multi Line,multi@acme.example,Acme,"first line\nsecond, with a comma\nthird ""quoted"""\n'
        + "Bad Email,bad@,Acme,\n"
        + good_rows(9, 2)
    )
    path = write_bytes(tmp_path, "big.csv", text.encode())
    result = read_leads(path)
    assert [(row, lead.name) for row, lead in result.leads] == [
        (2, "Person 2"),
        (3, "Person 3"),
        (4, "Person 4"),
        (5, "Person 5"),
        (7, "Multi Line"),
        (9, "Person 9"),
        (10, "Person 10"),
    ]
    multi = dict(result.leads)[7]
    assert multi.extra == {"notes": 'first line\nsecond, with a comma\nthird "quoted"'}
    assert multi.source == "big.csv:7"
    assert str(result.errors[0]) == (
        "row 6: notes: is larger than 131072 characters, the limit for one field "
        "(line 6 of the file)"
    )
    assert str(result.errors[1]).startswith("row 8: email: 'bad@'")
    # The results file gets the row's other cells, not the oversized one.
    assert result.errors[0].raw == {
        "name": "Big Note",
        "email": "big@acme.example",
        "company": "Acme",
        "notes": "",
    }


def test_a_field_of_exactly_the_limit_is_read_whole(tmp_path: Path) -> None:
    limit = 131072  # csv's default, the limit lead files have always had
    text = "name,email,company,notes\n" + f"Ana Ruiz,ana@acme.example,Acme,{'y' * limit}\n"
    path = write_bytes(tmp_path, "edge.csv", text.encode())
    # The parser reads the whole cell (not "larger than 131072"); then the field's own limit
    # (5,000 characters for a custom field, issue 17) refuses the row by name.
    (error,) = read_leads(path).errors
    assert str(error) == f"row 2: notes: is {limit} characters long, the limit is 5000"


def test_an_oversized_quoted_cell_spanning_lines_keeps_the_rows_after_it(
    tmp_path: Path,
) -> None:
    # The big cell holds newlines, commas and doubled quotes; the rows after it must be read
    # from where that cell ends, and numbered by spreadsheet row and by file line.
    big = '"' + ('a "" b, c\n' * 25_000) + 'end"'
    text = (
        "name,email,company,notes\n"
        '"Ana\nRuiz",ana@acme.example,Acme,"two\nlines"\n'  # row 2, lines 2-4
        f"Big Cell,big@acme.example,Acme,{big}\n"  # row 3, lines 5-25005
        "Bo Li,bo@acme.example,Acme,\n"  # row 4, line 25006
        "\n"  # a blank line is not a row
        'Cy Ng,cy@acme.example,Acme,"x\ny"\n'  # row 5, lines 25008-25009
        "Di Ko,di@,Acme,\n"  # row 6, line 25010
    )
    path = write_bytes(tmp_path, "cells.csv", text.encode())
    result = read_leads(path)
    assert [(row, lead.name) for row, lead in result.leads] == [
        (2, "Ana\nRuiz"),
        (4, "Bo Li"),
        (5, "Cy Ng"),
    ]
    assert dict(result.leads)[5].extra == {"notes": "x\ny"}
    assert [(e.row, e.field) for e in result.errors] == [(3, "notes"), (6, "email")]
    assert str(result.errors[0]).endswith("(line 5 of the file)")


def test_a_cell_beyond_what_the_parser_buffers_is_skipped_and_the_file_resynchronised(
    tmp_path: Path,
) -> None:
    # Past the parser's own bound the csv module stops with an error mid-row; the reader
    # finds where that row ends and carries on from the next one.
    huge = '"' + ("z" * 1000 + "\n") * 3_000 + '"'  # ~3 MB in 3,000 lines
    text = (
        "name;email;company;notes\n"
        "Ana Ruiz;ana@acme.example;Acme;\n"
        f"Huge Cell;huge@acme.example;Acme;{huge}\n"  # row 3, lines 3-3003
        'Bo Li;bo@acme.example;Acme;"one;\ntwo"\n'  # row 4, lines 3004-3005
        "Cy Ng;cy@;Acme;\n"  # row 5
    )
    path = write_bytes(tmp_path, "huge.csv", text.encode())
    result = read_leads(path)
    assert [(row, lead.name) for row, lead in result.leads] == [(2, "Ana Ruiz"), (4, "Bo Li")]
    assert dict(result.leads)[4].extra == {"notes": "one;\ntwo"}
    assert str(result.errors[0]) == (
        "row 3: line: a field is larger than 131072 characters, the limit for one field "
        "(line 3 of the file)"
    )
    assert str(result.errors[1]).startswith("row 5: email:")


def test_an_unquoted_cell_beyond_the_parser_bound(tmp_path: Path) -> None:
    text = (
        "name,email,company,notes\n"
        f"Huge,huge@acme.example,Acme,{'q' * 3_000_000}\n"
        "Bo Li,bo@acme.example,Acme,\n"
    )
    path = write_bytes(tmp_path, "flat.csv", text.encode())
    result = read_leads(path)
    assert [(row, lead.name) for row, lead in result.leads] == [(3, "Bo Li")]
    assert [e.row for e in result.errors] == [2]


def test_reading_does_not_change_the_csv_modules_limit(tmp_path: Path) -> None:
    before = csv.field_size_limit()
    text = "name,email,company,notes\n" + f"Big,b@acme.example,Acme,{'x' * 200_000}\n"
    read_leads(write_bytes(tmp_path, "big.csv", text.encode()))
    assert csv.field_size_limit() == before


def test_an_oversized_header_refuses_the_file(tmp_path: Path) -> None:
    text = f"name,email,company,{'h' * 200_000}\nAna Ruiz,ana@acme.example,Acme,\n"
    path = write_bytes(tmp_path, "header.csv", text.encode())
    with pytest.raises(LeadFileError, match="header row has a column name larger than 131072"):
        read_leads(path)
