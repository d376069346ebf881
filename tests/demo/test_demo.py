"""The demo builder: the seeds' figures come out of the records, the build is set-based and can run again."""

import io
from collections import Counter
from datetime import date
from itertools import chain

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db.models import Count
from stdnum.cn import uscc

from bangfu.core.models import ApiToken, ChangeLog, UserProfile
from bangfu.demo import data
from bangfu.demo.build import build_demo, chinese_number, organisation_code_check, synthetic_credit_code
from bangfu.pairing.models import Pairing
from bangfu.regions.models import Level, Organisation, OrganisationKind, Region, Side
from tests.conftest import ApiClient

PASSWORD = "Test-demo-pass-2026"


@pytest.fixture
def demo(db):
    return build_demo(password=PASSWORD, households=False)


def shenzhen_pairings():
    shenzhen = Organisation.objects.get(region_id="440300", represents_region=True)
    return Pairing.objects.filter(helper__path__startswith=shenzhen.path)


def distinct_counties(pairings) -> int:
    counties = pairings.exclude(recipient_region__county_code=None).values("recipient_region__county_code")
    return counties.distinct().count()


def under(code: str):
    return Pairing.objects.filter(recipient_region__path__startswith=Region.objects.get(code=code).path)


def figures() -> dict:
    """What a second build must reproduce exactly."""
    return {
        "regions": Region.objects.filter(synthetic=True).count(),
        "organisations": Organisation.objects.count(),
        "pairings": Pairing.objects.count(),
        "users": get_user_model().objects.count(),
        "profiles": UserProfile.objects.count(),
        "by_kind": dict(Pairing.objects.values_list("kind").annotate(n=Count("pk"))),
    }


@pytest.mark.django_db
def test_shenzhen_reaches_109_counties_in_17_provinces_54_now(demo):
    pairings = shenzhen_pairings()
    assert distinct_counties(pairings) == 109
    assert pairings.values("recipient_region__province_code").distinct().count() == 17
    assert distinct_counties(pairings.active()) == 54
    assert not pairings.filter(end__isnull=False, end__gte=date(2017, 1, 1)).exists()  # ended ones ended long ago
    assert not pairings.active().filter(end__isnull=False).exists()


@pytest.mark.django_db
def test_the_seeds_named_pairings_are_there(demo):
    def helper_of(code):
        return Organisation.objects.get(region_id=code, represents_region=True)

    expected = [
        ("440305", "451024", "east_west", date(2016, 9, 1)),  # 南山区 → 德保县
        ("440307", "451081", "east_west", date(2016, 9, 1)),  # 龙岗区 → 靖西市
        ("440306", "451228", "east_west", date(2016, 9, 1)),  # 宝安区 → 都安
        ("440306", "451229", "east_west", date(2016, 9, 1)),  # 宝安区 → 大化
        ("440305", "441623", "in_province", None),  # 南山区 → 连平县
        ("440300", "441400", "in_province", date(1990, 1, 1)),  # 梅州
        ("440300", "441500", "in_province", date(2013, 1, 1)),  # 汕尾
        ("440300", "540423", "counterpart", date(1994, 1, 1)),  # 墨脱
        ("440300", "520500", "east_west", date(1996, 1, 1)),  # 毕节
        ("440300", "653131", "counterpart", date(2010, 1, 1)),  # 塔县
        ("440300", "513332", "counterpart", date(2014, 1, 1)),  # 石渠
        ("440300", "530600", "east_west", None),  # 昭通
    ]
    for helper, recipient, kind, start in expected:
        pairing = Pairing.objects.get(helper=helper_of(helper), recipient_region_id=recipient, kind=kind)
        assert start is None or pairing.start == start, (helper, recipient)
    assert Pairing.objects.get(recipient_region_id="441400").end < date(2013, 1, 1)


@pytest.mark.django_db
def test_nanshan_to_debao_is_84_pairings_over_55_villages(demo):
    debao = under("451024")
    assert debao.count() == 84
    assert debao.active().count() == 84
    assert debao.filter(recipient_region__level=Level.VILLAGE).values("recipient_region").distinct().count() == 55
    nanshan = Organisation.objects.get(region_id="440305", represents_region=True)
    assert not debao.exclude(helper__path__startswith=nanshan.path).exists()
    assert dict(debao.values_list("kind").annotate(n=Count("pk"))) == {
        "east_west": 1, "hand_in_hand": 39, "enterprise_village": 23, "school": 13, "hospital": 8,
    }
    county_level = debao.get(recipient_region_id="451024", kind="east_west")
    assert (county_level.helper, county_level.kind, county_level.start) == (nanshan, "east_west", date(2016, 9, 1))
    hand_in_hand = debao.filter(kind__in=["hand_in_hand", "enterprise_village"])
    assert Counter(hand_in_hand.values_list("helper__kind", flat=True)) == {"street": 7, "community": 32,
                                                                           "enterprise": 23}
    assert hand_in_hand.values("helper").distinct().count() == 62
    for pairing in debao.filter(kind__in=["school", "hospital"]).select_related("helper", "recipient_org"):
        assert pairing.helper.kind == pairing.recipient_org.kind == pairing.kind
        assert pairing.recipient_org.side == Side.RECIPIENT
        assert pairing.recipient_region_id == pairing.recipient_org.region_id


@pytest.mark.django_db
def test_debao_has_89_poor_villages_and_34_unpaired(demo):
    villages = Region.objects.filter(county_code="451024", level=Level.VILLAGE)
    poor = villages.filter(is_poor_village=True)
    assert poor.count() == 89
    assert poor.filter(pairings__isnull=True).count() == 34
    assert villages.filter(is_poor_village=False).exists()
    assert not villages.filter(is_poor_village=False, pairings__isnull=False).exists()
    townships = Region.objects.filter(county_code="451024", level=Level.TOWNSHIP)
    assert set(townships.values_list("name", flat=True)) == {t[0] for t in data.DEBAO_TOWNSHIPS}
    assert len(data.DEBAO_TOWNSHIPS) == 12


@pytest.mark.django_db
def test_shanwei_has_200_poor_villages_110_paired_by_shenzhen(demo):
    poor = Region.objects.filter(path__startswith=Region.objects.get(code="441500").path, is_poor_village=True)
    assert poor.count() == 200
    assert poor.filter(pairings__isnull=False).distinct().count() == 110
    village_pairings = shenzhen_pairings().filter(recipient_region__in=poor)
    assert village_pairings.count() == 110
    assert set(village_pairings.values_list("kind", flat=True)) == {"in_province"}
    assert set(poor.values_list("county_code", flat=True)) == set(data.SHANWEI_COUNTIES)


@pytest.mark.django_db
def test_shenzhen_paired_326_schools_and_140_hospitals_since_2017(demo):
    pairings = shenzhen_pairings()
    for kind, total in (("school", 326), ("hospital", 140)):
        institutions = pairings.filter(kind=kind)
        assert institutions.count() == total
        assert institutions.values("recipient_org").distinct().count() == total
        assert not institutions.filter(start__lt=date(2017, 1, 1)).exists()
        assert not institutions.exclude(helper__kind=kind).exists()
        assert not institutions.exclude(recipient_org__kind=kind).exists()
    # Schools and hospitals add no county beyond the actively paired ones.
    counties = set(pairings.filter(kind__in=["east_west", "in_province", "counterpart"]).active()
                   .values_list("recipient_region__county_code", flat=True))
    institution_counties = set(pairings.filter(kind__in=["school", "hospital"])
                               .values_list("recipient_region__county_code", flat=True))
    assert institution_counties <= counties


@pytest.mark.django_db
def test_guangdong_cities_pair_guizhou_eight_prefectures(demo):
    guangdong = Organisation.objects.get(region_id="440000", represents_region=True)
    guizhou = Pairing.objects.filter(helper__path__startswith=guangdong.path, recipient_region__province_code="520000",
                                     start__gte=date(2021, 1, 1))
    assert set(guizhou.values_list("recipient_region_id", flat=True)) == {
        "520200", "520300", "520400", "520500", "520600", "522300", "522600", "522700"}
    assert guizhou.values("helper").distinct().count() == 6
    assert set(guizhou.values_list("recipient_region__level", flat=True)) == {Level.PREFECTURE}
    cities = Organisation.objects.filter(parent=guangdong, represents_region=True)
    assert set(cities.values_list("region_id", flat=True)) == {"440300", *(c.code for c in data.GUANGDONG_CITIES)}


@pytest.mark.django_db
def test_organisations_are_consistent(demo):
    orgs = Organisation.objects.select_related("parent")
    for org in orgs:
        assert org.path == f"{org.parent.path if org.parent else ''}{org.pk}/", org
    enterprises = orgs.filter(kind=OrganisationKind.ENTERPRISE)
    assert enterprises.count() == 23
    for org in enterprises:
        assert uscc.is_valid(org.credit_code), org.credit_code
        assert org.credit_code[2:8] == "440305"
        assert "合成数据(synthetic)" in org.notes
    districts = orgs.filter(kind=OrganisationKind.DISTRICT)
    assert {d.region_id for d in districts} == {d.code for d in data.SHENZHEN_DISTRICTS}
    assert {d.parent.region_id for d in districts} == {"440300"}
    assert not Pairing.objects.exclude(helper__side=Side.HELPER).exists()
    assert not Pairing.objects.filter(recipient_org__isnull=False).exclude(recipient_org__side=Side.RECIPIENT).exists()
    nanshan = orgs.get(region_id="440305", represents_region=True)
    for kind, count in (("street", 7), ("community", 32), ("enterprise", 23)):
        assert orgs.filter(kind=kind, path__startswith=nanshan.path).count() == count


@pytest.mark.django_db
def test_bulk_rows_keep_what_the_services_would_check(demo):
    """The loader skips the per-row services; its rows must still pass model validation and never overlap."""
    foreign_keys = ["parent", "region", "helper", "recipient_region", "recipient_org"]
    rows = chain(Region.objects.filter(synthetic=True), Organisation.objects.select_related("parent"),
                 Pairing.objects.all())
    for row in rows:
        row.full_clean(exclude=foreign_keys, validate_unique=False, validate_constraints=False)
    same = Pairing.objects.values("kind", "helper", "recipient_region", "recipient_org").annotate(n=Count("pk"))
    assert not same.filter(n__gt=1).exists()  # so no two can overlap in time either


@pytest.mark.django_db
def test_synthetic_regions_hang_under_real_counties(demo):
    national = set(Region.objects.filter(synthetic=False).values_list("code", flat=True))
    for region in Region.objects.filter(synthetic=True).select_related("parent"):
        assert len(region.code) == 12 and region.code[:6] == region.county_code, region
        assert region.path == f"{region.parent.path}{region.code}/"
        assert region.province_code == region.parent.province_code
        assert region.is_poor_village is False or region.level == Level.VILLAGE
    used = set(Pairing.objects.values_list("recipient_region__county_code", flat=True)) - {None}
    assert used <= national
    assert "合成数据(synthetic)" in Pairing.objects.get(recipient_region_id="230109").notes


@pytest.mark.django_db
def test_accounts_have_their_roles_and_the_password(demo):
    expected = {
        "sz": ("coordination", "440300", None),
        "nanshan": ("helper", "440305", None),
        "debao": ("county", None, "451024"),
        "shanwei": ("county", None, "441500"),
        "auditor": ("auditor", None, None),
    }
    users = get_user_model().objects.filter(username__in=[*expected, "admin"]).in_bulk(field_name="username")
    assert users["admin"].is_superuser and users["admin"].check_password(PASSWORD)
    for username, (role, org_region, region) in expected.items():
        user = users[username]
        assert user.check_password(PASSWORD) and not user.is_superuser
        profile = user.profile
        assert profile.role == role
        assert (profile.organisation.region_id if profile.organisation else None) == org_region
        if org_region:
            assert profile.organisation.represents_region
        assert profile.region_id == region
    assert demo["password"] == PASSWORD
    assert [a["username"] for a in demo["accounts"]] == ["admin", *expected]


@pytest.mark.django_db
def test_building_again_gives_the_same_demo(demo):
    first = figures()
    sz = get_user_model().objects.get(username="sz")
    ApiToken.objects.issue(sz)
    # The append-only log may name a demo user; the rebuild keeps the user rather than fail on it.
    ChangeLog.objects.create(actor=sz, actor_name="sz", action="create", via="cli", object_id="1",
                             object_repr="x", content_type=ContentType.objects.get_for_model(Pairing))
    build_demo(password="Another-pass-2026", households=False)
    assert figures() == first
    assert not ApiToken.objects.filter(user=sz).exists()
    assert get_user_model().objects.get(username="sz").check_password("Another-pass-2026")
    assert Region.objects.filter(synthetic=True).values("code").annotate(n=Count("pk")).filter(n__gt=1).count() == 0
    assert distinct_counties(shenzhen_pairings()) == 109


@pytest.mark.django_db
def test_the_build_is_set_based(db, django_assert_max_num_queries):
    from bangfu.core.indicators import catalogue
    from bangfu.core.models import Fact
    from bangfu.demo.build import build_facts

    # About 2,000 rows: a per-row write would take thousands of queries; measured 38 and 64 on SQLite, fewer on PG.
    # Funds and projects (some 15,000 rows) add about 60, whatever their number.
    with django_assert_max_num_queries(170):
        build_demo(password=PASSWORD, households=False, indicators=False)
    # Removing the first demo adds a few, and one protection check per model that points at organisations or regions.
    with django_assert_max_num_queries(220):
        build_demo(password=PASSWORD, households=False, indicators=False)
    # The facts: a few queries per indicator (by region, by year, by month, its transaction), the writes in batches
    # (SQLite takes 999 values a statement: 199 facts of five).
    counted = sum(1 for found in catalogue().values() if found.counted)
    with django_assert_max_num_queries(10 * counted + 1000) as captured:
        build_facts()
    assert len(captured) <= 10 * counted + Fact.objects.count() // 199 + 1


@pytest.mark.django_db
def test_api_summaries_give_the_seed_figures(demo):
    users = get_user_model().objects.in_bulk(field_name="username")
    status, shenzhen = ApiClient(users["sz"]).get("/api/v1/pairings/summary?helper=440300")
    assert status == 200
    assert (shenzhen["recipient_counties"], shenzhen["recipient_provinces"]) == (109, 17)
    status, active = ApiClient(users["sz"]).get("/api/v1/pairings/summary?helper=440300&active=true")
    assert active["recipient_counties"] == 54
    status, debao = ApiClient(users["nanshan"]).get("/api/v1/pairings/summary?recipient=451024")
    assert (status, debao["pairings"], debao["recipient_villages"]) == (200, 84, 55)
    status, shanwei = ApiClient(users["debao"]).get("/api/v1/pairings?recipient=441500")
    assert status != 200 or shanwei["count"] == 0


@pytest.mark.django_db
def test_load_demo_prints_accounts_password_and_where_to_log_in(monkeypatch):
    monkeypatch.setenv("BANGFU_DEMO_PASSWORD", "From-env-pass-2026")
    out = io.StringIO()
    call_command("load_demo", "--without-households", stdout=out)
    text = out.getvalue()
    for username in ("admin", "sz", "nanshan", "debao", "shanwei", "auditor"):
        assert username in text
    assert "From-env-pass-2026" in text and "http://127.0.0.1:8000/" in text
    assert get_user_model().objects.get(username="debao").check_password("From-env-pass-2026")
    out = io.StringIO()
    call_command("load_demo", "--scale", "full", "--without-households", "--password", "Given-pass-2026", stdout=out)
    assert "Given-pass-2026" in out.getvalue()


@pytest.mark.django_db
def test_load_demo_generates_a_password_when_none_is_given(monkeypatch):
    monkeypatch.delenv("BANGFU_DEMO_PASSWORD", raising=False)
    result = build_demo(households=False)
    assert len(result["password"]) >= 12
    assert get_user_model().objects.get(username="sz").check_password(result["password"])


def test_made_up_codes_and_numbers():
    assert organisation_code_check("60003734") == "1"  # of stdnum's example 91110000600037341L
    codes = {synthetic_credit_code("440305", n) for n in range(1, 100)}
    assert len(codes) == 99 and all(uscc.is_valid(c) and len(c) == 18 for c in codes)
    assert [chinese_number(n) for n in (1, 10, 12, 20, 25, 99)] == ["一", "十", "十二", "二十", "二十五", "九十九"]
