"""Importing beneficiaries through `link_beneficiaries`: problems at their rows, nothing written when one is wrong,
other counties' households and projects refused, an export re-imports as no change, and undo unlinks."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from bangfu.core.exports import export
from bangfu.core.importing import import_file, undo
from bangfu.households.models import Household
from bangfu.projects import services
from bangfu.projects.models import Beneficiary
from tests.conftest import FULLWIDTH, refused

HEADERS = ["项目编号", "户编号", "年度", "受益方式", "受益金额"]


pytestmark = pytest.mark.usefixtures("chinese")


@pytest.fixture
def project(world):
    for i in range(3):
        Household.objects.create(number=f"T{i:04d}", village=world.village, household_type="lifted",
                                 county_code="451024", region_path=world.village.path, size=3)
    Household.objects.create(number="SW1", village=world.sw_village, household_type="lifted", county_code="441581",
                             region_path=world.sw_village.path, size=2)
    return services.apply(world.users["debao"], name="那温村饮水工程", category="water", year=2020,
                          region=world.village, pairing=world.p_debao, planned_amount="300000", on=date(2020, 3, 1))


def rows(project):
    n = project.number
    return [
        [n.translate(FULLWIDTH), "T0000", "２０２０", "务工", "6,000元"],
        [n, "t0001", 2020, "rent", "0.3万"],
        [],
        ["451024-2020-9999", "T0002", 2020, "务工", "100"],
        [n, "SW1", 2020, "务工", "100"],
        [n, "T0000", 2020, "务工", "6000"],
        [n, "T0002", 2020, "分红", "100"],
        [n, "T0002", 2020, "务工", "-5"],
        [n, "T0002", 2020, "捐赠", "1"],
    ]


@pytest.mark.parametrize("name", ["受益.xlsx", "受益.csv"])
def test_a_messy_file_is_refused_row_by_row_and_nothing_written(world, project, sheet, name):
    assert refused(import_file("beneficiaries", sheet(name, HEADERS, rows(project)), user=world.users["debao"])) == [
        (7, "项目编号", "451024-2020-9999", "未知的项目编号 451024-2020-9999（或不在您的权限范围内）。"),
        (8, "户编号", "SW1", "未知的户编号 SW1（或不在您的权限范围内）。"),
        (9, "户编号", "T0000", "此行与第4行重复。"),
        (10, "受益方式", "分红", "分红在项目页面按飞地分红发放，不通过导入。"),
        (11, "受益金额", "-5", "金额不能为负数。"),
        (12, "受益方式", "捐赠", "未知的值 捐赠；可选：wages、dividend、rent、purchase、welfare_job、service。"),
    ]
    assert not Beneficiary.objects.exists()


def test_a_clean_file_links_and_its_export_reimports_as_no_change(world, project, sheet, tmp_path):
    debao = world.users["debao"]
    result = import_file("beneficiaries", sheet("b.xlsx", HEADERS, rows(project)[:2]), user=debao)
    assert result.status == "imported" and result.written == {"受益农户 created": 2}, result.problems
    linked = {(b.household.number, b.gain, b.amount) for b in Beneficiary.objects.select_related("household")}
    assert linked == {("T0000", "wages", 6000), ("T0001", "rent", 3000)}
    export("beneficiaries", tmp_path / "out.xlsx", user=debao)
    again = import_file("beneficiaries", tmp_path / "out.xlsx", user=debao)
    assert again.status == "imported" and again.written == {}, again.problems
    changed = sheet("c.csv", HEADERS, [[project.number, "T0000", 2020, "务工", "7000"]])
    assert [(p.row, p.column, p.message) for p in import_file("beneficiaries", changed, user=debao).problems] == [
        (4, "受益金额", "该户已按 6000.00 元关联本项目；导入不修改受益金额。")]


def test_another_countys_user_and_the_helper_side_are_refused(world, project, sheet):
    result = import_file("beneficiaries", sheet("b.csv", HEADERS, rows(project)[:1]), user=world.users["shanwei"])
    assert [(p.column, p.message) for p in result.problems] == [
        ("项目编号", f"未知的项目编号 {project.number}（或不在您的权限范围内）。")]
    result = import_file("beneficiaries", sheet("b.csv", HEADERS, rows(project)[:1]), user=world.users["nanshan"])
    assert [p.message for p in result.problems] == ["您无权导入 beneficiaries。"]
    assert not Beneficiary.objects.exists()


def test_undo_unlinks_the_batchs_households_only(world, project, sheet):
    debao = world.users["debao"]
    by_hand = Household.objects.get(number="T0002")
    services.link_beneficiaries(debao, project, year=2020, gain="wages", household_ids=[by_hand.pk], amount=500)
    result = import_file("beneficiaries", sheet("b.xlsx", HEADERS, rows(project)[:2]), user=debao)
    assert Beneficiary.objects.count() == 3
    assert undo(result.batch_id, user=debao) == {"受益农户 removed": 2}
    assert list(Beneficiary.objects.values_list("household__number", flat=True)) == ["T0002"]
    with pytest.raises(ValidationError):
        undo(result.batch_id, user=debao)
