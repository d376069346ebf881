"""Importing laborers and employment records through the labour services: problems at their rows, nothing written
when one is wrong, other counties' people refused, a re-import changes nothing, and undo puts the closed loop back."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from bangfu.core.exports import export
from bangfu.core.importing import import_file, undo
from bangfu.labor.models import Employment, Event, Laborer
from tests.conftest import FULLWIDTH
from tests.labor.conftest import add_member

LABORERS = ["身份证号码", "技能编码", "就业意向", "手机号码", "入库日期"]
JOBS = ["证件号码", "就业单位", "就业渠道", "务工地区代码", "开始日期", "结束日期", "月工资"]


pytestmark = pytest.mark.usefixtures("chinese")


@pytest.fixture
def people(world):
    members = [add_member(world.village, i) for i in range(1, 4)]
    members.append(add_member(world.village, 4, birth=date(2015, 1, 1)))  # a child
    members.append(add_member(world.sw_village, 5))  # another county
    return members


def laborer_rows(people):
    return [
        [people[0].id_number.translate(FULLWIDTH), "１", "县内", "13900139000", "2020年1月2日"],
        [people[1].id_number, "", "in_province", "", "2020/1/2"],
        [],
        ["451024199001019999", "", "县内", "", "2020-01-02"],
        [people[4].id_number, "", "县内", "", "2020-01-02"],
        [people[0].id_number, "1", "县内", "", "2020-01-02"],
        [people[3].id_number, "", "县内", "", "2020-01-02"],
        [people[2].id_number, "", "县内", "", "2099-01-02"],
    ]


@pytest.mark.parametrize("name", ["劳动力.xlsx", "劳动力.csv"])
def test_a_messy_file_of_laborers_is_refused_row_by_row_and_nothing_written(world, people, sheet, name):
    result = import_file("laborers", sheet(name, LABORERS, laborer_rows(people)), user=world.users["debao"])
    assert [(p.row, p.column, p.message) for p in result.problems] == [
        (7, "身份证号码", "您的权限范围内没有此证件号码的在册成员。"),
        (8, "身份证号码", "您的权限范围内没有此证件号码的在册成员。"),
        (9, "身份证号码", "此行与第4行重复。"),
        (10, "身份证号码", "劳动力4 5 岁；劳动力年龄为 16 至 60 岁。"),
        (11, "入库日期", "2099-01-02 是将来的日期。"),
    ]
    assert not Laborer.objects.exists() and not Event.objects.exists()


def test_laborers_and_jobs_import_and_an_export_reimports_as_no_change(world, people, sheet, tmp_path):
    debao = world.users["debao"]
    result = import_file("laborers", sheet("l.xlsx", LABORERS, laborer_rows(people)[:2]), user=debao)
    assert result.status == "imported", result.problems
    first = Laborer.objects.get(member=people[0])
    assert (first.skill_mask, first.intention, first.phone, first.state) == (1, "local", "13900139000", "registered")
    export("laborers", tmp_path / "l.xlsx", user=world.users["admin"])
    assert import_file("laborers", tmp_path / "l.xlsx", user=debao).written == {}
    jobs = [[people[0].id_number, "德保某公司", "自主就业", "451024", "2020-03-01", "", "3000"],
            [people[1].id_number, "南宁某厂", "organised", "", "2020-03-01", "2020-05-31", "0.4万"]]
    result = import_file("employments", sheet("j.csv", JOBS, jobs), user=debao)
    assert result.status == "imported", result.problems
    assert Laborer.objects.get(member=people[0]).state == "employed"
    assert Laborer.objects.get(member=people[1]).state == "left"
    export("employments", tmp_path / "j.xlsx", user=world.users["admin"])
    again = import_file("employments", tmp_path / "j.xlsx", user=debao)
    assert again.status == "imported" and again.written == {}, again.problems


def test_jobs_of_another_county_and_overlapping_jobs_are_refused(world, people, sheet):
    import_file("laborers", sheet("l.xlsx", LABORERS, laborer_rows(people)[:2]), user=world.users["debao"])
    jobs = [[people[0].id_number, "德保某公司", "自主就业", "", "2020-03-01", "", "3000"],
            [people[0].id_number, "另一公司", "自主就业", "", "2020-04-01", "", "3000"]]
    result = import_file("employments", sheet("j.csv", JOBS, jobs), user=world.users["debao"])
    assert [(p.row, p.column, p.message) for p in result.problems] == [
        (5, "开始日期", "劳动力1 自 2020-03-01 起在 德保某公司 就业，请先结束该就业记录。")]
    result = import_file("employments", sheet("j.csv", JOBS, jobs[:1]), user=world.users["shanwei"])
    assert [p.message for p in result.problems] == ["您的权限范围内没有此证件号码的劳动力。"]
    assert not Employment.objects.exists()


def test_undo_puts_the_closed_loop_back(world, people, sheet):
    debao = world.users["debao"]
    registered = import_file("laborers", sheet("l.xlsx", LABORERS, laborer_rows(people)[:2]), user=debao)
    jobs = [[people[1].id_number, "南宁某厂", "organised", "", "2020-03-01", "2020-05-31", "4000"]]
    hired = import_file("employments", sheet("j.csv", JOBS, jobs), user=debao)
    laborer = Laborer.objects.get(member=people[1])
    assert laborer.state == "left" and Event.objects.filter(laborer=laborer).count() == 3
    with pytest.raises(ValidationError):  # the laborers have jobs now
        undo(registered.batch_id, user=debao)
    undo(hired.batch_id, user=debao)
    laborer.refresh_from_db()
    assert laborer.state == "registered" and laborer.state_on == date(2020, 1, 2)
    assert not Employment.objects.exists() and Event.objects.filter(laborer=laborer).count() == 1
    undo(registered.batch_id, user=debao)
    assert not Laborer.objects.exists() and not Event.objects.exists()


def test_only_users_who_may_unmask_match_people_by_id_number(world, people, sheet):
    """A file naming people by their full ID number would confirm a guessed number (found or not, or "has another ID
    number"): helpers, who may not unmask, give 劳动力编号 instead."""
    import_file("laborers", sheet("l.xlsx", LABORERS, laborer_rows(people)[:2]), user=world.users["debao"])
    laborer = Laborer.objects.get(member=people[0])
    refusal = "按证件号码匹配人员需要查看身份证号码的权限。"
    for username in ("nanshan", "sz"):
        user = world.users[username]
        result = import_file("laborers", sheet("l.xlsx", LABORERS, laborer_rows(people)[:1]), user=user)
        assert [(p.column, p.message) for p in result.problems] == [("身份证号码", refusal)]
        jobs = [[laborer.pk, people[0].id_number, "深圳某公司", "自主就业", "", "2020-03-01", "", "3000"]]
        result = import_file("employments", sheet("j.csv", ["劳动力编号", *JOBS], jobs), user=user)
        assert [(p.column, p.message) for p in result.problems] == [("证件号码", refusal)]
    assert not Employment.objects.exists() and Laborer.objects.count() == 2
