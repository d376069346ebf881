"""Importing job postings through `create_posting` and `close_posting`: problems at their rows, nothing written when
one is wrong, places and employers outside the user's scope refused, an export re-imports as no change, and undo."""

import pytest
from django.core.exceptions import ValidationError

from bangfu.core.exports import export
from bangfu.core.importing import import_file, undo
from bangfu.labor import services
from bangfu.labor.models import Posting
from tests.conftest import FULLWIDTH, refused

HEADERS = ["岗位名称", "用人单位", "统一社会信用代码", "工作地区代码", "月工资下限", "月工资上限", "招聘人数",
           "最低年龄", "最高年龄", "发布日期", "在招"]


pytestmark = pytest.mark.usefixtures("chinese")


def rows(world):
    v, firm, code = world.village.code, world.enterprise.name, world.enterprise.credit_code.lower()
    return [
        ["茶叶加工工", firm, "", v.translate(FULLWIDTH), "3,000元", "0.4万", "２０", "", "", "2021年3月1日", ""],
        ["保洁员", "", code, "451024", "2000", "2500", "2", "18", "55", "2021/3/2", "否"],
        [],
        ["司机", "某不存在公司", "", "451024", "3000", "4000", "1", "", "", "2021-03-01", ""],
        ["司机", firm, "", world.sw_village.code, "3000", "4000", "1", "", "", "2021-03-01", ""],
        ["茶叶加工工", firm, "", v, "3000", "4000", "20", "", "", "2021-03-01", ""],
        ["厨师", firm, "", "451024", "5000", "4000", "1", "", "", "2021-03-01", ""],
        ["厨师", firm, "", "451024", "3000", "4000", "0", "", "", "2021-03-02", ""],
        ["厨师", firm, "", "451024", "3000", "4000", "1", "50", "40", "2021-03-03", ""],
        ["厨师", firm, "", "451024", "3000", "4000", "1", "", "", "2099-01-01", ""],
        ["厨师", firm, "", "451024", "3000", "4000", "1", "", "", "2021-03-04", "也许"],
        ["厨师", "", "", "451024", "3000", "4000", "1", "", "", "2021-03-05", ""],
    ]


@pytest.mark.parametrize("name", ["岗位.xlsx", "岗位.csv"])
def test_a_messy_file_is_refused_row_by_row_and_nothing_written(world, sheet, name):
    assert refused(import_file("postings", sheet(name, HEADERS, rows(world)), user=world.users["debao"])) == [
        (7, "用人单位", "某不存在公司", "没有登记此名称的单位。"),
        (8, "用人单位", "深圳某科技有限公司", "新饶村 和该组织都不在您的权限范围内。"),
        (9, "岗位名称", "茶叶加工工", "此行与第4行重复。"),
        (10, "月工资上限", "4000", "工资范围 5000.00–4000.00 无效。"),
        (11, "招聘人数", "0", "招聘人数至少为 1。"),
        (12, "最高年龄", "40", "年龄范围 50–40 无效。"),
        (13, "发布日期", "2099-01-01", "2099-01-01 是将来的日期。"),
        (14, "在招", "也许", "请填写“是”或“否”。"),
        (15, "用人单位", "", "请填写用人单位名称或统一社会信用代码。"),
    ]
    assert not Posting.objects.exists()


def test_a_clean_file_posts_and_its_export_reimports_as_no_change(world, sheet, tmp_path):
    debao = world.users["debao"]
    result = import_file("postings", sheet("p.xlsx", HEADERS, rows(world)[:2]), user=debao)
    assert result.status == "imported" and result.written == {"岗位 created": 2}, result.problems
    tea, cleaner = Posting.objects.order_by("id")
    assert (tea.employer, tea.region, tea.wage_max, tea.openings, tea.min_age, tea.open) == (
        world.enterprise, world.village, 4000, 20, 16, True)
    assert (cleaner.employer, cleaner.max_age, cleaner.open) == (world.enterprise, 55, False)
    export("postings", tmp_path / "out.xlsx", user=debao)
    again = import_file("postings", tmp_path / "out.xlsx", user=debao)
    assert again.status == "imported" and again.written == {}, again.problems
    full = ["岗位编号", *HEADERS]
    closed = sheet("c.csv", full, [[tea.pk, *rows(world)[0][:10], "否"]])
    result = import_file("postings", closed, user=debao)
    assert result.written == {"岗位 updated": 1}, result.problems
    tea.refresh_from_db()
    assert not tea.open
    raised = sheet("r.csv", full, [[cleaner.pk, *rows(world)[1][:5], "3000", *rows(world)[1][6:]]])
    assert [(p.column, p.message) for p in import_file("postings", raised, user=debao).problems] == [
        ("岗位编号", f"岗位 #{cleaner.pk} 已存在且内容不同；岗位不通过导入修改，请关闭后重新发布。")]
    undo(result.batch_id, user=debao)
    tea.refresh_from_db()
    assert tea.open


def test_a_user_outside_the_place_and_the_employer_is_refused(world, sheet):
    result = import_file("postings", sheet("p.csv", HEADERS, rows(world)[:1]), user=world.users["shanwei"])
    assert [p.message for p in result.problems] == ["那温村 和该组织都不在您的权限范围内。"]
    assert import_file("postings", sheet("p.csv", HEADERS, rows(world)[:1]), user=world.users["nanshan"]).written \
        == {"岗位 created": 1}  # the employer's side


def test_undo_removes_the_postings_until_they_change(world, sheet):
    debao = world.users["debao"]
    first = import_file("postings", sheet("p.xlsx", HEADERS, rows(world)[:1]), user=debao)
    second = import_file("postings", sheet("q.xlsx", HEADERS, rows(world)[1:2]), user=debao)
    services.close_posting(debao, Posting.objects.get(title="茶叶加工工"))
    with pytest.raises(ValidationError):
        undo(first.batch_id, user=debao)
    assert undo(second.batch_id, user=debao) == {"岗位 removed": 1, "rows restored": 1}
    assert list(Posting.objects.values_list("title", flat=True)) == ["茶叶加工工"]
