"""Shared fixtures: a small world of regions, organisations, pairings and one user per role, and API clients."""

import csv
import functools
import json
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import openpyxl
import pytest
import requests
import schemathesis
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import translation

from bangfu.api import api
from bangfu.core.models import ApiToken, UserProfile
from bangfu.pairing.models import Pairing
from bangfu.regions.models import Organisation, Region, place_under


def make_region(code, name, parent_code, level, poor=False):
    region = Region(code=code, name=name, level=level, is_poor_village=poor, synthetic=True)
    place_under(region, Region.objects.get(code=parent_code))
    region.save()
    return region


def make_org(name, kind, side, region_code, parent=None, represents=False, credit_code=None):
    org = Organisation.objects.create(
        name=name, kind=kind, side=side, region_id=region_code, parent=parent, represents_region=represents,
        credit_code=credit_code, path="pending/",
    )
    org.path = f"{parent.path if parent else ''}{org.pk}/"
    org.save(update_fields=["path"])
    return org


def make_user(username, role=None, region=None, organisation=None, superuser=False):
    user = get_user_model().objects.create_user(username, password=None, is_superuser=superuser,
                                                is_staff=superuser)
    if role:
        UserProfile.objects.create(user=user, role=role, region=region, organisation=organisation)
    return user


class World:
    """Shenzhen helps 德保县 (through 南山区) and 汕尾市; 宝安区 helps 都安 (ended)."""

    def __init__(self):
        self.sz = make_org("深圳市人民政府", "government", "helper", "440300", represents=True)
        self.nanshan = make_org("南山区人民政府", "district", "helper", "440305", self.sz, represents=True)
        self.baoan = make_org("宝安区人民政府", "district", "helper", "440306", self.sz, represents=True)
        self.street = make_org("南山区粤海街道", "street", "helper", "440305", self.nanshan)
        self.enterprise = make_org("深圳某科技有限公司", "enterprise", "helper", "440305", self.nanshan,
                                   credit_code="91440300MA5DC6QX9C")
        self.gz = make_org("广州市人民政府", "government", "helper", "440100", represents=True)
        self.township = make_region("451024100000", "城关镇", "451024", "township")
        self.village = make_region("451024100201", "那温村", "451024100000", "village", poor=True)
        self.village2 = make_region("451024100202", "大旺村", "451024100000", "village", poor=True)
        self.sw_township = make_region("441581100000", "碣石镇", "441581", "township")
        self.sw_village = make_region("441581100201", "新饶村", "441581100000", "village", poor=True)
        self.debao_school = make_org("德保县第一小学", "school", "recipient", "451024")
        self.nanshan_school = make_org("南山实验学校", "school", "helper", "440305", self.nanshan)
        self.p_debao = Pairing.objects.create(kind="east_west", helper=self.nanshan, recipient_region_id="451024",
                                              start=date(2016, 9, 1))
        self.p_village = Pairing.objects.create(kind="hand_in_hand", helper=self.street,
                                                recipient_region=self.village, start=date(2017, 3, 1))
        self.p_school = Pairing.objects.create(kind="school", helper=self.nanshan_school,
                                               recipient_region_id="451024", recipient_org=self.debao_school,
                                               start=date(2018, 9, 1))
        self.p_shanwei = Pairing.objects.create(kind="in_province", helper=self.sz, recipient_region_id="441500",
                                                start=date(2013, 1, 1))
        self.p_duan = Pairing.objects.create(kind="east_west", helper=self.baoan, recipient_region_id="451228",
                                             start=date(2016, 9, 1), end=date(2020, 12, 31))
        self.p_guizhou = Pairing.objects.create(kind="east_west", helper=self.gz, recipient_region_id="522700",
                                                start=date(2021, 1, 1))
        self.users = {
            "admin": make_user("admin", superuser=True),
            "sz": make_user("sz", "coordination", organisation=self.sz),
            "nanshan": make_user("nanshan", "helper", organisation=self.nanshan),
            "debao": make_user("debao", "county", region=Region.objects.get(code="451024")),
            "shanwei": make_user("shanwei", "county", region=Region.objects.get(code="441500")),
            "auditor": make_user("auditor", "auditor"),
            "public": make_user("public", "public"),
        }


@pytest.fixture
def world(db):
    return World()


@functools.cache
def api_document():
    """The OpenAPI document, read once a session."""
    return schemathesis.openapi.from_dict(api.get_openapi_schema())


def assert_documented(method: str, path: str, response):
    """The answer is one the OpenAPI document declares for its operation: the status, and a body that fits the
    schema of that status (as Zulip checks every answer its tests receive)."""
    operation = api_document().find_operation_by_path(method, urlsplit(path).path)
    assert operation is not None, f"{method} {path} is no operation of the OpenAPI document"
    assert operation.responses.find_by_status_code(response.status_code) is not None, (
        f"{method} {path} answered {response.status_code}, a status its operation does not declare")
    operation.validate_response(schemathesis.Response(
        status_code=response.status_code, headers={name: [value] for name, value in response.headers.items()},
        content=response.content, request=requests.Request(method, f"http://testserver{path}").prepare(),
        elapsed=0, verify=False))


class ApiClient:
    """Calls the API as a user with a real Bearer token, and returns (status, JSON); every answer is checked against
    the OpenAPI document."""

    def __init__(self, user=None):
        self.client = Client()
        self.headers = {}
        if user is not None:
            self.headers["HTTP_AUTHORIZATION"] = f"Bearer {ApiToken.objects.issue(user)}"

    def call(self, method, path, body=None):
        kwargs = dict(self.headers)
        if body is not None:
            kwargs.update(data=json.dumps(body), content_type="application/json")
        response = getattr(self.client, method.lower())(path, **kwargs)
        assert_documented(method, path, response)
        try:
            payload = response.json()
        except ValueError:
            payload = response.content.decode()
        return response.status_code, payload

    def get(self, path):
        return self.call("GET", path)

    def post(self, path, body):
        return self.call("POST", path, body)

    def patch(self, path, body):
        return self.call("PATCH", path, body)


@pytest.fixture
def api_as(world):
    def make(username):
        return ApiClient(world.users[username] if username else None)

    return make


# The most queries each list page may take, whatever the number of rows: a reviewed baseline (as NetBox's
# query_counts.json). A change that makes a page dearer fails its test; one that makes it cheaper lowers the number.
QUERY_COUNTS = json.loads((Path(__file__).parent / "query_counts.json").read_text(encoding="utf-8"))


@pytest.fixture
def query_baseline(django_assert_max_num_queries):
    """`with query_baseline(url): client.get(url)` fails when the page takes more queries than its baseline."""

    def within(url):
        if url not in QUERY_COUNTS:
            pytest.fail(f"{url} has no query baseline in tests/query_counts.json")
        return django_assert_max_num_queries(QUERY_COUNTS[url])

    return within


@pytest.fixture
def chinese():
    """The messages in Chinese, as a county clerk reads them (`pytestmark = pytest.mark.usefixtures("chinese")`)."""
    with translation.override("zh-hans"):
        yield


def refused(result) -> list[tuple]:
    """What an import refused, row by row: (row, column, value, message)."""
    assert result.status == "problems", result.written
    return [(p.row, p.column, p.value, p.message) for p in result.problems]


FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@pytest.fixture
def sheet(tmp_path):
    """Writes a clerk's file: a title line and a blank line above the header (so the header is row 3 and the first
    row of data row 4), as .xlsx (openpyxl) or .csv (UTF-8 with BOM), by the name's suffix. `[]` is a blank line."""

    def write(name, headers, rows):
        path = tmp_path / name
        table = [["某某单位 填报表"], [], headers, *rows]
        if path.suffix == ".csv":
            with open(path, "w", encoding="utf-8-sig", newline="") as f:
                csv.writer(f).writerows(table)
        else:
            workbook = openpyxl.Workbook()
            for line in table:
                workbook.active.append(line)
            workbook.save(path)
        return path

    return write
