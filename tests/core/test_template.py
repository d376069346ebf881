"""`bangfu template`: headers as the importer matches them, required ones marked, drop-downs, cell formats and the
instructions sheet, read back with openpyxl."""

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.db import models

from bangfu.core.columns import Column, Entity
from bangfu.core.exports import entities
from bangfu.core.workbook import INSTRUCTIONS, KIND_NAMES, LISTS, choice_labels, template_columns, write_template
from bangfu.households.models import Member, Relation

ENTITIES = ["villages", "organisations", "pairings", "households", "incomes"]


def column_format(sheet, index: int) -> str | None:
    """The number format of 1-based column `index` (openpyxl merges neighbouring columns that look alike)."""
    for dimension in sheet.column_dimensions.values():
        if dimension.min <= index <= dimension.max:
            return dimension.number_format
    return None


def validations(sheet) -> dict[str, str]:
    """Column letter → the list formula of its drop-down, checking each covers the whole column below the header."""
    out = {}
    for dv in sheet.data_validations.dataValidation:
        assert dv.type == "list"
        (cell_range,) = str(dv.sqref).split()
        start, end = cell_range.split(":")
        letter = start.rstrip("0123456789")
        assert start == f"{letter}2" and end == f"{letter}1048576"
        out[letter] = dv.formula1
    return out


@pytest.mark.parametrize("entity", ENTITIES)
def test_template(entity, tmp_path):
    assert set(ENTITIES) <= set(entities())
    spec = entities()[entity]
    path = tmp_path / f"{entity}.xlsx"
    call_command("template", entity, str(path))
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[:2] == [entity, INSTRUCTIONS]
    sheet, notes = book.worksheets[0], book[INSTRUCTIONS]
    columns = template_columns(spec)
    assert columns and all(c.writable for c in columns)
    assert [c for c in spec.columns if not c.writable] == [c for c in spec.columns if c not in columns]

    # Exactly the headers, in order, on the first row; nothing below it.
    assert [cell.value for cell in sheet[1]] == [c.header for c in columns]
    assert sheet.max_row == 1
    drop_downs = validations(sheet)
    for i, (cell, column) in enumerate(zip(sheet[1], columns, strict=True), start=1):
        letter = cell.column_letter
        assert cell.font.b
        if column.required:
            assert cell.font.color.rgb == "FFC00000" and cell.comment.text == "必填"
        else:
            assert cell.comment is None
        expected_format = {"date": "yyyy-mm-dd", "int": "0", "decimal": "0.00"}.get(column.kind, "@")
        assert column_format(sheet, i) == expected_format, column.header
        labels = choice_labels(column)
        if column.kind in ("choice", "bool"):
            assert labels
            formula = drop_downs.pop(letter)
            if formula.startswith('"'):
                assert formula == '"' + ",".join(labels) + '"'
            else:
                assert formula == f"'{LISTS}'!${letter}$2:${letter}${len(labels) + 1}"
                assert [c.value for c in book[LISTS][letter][1:len(labels) + 1]] == labels
        else:
            assert not labels
    assert drop_downs == {}, "a drop-down on a column that is neither a choice nor yes/no"

    rows = list(notes.iter_rows(values_only=True))
    assert rows[0] == ("列名", "必填", "类型", "可选值", "说明")
    assert len(rows) == len(columns) + 1
    for row, column in zip(rows[1:], columns, strict=True):
        assert row[0] == column.header
        assert row[1] == ("是" if column.required else "否")
        assert row[2] == KIND_NAMES[column.kind]
        assert (row[3] or "") == "、".join(choice_labels(column))
        if column.note:
            assert column.note in row[4]


def test_choice_labels_are_chinese():
    relation = next(c for c in entities()["households"].columns if c.choices is Relation)
    assert choice_labels(relation)[0] == "户主"
    bool_column = next(c for c in entities()["villages"].columns if c.kind == "bool")
    assert choice_labels(bool_column) == ["是", "否"]


def test_incomes_template_marks_required_and_leaves_out_computed(tmp_path):
    path = write_template(entities()["incomes"], tmp_path / "incomes.xlsx")
    sheet = openpyxl.load_workbook(path).worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    assert headers[:2] == ["户编号", "年度"] and "人均纯收入" not in headers and "县代码" not in headers
    assert [cell.value for cell in sheet[1] if cell.comment] == ["户编号", "年度"]


class LongChoices(models.TextChoices):
    """More than Excel's 255 characters of labels, and a label with a comma: the drop-down reads a hidden sheet."""

    A = "a", "第一种很长很长的选项名称，带逗号, 的那种"
    B = "b", "第二种" + "长" * 120
    C = "c", "第三种" + "长" * 120


def test_long_lists_live_on_a_hidden_sheet(tmp_path):
    spec = Entity(name="members", model=Member, region_path="region_path", columns=(
        Column("姓名", "name", required=True, aliases=("成员姓名",), note="与身份证一致"),
        Column("长选项", "relation", "choice", LongChoices),
        Column("短选项", "relation", "choice", Relation),
    ))
    path = write_template(spec, tmp_path / "long.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["members", INSTRUCTIONS, LISTS]
    assert book[LISTS].sheet_state == "hidden"
    drop_downs = validations(book.worksheets[0])
    assert drop_downs["B"] == f"'{LISTS}'!$B$2:$B$4"
    assert drop_downs["C"].startswith('"户主,')
    assert [c.value for c in book[LISTS]["B"]] == ["长选项", *[str(label) for _, label in LongChoices.choices]]
    name_row = list(book[INSTRUCTIONS].iter_rows(min_row=2, max_row=2, values_only=True))[0]
    assert name_row[:2] == ("姓名", "是") and name_row[4] == "与身份证一致；也可写作：成员姓名"


def test_template_command_refuses(tmp_path):
    with pytest.raises(CommandError, match="Unknown entity"):
        call_command("template", "nothing", str(tmp_path / "x.xlsx"))
    with pytest.raises(CommandError, match="xlsx"):
        call_command("template", "households", str(tmp_path / "x.csv"))
    assert not (tmp_path / "x.csv").exists()
