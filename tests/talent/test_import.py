"""Importing people sent and trained through the talent services: problems at their rows, nothing written when one
is wrong, other regions' and organisations' rows refused, a re-import changes nothing, and undo."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from bangfu.core.exports import export
from bangfu.core.importing import import_file, undo
from bangfu.talent.models import PersonSent, PersonTrained
from tests.conftest import FULLWIDTH

HEADERS = ["姓名", "类别", "派出单位", "派驻地区代码", "挂职单位", "职务", "开始日期", "结束日期"]


pytestmark = pytest.mark.usefixtures("chinese")


def rows(world):
    v = world.village.code
    return [
        ["张三", "挂职干部", "南山区人民政府", v.translate(FULLWIDTH), "", "第一书记", "2021年3月1日", ""],
        ["李四", "支教教师", "南山实验学校", "451024", "德保县第一小学", "", "2021/9/1", "2022-07-15"],
        [],
        ["王五", "挂职干部", "南山区人民政府", "451024999999", "", "", "2021-03-01", ""],
        ["赵六", "挂职干部", "宝安区人民政府", "451228", "", "", "2021-03-01", ""],
        ["张三", "挂职干部", "南山区人民政府", v, "", "第一书记", "2021-03-01", ""],
        ["钱七", "支医医生", "南山区人民政府", "451024", "", "", "2021-09-01", "2021-03-01"],
        ["孙八", "厨师", "南山区人民政府", "451024", "", "", "2021-09-01", ""],
    ]


@pytest.mark.parametrize("name", ["派出.xlsx", "派出.csv"])
def test_a_messy_file_is_refused_row_by_row_and_nothing_written(world, sheet, name):
    result = import_file("people-sent", sheet(name, HEADERS, rows(world)), user=world.users["nanshan"])
    assert [(p.row, p.column, p.value, p.message) for p in result.problems] == [
        (7, "派驻地区代码", "451024999999", "未知的地区代码 451024999999（或不在您的权限范围内）。"),
        (8, "派出单位", "宝安区人民政府", "您的权限范围内没有此名称的帮扶方单位。"),
        (9, "姓名", "张三", "此行与第4行重复。"),
        (10, "结束日期", "2021-03-01", "结束日期 2021-03-01 早于开始日期 2021-09-01。"),
        (11, "类别", "厨师",
         "未知的值 厨师；可选：cadre、teacher、doctor、agronomist、professional、first_secretary。"),
    ]
    assert not PersonSent.objects.exists()


def test_a_clean_file_imports_and_its_export_reimports_as_no_change(world, sheet, tmp_path):
    nanshan = world.users["nanshan"]
    result = import_file("people-sent", sheet("s.xlsx", HEADERS, rows(world)[:2]), user=nanshan)
    assert result.status == "imported" and result.written == {"选派人员 created": 2}, result.problems
    teacher = PersonSent.objects.get(name="李四")
    assert (teacher.kind, teacher.to_org, teacher.end, teacher.org_path) == (
        "teacher", world.debao_school, date(2022, 7, 15), world.nanshan_school.path)
    export("people-sent", tmp_path / "out.csv", user=nanshan)
    again = import_file("people-sent", tmp_path / "out.csv", user=nanshan)
    assert again.status == "imported" and again.written == {}, again.problems
    trained = sheet("t.csv", ["姓名", "类别", "来自地区代码", "培训单位", "培训项目", "开始日期", "结束日期"],
                    [["周九", "cadre", "451024", "南山区人民政府", "乡村振兴专题", "2021-04-01", "2021-04-30"]])
    assert import_file("people-trained", trained, user=nanshan).written == {"来深培训人员 created": 1}
    assert PersonTrained.objects.get().host == world.nanshan


def test_another_regions_user_is_refused(world, sheet):
    result = import_file("people-sent", sheet("s.csv", HEADERS, rows(world)[:1]), user=world.users["shanwei"])
    assert [p.message for p in result.problems] == ["您的权限范围内没有此名称的帮扶方单位。"]
    assert not PersonSent.objects.exists()


def test_undo_removes_the_people_and_puts_back_an_end(world, sheet):
    nanshan = world.users["nanshan"]
    first = import_file("people-sent", sheet("s.xlsx", HEADERS, rows(world)[:2]), user=nanshan)
    ended = [*rows(world)[0][:7], "2022-02-28"]
    second = import_file("people-sent", sheet("e.xlsx", HEADERS, [ended]), user=nanshan)
    assert second.written == {"选派人员 updated": 1}
    assert PersonSent.objects.get(name="张三").end == date(2022, 2, 28)
    with pytest.raises(ValidationError):  # changed by the second batch since
        undo(first.batch_id, user=nanshan)
    undo(second.batch_id, user=nanshan)
    assert PersonSent.objects.get(name="张三").end is None
    assert undo(first.batch_id, user=nanshan) == {"选派人员 removed": 2}
    assert not PersonSent.objects.exists()
