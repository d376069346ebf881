"""The labour indicators: what each counts in a small world built through the services, live equal to the facts for
every region of the world, for helpers, by year and in all; the facts brought up to date after a write; the records
behind each figure."""

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from bangfu.core import facts
from bangfu.core.indicators import ALL, catalogue, helper, live, live_many
from bangfu.labor import services
from bangfu.labor.indicators import INDICATORS
from bangfu.regions.models import Region
from tests.labor.conftest import add_member
from tests.live_and_facts import assert_facts_live_and_live_many_agree

CODES = [found.code for found in INDICATORS]
PERIODS = [ALL, "2018", "2019", "2020", "2021", str(timezone.localdate().year)]


@pytest.fixture
def loop(labor):
    """德保: a stable since 2019 in the helper city; b in a public-welfare post in 2019, home, re-placed in 2020;
    c registered only; d (大旺村, registered 2020) in a short job and a course. 汕尾: e employed locally in 2020.
    Fairs: 南山's in 德保 (2020), 深圳's in 南山区 (2019), one without organiser in 汕尾 (2021)."""
    debao, shanwei, nanshan, sz = (labor.users[name] for name in ("debao", "shanwei", "nanshan", "sz"))
    a, b, _c = labor.laborers
    services.record_employment(debao, a, start=date(2019, 2, 1), monthly_wage="4500", channel="organised",
                               employer=labor.employer, work_region=Region.objects.get(code="440305"))
    post = services.create_post(debao, name="护林员", region=labor.village, monthly_pay="600",
                                created_on=date(2019, 1, 1))
    services.create_post(debao, name="保洁员", region=labor.village2, monthly_pay="500", created_on=date(2020, 1, 1))
    job = services.record_employment(debao, b, start=date(2019, 3, 1), monthly_wage="600",
                                     channel="public_welfare", post=post)
    services.end_employment(debao, job, date(2019, 5, 31))
    services.return_home(debao, b, date(2019, 6, 1))
    services.record_employment(debao, b, start=date(2020, 3, 1), monthly_wage="2000", channel="self",
                               employer_name="本地工厂")
    d = services.register(debao, add_member(labor.village2, 50), on=date(2020, 4, 1))
    services.record_employment(debao, d, start=date(2020, 6, 1), end=date(2020, 10, 15), monthly_wage="3000",
                               channel="organised", employer=labor.employer,
                               work_region=Region.objects.get(code="440305"))
    course = services.create_course(nanshan, name="粤菜师傅培训班", kind="cantonese_chef",
                                    region=Region.objects.get(code="451024"), start=date(2020, 5, 1),
                                    end=date(2020, 5, 20), organiser=labor.nanshan)
    services.attend(debao, course, a, completed=True)
    services.attend(debao, course, d)
    e = services.register(shanwei, add_member(labor.sw_village, 51), on=date(2019, 1, 2))
    services.record_employment(shanwei, e, start=date(2020, 1, 1), monthly_wage="2500", channel="self",
                               employer_name="汕尾某厂")
    services.create_job_fair(nanshan, name="德保专场招聘会", held_on=date(2020, 3, 1),
                             region=Region.objects.get(code="451024"), organiser=labor.nanshan)
    services.create_job_fair(sz, name="深圳春风行动", held_on=date(2019, 2, 20),
                             region=Region.objects.get(code="440305"), organiser=labor.sz)
    services.create_job_fair(shanwei, name="汕尾招聘会", held_on=date(2021, 4, 1),
                             region=Region.objects.get(code="441500"))
    return labor


def regions(world) -> list[str]:
    """Every region the world's records lie in and every one above them, a village and a prefecture without any,
    and "" (the whole tree)."""
    places = [world.village, world.village2, world.sw_village, Region.objects.get(code="440305"),
              Region.objects.get(code="441500"), Region.objects.get(code="522700")]
    return sorted({above for place in places for above in facts.ancestors(place.path)} | {p.path for p in places})


def test_each_indicator_counts_what_it_says(loop):
    debao = Region.objects.get(code="451024").path

    def value(code, period=ALL, region=debao, side=None):
        return live(code, region, side, period)

    # Registered: a, b, c in 2019 and d in 2020 (德保); e in 汕尾.
    assert [value("labor.registered", y) for y in (ALL, "2019", "2020")] == [4, 3, 1]
    # Employed in 2019: a and b; in 2020: a, b (again) and d (June to October); in 2021: a and b.
    assert [value("labor.employed", y) for y in ("2018", "2019", "2020", "2021")] == [0, 2, 3, 2]
    assert value("labor.employed_in_helper_city", "2020") == 2 and value("labor.employed_in_helper_city", "2019") == 1
    # Stable (six months in one job): a since August 2019; b not in his post of three months, but in his job since
    # March 2020 by the end of 2020; d never (four months).
    assert [value("labor.stable", y) for y in (ALL, "2018", "2019", "2020", "2021")] == [2, 0, 1, 2, 2]
    assert value("labor.stable_share", "2020") == Decimal("66.67")
    assert value("labor.stable_share", "2018") is None  # no one employed: no share, not zero
    assert (value("labor.returned"), value("labor.returned", "2019"), value("labor.returned", "2020")) == (1, 1, 0)
    assert (value("labor.replaced"), value("labor.replaced", "2020"), value("labor.replaced", "2019")) == (1, 1, 0)
    # Two posts; one held in 2019 (by b), none in 2020.
    assert (value("labor.public_welfare_posts"), value("labor.public_welfare_posts", "2019"),
            value("labor.public_welfare_posts", "2020")) == (2, 1, 0)
    assert value("labor.public_welfare_workers", "2019") == 1 and value("labor.public_welfare_workers", "2020") == 0
    assert value("labor.trainees") == 2 and value("labor.trainees", "2019") == 0
    # Fairs: in 德保 by place; a helper counts his organisation's own fairs, wherever they were held.
    assert value("labor.job_fairs") == 1 and value("labor.job_fairs", region="") == 3
    assert value("labor.job_fairs", region="", side=helper(loop.sz.path)) == 2
    assert value("labor.job_fairs", region="", side=helper(loop.nanshan.path)) == 1
    # A helper's places: 深圳 helps 德保 (through 南山) and 汕尾, so its employed of 2020 are 德保's three and e.
    assert value("labor.employed", "2020", region="", side=helper(loop.sz.path)) == 4
    assert value("labor.employed", "2020", region="", side=helper(loop.nanshan.path)) == 3


@pytest.mark.parametrize("side", [None, "sz", "nanshan", "street"])
def test_live_equals_the_facts_for_every_region_and_period(loop, side):
    facts.rebuild()
    on_side = helper(getattr(loop, side).path) if side else None
    stored = assert_facts_live_and_live_many_agree(CODES, regions(loop), PERIODS, on_side)
    assert any(stored[code, "", ALL] for code in CODES)


def test_a_write_through_a_service_brings_the_facts_up_to_date(loop, django_capture_on_commit_callbacks):
    facts.rebuild()
    debao = Region.objects.get(code="451024").path
    _a, _b, c = loop.laborers
    before = facts.read(CODES, [debao, ""], PERIODS)
    with django_capture_on_commit_callbacks(execute=True):
        services.record_employment(loop.users["debao"], c, start=date(2020, 7, 1), monthly_wage="3000",
                                   channel="organised", employer=loop.employer,
                                   work_region=Region.objects.get(code="440305"))
    assert facts.refresh_stale()
    after = facts.read(CODES, regions(loop), PERIODS)
    assert after["labor.employed", debao, "2020"] == before["labor.employed", debao, "2020"] + 1
    assert after["labor.employed_in_helper_city", "", "2020"] == before["labor.employed_in_helper_city", "", "2020"] + 1
    for (code, path, period), value in after.items():
        assert value == live(code, path, None, period), (code, path, period)


def test_the_summary_reads_the_registry(loop):
    """Each figure of the summary is its indicator, live over the rows the user sees."""
    from bangfu.labor.figures import FIGURES, summary

    assert set(FIGURES.values()) <= set(catalogue())
    sz = loop.users["sz"]
    for year in (None, 2019, 2020):
        figures = summary(sz, helper="440300", year=year)
        values = live_many(FIGURES.values(), "", helper(loop.sz.path), (str(year) if year else ALL,), user=sz)
        assert figures == {name: int(values[code, str(year) if year else ALL]) for name, code in FIGURES.items()}
    assert summary(sz, helper="440300", year=2020)["employed"] == 4


def web(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    return client


@pytest.mark.parametrize("code", [c for c in CODES if catalogue()[c].records])
def test_the_records_behind_a_figure_are_as_many_as_it_counts(loop, code):
    """A click on a figure opens the list of its records, filtered by region and year: as many rows as the figure."""
    admin = web(loop.users["admin"])
    found = catalogue()[code]
    for region, year in (("451024", None), ("451024", 2019), ("451024", 2020), ("451024100202", 2020),
                         ("441500", 2021), ("450000", 2021)):
        url = found.records(region, year)
        response = admin.get(url)
        assert response.status_code == 200, url
        path = Region.objects.get(code=region).path
        expected = live(code, path, None, str(year) if year else ALL)
        assert response.context["paginator"].count == expected, (url, expected)
