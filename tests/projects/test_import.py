"""Importing the project library: new projects enter as applied through the project services, matched ones are
updated in the fields their page edits, problems at their rows, other regions refused, and undo."""

import pytest
from django.core.exceptions import ValidationError

from bangfu.core.exports import export
from bangfu.core.importing import import_file, undo
from bangfu.projects import services
from bangfu.projects.models import Project, Step
from tests.conftest import FULLWIDTH, refused

HEADERS = ["项目名称", "项目类别", "年度", "地点代码", "结对编号", "计划资金", "计划开工", "计划完工", "实施单位"]


pytestmark = pytest.mark.usefixtures("chinese")


def rows(world):
    v = world.village.code
    return [
        ["那温村产业路", "基础设施", "２０２０", v.translate(FULLWIDTH), "", "60万", "2020年5月1日", "2020/10/1",
         "县交通局"],
        ["大旺村饮水", "water", 2020, world.village2.code, "", "12,000元", "", "", ""],
        [],
        ["某村养殖", "产业", 2020, "451024999999", "", "1万", "", "", ""],
        ["新饶村道路", "基础设施", 2020, world.sw_village.code, "", "1万", "", "", ""],
        ["那温村产业路", "基础设施", 2020, v, "", "60万", "2020-05-01", "2020-10-01", "县交通局"],
        ["大旺村学校", "教育", 2020, world.village2.code, "", "1万", "2020-06-01", "2020-05-01", ""],
        ["大旺村卫生室", "卫生", 2020, world.village2.code, "", "1万", "", "", ""],
    ]


@pytest.mark.parametrize("name", ["项目.xlsx", "项目.csv"])
def test_a_messy_file_is_refused_row_by_row_and_nothing_written(world, sheet, name):
    assert refused(import_file("projects", sheet(name, HEADERS, rows(world)), user=world.users["debao"])) == [
        (7, "地点代码", "451024999999", "未知的地区代码 451024999999（或不在您的权限范围内）。"),
        (8, "地点代码", world.sw_village.code, "新饶村（441581100201）不在您的权限范围内。"),
        (9, "项目名称", "那温村产业路", "此行与第4行重复。"),
        (10, "计划完工", "2020-05-01", "计划完工日期 2020-05-01 早于计划开工日期 2020-06-01。"),
        (11, "项目类别", "卫生", "未知的值 卫生；可选：industry、employment、education、health、housing、water、"
                                "infrastructure、consumption、party、talent、other。"),
    ]
    assert not Project.objects.exists()


def test_a_clean_file_imports_and_its_export_reimports_as_no_change(world, sheet, tmp_path):
    debao = world.users["debao"]
    result = import_file("projects", sheet("p.xlsx", HEADERS, rows(world)[:2]), user=debao)
    assert result.status == "imported", result.problems
    road = Project.objects.get(name="那温村产业路")
    assert (road.state, road.planned_amount, road.county_code, str(road.planned_start)) == (
        "applied", 600000, "451024", "2020-05-01")
    assert road.number.startswith("451024-2020-") and Step.objects.filter(project=road).count() == 1
    export("projects", tmp_path / "out.xlsx", user=debao)
    again = import_file("projects", tmp_path / "out.xlsx", user=debao)
    assert again.status == "imported" and again.written == {}, again.problems
    edited = sheet("e.csv", ["项目编号", "项目名称", "项目类别", "入库年度", "地点代码", "计划资金(元)", "项目状态"],
                   [[road.number, "那温村产业路（一期）", "基础设施", 2020, world.village.code, "70万", "村级申报"]])
    result = import_file("projects", edited, user=debao)
    assert result.written == {"项目 updated": 1}
    road.refresh_from_db()
    assert road.name == "那温村产业路(一期)" and road.planned_amount == 700000  # NFKC: half-width brackets
    moved = sheet("m.csv", ["项目编号", "项目名称", "项目类别", "入库年度", "地点代码", "项目状态"],
                  [[road.number, road.name, "基础设施", 2020, world.village.code, "县级审定入库"]])
    assert import_file("projects", moved, user=debao).problems[0].column == "项目状态"
    undo(result.batch_id, user=debao)
    road.refresh_from_db()
    assert road.name == "那温村产业路" and road.planned_amount == 600000


def test_another_countys_user_is_refused(world, sheet):
    result = import_file("projects", sheet("p.csv", HEADERS, rows(world)[:1]), user=world.users["shanwei"])
    assert [p.message for p in result.problems] == ["那温村（451024100201）不在您的权限范围内。"]
    assert not Project.objects.exists()


def test_undo_removes_the_projects_until_they_move_on(world, sheet):
    debao = world.users["debao"]
    result = import_file("projects", sheet("p.xlsx", HEADERS, rows(world)[:2]), user=debao)
    assert Project.objects.count() == 2
    road = Project.objects.get(name="那温村产业路")
    services.transition(debao, road, "township_reviewed")
    with pytest.raises(ValidationError):
        undo(result.batch_id, user=debao)
    school = ["大旺村学校", "教育", 2020, world.village2.code, "", "1万", "", "", ""]
    second = import_file("projects", sheet("q.xlsx", HEADERS, [school]), user=debao)
    assert undo(second.batch_id, user=debao) == {"项目 removed": 1}
    assert Project.objects.count() == 2 and not Step.objects.filter(project__name="大旺村学校").exists()
