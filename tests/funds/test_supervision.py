"""The funds supervision page: its count and totals are aggregates over every row of the filter, not over the rows of
one page (it once summed the first 200 rows and said nothing of it); its lists page like every other list and export
to CSV; the age of unspent money defaults to the setting UNSPENT_DAYS (environment BANGFU_UNSPENT_DAYS)."""

import csv
import io
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from bangfu.core.money import yuan
from bangfu.funds import services
from bangfu.funds.models import Disbursement
from bangfu.projects import services as project_services

DRAWS = 230  # more than four pages of 50, and more than the 200 rows the page once summed
FIRST = date(2020, 5, 1)  # the draws are paid one a day from here


@pytest.fixture
def draws(world):
    """南山 passes 230 draws on to one water project of 大旺村; the first draw is spent in full, the second in part."""
    nanshan, debao = world.users["nanshan"], world.users["debao"]
    services.record_source(nanshan, pairing=world.p_debao, kind="fiscal", level="district", year=2020,
                           amount="10000000", received_on=date(2020, 1, 10))
    budget = services.create_budget(nanshan, pairing=world.p_debao, year=2020, amount="10000000",
                                    approved_on=date(2020, 2, 1))
    to_county = services.disburse_to_region(nanshan, budget=budget, amount="10000000", paid_on=date(2020, 4, 10))
    project = project_services.apply(debao, name="大旺村饮水工程", category="water", year=2020,
                                     region=world.village2, pairing=world.p_debao, planned_amount="10000000")
    for state in ("township_reviewed", "approved"):
        project = project_services.transition(debao, project, state, on=date(2020, 4, 20))
    for i in range(DRAWS):
        services.disburse_to_project(nanshan, parent=to_county, project=project,
                                     amount=Decimal("1000.00") + i * Decimal("3.07"), paid_on=FIRST + timedelta(i))
    for state in ("funded", "implementing"):
        project = project_services.transition(debao, project, state, on=date(2020, 5, 1))
    services.spend(debao, project=project, amount="1000.00", paid_on=date(2020, 6, 1))  # the first draw, all of it
    services.spend(debao, project=project, amount="400.01", paid_on=date(2020, 6, 2))  # the second, in part
    return project


@pytest.fixture
def web(world):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(world.users["debao"])
    return client


def unspent_rows():
    return [d for d in Disbursement.objects.filter(project__isnull=False) if d.spent < d.amount]


def table(html: str, table_id: str) -> str:
    return re.search(rf'id="{table_id}".*?</table>', html, re.S).group(0)


def test_the_totals_are_over_every_row_and_the_list_pages(draws, web):
    listed = unspent_rows()
    assert len(listed) == DRAWS - 1
    expected_unspent = sum((d.amount - d.spent for d in listed), Decimal(0))
    expected_amount = sum((d.amount for d in listed), Decimal(0))
    first_200 = sum((d.amount - d.spent for d in sorted(listed, key=lambda d: d.paid_on)[:200]), Decimal(0))
    assert expected_unspent != first_200  # what the page once showed

    html = web.get("/funds/supervision/").content.decode()
    assert f'title="{yuan(expected_unspent)} 元"' in re.search(r'id="unspent-total".*?</span></span>', html).group(0)
    assert f'title="{yuan(expected_amount)} 元"' in re.search(r'id="unspent-amount".*?</span></span>', html).group(0)
    assert f"共 {DRAWS - 1} 条记录" in html  # the count of every row
    assert "第 <strong>1</strong>–<strong>50</strong> 条" in html  # and the pagination

    seen = []
    for page in range(1, 6):
        response = web.get(f"/funds/supervision/?page={page}")
        assert response.status_code == 200
        rows = re.findall(r"<tr><td><a href=\"/projects/\d+/\">大旺村饮水工程</a></td><td>(\d{4}-\d\d-\d\d)</td>",
                          table(response.content.decode(), "unspent-table"))
        assert len(rows) == (50 if page < 5 else DRAWS - 1 - 200), page
        seen += rows
        # Every page shows the same totals: those of all the rows, not of the page.
        assert f'title="{yuan(expected_unspent)} 元"' in response.content.decode()
    assert seen == [d.paid_on.isoformat() for d in sorted(listed, key=lambda d: d.paid_on)]  # oldest first, once each
    assert web.get("/funds/supervision/?page=6").status_code == 404


def test_the_page_costs_the_same_few_queries_on_any_page(draws, web, django_assert_max_num_queries):
    for url in ("/funds/supervision/", "/funds/supervision/?page=5", "/funds/supervision/?show=behind"):
        with django_assert_max_num_queries(20):
            assert web.get(url).status_code == 200


def test_the_unspent_list_exports_every_row(draws, web):
    response = web.get("/funds/supervision/?export=csv&page=2")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert 'filename="funds-unspent-' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    assert header[:3] == ["项目编号", "项目", "地区"] and "未支出" in header and "天数" in header
    assert len(body) == DRAWS - 1
    unspent = header.index("未支出")
    assert sum(Decimal(r[unspent]) for r in body) == sum((d.amount - d.spent for d in unspent_rows()), Decimal(0))


def test_days_filter_and_the_setting_choose_the_rows(draws, web, api_as, settings):
    # Rows paid before today - days are listed: 100 days after FIRST leaves draws 0-99, of which the first is spent.
    days = (timezone.localdate() - FIRST).days - 100
    html = web.get(f"/funds/supervision/?days={days}").content.decode()
    assert "共 99 条记录" in html and f"超过 {days} 天" in html
    settings.UNSPENT_DAYS = days  # the default, when the page names no days (and in the API)
    html = web.get("/funds/supervision/").content.decode()
    assert "共 99 条记录" in html and f"超过 {days} 天" in html and f'placeholder="{days}"' in html
    assert api_as("debao").get("/api/v1/funds/supervision/unspent")[1]["count"] == 99
    settings.UNSPENT_DAYS = 36500
    assert "共 0 条记录" in web.get("/funds/supervision/").content.decode()
    assert api_as("debao").get("/api/v1/funds/supervision/unspent")[1]["count"] == 0
    # A bad number is an error on the form, in Chinese, and the list keeps to the setting.
    html = web.get("/funds/supervision/?days=-1").content.decode()
    assert "invalid-feedback" in html and "共 0 条记录" in html


def test_projects_behind_their_milestones_list_and_export(draws, world, web):
    project_services.add_milestone(world.users["debao"], draws, "管网铺设", date(2020, 8, 1))
    response = web.get("/funds/supervision/?show=behind")
    html = response.content.decode()
    assert "进度滞后的项目" in html and "大旺村饮水工程" in table(html, "behind-table")
    assert 'id="unspent-table"' not in html and f"{DRAWS - 1}</span>" in html  # the other list's count on its tab
    response = web.get("/funds/supervision/?show=behind&export=csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert 'filename="funds-behind-' in response["Content-Disposition"]
    assert rows[0][:2] == ["项目编号", "项目"] and [r[1] for r in rows[1:]] == ["大旺村饮水工程"]
    # htmx asks for the table alone.
    partial = web.get("/funds/supervision/?show=behind", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and "behind-table" in partial


def test_a_county_outside_sees_nothing(draws, world):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(world.users["shanwei"])
    html = client.get("/funds/supervision/").content.decode()
    assert "共 0 条记录" in html and "大旺村饮水工程" not in html


def test_the_livelihood_tilt_rule_counts_the_categories_of_the_setting(draws, api_as, settings):
    from bangfu.funds.models import TiltRule

    TiltRule.objects.create(year=2020, kind="livelihood_share", threshold=Decimal("30"))

    def rule():
        status, body = api_as("nanshan").get("/api/v1/funds/tilt?year=2020&recipient=451024")
        assert status == 200
        return next(r for r in body if r["rule"] == "livelihood_share")

    assert rule()["value"] == "100.00" and rule()["met"] is True  # water is livelihood by default
    settings.LIVELIHOOD_CATEGORIES = ("education", "health")
    assert rule()["value"] == "0.00" and rule()["met"] is False
