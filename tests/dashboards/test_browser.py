"""The dashboards in a real browser (Playwright driving Debian's Chromium against the live test server): the charts
are drawn (one ECharts canvas per chart the page's data names) under the strict CSP, a card's figure is the API's,
and clicks on regions' bars and rows lead from 广西 down to a village of 德保县."""

import os

import pytest

from tests.dashboards.conftest import LAST

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CHARTS_DRAWN = """() => {
  const data = JSON.parse(document.getElementById('dashboard-data').textContent);
  const drawn = [...document.querySelectorAll('[data-dash-chart]')].filter(el => el.querySelector('canvas'));
  return drawn.length === Object.keys(data.charts).length ? drawn.length : 0;
}"""


def charts_drawn(page) -> int:
    return page.wait_for_function(CHARTS_DRAWN).json_value()


def api_value(page, code: str, **params) -> str:
    query = "&".join(f"{k}={v}" for k, v in {"code": code, **params}.items())
    answer = page.evaluate(f"fetch('/api/v1/indicators/values?{query}').then(r => r.json())")
    return answer["items"][0]["value"]


def click_bar(page, chart_id: str, name: str):
    """Click a region's bar in a ranked chart, where ECharts drew it."""
    x, y = page.evaluate("""([id, name]) => {
      const el = document.querySelector(`[data-dash-chart='${id}']`);
      el.scrollIntoView({block: "center", behavior: "instant"});
      const chart = echarts.getInstanceByDom(el);
      const items = chart.getOption().series[0].data;
      const i = items.findIndex(d => d.name === name);
      const [x, y] = chart.convertToPixel({seriesIndex: 0}, [items[i].value / 2, i]);
      const box = el.getBoundingClientRect();
      return [box.left + x, box.top + y];
    }""", [chart_id, name])
    page.mouse.click(x, y)


@pytest.mark.parametrize("username, code, figure", [
    ("sz", "households.registered", {"helper": "440300"}),
    ("nanshan", "households.registered", {"helper": "440305"}),
    ("debao", "households.per_capita_income", {"region": "451024", "year": LAST}),
])
def test_the_dashboard_draws_its_charts_and_shows_the_api_figures(screen, live_dash, username, code, figure):
    page = screen.login(username)
    page.goto(f"{screen.url}/dashboards/")
    assert charts_drawn(page) >= 3
    shown = page.locator(f"[data-card='{code}'] [data-figure]")
    assert shown.get_attribute("data-value") == api_value(page, code, **figure)
    assert page.locator("#dashboard-freshness").inner_text().strip().startswith("数据更新于")
    # Readable at 1366×768: the cards and charts fit the width, no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    page.screenshot(path=f"/tmp/bangfu-dashboard-{username}.png", full_page=True)
    value = shown.get_attribute("data-value")
    # The home page shows the same dashboard, its charts drawn too.
    page.goto(f"{screen.url}/")
    assert charts_drawn(page) >= 3
    assert page.locator(f"[data-card='{code}'] [data-figure]").get_attribute("data-value") == value
    assert not screen.errors, screen.errors


def test_sz_clicks_from_guangxi_down_to_a_village_of_debao(screen, live_dash):
    page = screen.login("sz")
    page.goto(f"{screen.url}/dashboards/")
    charts_drawn(page)
    click_bar(page, "province-rank", "广西壮族自治区")
    page.wait_for_url(f"**/dashboards/450000/?year={LAST}")
    assert page.locator("h2.page-title").inner_text() == "广西壮族自治区"
    charts_drawn(page)
    click_bar(page, "child-rank", "百色市")
    page.wait_for_url(f"**/dashboards/451000/?year={LAST}")
    charts_drawn(page)
    click_bar(page, "child-rank", "德保县")
    page.wait_for_url(f"**/dashboards/451024/?year={LAST}")
    assert page.locator("h2.page-title").inner_text() == "德保县"
    assert page.locator("[data-card='households.registered'] [data-figure]").inner_text() == "3"
    page.locator("#child-table a", has_text="城关镇").click()  # the ranked table's link, as the bar's
    page.wait_for_url(f"**/dashboards/451024100000/?year={LAST}")
    charts_drawn(page)
    click_bar(page, "child-rank", "那温村")
    page.wait_for_url(f"**/dashboards/451024100201/?year={LAST}")
    assert page.locator("h2.page-title").inner_text() == "那温村"
    assert page.locator("[data-card='households.registered'] [data-figure]").get_attribute("data-value") == \
        api_value(page, "households.registered", region="451024100201") == "2.00"
    # The breadcrumbs lead back up.
    assert page.locator("#dashboard-breadcrumbs").inner_text().split("\n")[:1] == ["我的看板"]
    # A card's figure opens the records behind it.
    page.locator("[data-card='households.registered'] a[data-figure]").click()
    page.wait_for_url("**/households/?region=451024100201")
    assert "共 2 户" in page.content()
    assert not screen.errors, screen.errors


def test_a_chart_saves_as_a_png_titled_in_chinese(screen, live_dash):
    page = screen.login("debao")
    page.goto(f"{screen.url}/dashboards/")
    charts_drawn(page)
    chart = page.locator("[data-dash-chart='trend-0']")
    chart.scroll_into_view_if_needed()
    box = chart.bounding_box()
    title = page.evaluate("echarts.getInstanceByDom(document.querySelector(\"[data-dash-chart='trend-0']\"))"
                          ".getOption().toolbox[0].feature.saveAsImage.name")
    assert title == "人均纯收入"
    with page.expect_download() as download:
        page.mouse.click(box["x"] + box["width"] - 22, box["y"] + 12)  # the toolbox's save button, top right
    assert download.value.suggested_filename == "人均纯收入.png"
    assert not screen.errors, screen.errors
