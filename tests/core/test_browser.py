"""The web UI in a real browser: Playwright drives Debian's Chromium against the live test server.

Logs in through the real login form (django-axes included), and checks that Tabler, htmx and our own script work
under the strict CSP (no console errors).
"""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls of the fixtures are still synchronous.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

SCREENSHOT = Path("/tmp/bangfu-pairings-nanshan.png")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]










def test_nanshan_finds_the_nanshan_debao_pairing(session, live_world):
    page = session.login("nanshan")
    # Tabler is loaded and lays out the sidebar.
    assert page.evaluate("getComputedStyle(document.querySelector('.navbar-vertical')).position") == "fixed"
    page.click("a.nav-link[data-module=pairing]")
    page.wait_for_url(f"{session.url}/pairings/")
    assert page.title().startswith("结对关系")
    row = page.locator("#pairing-table tbody tr", has_text="南山区人民政府").filter(has_text="德保县")
    assert row.count() == 1
    assert "东西部协作" in row.inner_text() and "在结对" in row.inner_text()
    assert page.locator("#pairing-table", has_text="汕尾").count() == 0
    page.screenshot(path=str(SCREENSHOT), full_page=True)

    # The kind filter submits itself (our script) and htmx swaps the table in place.
    page.select_option("select[name=kind]", "east_west")
    page.wait_for_url("**/pairings/?*kind=east_west*")
    page.wait_for_function("document.querySelectorAll('#pairing-table tbody tr[data-pairing]').length === 1")
    assert page.locator("h2.page-title").inner_text() == "结对关系"  # the page stayed, only the table changed

    row = page.locator("#pairing-table tbody tr", has_text="南山区人民政府")
    row.locator("a", has_text="南山区人民政府").click()
    page.wait_for_url(f"{session.url}/pairings/{live_world.p_debao.pk}/")
    title = page.locator("h2.page-title").inner_text()
    assert "南山区人民政府" in title and "德保县" in title
    assert "广西壮族自治区 › 百色市" in page.content()
    assert not session.errors, session.errors


def test_debao_cannot_open_a_shanwei_pairing(session, live_world):
    page = session.login("debao")
    response = page.goto(f"{session.url}/pairings/{live_world.p_shanwei.pk}/")
    assert response.status == 404
    assert "不在您的权限范围内" in page.content()
    assert "汕尾" not in page.content()
    session.errors.clear()  # the browser reports the 404 we asked for
    page.goto(f"{session.url}/pairings/")
    assert page.locator("#pairing-table tbody tr[data-pairing]").count() == 3
    assert "汕尾" not in page.locator("#pairing-table").inner_text()
    assert not session.errors, session.errors


def test_region_tree_opens_with_htmx(session, live_world):
    page = session.login("debao")
    page.click("a.nav-link[data-module=regions]")
    page.wait_for_url(f"{session.url}/regions/")
    county = page.locator("li[data-code='451024']")
    assert county.locator("summary").count() == 1
    county.locator("summary .badge").first.click()  # toggles the <details>; htmx loads the children once
    page.wait_for_selector("li[data-code='451024100000']")
    assert "城关镇" in county.inner_text()
    assert not session.errors, session.errors


def test_nanshan_creates_a_pairing_in_the_browser(session, live_world):
    page = session.login("nanshan")
    page.goto(f"{session.url}/coverage/?region=451024")
    assert page.locator("#uncovered [data-village]").count() == 2
    page.locator("#uncovered [data-village='451024100203'] a", has_text="结对").click()
    page.wait_for_url("**/pairings/new/**")
    assert page.input_value("#id_helper") == "440305" and page.input_value("#id_recipient") == "451024100203"
    # While typing, the recipient field gets suggestions from the scoped lookup.
    page.fill("#id_recipient", "")
    page.type("#id_recipient", "德保", delay=30)
    page.wait_for_function("document.querySelectorAll('#recipient-options option').length > 0")
    page.fill("#id_recipient", "451024100203")
    page.fill("#id_start", "2024-03-01")
    page.click("form.card button[type=submit]")
    page.wait_for_selector(".alert-success")
    assert "已新建结对关系" in page.locator(".alert-success").inner_text()
    page.goto(f"{session.url}/coverage/?region=451024")
    assert page.locator("#uncovered [data-village]").count() == 1
    assert not session.errors, session.errors


@pytest.fixture
def demo(live_server, ui_password):
    """The seed demo of `bangfu load-demo`, when the demo builder is there."""
    build = pytest.importorskip("bangfu.demo.build")
    return build.build_demo(scale="seed", password=ui_password, households=False)


def test_demo_nanshan_finds_the_nanshan_debao_pairing(session, demo):
    from bangfu.pairing.models import Pairing

    pairing = Pairing.objects.get(helper__region_id="440305", helper__represents_region=True,
                                  recipient_region_id="451024", recipient_org__isnull=True)
    page = session.login("nanshan")
    page.goto(f"{session.url}/pairings/")
    page.fill("#id_helper", "440305")
    page.fill("#id_recipient", "451024")
    page.select_option("#id_kind", "east_west")  # submits the form, with the codes typed
    page.wait_for_url("**/pairings/?*recipient=451024*")
    row = page.locator(f"#pairing-table tr[data-pairing='{pairing.pk}']")
    row.wait_for()
    assert "南山区" in row.inner_text() and "德保县" in row.inner_text()
    row.locator("a").first.click()
    page.wait_for_url(f"{session.url}/pairings/{pairing.pk}/")
    assert "德保县" in page.locator("h2.page-title").inner_text()
    assert not session.errors, session.errors


def test_demo_debao_cannot_open_a_shanwei_pairing(session, demo):
    from bangfu.pairing.models import Pairing

    shanwei = Pairing.objects.filter(recipient_region__path__startswith="440000/441500/").first()
    assert shanwei is not None
    page = session.login("debao")
    assert page.goto(f"{session.url}/pairings/{shanwei.pk}/").status == 404
    session.errors.clear()
    page.goto(f"{session.url}/pairings/?recipient=441500")
    assert page.locator("#pairing-table tr[data-pairing]").count() == 0
    assert not session.errors, session.errors


def test_switch_to_english_and_back(session, live_world):
    page = session.login("sz")
    page.click("header a[aria-label='语言']")  # Tabler's dropdown (Bootstrap's script)
    page.click("header button[name=language][value=en]")
    page.wait_for_selector("a.nav-link[data-module=pairing] >> text=Pairings")
    assert page.locator("html").get_attribute("lang") == "en"
    page.click("header a[aria-label='Language']")
    page.click("header button[name=language][value=zh-hans]")
    page.wait_for_selector("a.nav-link[data-module=pairing] >> text=结对关系")
    assert not session.errors, session.errors


def test_funds_overview_draws_its_chart_and_the_portal_opens_without_login(session, live_world):
    from datetime import date

    from bangfu.funds import services
    from bangfu.projects import services as project_services

    nanshan, debao = live_world.users["nanshan"], live_world.users["debao"]
    services.record_source(nanshan, pairing=live_world.p_debao, kind="fiscal", level="district", year=2020,
                           amount="61020000", received_on=date(2020, 3, 1))
    project = project_services.apply(debao, name="那温村产业路", category="infrastructure", year=2020,
                                     region=live_world.village, pairing=live_world.p_debao)
    for state in ("township_reviewed", "approved"):
        project = project_services.transition(debao, project, state)
    page = session.login("debao")
    page.goto(f"{session.url}/funds/")
    assert "6,102.00" in page.locator("#funds-summary").inner_text()  # 61,020,000 yuan in 万元
    page.wait_for_selector("[data-chart='funds-chart'] svg")
    page.goto(f"{session.url}/projects/")
    assert "那温村产业路" in page.locator("#project-table").inner_text()
    anonymous = session.context.browser.new_context(locale="zh-CN").new_page()
    anonymous.goto(f"{session.url}/portal/451024/")
    assert "那温村产业路" in anonymous.locator("#portal-projects").inner_text()
    assert session.errors == []

def test_labour_pages_work_under_the_csp(session, live_world):
    page = session.login("debao")
    page.click("a.nav-link[data-module=labor]")
    page.wait_for_url(f"{session.url}/labor/")
    assert page.title().startswith("劳务协作")
    assert page.locator("[data-figure]").count() == 10
    page.click("a[href='/labor/laborers/']")
    page.wait_for_url(f"{session.url}/labor/laborers/")
    page.select_option("select[name=state]", "returned")
    page.wait_for_url("**/labor/laborers/?*state=returned*")
    page.goto(f"{session.url}/talent/")
    assert "干部人才" in page.locator("h2.page-title").inner_text()
    assert not session.errors, session.errors


def test_debao_makes_and_revokes_an_api_token_from_his_account_menu(session, live_world):
    page = session.login("debao")
    page.click("#user-menu")
    page.get_by_role("link", name="API 令牌").click()
    page.wait_for_url(f"{session.url}/account/tokens/")
    page.fill("input[name=name]", "月报脚本")
    page.fill("input[name=days]", "30")
    page.get_by_role("button", name="创建令牌").click()
    key = page.locator("#new-token pre code").inner_text().strip()
    assert key.startswith("bf_") and "只显示这一次" in page.locator("#new-token").inner_text()
    row = page.locator("table tbody tr", has_text="月报脚本")
    assert key[:8] in row.inner_text() and "从未使用" in row.inner_text()
    row.get_by_role("button", name="撤销").click()
    page.wait_for_url(f"{session.url}/account/tokens/")
    assert "已撤销" in page.content() and page.locator("table", has_text="月报脚本").count() == 0
    assert not session.errors, session.errors
