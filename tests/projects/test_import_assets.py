"""Importing the assets ledger through `register_asset` and `update_asset`: problems at their rows, nothing written
when one is wrong, other counties' places refused, an export re-imports as no change, and undo."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from bangfu.core.exports import export
from bangfu.core.importing import import_file, undo
from bangfu.projects import services
from bangfu.projects.models import Asset
from tests.conftest import FULLWIDTH, refused

HEADERS = ["资产名称", "资产类型", "地点代码", "项目编号", "资产价值", "所有权人", "管护责任人", "累计收益", "移交日期",
           "处置日期", "处置方式"]


pytestmark = pytest.mark.usefixtures("chinese")


@pytest.fixture
def project(world):
    return services.apply(world.users["debao"], name="那温村饮水工程", category="water", year=2020,
                          region=world.village, pairing=world.p_debao, planned_amount="300000", on=date(2020, 3, 1))


def rows(world, project):
    v, v2 = world.village.code, world.village2.code
    return [
        ["那温村蓄水池", "公益性资产", v.translate(FULLWIDTH), project.number, "30万", "那温村村民委员会", "村委", "",
         "2021年1月5日", "", ""],
        ["大旺村光伏电站", "operating", v2, "", "50万", "大旺村股份经济合作社", "", "1.2万", "2021/6/30", "", ""],
        [],
        ["某资产", "operating", "451024999999", "", "1万", "村委", "", "", "", "", ""],
        ["新饶村仓库", "public", world.sw_village.code, "", "1万", "村委", "", "", "", "", ""],
        ["那温村蓄水池", "public", v, project.number, "30万", "那温村村民委员会", "", "", "", "", ""],
        ["旧仓库", "public", v2, "", "1万", "村委", "", "", "2021-01-01", "2020-01-01", "拍卖"],
        ["农机", "household", v2, "", "abc", "某户", "", "", "", "", ""],
        ["冷库", "operating", v2, "", "1万", "", "", "", "", "", ""],
        ["厂房", "operating", v2, "", "1万", "村委", "", "", "", "2099-01-01", "出售"],
        ["仓库", "operating", v2, "", "1万", "村委", "", "", "", "2022-01-01", ""],
    ]


@pytest.mark.parametrize("name", ["资产.xlsx", "资产.csv"])
def test_a_messy_file_is_refused_row_by_row_and_nothing_written(world, project, sheet, name):
    assert refused(import_file("assets", sheet(name, HEADERS, rows(world, project)), user=world.users["debao"])) == [
        (7, "地点代码", "451024999999", "未知的地区代码 451024999999（或不在您的权限范围内）。"),
        (8, "地点代码", "441581100201", "新饶村 不在您的权限范围内。"),
        (9, "资产名称", "那温村蓄水池", "此行与第4行重复。"),
        (10, "处置日期", "2020-01-01", "处置日期 2020-01-01 早于移交日期 2021-01-01。"),
        (11, "资产价值", "abc", "请填写以元为单位的金额，如 12345.60。"),
        (12, "所有权人", "", "此项为必填项。"),
        (13, "处置日期", "2099-01-01", "2099-01-01 是将来的日期。"),
        (14, "处置方式", "", "请说明资产处置方式。"),
    ]
    assert not Asset.objects.exists()


def test_a_clean_file_registers_and_its_export_reimports_as_no_change(world, project, sheet, tmp_path):
    debao = world.users["debao"]
    result = import_file("assets", sheet("a.xlsx", HEADERS, rows(world, project)[:2]), user=debao)
    assert result.status == "imported" and result.written == {"扶贫资产 created": 2}, result.problems
    pool, solar = Asset.objects.order_by("number")
    assert (pool.number, pool.kind, pool.project, pool.value, pool.upkeep, pool.handed_over_on) == (
        "451024-A00001", "public", project, 300000, "村委", date(2021, 1, 5))
    assert (solar.number, solar.region, solar.income) == ("451024-A00002", world.village2, 12000)
    export("assets", tmp_path / "out.csv", user=debao)
    again = import_file("assets", tmp_path / "out.csv", user=debao)
    assert again.status == "imported" and again.written == {}, again.problems
    edited = sheet("e.xlsx", ["资产编号", *HEADERS], [[solar.number, *rows(world, project)[1][:7], "2万", "", "", ""]])
    result = import_file("assets", edited, user=debao)
    assert result.written == {"扶贫资产 updated": 1}, result.problems
    solar.refresh_from_db()
    assert solar.income == 20000
    moved = sheet("m.csv", ["资产编号", "资产名称", "资产类型", "地点代码", "所有权人"],
                  [[solar.number, solar.name, "operating", world.village.code, solar.owner]])
    assert [(p.column, p.message) for p in import_file("assets", moved, user=debao).problems] == [
        ("地点代码", "资产 451024-A00002 的地点和所属项目不通过导入修改。")]
    assert undo(result.batch_id, user=debao) == {"rows restored": 1}
    solar.refresh_from_db()
    assert solar.income == 12000


def test_another_countys_user_and_the_helper_side_are_refused(world, project, sheet):
    result = import_file("assets", sheet("a.csv", HEADERS, rows(world, project)[1:2]), user=world.users["shanwei"])
    assert [p.message for p in result.problems] == ["大旺村 不在您的权限范围内。"]
    result = import_file("assets", sheet("a.csv", HEADERS, rows(world, project)[1:2]), user=world.users["nanshan"])
    assert [p.message for p in result.problems] == ["您无权导入 assets。"]
    assert not Asset.objects.exists()


def test_undo_removes_the_assets_until_they_change(world, project, sheet):
    debao = world.users["debao"]
    first = import_file("assets", sheet("a.xlsx", HEADERS, rows(world, project)[:1]), user=debao)
    second = import_file("assets", sheet("b.xlsx", HEADERS, rows(world, project)[1:2]), user=debao)
    services.update_asset(debao, Asset.objects.get(name="那温村蓄水池"), upkeep="那温村村委会")
    with pytest.raises(ValidationError):
        undo(first.batch_id, user=debao)
    assert undo(second.batch_id, user=debao) == {"扶贫资产 removed": 1, "rows restored": 1}
    assert list(Asset.objects.values_list("name", flat=True)) == ["那温村蓄水池"]
