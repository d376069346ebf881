"""The dashboards' pages: each account opens its own and a region's in its scope, out of scope is 404, the figures
are the API's, the export holds them, an empty region says so, and a page costs the same few queries however many
regions it shows."""

import io
import json
import re
from decimal import Decimal

import openpyxl
import pytest
from django.test import Client

from bangfu.core import facts
from bangfu.core.models import ApiToken, StaleFacts
from tests.conftest import make_region
from tests.dashboards.conftest import BEFORE, LAST, TODAY, household

OWN = {"admin": "", "auditor": "", "sz": "", "nanshan": "", "debao": "451024", "shanwei": "441500"}
IN_SCOPE = {"admin": "450000", "auditor": "441500", "sz": "451024", "nanshan": "451024", "debao": "451024100000",
            "shanwei": "441581"}


def card_value(html: str, code: str) -> str:
    """The exact value a card shows (its data-value), by the indicator's code."""
    card = re.search(rf'data-card="{re.escape(code)}".*?data-value="([^"]*)"', html, re.S)
    assert card, f"no card for {code}"
    return card.group(1)


def api_value(user, code: str, **params) -> str | None:
    client = Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.objects.issue(user)}")
    response = client.get("/api/v1/indicators/values", {"code": code, **params})
    assert response.status_code == 200, response.content
    items = response.json()["items"]
    assert len(items) == 1
    return items[0]["value"]


def script_data(html: str) -> dict:
    island = re.search(r'<script id="dashboard-data" type="application/json">(.*?)</script>', html, re.S)
    assert island, "no chart data on the page"
    return json.loads(island.group(1))


@pytest.mark.parametrize("username", list(OWN))
def test_every_account_opens_its_dashboard_and_a_region_in_scope(web_as, dash_world, username):
    web = web_as(username)
    own = web.get("/dashboards/")
    assert own.status_code == 200
    html = own.content.decode()
    assert "数据看板" in html and 'id="dashboard-cards"' in html
    region = web.get(f"/dashboards/{IN_SCOPE[username]}/")
    assert region.status_code == 200, username
    assert 'data-card="households.registered"' in region.content.decode()


def test_a_region_out_of_scope_is_not_found(web_as, dash_world):
    for username, code in (("debao", "441500"), ("nanshan", "441500"), ("shanwei", "451024"), ("debao", "999999"),
                           ("township", "451024100000")):
        web = web_as(username)
        assert web.get(f"/dashboards/{code}/").status_code == 404, (username, code)
        assert web.get(f"/dashboards/{code}/export.xlsx").status_code == 404, (username, code)
    # A recipient may not read a helper's side; a helper not another helper's.
    assert web_as("debao").get("/dashboards/?helper=440305").status_code == 404
    assert web_as("nanshan").get("/dashboards/?helper=440306").status_code == 404
    assert web_as("public").get("/dashboards/").status_code == 403


def test_the_cards_show_the_api_figures(web_as, dash_world):
    html = web_as("debao").get("/dashboards/").content.decode()
    debao = dash_world.users["debao"]
    # Per-capita income of last year: (9,000 + 6,500 + 10,000) × 2 people ÷ 6 people.
    assert card_value(html, "households.per_capita_income") == "8500.00"
    assert api_value(debao, "households.per_capita_income", region="451024", year=LAST) == "8500.00"
    assert card_value(html, "households.registered") == "3.00" == api_value(debao, "households.registered",
                                                                            region="451024")
    assert card_value(html, "households.monitored") == "1.00"
    # The city's side, as its coordination office sees it: 德保 (through 南山区) and 汕尾.
    sz = dash_world.users["sz"]
    html = web_as("sz").get("/dashboards/").content.decode()
    assert card_value(html, "households.registered") == "4.00" == api_value(sz, "households.registered",
                                                                            helper="440300")
    assert card_value(html, "households.per_capita_income") == api_value(
        sz, "households.per_capita_income", helper="440300", year=LAST) == "8375.00"


def test_the_default_year_is_the_latest_with_data_and_cards_compare_it_with_the_year_before(web_as, dash_world):
    html = web_as("debao").get("/dashboards/").content.decode()
    assert re.search(rf'<option value="{LAST}" selected>', html)
    assert f'<option value="{TODAY.year}"' not in html  # no data this year: not offered
    income = re.search(r'data-card="households.per_capita_income".*?</div>\s*</div>\s*</div>', html, re.S).group(0)
    assert "29.2%" in income and "text-red" in income  # 12,000 → 8,500: down, and higher is better
    assert f"{LAST}年" in income
    # Another year: the cards follow it.
    html = web_as("debao").get(f"/dashboards/?year={BEFORE}").content.decode()
    assert card_value(html, "households.per_capita_income") == "12000.00"


def test_a_card_links_to_the_records_behind_it(web_as, dash_world):
    web = web_as("debao")
    html = web.get("/dashboards/").content.decode()
    link = re.search(r'data-card="households.registered".*?href="([^"]+)"', html, re.S).group(1)
    assert link == "/households/?region=451024"
    assert "共 3 户" in web.get(link).content.decode()


def test_child_regions_link_to_their_dashboards(web_as, dash_world):
    web = web_as("debao")
    html = web.get("/dashboards/").content.decode()
    rows = re.findall(r'<tr data-region="(\d+)">\s*<td[^>]*><a href="([^"]+)">([^<]+)</a>', html)
    assert rows == [("451024100000", f"/dashboards/451024100000/?year={LAST}", "城关镇")]
    data = script_data(html)
    metric = data["charts"]["child-rank"]["metrics"][0]
    assert metric["code"] == "households.registered"
    assert metric["items"] == [{"name": "城关镇", "code": "451024100000", "value": 3.0,
                                "url": f"/dashboards/451024100000/?year={LAST}"}]
    township = web.get(f"/dashboards/451024100000/?year={LAST}").content.decode()
    villages = [(code, name) for code, _url, name in
                re.findall(r'<tr data-region="(\d+)">\s*<td[^>]*><a href="([^"]+)">([^<]+)</a>', township)]
    assert villages == [("451024100201", "那温村"), ("451024100202", "大旺村")]  # ranked: 2 households, then 1
    assert "隆桑镇" not in township


def test_the_coordination_office_sees_provinces_and_pairing_flows(web_as, dash_world):
    html = web_as("sz").get("/dashboards/").content.decode()
    charts = script_data(html)["charts"]
    provinces = charts["province-rank"]["metrics"][0]
    assert [(i["name"], i["value"]) for i in provinces["items"]] == [("广西壮族自治区", 3.0), ("广东省", 1.0)]
    assert provinces["items"][0]["url"] == f"/dashboards/450000/?year={LAST}"
    flows = charts["pairing-flows"]
    labels = {n["name"]: n["label"] for n in flows["nodes"]}
    links = {(labels[link["source"]], labels[link["target"]]): link["value"] for link in flows["links"]}
    # Active pairings of 深圳's subtree: 南山区's (itself, its street, its school: one unit with its own) to 百色市,
    # 深圳's own to 汕尾市; 宝安区's pairing ended.
    assert links == {("南山区人民政府", "百色市"): 3, ("深圳市人民政府", "汕尾市"): 2}
    # A recipient county gets neither.
    charts = script_data(web_as("debao").get("/dashboards/").content.decode())["charts"]
    assert "province-rank" not in charts and "pairing-flows" not in charts


def test_a_helper_side_within_a_region(web_as, dash_world):
    """南山区 sees 广西 as what it helps there: 德保, not the rest of the province."""
    web = web_as("nanshan")
    html = web.get("/dashboards/450000/").content.decode()
    assert card_value(html, "households.registered") == "3.00"
    assert "南山区人民政府帮扶范围" in html
    html = web_as("sz").get("/dashboards/?helper=440305").content.decode()
    assert card_value(html, "households.registered") == "3.00"


def test_the_export_holds_the_figures(web_as, dash_world):
    response = web_as("debao").get(f"/dashboards/451024/export.xlsx?year={LAST}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    overview, by_year, children = book.worksheets
    assert [ws.title for ws in book.worksheets] == ["概览", "历年", "下级地区"]
    assert (overview["A1"].value, overview["A2"].value) == ("德保县 · 县（区）", f"年度：{LAST}")
    assert overview["A3"].value.startswith("数据更新于 ")
    rows = {row[0]: row for row in overview.iter_rows(min_row=6, values_only=True)}
    assert rows["households.registered"][1:] == ("登记户数", "户", None, None, None, 3)
    assert rows["households.per_capita_income"][1:6] == ("人均纯收入", "元", 8500, 12000, -29.2)
    years = {row[0]: row for row in by_year.iter_rows(min_row=2, values_only=True)}
    header = next(by_year.iter_rows(max_row=1, values_only=True))
    assert str(BEFORE) in header and str(LAST) in header  # with the years the pairings and the rest bring
    income = dict(zip(header, years["households.per_capita_income"], strict=True))
    assert (income[str(BEFORE)], income[str(LAST)]) == (12000, 8500)
    header = next(children.iter_rows(max_row=1, values_only=True))
    table = {row[0]: dict(zip(header, row, strict=True)) for row in children.iter_rows(min_row=2, values_only=True)}
    assert table["451024100000"]["登记户数（户，截至目前）"] == 3
    assert table["451024100000"][f"人均纯收入（元，{LAST}年）"] == 8500
    assert table["451024101000"]["登记户数（户，截至目前）"] is None  # no records: no figure, not a zero


def test_an_empty_region_says_so(web_as, dash_world):
    for username, url in (("debao", "/dashboards/451024101000/"), ("township", "/dashboards/")):
        html = web_as(username).get(url).content.decode()
        assert 'id="dashboard-empty"' in html and "暂无数据" in html, (username, url)
        assert "data-card=" not in html and 'id="dashboard-data"' not in html


def test_the_page_says_how_fresh_its_figures_are(web_as, dash_world):
    web = web_as("debao")
    html = web.get("/dashboards/").content.decode()
    assert "数据更新于" in html and "有新的变动正在计算" not in html
    StaleFacts.objects.create(region_path="450000/451000/451024/")
    assert "有新的变动正在计算" in web.get("/dashboards/").content.decode()


def test_the_home_page_shows_the_own_dashboard(web_as, dash_world):
    html = web_as("debao").get("/").content.decode()
    assert 'id="home-dashboard"' in html and card_value(html, "households.per_capita_income") == "8500.00"
    assert "dashboards/dashboards.js" in html
    html = web_as("public").get("/").content.decode()
    assert 'id="home-dashboard"' not in html
    menu = web_as("sz").get("/").content.decode()
    assert 'data-module="dashboards"' in menu and "数据看板" in menu


def _more_places(world, n):
    """n more villages of 城关镇 with a household each, and the facts anew."""
    township = world.township
    for i in range(n):
        village = make_region(f"4510241003{i:02d}", f"新村{i}", township.code, "village")
        household(f"45102410030{i:02d}01", village, {LAST: 9000 + i}, 20 + i)
    facts.rebuild()


def test_a_dashboard_costs_the_same_few_queries_for_many_regions(web_as, dash_world, django_assert_num_queries,
                                                                  django_assert_max_num_queries):
    counted = {}
    for username, url in (("debao", "/dashboards/451024100000/"), ("sz", "/dashboards/"),
                          ("admin", "/dashboards/")):
        web = web_as(username)
        web.get(url)  # the session and the user, once
        with django_assert_max_num_queries(25) as captured:
            assert web.get(url).status_code == 200
        counted[username, url] = len(captured)
    _more_places(dash_world, 8)
    for (username, url), n in counted.items():
        web = web_as(username)
        with django_assert_num_queries(n):
            assert web.get(url).status_code == 200
    html = web_as("debao").get("/dashboards/451024100000/").content.decode()
    assert len(re.findall(r"<tr data-region=", html)) == 10


def test_the_charts_are_the_figures_of_the_year(web_as, dash_world):
    data = script_data(web_as("debao").get("/dashboards/").content.decode())
    trend = data["charts"]["trend-0"]
    assert trend["x"] == [str(BEFORE), str(LAST)]
    assert trend["series"][0]["data"] == [12000.0, 8500.0]
    pie = data["charts"]["monitored-kinds"]
    assert [(i["name"], i["value"]) for i in pie["items"]] == [("脱贫不稳定户", 1.0), ("边缘易致贫户", 0.0),
                                                               ("突发严重困难户", 0.0)]
    assert data["labels"]["save"] == "保存为图片"


def test_money_is_shown_in_yuan_wan_and_yi(chinese):
    from bangfu.core.indicators import Indicator
    from bangfu.dashboards.board import display
    from bangfu.households.models import Household

    total = Indicator("t.money", "资金", "Money", "元", "sum", model=Household)
    assert display(total, Decimal("350500000.00")) == ("3.5050", "亿元")
    assert display(total, Decimal("832200.00")) == ("83.22", "万元")
    assert display(total, None) == ("—", "")


def test_the_default_year_is_the_latest_whose_records_have_come_in():
    from bangfu.dashboards.board import default_year

    assert default_year({2019: 10, 2020: 12, 2021: 3}) == 2020  # 2021: a few projects only
    assert default_year({2019: 10, 2020: 12, 2021: 6}) == 2021
    assert default_year({}) is None


def test_the_api_answers_404_outside_scope_as_the_pages_do(dash_world):
    client = Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.objects.issue(dash_world.users['debao'])}")
    response = client.get("/api/v1/indicators/values", {"code": "households.registered", "region": "441500"})
    assert response.status_code == 404
    response = client.get("/api/v1/indicators/values", {"code": "households.registered", "region": "451024",
                                                        "by": "child"})
    assert [(i["region"], i["value"], i["own_level"]) for i in response.json()["items"]] == [
        ("451024100000", "3.00", False), ("451024101000", "0.00", False), ("451024", "0.00", True)]
