"""The funds and projects part of the seed demo: the seeds' figures come out of the records exactly, through the API."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Sum

from bangfu.core.models import ApiToken
from bangfu.demo.build import build_demo
from bangfu.funds import figures
from bangfu.funds.models import FundSource
from bangfu.households.models import Household
from bangfu.projects.models import Beneficiary, Category, Project


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        build_demo(password="Funds-demo-2026-pass")
        yield {u.username: u for u in get_user_model().objects.all()}
        transaction.set_rollback(True)


@pytest.fixture
def get(demo, db):
    from django.test import Client

    def call(username, path):
        client = Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.objects.issue(demo[username])}")
        response = client.get(path)
        assert response.status_code == 200, response.content[:300]
        return response.json()

    return call


def test_debao_2020_and_cumulative(get):
    body = get("nanshan", "/api/v1/funds/summary?recipient=451024&year=2020")
    assert body["fiscal"] == "61020000.00" and body["social"] == "24590000.00"
    body2019 = get("nanshan", "/api/v1/funds/summary?recipient=451024&year=2019")
    assert round(Decimal(body["fiscal"]) / Decimal(body2019["fiscal"]) - 1, 3) == Decimal("0.103")
    assert round(Decimal(body["social"]) / Decimal(body2019["social"]) - 1, 2) == Decimal("0.53")
    total = get("nanshan", "/api/v1/funds/summary?recipient=451024")
    assert Decimal(total["fiscal"]) + Decimal(total["social"]) == Decimal("224000000.00")
    assert total["projects"] == 73
    assert Decimal(total["spent"]) <= Decimal(total["disbursed"]) <= Decimal(total["budgeted"])


def test_debao_projects_and_people(demo, db):
    projects = Project.objects.filter(county_code="451024")
    named = dict(projects.values_list("name", "planned_amount"))
    assert named["德保县桑蚕、柑橘产业示范基地"] == Decimal("20000000.00")
    assert named["德保县油茶产业示范基地"] == Decimal("10000000.00")
    assert named["德保县南山小学"] == Decimal("26409300.00")
    assert named["老乡家园易地扶贫搬迁安置点就业帮扶车间"] == Decimal("20000000.00")
    assert projects.get(name="老乡家园易地扶贫搬迁安置点就业帮扶车间").jobs == 106
    medical = projects.filter(name__contains="医疗设备").aggregate(s=Sum("planned_amount"))["s"]
    assert medical == Decimal("38990000.00")
    households = Beneficiary.objects.filter(county_code="451024").values("household")
    people = Household.objects.filter(pk__in=households).aggregate(s=Sum("size"))["s"]
    assert people >= 58_000
    villages = Household.objects.filter(pk__in=households).values("village").distinct().count()
    assert villages == 89
    dividends = Beneficiary.objects.filter(county_code="451024", gain="dividend")
    assert figures.exact(dividends.aggregate(s=Sum("amount"))["s"]) == Decimal("8322000.00")
    receivers = Household.objects.filter(pk__in=dividends.values("household"))
    assert receivers.count() >= 1400 and receivers.aggregate(s=Sum("size"))["s"] == 3800


def test_shenzhen_and_shanwei(get, demo, db):
    body = get("sz", "/api/v1/funds/summary?helper=440300")
    assert body["fiscal"] == "41873000000.00"
    assert Decimal(body["social"]) > Decimal("76000000000")
    year = get("sz", "/api/v1/funds/summary?helper=440300&year=2020")
    assert year["fiscal"] == "4012000000.00" and Decimal(year["social"]) > Decimal("2000000000")
    sw = get("sz", "/api/v1/funds/summary?recipient=441500")
    assert Decimal(sw["fiscal"]) + Decimal(sw["social"]) == Decimal("9500000000.00")
    sw2020 = get("sz", "/api/v1/funds/summary?recipient=441500&year=2020")
    assert Decimal(sw2020["fiscal"]) + Decimal(sw2020["social"]) == Decimal("1300000000.00")
    shanwei = Project.objects.filter(region_path__startswith="440000/441500/")
    industry = shanwei.filter(category=Category.INDUSTRY)
    assert industry.count() == 415
    assert industry.values("region").distinct().count() == 110
    livelihood = shanwei.filter(category__in=figures.livelihood_categories()).aggregate(s=Sum("disbursed"))["s"]
    assert figures.exact(livelihood) == Decimal("3450000000.00")
    fiscal = FundSource.objects.filter(org_path__startswith=demo["sz"].profile.organisation.path,
                                               kind="fiscal")
    periods = {
        (2011, 2015): Decimal("9550000000.00"), (2016, 2020): Decimal("24960000000.00"),
    }
    for (first, last), total in periods.items():
        got = fiscal.filter(year__gte=first, year__lte=last).aggregate(s=Sum("amount"))["s"]
        assert figures.exact(got) == total, (first, last)


def test_the_demo_chain_keeps_its_invariants(demo, db):
    from django.db.models import F

    from bangfu.funds.models import Budget, Disbursement, Expenditure

    assert not Budget.objects.filter(disbursed__gt=F("amount")).exists()
    assert not Disbursement.objects.filter(allocated__gt=F("amount")).exists()
    assert not Project.objects.filter(spent__gt=F("disbursed")).exists()
    spent = Expenditure.objects.values("disbursement").annotate(s=Sum("amount"))
    draws = dict(Disbursement.objects.filter(project__isnull=False).values_list("pk", "spent"))
    for row in spent:
        assert figures.exact(row["s"]) == figures.exact(draws[row["disbursement"]])
    assert Project.objects.values("number").annotate(n=Count("pk")).filter(n__gt=1).count() == 0
    from bangfu.funds.models import SourceTotal

    by_sources = {(r["pairing_id"], r["year"], r["kind"]): (figures.exact(r["s"]), r["n"]) for r in
                  FundSource.objects.order_by().values("pairing_id", "year", "kind").annotate(s=Sum("amount"),
                                                                                            n=Count("id"))}
    by_totals = {(t.pairing_id, t.year, t.kind): (figures.exact(t.amount), t.rows) for t in SourceTotal.objects.all()}
    assert by_totals == by_sources


def cjk_fragments(html: str) -> set[str]:
    """Every run of 2 to 4 Chinese characters in the text of a page (a name is one of them, if it is there)."""
    import re

    out = set()
    for run in re.findall(r"[\u4e00-\u9fff]+", html):
        for size in (2, 3, 4):
            out.update(run[i:i + size] for i in range(len(run) - size + 1))
    return out


def test_the_portal_opens_without_login_and_shows_no_personal_data(demo, db, client):
    import re

    from bangfu.households.models import Member
    from bangfu.portal.models import Notice
    from bangfu.regions.models import Region

    pages = ["/portal/", "/portal/451024/", "/portal/451024/?page=1&year=2020", "/portal/441500/",
             "/portal/441500/?page=2"]
    pages += [f"/portal/451024/projects/{pk}/" for pk in Project.objects.filter(county_code="451024")
              .values_list("pk", flat=True)]
    pages += [f"/portal/{n.county_code}/notices/{n.pk}/" for n in Notice.objects.exclude(county_code="")[:40]]
    names = set(Member.objects.filter(county_code__in=["451024", "441581", "441502", "441521", "441523"])
                .values_list("name", flat=True))
    # A synthetic name can coincide with a place's (吴美村 and a person 吴美): those are public by being places.
    places = set()
    for text in Region.objects.filter(path__startswith="4").values_list("name", flat=True):
        places |= cjk_fragments(text)
    names -= places
    seen = set()
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert not re.search(r"\b\d{17}[\dXx]\b", html), url
        assert not re.search(r"\b1[3-9]\d{9}\b", html), url
        found = cjk_fragments(html) & names
        assert not found, (url, sorted(found)[:5])
        seen.add(url)
    assert len(seen) > 80
    body = client.get("/portal/451024/").content.decode()
    assert "德保县南山小学" in body and "老乡家园易地扶贫搬迁安置点就业帮扶车间" in body
    assert client.get("/portal/999999/").status_code == 404
