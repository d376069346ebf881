"""The streaming .xlsx reader gives what fastexcel gives: the same grid (shape, column names, strings, nulls) and the
first used row, for every kind of cell that openpyxl, xlsxwriter (shared and inline strings) and hand-written XML
produce, and across chunk boundaries."""

import datetime
import zipfile
from pathlib import Path

import fastexcel
import openpyxl
import polars as pl
import pytest
import xlsxwriter

from bangfu.core import xlsx
from bangfu.core.importing import Unreadable, _read_xlsx

TEXTS = ["text", "  spaced  ", " lead", "trail ", "中文文本", "１２３４５", "a&b<c>\"d'", "tab\there", "line\nbreak",
         "#N/A", "_x0041_ literal", "451024100201"]
NUMBERS = [451024100201, 3, 1.5, -2.25, 0.1 + 0.2, 1e20, 123456789012345678, 0, 1.0, 100.0, 1e-7, 45102619500101000,
           0.37, 123456.123456789, -0.0]


def fastexcel_grid(path) -> pl.DataFrame:
    return fastexcel.read_excel(str(path)).load_sheet(0, header_row=None, dtypes="string").to_polars()


def assert_like_fastexcel(path, first_row: int) -> pl.DataFrame:
    grid, first = xlsx.read_first_sheet(path)
    expected = fastexcel_grid(path)
    assert grid.columns == expected.columns
    assert grid.equals(expected), _difference(grid, expected)
    assert first == first_row
    return grid


def _difference(grid: pl.DataFrame, expected: pl.DataFrame) -> str:
    if grid.shape != expected.shape:
        return f"shape {grid.shape} != {expected.shape}"
    for i, (got, want) in enumerate(zip(grid.iter_rows(), expected.iter_rows(), strict=True)):
        if got != want:
            return f"row {i}: {got} != {want}"
    return "dtypes differ"


def test_openpyxl_every_kind_of_cell(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["C3"] = "title"  # rows 1-2 and column A empty: the grid starts at C3's row and at column B
    for j, value in enumerate(TEXTS):
        sheet.cell(row=5, column=2 + j, value=value)
    for j, value in enumerate(NUMBERS):
        sheet.cell(row=6, column=2 + j, value=value)
    for j, value in enumerate([True, False, datetime.date(2020, 1, 1), datetime.datetime(2020, 1, 1, 12, 30, 15),
                               datetime.time(12, 30), datetime.datetime(1900, 2, 28, 6), "=1+2", "#N/A"]):
        sheet.cell(row=8, column=2 + j, value=value)  # row 7 empty; "=1+2" has no cached value; "#N/A" is an error
    sheet.cell(row=9, column=2, value=43831).number_format = "yyyy-mm-dd"
    sheet.cell(row=9, column=3, value=43831.5).number_format = "yyyy/m/d h:mm"
    sheet.cell(row=9, column=4, value=1.5).number_format = "[h]:mm:ss"
    sheet.cell(row=9, column=5, value=43831).number_format = '0.00"元"'
    sheet.cell(row=9, column=6, value="").number_format = "yyyy-mm-dd"
    sheet.merge_cells("B11:D12")
    sheet["B11"] = "merged"
    sheet.cell(row=14, column=20, value="far")  # widens the grid to column T
    path = tmp_path / "openpyxl.xlsx"
    book.save(path)

    grid = assert_like_fastexcel(path, first_row=3)
    assert grid.row(0)[1] == "title" and grid.row(2)[0] == "text"
    assert grid.row(3)[:3] == ("451024100201", "3", "1.5")
    assert grid.row(5)[:3] == ("true", "false", "2020-01-01 00:00:00")
    assert grid.row(6)[0] == "2020-01-01 00:00:00"
    assert grid.row(8)[:3] == ("merged", None, None)


@pytest.mark.parametrize("constant_memory", [False, True], ids=["shared strings", "inline strings"])
def test_xlsxwriter_every_kind_of_cell(tmp_path, constant_memory):
    path = tmp_path / "xlsxwriter.xlsx"
    book = xlsxwriter.Workbook(str(path), {"constant_memory": constant_memory})
    sheet = book.add_worksheet()
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    datetime_format = book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    sheet.write(2, 2, "title")
    sheet.write_row(4, 1, TEXTS)
    sheet.write_row(5, 1, NUMBERS)
    sheet.write_row(6, 1, [True, False])
    sheet.write_datetime(8, 1, datetime.datetime(2020, 1, 1), date_format)
    sheet.write_datetime(8, 2, datetime.datetime(2020, 1, 1, 12, 30), datetime_format)
    sheet.write_number(8, 3, 43831, date_format)
    sheet.write_formula(8, 4, "=1+2", None, 3)
    sheet.write_formula(8, 5, '="a"&"b"', None, "ab")
    sheet.write_formula(8, 6, "=1/0", None, "#DIV/0!")
    sheet.write_formula(8, 7, "=1>0", None, True)
    sheet.write_formula(8, 8, "=A1", None, "")
    sheet.write_formula(8, 9, "=2.5*2", None, 5)
    sheet.merge_range(10, 1, 11, 3, "merged")
    sheet.write_blank(12, 5, None, date_format)  # a styled blank: no value, does not count
    sheet.write_string(13, 7, "far")
    sheet.write_string(14, 1, "")  # an empty string is a value
    sheet.write_rich_string(15, 1, "plain ", book.add_format({"bold": True}), "bold", " tail")
    sheet.write_string(15, 2, "  x  ")
    sheet.write_string(20, 12, "last")  # rows 17-20 empty, the grid widens to column M
    book.close()

    grid = assert_like_fastexcel(path, first_row=3)
    assert grid.row(6)[:6] == ("2020-01-01 00:00:00", "2020-01-01 12:30:00", "2020-01-01 00:00:00", "3", "ab", None)
    assert grid.row(12)[0] == "" and grid.row(13)[:2] == ("plain bold tail", "  x  ")


def _workbook(tmp_path, name: str, sheet_xml: str, shared_strings: str | None = None) -> str:
    """A real workbook from xlsxwriter with its sheet (and shared strings) replaced by hand-written XML."""
    base = tmp_path / "base.xlsx"
    book = xlsxwriter.Workbook(str(base))
    book.add_worksheet().write(0, 0, "x")
    book.close()
    path = tmp_path / name
    with zipfile.ZipFile(base) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = sheet_xml.encode()
            elif item.filename == "xl/sharedStrings.xml" and shared_strings is not None:
                data = shared_strings.encode()
            target.writestr(item, data)
    return str(path)


MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _sheet(rows: str, prefix: str = "") -> str:
    p = f"{prefix}:" if prefix else ""
    declaration = f'xmlns:{prefix}="{MAIN}"' if prefix else f'xmlns="{MAIN}"'
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<{p}worksheet {declaration}><{p}sheetData>{rows}' \
           f"</{p}sheetData></{p}worksheet>"


def test_escapes_rich_text_and_phonetic_runs(tmp_path):
    items = ["<t>plain</t>", '<r><t>ri</t></r><r><rPr><b/></rPr><t xml:space="preserve">ch </t></r>'
             '<rPh sb="0" eb="1"><t>ふりがな</t></rPh>', "<t>kanji</t><rPh><t>かんじ</t></rPh>",
             "<t>a_x000D_b &amp;amp; &#20013;&#x6587; &lt;&gt;&quot;&apos;</t>", "<t/>",
             '<t xml:space="preserve">  pre  </t>',
             "<t> trimmed\n</t>", "<t>_x0041_x0042_ _xD83D_ _X0041_</t>", "<t>a\r\nb</t>"]
    shared = f'<sst xmlns="{MAIN}">' + "".join(f"<si>{i}</si>" for i in items) + "</sst>"
    row1 = "".join(f'<c r="{chr(65 + j)}1" t="s"><v>{j}</v></c>' for j in range(len(items)))
    row2 = "".join(f'<c r="{chr(65 + j)}2" t="inlineStr"><is>{i}</is></c>' for j, i in enumerate(items))
    row3 = ('<c r="A3" t="str"><f>X</f><v></v></c><c r="B3" t="str"><v> s&amp;t </v></c>'
            '<c r="C3" t="d"><v>2020-01-02T03:04:05</v></c><c r="D3"><v>abc</v></c><c r="E3"><v> 12 </v></c>'
            '<c r="F3" t="n"><v></v></c><c r="G3" t="inlineStr"><is></is></c><c r="H3" t="b"><v>true</v></c>'
            '<c r="I3"><v>007</v></c><c r="J3" t="str"><v/></c><c r="K3" t="inlineStr"><is/></c>')
    path = _workbook(tmp_path, "escapes.xlsx", _sheet(f'<row r="1">{row1}</row><row r="2">{row2}</row>'
                                                      f'<row r="3">{row3}</row>'), shared)
    grid = assert_like_fastexcel(path, first_row=1)
    assert grid.row(0)[:4] == ("plain", "rich ", "kanji", "a\rb &amp; 中文 <>\"'")


def test_numbers_dates_and_errors_by_style(tmp_path):
    styles = (f'<styleSheet xmlns="{MAIN}"><numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>'
              '<numFmt numFmtId="165" formatCode="[h]:mm:ss"/></numFmts><cellXfs count="5"><xf numFmtId="0"/>'
              '<xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="22"/><xf numFmtId="31"/></cellXfs></styleSheet>')
    cells = [("1.5", 1), ("59.5", 1), ("60", 1), ("43831.123456789", 1), ("1.5", 2), ("43831.5", 3), ("-1", 1),
             ("43831", 4), ("1.23456789012345E-5", 0), ("0.1234567895", 0), ("-0", 0), ("2.5E+3", 0),
             ("1e300", 0), ("0.30000000000000004", 0), ("123456.1234567891", 0), ("12345678901.23", 0)]
    row = "".join(f'<c r="{chr(65 + j)}2" s="{s}"><v>{v}</v></c>' for j, (v, s) in enumerate(cells))
    path = _workbook(tmp_path, "numbers.xlsx", _sheet(f'<row r="2">{row}</row><row r="4"><c r="R4" t="e">'
                                                      "<v>#REF!</v></c></row>"))
    with zipfile.ZipFile(path) as source:  # the styles above replace xlsxwriter's
        parts = {name: source.read(name) for name in source.namelist()}
    parts["xl/styles.xml"] = styles.encode()
    with zipfile.ZipFile(path, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)
    grid = assert_like_fastexcel(path, first_row=2)
    assert grid.row(0)[:3] == ("1900-01-01 12:00:00", "1900-02-28 12:00:00", "1900-02-28 00:00:00")
    assert grid.row(0)[7] == "43831"  # a built-in Chinese date format calamine does not know stays a number
    assert grid.row(2)[-1] is None and grid.width == 18  # the error cell: null, but it widens the grid


def test_namespace_prefix_and_attribute_order(tmp_path):
    rows = ('<x:row r="2"><x:c r="B2" t="inlineStr"><x:is><x:t>a</x:t></x:is></x:c><x:c r="C2"><x:v>1</x:v></x:c>'
            '</x:row><x:row r="3"><x:c r="B3" s="0" t="inlineStr" cm="1"><x:is><x:t>b</x:t></x:is></x:c></x:row>')
    assert_like_fastexcel(_workbook(tmp_path, "prefix.xlsx", _sheet(rows, prefix="x")), first_row=2)
    rows = '<row r="1"><c t="inlineStr" r="A1"><is><t>t first</t></is></c><c r="B1" t="s" s="0"><v>0</v></c></row>'
    shared = f'<sst xmlns="{MAIN}"><si><t>shared</t></si></sst>'
    assert_like_fastexcel(_workbook(tmp_path, "order.xlsx", _sheet(rows), shared), first_row=1)


def test_cells_without_references_fall_back_to_fastexcel(tmp_path):
    rows = '<row r="4"><c t="inlineStr"><is><t>a</t></is></c><c><v>2</v></c></row><row><c><v>3</v></c></row>'
    assert_like_fastexcel(_workbook(tmp_path, "no_refs.xlsx", _sheet(rows)), first_row=4)


def test_chunks_cut_between_rows(tmp_path, monkeypatch):
    """Tiny chunks: rows and runs of empty rows fall across chunk boundaries, columns appear late."""
    monkeypatch.setattr(xlsx, "CHUNK_BYTES", 300)
    path = tmp_path / "chunks.xlsx"
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet()
    for r in range(3, 400):
        if r % 37 in (5, 6, 7):
            continue  # runs of empty rows
        sheet.write_string(r, 1, f"姓名{r}")
        if r % 3:
            sheet.write_number(r, 2, r * 1.25)
        if r > 250:
            sheet.write_string(r, 5, f"late {r}")
    book.close()
    assert_like_fastexcel(path, first_row=4)


def test_empty_sheet(tmp_path):
    path = tmp_path / "empty.xlsx"
    book = xlsxwriter.Workbook(str(path))
    book.add_worksheet().write_blank(3, 3, None, book.add_format({"bold": True}))
    book.close()
    grid = assert_like_fastexcel(path, first_row=1)
    assert grid.shape == (0, 0)


def test_unreadable_files(tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(zipfile.BadZipFile):
        xlsx.read_first_sheet(path)
    with pytest.raises(Unreadable, match="BadZipFile"):
        _read_xlsx(path)
    shared = _workbook(tmp_path, "bad_index.xlsx", _sheet('<row r="1"><c r="A1" t="s"><v>99</v></c></row>'))
    with pytest.raises(Unreadable, match="ValueError"):
        _read_xlsx(Path(shared))


def test_1904_dates(tmp_path):
    path = tmp_path / "mac.xlsx"
    book = xlsxwriter.Workbook(str(path), {"date_1904": True})
    sheet = book.add_worksheet()
    sheet.write_datetime(0, 0, datetime.datetime(2020, 1, 1, 8), book.add_format({"num_format": "yyyy-mm-dd hh:mm"}))
    sheet.write_number(0, 1, 30000)
    book.close()
    grid = assert_like_fastexcel(path, first_row=1)
    assert grid.row(0) == ("2020-01-01 08:00:00", "30000")


def test_cells_without_attributes_fall_back_to_fastexcel(tmp_path):
    rows = '<row r="2"><c><v>1</v></c><c><v>2.5</v></c></row><row r="3"><c><v>3</v></c></row>'
    grid = assert_like_fastexcel(_workbook(tmp_path, "bare_cells.xlsx", _sheet(rows)), first_row=2)
    assert grid.row(0) == ("1", "2.5")
