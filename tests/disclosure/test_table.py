"""Reading partner tables: Thai encodings, XLSX, and each kind of bad file refused with the
file, row or column named; releases written so that no cell becomes a live formula."""
from __future__ import annotations

import csv

import openpyxl
import pytest

from ckanext.lampangpoverty.disclosure import table

THAI_CSV = "ตำบล,อายุ,รายได้\n520801,34,45000\n520802,71,12000\n"


@pytest.fixture(autouse=True)
def _plugins():
    """These tests need no CKAN plugin or service."""


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp874", "tis-620"])
def test_thai_csv_in_every_encoding_reads_the_same(tmp_path, encoding):
    path = tmp_path / "bmn.csv"
    path.write_bytes(THAI_CSV.encode(encoding))
    df = table.read_table(path)
    assert list(df.columns) == ["ตำบล", "อายุ", "รายได้"]
    assert df.iloc[1].tolist() == ["520802", "71", "12000"]


def test_xlsx_is_read(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    for row in [["ตำบล", "อายุ"], ["520801", 34], ["520802", 71]]:
        sheet.append(row)
    path = tmp_path / "bmn.xlsx"
    book.save(path)
    assert table.read_table(path)["อายุ"].tolist() == ["34", "71"]


def refused(tmp_path, content: bytes, name="bad.csv", **limits) -> table.TableError:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(table.TableError) as e:
        table.read_table(path, **limits)
    assert str(e.value).startswith(name)
    return e.value


def test_mixed_encodings_are_refused_with_the_line(tmp_path):
    content = "ตำบล,ชื่อ\n".encode() + "520801,ทดสอบ\n".encode("cp874")
    error = refused(tmp_path, content)
    assert "mixed" in str(error) and error.row == 2


def test_bytes_of_no_thai_encoding_are_refused(tmp_path):
    error = refused(tmp_path, b"a,b\n1,\x81\x82\n")
    assert error.row == 2


def test_ragged_rows_are_refused_with_the_row(tmp_path):
    error = refused(tmp_path, b"a,b,c\n1,2,3\n4,5\n")
    assert error.row == 3 and "2 cells where the header has 3" in str(error)


def test_an_empty_file_and_a_header_only_file_are_refused(tmp_path):
    assert "empty" in str(refused(tmp_path, b""))
    assert "no rows" in str(refused(tmp_path, b"a,b\n"))


def test_binary_and_broken_xlsx_are_refused(tmp_path):
    assert "binary" in str(refused(tmp_path, b"\x89PNG\r\n\x1a\n\x00\x00", name="x.csv"))
    assert "XLSX" in str(refused(tmp_path, b"PK\x03\x04 broken", name="x.xlsx"))


def test_a_file_over_the_limit_is_refused_before_reading(tmp_path):
    assert "limit" in str(refused(tmp_path, b"a,b\n1,2\n3,4\n", max_bytes=10))


def test_a_role_for_a_missing_column_is_refused_with_the_column(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("age,income\n1,2\n")
    df = table.read_table(path)
    with pytest.raises(table.TableError) as e:
        table.check_roles(df, {"age": "quasi_identifier", "tambon": "quasi_identifier"}, "t.csv")
    assert e.value.column == "tambon"


@pytest.mark.parametrize("cell,written", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"), ("+cmd", "'+cmd"),
    ("-1+2", "'-1+2"), ("@SUM(A1)", "'@SUM(A1)"), ("-12.5", "-12.5"), ("ยากจน", "ยากจน")])
def test_formulas_never_become_live_in_a_release(tmp_path, cell, written):
    import pandas as pd

    path = tmp_path / "release.csv"
    table.write_csv(pd.DataFrame({"note": [cell]}), path)
    with path.open(encoding="utf-8-sig", newline="") as f:
        assert list(csv.reader(f))[1] == [written]


@pytest.mark.parametrize("cell", ["=1+1", " =HYPERLINK(\"x\")", "\t=cmd", "  @SUM(A1)",
                                  "\uff1dSUM(A1)", "\uff0b1+1", "\uff0d1+1", "\uff20x",
                                  "\u3000\uff1d1", "\u2212" "1+2", "\u200b=1", "\ufeff+x",
                                  "\ufe661"])
def test_formula_look_alikes_and_leading_spaces_are_neutralised(cell):
    assert table.safe_cell(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["-12.5", "+66", "ครัวเรือน", " ข้อความ", "1-2", "a=b", ""])
def test_ordinary_text_and_numbers_stay_as_they_are(cell):
    assert table.safe_cell(cell) == cell
