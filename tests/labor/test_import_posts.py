"""Importing public-welfare posts through `create_post`: problems at their rows, nothing written when one is wrong,
other counties' places refused, an export (or the same file) re-imports as no change, and undo."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from bangfu.core.exports import export
from bangfu.core.importing import import_file, undo
from bangfu.labor import services
from bangfu.labor.models import PublicWelfarePost
from tests.conftest import FULLWIDTH, refused

HEADERS = ["岗位名称", "地区代码", "月补贴", "设立日期"]


pytestmark = pytest.mark.usefixtures("chinese")


def rows(world):
    v, v2 = world.village.code, world.village2.code
    return [
        ["那温村保洁员", v.translate(FULLWIDTH), "800元", "2021年1月1日"],
        ["大旺村护林员", v2, "0.1万", ""],
        [],
        ["护路员", "451024999999", "800", ""],
        ["新饶村保洁员", world.sw_village.code, "800", ""],
        ["那温村保洁员", v, "800", "2021-01-01"],
        ["护桥员", v2, "0", ""],
        ["护河员", v2, "abc", ""],
        ["巡逻员", v2, "800", "2099-01-01"],
        ["", v2, "800", ""],
    ]


@pytest.mark.parametrize("name", ["公益性岗位.xlsx", "公益性岗位.csv"])
def test_a_messy_file_is_refused_row_by_row_and_nothing_written(world, sheet, name):
    result = import_file("public-welfare-posts", sheet(name, HEADERS, rows(world)), user=world.users["debao"])
    assert refused(result) == [
        (7, "地区代码", "451024999999", "未知的地区代码 451024999999（或不在您的权限范围内）。"),
        (8, "地区代码", "441581100201", "新饶村 不在您的权限范围内。"),
        (9, "岗位名称", "那温村保洁员", "此行与第4行重复。"),
        (10, "月补贴", "0", "月补贴必须大于零。"),
        (11, "月补贴", "abc", "请填写以元为单位的金额，如 12345.60。"),
        (12, "设立日期", "2099-01-01", "2099-01-01 是将来的日期。"),
        (13, "岗位名称", "", "此项为必填项。"),
    ]
    assert not PublicWelfarePost.objects.exists()


def test_a_clean_file_creates_and_its_export_reimports_as_no_change(world, sheet, tmp_path):
    debao = world.users["debao"]
    result = import_file("public-welfare-posts", sheet("p.xlsx", HEADERS, rows(world)[:2]), user=debao)
    assert result.status == "imported" and result.written == {"公益性岗位 created": 2}, result.problems
    cleaner = PublicWelfarePost.objects.get(name="那温村保洁员")
    assert (cleaner.region, cleaner.county_code, cleaner.monthly_pay, cleaner.created_on) == (
        world.village, "451024", 800, date(2021, 1, 1))
    export("public-welfare-posts", tmp_path / "out.csv", user=debao)
    again = import_file("public-welfare-posts", tmp_path / "out.csv", user=debao)
    assert again.status == "imported" and again.written == {}, again.problems
    same = import_file("public-welfare-posts", sheet("s.csv", HEADERS, rows(world)[:2]), user=debao)
    assert same.status == "imported" and same.written == {}, same.problems
    raised = sheet("r.csv", HEADERS, [["那温村保洁员", world.village.code, "900", ""]])
    assert [(p.column, p.message) for p in import_file("public-welfare-posts", raised, user=debao).problems] == [
        ("岗位名称", f"本县已有同名公益性岗位 #{cleaner.pk}；公益性岗位名称在县内不得重复。")]
    by_number = sheet("n.csv", ["岗位编号", *HEADERS], [[cleaner.pk, "那温村保洁员", world.village.code, "900", ""]])
    assert [p.message for p in import_file("public-welfare-posts", by_number, user=debao).problems] == [
        f"公益性岗位 #{cleaner.pk} 已存在且内容不同；公益性岗位不通过导入修改。"]


def test_another_countys_user_is_refused(world, sheet):
    result = import_file("public-welfare-posts", sheet("p.csv", HEADERS, rows(world)[:1]),
                         user=world.users["shanwei"])
    assert [p.message for p in result.problems] == ["那温村 不在您的权限范围内。"]
    assert not PublicWelfarePost.objects.exists()


def test_undo_removes_the_posts_until_someone_holds_one(labor, sheet):
    world, debao = labor, labor.users["debao"]
    first = import_file("public-welfare-posts", sheet("p.xlsx", HEADERS, rows(world)[:1]), user=debao)
    second = import_file("public-welfare-posts", sheet("q.xlsx", HEADERS, rows(world)[1:2]), user=debao)
    post = PublicWelfarePost.objects.get(name="那温村保洁员")
    services.record_employment(debao, world.laborers[0], start=date(2021, 2, 1), monthly_wage=800,
                               channel="public_welfare", post=post)
    with pytest.raises(ValidationError):
        undo(first.batch_id, user=debao)
    assert undo(second.batch_id, user=debao) == {"公益性岗位 removed": 1}
    assert list(PublicWelfarePost.objects.values_list("name", flat=True)) == ["那温村保洁员"]
