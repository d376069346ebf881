"""Fixtures of the web UI and browser tests: a small world on the national division table, with one user per demo
account, and a headless Chromium (Playwright) logged in as one of them."""

import os
from datetime import date
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from bangfu.core.models import UserProfile
from bangfu.pairing.models import Pairing
from bangfu.regions.models import Region
from tests.conftest import make_org, make_region

PASSWORD = "Bangfu-ui-Test-2024"
CHROMIUM = "/usr/bin/chromium"


def user(username, role=None, password=None, superuser=False, **anchor):
    u = get_user_model().objects.create_user(username, password=password, is_superuser=superuser, is_staff=superuser)
    if role:
        UserProfile.objects.create(user=u, role=role, **anchor)
    return u


class UIWorld:
    """深圳 helps 汕尾 (in province); 南山区 helps 德保县 (East-West); 粤海街道 helps one of 德保's poor villages."""

    def __init__(self, password=None):
        self.township = make_region("451024100000", "城关镇", "451024", "township")
        self.village = make_region("451024100201", "那温村", "451024100000", "village", poor=True)
        self.village2 = make_region("451024100202", "大旺村", "451024100000", "village", poor=True)
        self.village3 = make_region("451024100203", "多敬村", "451024100000", "village", poor=True)
        self.village4 = make_region("451024100204", "城南社区", "451024100000", "village")
        self.sw_township = make_region("441581100000", "碣石镇", "441581", "township")
        self.sw_village = make_region("441581100201", "新饶村", "441581100000", "village", poor=True)

        self.sz = make_org("深圳市人民政府", "government", "helper", "440300", represents=True)
        self.nanshan = make_org("南山区人民政府", "district", "helper", "440305", self.sz, represents=True)
        self.baoan = make_org("宝安区人民政府", "district", "helper", "440306", self.sz, represents=True)
        self.street = make_org("南山区粤海街道", "street", "helper", "440305", self.nanshan)
        self.nanshan_school = make_org("南山实验学校", "school", "helper", "440305", self.nanshan)
        self.debao = make_org("德保县人民政府", "government", "recipient", "451024", represents=True)
        self.debao_school = make_org("德保县第一小学", "school", "recipient", "451024")
        self.shanwei = make_org("汕尾市人民政府", "government", "recipient", "441500", represents=True)

        self.p_debao = Pairing.objects.create(kind="east_west", helper=self.nanshan, recipient_region_id="451024",
                                              start=date(2016, 9, 1), notes="东西部协作结对")
        self.p_village = Pairing.objects.create(kind="hand_in_hand", helper=self.street, recipient_region=self.village,
                                                start=date(2017, 3, 1))
        self.p_school = Pairing.objects.create(kind="school", helper=self.nanshan_school, recipient_region_id="451024",
                                               recipient_org=self.debao_school, start=date(2018, 9, 1))
        self.p_shanwei = Pairing.objects.create(kind="in_province", helper=self.sz, recipient_region_id="441500",
                                                start=date(2013, 1, 1))
        self.p_sw_village = Pairing.objects.create(kind="hand_in_hand", helper=self.sz,
                                                   recipient_region=self.sw_village, start=date(2019, 1, 1))
        self.p_duan = Pairing.objects.create(kind="east_west", helper=self.baoan, recipient_region_id="451228",
                                             start=date(2016, 9, 1), end=date(2020, 12, 31))

        self.users = {
            "admin": user("admin", password=password, superuser=True),
            "sz": user("sz", "coordination", password, organisation=self.sz),
            "nanshan": user("nanshan", "helper", password, organisation=self.nanshan),
            "debao": user("debao", "county", password, region=Region.objects.get(code="451024")),
            "shanwei": user("shanwei", "county", password, region=Region.objects.get(code="441500")),
            "auditor": user("auditor", "auditor", password),
            "public": user("public", "public", password),
        }


@pytest.fixture
def ui_world(db):
    return UIWorld()


@pytest.fixture
def ui_password():
    return PASSWORD


@pytest.fixture
def client_as(ui_world, client):
    """A test client logged in as one of the world's users (force_login: axes needs a request to authenticate)."""

    def login(username):
        client.force_login(ui_world.users[username], backend="django.contrib.auth.backends.ModelBackend")
        return client

    return login


@pytest.fixture(scope="module")
def browser(django_db_setup):
    if not Path(CHROMIUM).exists():
        reason = "Chromium not installed at /usr/bin/chromium (apt-get install chromium)"
        if os.environ.get("BANGFU_REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    from django.db import connections
    from playwright.sync_api import sync_playwright

    serialized = {alias: getattr(connections[alias], "_test_serialized_contents", None) for alias in connections}
    with sync_playwright() as playwright:
        # Playwright's sync API switches greenlets, and with them the context that Django's connections are local
        # to: the tests get new connection objects. Hand them the data that serialized_rollback restores after each
        # test's flush (the national divisions loaded by a migration), or later tests find no regions.
        for alias, data in serialized.items():
            if data is not None and not hasattr(connections[alias], "_test_serialized_contents"):
                connections[alias]._test_serialized_contents = data
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"],
        )
        yield browser
        browser.close()


@pytest.fixture
def live_world(live_server, ui_password):
    from tests.core.conftest import UIWorld

    return UIWorld(password=ui_password)


class Session:
    """One browser page of one user, with the console errors it met (a CSP violation is one)."""

    def __init__(self, browser, live_server, password):
        self.password = password
        # The browser asks for English (en-US): the platform answers in Chinese until the user switches.
        self.context = browser.new_context(locale="en-US", viewport={"width": 1440, "height": 900})
        self.page = self.context.new_page()
        self.page.set_default_timeout(15000)
        self.url = live_server.url
        self.errors = []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def login(self, username):
        page = self.page
        page.goto(f"{self.url}/accounts/login/")
        assert "登录您的账户" in page.content()
        page.fill("#id_username", username)
        page.fill("#id_password", self.password)
        page.click("form[action='/accounts/login/'] button[type=submit]")
        page.wait_for_url(f"{self.url}/")
        assert page.locator("h2.page-title").inner_text().startswith("欢迎您")
        return page


@pytest.fixture
def session(browser, live_server, ui_password):
    s = Session(browser, live_server, ui_password)
    yield s
    s.context.close()
