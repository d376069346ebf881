"""Importing the funds chain: sources, budgets, disbursements and expenditures through the chain's rules, with every
problem at its row, nothing written when one row is wrong, other pairings' rows refused, and undo."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from bangfu.core.exports import export
from bangfu.core.importing import import_file, undo
from bangfu.funds import services
from bangfu.funds.models import Budget, Disbursement, Expenditure, FundSource, SourceTotal
from bangfu.projects import services as project_services
from tests.conftest import FULLWIDTH

SOURCES = ["结对编号", "资金类型", "资金层级", "年度", "金额（元）", "到账日期", "捐赠方", "文号"]


pytestmark = pytest.mark.usefixtures("chinese")


def source_rows(world):
    pk = str(world.p_debao.pk)
    return [
        [pk.translate(FULLWIDTH), "财政帮扶资金", "区", "２０２０", "100万", "2020年3月1日", "", "深南财〔2020〕1号"],
        [pk, "社会帮扶资金：捐款", "", 2020, "50万", "2020/4/1", "某基金会", ""],
        [],
        ["99999", "财政帮扶资金", "区", 2020, "10万", "2020-03-01", "", ""],
        [str(world.p_guizhou.pk), "财政帮扶资金", "区", 2020, "10万", "2020-03-01", "", ""],
        [pk, "财政帮扶资金", "区", "2020", "100万", "2020年3月1日", "", "深南财〔2020〕1号"],
        [pk, "财政帮扶资金", "", 2020, "1万", "2020-03-02", "", ""],
        [pk, "捐物", "", 2020, "1万", "2020-03-02", "", ""],
        [pk, "社会帮扶资金：捐款", "", 2020, "1万", "2099-03-02", "", ""],
    ]


@pytest.mark.parametrize("name", ["来源.xlsx", "来源.csv"])
def test_a_messy_file_of_sources_is_refused_row_by_row_and_nothing_written(world, sheet, name):
    result = import_file("fund-sources", sheet(name, SOURCES, source_rows(world)), user=world.users["nanshan"])
    assert result.status == "problems" and result.batch_id is None
    assert [(p.row, p.column, p.value, p.message) for p in result.problems] == [
        (7, "结对编号", "99999", "未知的结对关系 #99999（或不在您的权限范围内）。"),
        (8, "结对编号", str(world.p_guizhou.pk), f"未知的结对关系 #{world.p_guizhou.pk}（或不在您的权限范围内）。"),
        (9, "金额（元）", "100万", "此行与第4行重复。"),
        (10, "资金层级", "", "财政帮扶资金须注明层级（province, city, district, other）。"),
        (11, "资金类型", "捐物", "未知的值 捐物；可选：fiscal、social_cash、in_kind。"),
        (12, "到账日期", "2099-03-02", "2099-03-02 是将来的日期。"),
    ]
    assert not FundSource.objects.exists() and not SourceTotal.objects.exists()


def test_skip_invalid_imports_the_good_rows(world, sheet):
    result = import_file("fund-sources", sheet("来源.xlsx", SOURCES, source_rows(world)), user=world.users["nanshan"],
                         skip_invalid=True)
    assert result.skipped_rows == 6 and FundSource.objects.count() == 2
    assert services.cash_in(world.p_debao.pk, 2020) == Decimal("1500000")


def chain_in(world, sheet):
    """Sources and a budget by import; a project decided by the county, to disburse to."""
    nanshan = world.users["nanshan"]
    import_file("fund-sources", sheet("s.csv", SOURCES, source_rows(world)[:2]), user=nanshan)
    result = import_file("budgets", sheet("b.xlsx", ["结对编号", "年度", "预算金额", "批复日期", "批复文号"],
                                          [[world.p_debao.pk, 2020, "150万", "2020-02-01", "深南财〔2020〕2号"]]),
                         user=nanshan)
    assert result.status == "imported", result.problems
    project = project_services.apply(world.users["debao"], name="那温村产业路", category="infrastructure", year=2020,
                                     region=world.village, pairing=world.p_debao, planned_amount="600000")
    for state in ("township_reviewed", "approved"):
        project = project_services.transition(world.users["debao"], project, state, on=date(2020, 5, 1))
    return Budget.objects.get(pairing=world.p_debao), project


def test_disbursements_beyond_the_budget_or_out_of_scope_are_refused(world, sheet):
    budget, project = chain_in(world, sheet)
    admin = world.users["admin"]
    services.record_source(admin, pairing=world.p_guizhou, kind="fiscal", level="city", year=2020, amount="100000",
                           received_on=date(2020, 3, 1))
    other = services.create_budget(admin, pairing=world.p_guizhou, year=2020, amount="100000",
                                   approved_on=date(2020, 3, 2))
    headers = ["预算编号", "拨付地区代码", "拨付金额", "拨付日期", "文号"]
    rows = [[str(budget.pk).translate(FULLWIDTH), "", "100万", "2020年4月10日", "一"],
            [budget.pk, "", "60万", "2020-04-11", "二"],
            [budget.pk, "", "100万", "2020年4月10日", "一"],
            ["99999", "", "1万", "2020-04-11", ""],
            [other.pk, "", "1万", "2020-04-11", ""],
            [budget.pk, "440305", "1万", "2020-04-11", ""]]
    result = import_file("disbursements", sheet("拨付.csv", headers, rows), user=world.users["nanshan"])
    assert [(p.row, p.column, p.message) for p in result.problems] == [
        (5, "拨付金额",
         "600,000.00 元超过预算的余额：共 1,500,000.00 元，已使用 1,000,000.00 元，余额 500,000.00 元。"),
        (6, "拨付金额", "此行与第4行重复。"),
        (7, "预算编号", "未知的预算 #99999（或不在您的权限范围内）。"),
        (8, "预算编号", f"未知的预算 #{other.pk}（或不在您的权限范围内）。"),
        (9, "拨付地区代码", "南山区 不在本预算的受援地区 德保县 范围内。"),
    ]
    assert not Disbursement.objects.exists() and Budget.objects.get(pk=budget.pk).disbursed == 0


def test_the_chain_imports_cleanly_and_an_export_reimports_as_no_change(world, sheet, tmp_path):
    budget, project = chain_in(world, sheet)
    nanshan, debao = world.users["nanshan"], world.users["debao"]
    result = import_file("disbursements", sheet("d.xlsx", ["预算编号", "金额(元)", "拨付日期"],
                                                [[budget.pk, "100万", "2020-04-10"]]), user=nanshan)
    assert result.status == "imported", result.problems
    to_county = Disbursement.objects.get()
    result = import_file("disbursements", sheet("p.csv", ["上级拨付编号", "项目编号", "金额(元)", "拨付日期"],
                                                [[to_county.pk, project.number, "60万", "2020-05-10"]]), user=nanshan)
    assert result.status == "imported", result.problems
    project = project_services.transition(debao, project, "funded", on=date(2020, 5, 20))
    result = import_file("expenditures", sheet("e.xlsx", ["项目编号", "支出金额", "支付日期", "收款单位", "用途"],
                                               [[project.number, "10万", "2020-06-01", "施工单位", "路基"],
                                                [project.number, "55万", "2020-06-02", "施工单位", "路面"]]),
                         user=debao)
    assert [p.message for p in result.problems] == [
        "550,000.00 元超过拨付到项目的资金的余额：共 600,000.00 元，已使用 100,000.00 元，余额 500,000.00 元。"]
    result = import_file("expenditures", sheet("e.xlsx", ["项目编号", "支出金额", "支付日期", "收款单位", "用途"],
                                               [[project.number, "10万", "2020-06-01", "施工单位", "路基"]]),
                         user=debao)
    assert result.status == "imported"
    budget.refresh_from_db()
    to_county.refresh_from_db()
    project.refresh_from_db()
    assert (budget.disbursed, to_county.allocated, project.disbursed, project.spent) == (
        Decimal("1000000"), Decimal("600000"), Decimal("600000"), Decimal("100000"))
    for entity in ("fund-sources", "budgets", "disbursements", "expenditures"):
        path = tmp_path / f"{entity}.xlsx"
        user = debao if entity == "expenditures" else nanshan
        export(entity, path, user=user)
        again = import_file(entity, path, user=user)
        assert again.status == "imported" and again.written == {}, (entity, again.problems)
    assert (FundSource.objects.count(), Budget.objects.count(), Disbursement.objects.count(),
            Expenditure.objects.count()) == (2, 1, 2, 1)


def test_another_helpers_pairing_is_refused(world, sheet):
    result = import_file("fund-sources", sheet("s.csv", SOURCES, source_rows(world)[:2]),
                         user=_baoan_user(world))
    assert {p.message for p in result.problems} == {
        f"未知的结对关系 #{world.p_debao.pk}（或不在您的权限范围内）。"}
    assert not FundSource.objects.exists()
    county = import_file("fund-sources", sheet("s.csv", SOURCES, source_rows(world)[:2]), user=world.users["debao"])
    assert county.problems[0].message == "您无权导入 fund-sources。" and not FundSource.objects.exists()


def _baoan_user(world):
    from tests.conftest import make_user

    return make_user("baoan", "helper", organisation=world.baoan)


def test_undo_takes_the_amounts_back_out_of_the_chain(world, sheet):
    budget, project = chain_in(world, sheet)
    nanshan = world.users["nanshan"]
    result = import_file("disbursements", sheet("d.xlsx", ["预算编号", "金额(元)", "拨付日期"],
                                                [[budget.pk, "100万", "2020-04-10"]]), user=nanshan)
    budget.refresh_from_db()
    assert budget.disbursed == Decimal("1000000")
    sources = list(FundSource.objects.values_list("pk", flat=True))
    with pytest.raises(ValidationError):  # the budget rests on the sources
        undo(result.batch_id - 2, user=nanshan)
    undo(result.batch_id, user=nanshan)
    budget.refresh_from_db()
    assert budget.disbursed == 0 and not Disbursement.objects.exists()
    undo(result.batch_id - 1, user=nanshan)  # the budget
    undo(result.batch_id - 2, user=nanshan)  # the sources
    assert not Budget.objects.exists() and not FundSource.objects.filter(pk__in=sources).exists()
    assert not SourceTotal.objects.exists()


def test_the_import_page_lists_the_new_entities_with_their_templates(world):
    from django.test import Client

    expected = {"nanshan": ["fund-sources", "budgets", "disbursements", "expenditures", "projects", "laborers",
                            "employments", "people-sent", "people-trained"],
                "debao": ["disbursements", "expenditures", "projects", "laborers", "employments", "people-sent"]}
    for username, entities in expected.items():
        client = Client()
        client.force_login(world.users[username])
        page = client.get("/imports/").content.decode()
        for entity in entities:
            assert f'href="/imports/{entity}/"' in page, (username, entity)
            assert client.get(f"/imports/{entity}/template/").status_code == 200
        assert client.get(f"/imports/{entities[0]}/").status_code == 200
    client = Client()
    client.force_login(world.users["debao"])
    assert "资金来源" not in client.get("/imports/").content.decode()
    assert client.get("/imports/fund-sources/").status_code == 403
