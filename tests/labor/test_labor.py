"""Labour cooperation: registration, the closed loop, matching, employment rules, subsidies, return alerts, summary."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from bangfu.core.models import ChangeLog
from bangfu.labor import services
from bangfu.labor.models import (
    Claim,
    ClaimLine,
    Employment,
    Event,
    Laborer,
    Place,
    Posting,
    Skill,
    State,
)
from bangfu.regions.models import Region
from tests.labor.conftest import add_member


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield




def test_register_checks_eligibility(world):
    debao = world.users["debao"]
    child = add_member(world.village, 10, birth=date(2015, 1, 1))
    with pytest.raises(ValidationError, match="16"):
        services.register(debao, child)
    weak = add_member(world.village, 11, skill="none")
    with pytest.raises(ValidationError) as err:
        services.register(debao, weak)
    assert "member" in err.value.message_dict
    able = add_member(world.village, 12)
    laborer = services.register(debao, able, on=date(2020, 1, 1))
    assert laborer.state == State.REGISTERED and laborer.lifted
    with pytest.raises(ValidationError, match="already"):
        services.register(debao, able)


def test_shanwei_may_not_register_debao_members(world):
    member = add_member(world.village, 13)
    with pytest.raises(ValidationError):
        services.register(world.users["shanwei"], member)
    assert not Laborer.objects.exists()


def test_bulk_registration_is_set_based(world, django_assert_max_num_queries):
    for i in range(20, 30):
        add_member(world.village, i)
    add_member(world.village, 30, birth=date(1940, 1, 1))  # too old
    add_member(world.village, 31, skill="lost")
    with django_assert_max_num_queries(10):
        n = services.register_from_registry(world.users["debao"], world.village, on=date(2020, 1, 1))
    assert n == 10
    assert Event.objects.filter(state=State.REGISTERED).count() == 10
    assert services.register_from_registry(world.users["debao"], world.village, on=date(2020, 1, 1)) == 0


def test_closed_loop_in_order_and_dated(labor):
    debao = labor.users["debao"]
    laborer = labor.laborers[0]
    job = services.record_employment(debao, laborer, start=date(2020, 3, 1), monthly_wage="4500",
                                     channel="organised", employer=labor.employer,
                                     work_region=Region.objects.get(code="440305"))
    assert job.place == Place.HELPER_CITY
    laborer.refresh_from_db()
    assert laborer.state == State.EMPLOYED
    with pytest.raises(ValidationError, match="before"):  # dated before the last step
        services.return_home(debao, laborer, date(2020, 2, 1))
    services.end_employment(debao, job, date(2020, 10, 15))
    laborer.refresh_from_db()
    assert laborer.state == State.LEFT  # stable on 2020-09-01 first (6 months), then left
    services.return_home(debao, laborer, date(2020, 10, 20))
    services.record_employment(debao, laborer, start=date(2020, 12, 1), monthly_wage="2500", channel="self",
                               employer_name="本地企业")
    states = list(laborer.events.order_by("on", "id").values_list("state", flat=True))
    assert states == ["registered", "employed", "stable", "left", "returned", "replaced"]
    # Out of order: a re-placed laborer cannot return home without leaving first.
    laborer.refresh_from_db()
    with pytest.raises(ValidationError):
        services._move(debao, laborer, State.RETURNED, date(2021, 1, 1))
    assert ChangeLog.objects.filter(object_id=str(laborer.pk)).count() >= 6


def test_one_job_at_a_time_and_outside_workers_hold_no_post(labor):
    debao = labor.users["debao"]
    laborer = labor.laborers[0]
    services.record_employment(debao, laborer, start=date(2020, 3, 1), monthly_wage="4500", channel="organised",
                               employer=labor.employer, work_region=Region.objects.get(code="440305"))
    post = services.create_post(debao, name="护林员", region=labor.village, monthly_pay="500")
    with pytest.raises(ValidationError, match="outside the county"):
        services.record_employment(debao, laborer, start=date(2020, 5, 1), monthly_wage="500",
                                   channel="public_welfare", post=post)


def test_public_welfare_post_eligibility_and_one_holder(labor):
    debao = labor.users["debao"]
    post = services.create_post(debao, name="保洁员", region=labor.village, monthly_pay="500")
    services.record_employment(debao, labor.laborers[0], start=date(2020, 3, 1), monthly_wage="500",
                               channel="public_welfare", post=post)
    with pytest.raises(ValidationError, match="held by"):
        services.record_employment(debao, labor.laborers[1], start=date(2020, 4, 1), monthly_wage="500",
                                   channel="public_welfare", post=post)
    ordinary = services.register(debao, add_member(labor.village, 40, household_type="ordinary"),
                                 on=date(2020, 1, 1))
    post2 = services.create_post(debao, name="护路员", region=labor.village, monthly_pay="500")
    with pytest.raises(ValidationError, match="lifted"):
        services.record_employment(debao, ordinary, start=date(2020, 4, 1), monthly_wage="500",
                                   channel="public_welfare", post=post2)


def test_workshop_needs_the_minimum_of_lifted_employees(labor, settings):
    settings.LABOR_WORKSHOP_MIN_POOR = 3
    debao = labor.users["debao"]
    shop = services.create_workshop(debao, name="老乡家园", region=labor.village)
    for laborer in labor.laborers[:2]:
        services.record_employment(debao, laborer, start=date(2020, 3, 1), monthly_wage="2200", channel="workshop",
                                   workshop=shop)
    with pytest.raises(ValidationError, match="at least 3"):
        services.recognise_workshop(debao, shop)
    services.record_employment(debao, labor.laborers[2], start=date(2020, 3, 1), monthly_wage="2200",
                               channel="workshop", workshop=shop)
    assert services.recognise_workshop(debao, shop).recognised


def _employed(labor):
    debao = labor.users["debao"]
    laborer = labor.laborers[0]
    services.record_employment(debao, laborer, start=date(2020, 3, 1), monthly_wage="4500", channel="organised",
                               employer=labor.employer, work_region=Region.objects.get(code="440305"))
    return laborer


def test_a_laborer_month_is_paid_once(labor):
    laborer = _employed(labor)
    nanshan, debao = labor.users["nanshan"], labor.users["debao"]
    claim = services.create_claim(nanshan, kind="retention", employer=labor.employer,
                                  items=[(laborer, date(2020, 4, 1)), (laborer, date(2020, 5, 1))])
    assert claim.amount == 600
    for status in ("reviewed", "approved", "paid"):
        services.advance_claim(debao, claim, status)
    for who in (nanshan, debao, labor.users["admin"]):
        with pytest.raises(ValidationError, match="paid once"):
            services.create_claim(who, kind="retention", employer=labor.employer,
                                  items=[(laborer, date(2020, 5, 1))])
    # The database refuses it too, whoever writes.
    second = Claim.objects.create(kind="retention", county_code="451024", region_path=claim.region_path,
                                  submitted_on=date(2020, 6, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        ClaimLine.objects.create(claim=second, kind="retention", laborer=laborer, month=date(2020, 5, 1),
                                 amount=300)
    # A transport subsidy for the same month is another kind.
    transport = services.create_claim(debao, kind="transport", items=[(laborer, date(2020, 5, 1))])
    assert transport.amount == 600  # helper city


def test_a_rejected_claim_releases_its_months(labor):
    laborer = _employed(labor)
    debao = labor.users["debao"]
    claim = services.create_claim(debao, kind="retention", employer=labor.employer,
                                  items=[(laborer, date(2020, 4, 1))])
    with pytest.raises(ValidationError, match="why"):
        services.advance_claim(debao, claim, "rejected")
    services.advance_claim(debao, claim, "rejected", reason="材料不全")
    again = services.create_claim(debao, kind="retention", employer=labor.employer,
                                  items=[(laborer, date(2020, 4, 1))])
    assert again.lines.count() == 1


def test_claims_need_worked_months(labor):
    laborer = _employed(labor)
    with pytest.raises(ValidationError, match="did not work"):
        services.create_claim(labor.users["debao"], kind="retention", employer=labor.employer,
                              items=[(laborer, date(2020, 1, 1))])


def test_claim_chain_roles(labor, api_as):
    laborer = _employed(labor)
    claim = services.create_claim(labor.users["nanshan"], kind="retention", employer=labor.employer,
                                  items=[(laborer, date(2020, 4, 1))])
    status, body = api_as("nanshan").post(f"/api/v1/labor/claims/{claim.pk}/advance", {"status": "reviewed"})
    assert status == 403, body
    status, body = api_as("debao").post(f"/api/v1/labor/claims/{claim.pk}/advance", {"status": "paid"})
    assert status == 422 and "status" in body["errors"]
    status, body = api_as("debao").post(f"/api/v1/labor/claims/{claim.pk}/advance", {"status": "reviewed"})
    assert status == 200 and body["status"] == "reviewed"
    status, _body = api_as("shanwei").post(f"/api/v1/labor/claims/{claim.pk}/advance", {"status": "approved"})
    assert status == 404


def test_second_claim_is_refused_through_the_api(labor, api_as):
    laborer = _employed(labor)
    body = {"kind": "retention", "employer": labor.employer.credit_code,
            "lines": [{"laborer": laborer.pk, "month": "2020-04"}]}
    status, first = api_as("nanshan").post("/api/v1/labor/claims", body)
    assert status == 201, first
    before = ClaimLine.objects.count()
    status, second = api_as("sz").post("/api/v1/labor/claims", body)
    assert status == 422 and second["errors"]["lines"]
    assert ClaimLine.objects.count() == before
    status, bad = api_as("debao").post("/api/v1/labor/claims", {**body, "lines": [{"laborer": laborer.pk,
                                                                                    "month": "2020-13"}]})
    assert status == 422


def test_return_alert_after_the_configured_days(labor, settings, api_as):
    settings.LABOR_RETURN_ALERT_DAYS = 30
    debao = labor.users["debao"]
    today = date.today()
    laborer = labor.laborers[0]
    services.record_employment(debao, laborer, start=today - timedelta(days=200), monthly_wage="4500",
                               channel="organised", employer=labor.employer,
                               work_region=Region.objects.get(code="440305"))
    services.return_home(debao, laborer, today - timedelta(days=20))
    qs = Laborer.objects.all()
    assert not services.return_alerts(qs, today=today).exists()  # 20 days: not yet
    assert list(services.return_alerts(qs, today=today + timedelta(days=10))) == [laborer]
    status, body = api_as("debao").get("/api/v1/labor/alerts?days=10")
    assert status == 200 and [item["id"] for item in body["items"]] == [laborer.pk]
    # A follow-up that offers a placement clears the alert.
    services.follow_up(debao, laborer, today, "推荐县内岗位", offer=True)
    assert not services.return_alerts(qs, today=today + timedelta(days=10)).exists()


def test_matching_both_ways_with_reasons(labor, api_as):
    nanshan = labor.users["nanshan"]
    posting = services.create_posting(nanshan, employer=labor.employer, title="电工",
                                      region=Region.objects.get(code="440305"), wage_min="4000", wage_max="6000",
                                      openings=5, skill_mask=Skill.ELECTRICIAN | Skill.WELDING)
    assert posting.in_helper_city
    status, body = api_as("debao").get(f"/api/v1/labor/postings/{posting.pk}/laborers")
    assert status == 200 and {m["laborer"] for m in body} == {lab.pk for lab in labor.laborers}
    assert "电工" in body[0]["explanation"] or "electrician" in body[0]["explanation"]
    status, body = api_as("shanwei").get(f"/api/v1/labor/postings/{posting.pk}/laborers")
    assert status == 200 and body == []  # 德保's laborers are not 汕尾's
    laborer = labor.laborers[0]
    status, body = api_as("debao").get(f"/api/v1/labor/laborers/{laborer.pk}/postings")
    assert status == 200 and body[0]["posting"] == posting.pk
    status, rec = api_as("debao").post(f"/api/v1/labor/laborers/{laborer.pk}/recommend", {"posting": posting.pk})
    assert status == 201 and rec["status"] == "recommended"
    today = date.today().isoformat()
    status, rec = api_as("debao").post(f"/api/v1/labor/recommendations/{rec['id']}/outcome", {"on": today})
    assert rec["status"] == "interviewed"
    status, rec = api_as("debao").post(f"/api/v1/labor/recommendations/{rec['id']}/outcome",
                                       {"on": today, "hired": True})
    assert rec["status"] == "hired"
    laborer.refresh_from_db()
    assert laborer.state == State.EMPLOYED
    assert Employment.objects.get(laborer=laborer).posting_id == posting.pk


def test_bad_input_is_422_and_writes_nothing(labor, api_as):
    laborer = labor.laborers[0]
    before = ChangeLog.objects.count()
    api = api_as("debao")
    for body in ({"channel": "self", "start": "2020-01-01", "monthly_wage": "-1", "employer_name": "x"},
                 {"channel": "nonsense", "start": "2020-01-01", "monthly_wage": "1", "employer_name": "x"},
                 {"channel": "self", "start": "2999-01-01", "monthly_wage": "1", "employer_name": "x"},
                 {"channel": "workshop", "start": "2020-01-01", "monthly_wage": "1"},
                 {"channel": "self", "start": "2020-01-01", "monthly_wage": "1", "end": "2019-01-01",
                  "employer_name": "x"}):
        status, reply = api.post(f"/api/v1/labor/laborers/{laborer.pk}/employments", body)
        assert status == 422, (body, reply)
    status, _reply = api.post("/api/v1/labor/postings", {"employer": "nonsense", "title": "x", "region": "440305",
                                                         "wage_min": "1", "wage_max": "2", "openings": 1})
    assert status == 422
    assert ChangeLog.objects.count() == before


def test_summary_counts_distinct_people_in_scope(labor, api_as):
    debao = labor.users["debao"]
    a, b = labor.laborers[:2]
    post = services.create_post(debao, name="保洁员", region=labor.village, monthly_pay="500",
                                created_on=date(2019, 1, 1))
    job = services.record_employment(debao, a, start=date(2019, 3, 1), monthly_wage="500", channel="public_welfare",
                                     post=post)
    services.end_employment(debao, job, date(2019, 12, 31))
    services.record_employment(debao, a, start=date(2020, 2, 1), monthly_wage="4500", channel="organised",
                               employer=labor.employer, work_region=Region.objects.get(code="440305"))
    services.record_employment(debao, b, start=date(2020, 2, 1), monthly_wage="2500", channel="self",
                               employer_name="本地")
    status, body = api_as("debao").get("/api/v1/labor/summary?recipient=451024")
    assert status == 200, body
    assert body["registered"] == 3 and body["employed"] == 2 and body["employed_in_helper_city"] == 1
    assert body["public_welfare_posts"] == 1 and body["public_welfare_workers"] == 1
    status, year = api_as("debao").get("/api/v1/labor/summary?recipient=451024&year=2019")
    assert year["employed"] == 1 and year["registered"] == 3
    status, sz = api_as("sz").get("/api/v1/labor/summary?helper=440300")
    assert status == 200 and sz["employed"] == 2
    status, _body = api_as("shanwei").get("/api/v1/labor/summary?recipient=451024")
    assert status == 404
    status, sw = api_as("shanwei").get("/api/v1/labor/summary?recipient=441500")
    assert status == 200 and sw["employed"] == 0
    status, _body = api_as("debao").get("/api/v1/labor/summary")
    assert status == 422


def test_laborer_api_masks_the_phone(labor, api_as):
    status, body = api_as("debao").get(f"/api/v1/labor/laborers/{labor.laborers[0].pk}")
    assert status == 200 and "****" in body["phone"]
    status, timeline = api_as("debao").get(f"/api/v1/labor/laborers/{labor.laborers[0].pk}/timeline")
    assert [e["state"] for e in timeline] == ["registered"]


def test_posting_is_refused_without_a_valid_range(labor):
    with pytest.raises(ValidationError):
        services.create_posting(labor.users["nanshan"], employer=labor.employer, title="x",
                                region=Region.objects.get(code="440305"), wage_min="5000", wage_max="4000",
                                openings=1)
    assert not Posting.objects.exists()


def _summary_world(labor):
    """Three laborers: one stable in the helper city since 2019, one in a public-welfare post and then home, one
    registered only; a fourth in 汕尾, outside 德保."""
    debao = labor.users["debao"]
    a, b, _c = labor.laborers
    services.record_employment(debao, a, start=date(2019, 2, 1), monthly_wage="4500", channel="organised",
                               employer=labor.employer, work_region=Region.objects.get(code="440305"))
    post = services.create_post(debao, name="护林员", region=labor.village, monthly_pay="600",
                                created_on=date(2019, 1, 1))
    job = services.record_employment(debao, b, start=date(2019, 3, 1), monthly_wage="600",
                                     channel="public_welfare", post=post)
    services.end_employment(debao, job, date(2019, 5, 31))
    services.return_home(debao, b, date(2019, 6, 1))
    services.register(labor.users["shanwei"], add_member(labor.sw_village, 40), on=date(2019, 1, 2))


def _live_summary(user, paths, year=None, today=None):
    """The figures the long way, row by row in Python, for the rows the user may see in the places."""
    today = today or date.today()
    until = min(date(year, 12, 31), today) if year else today
    start, end = (date(year, 1, 1), date(year, 12, 31)) if year else (None, None)

    def here(row):
        return row.region_path.startswith(tuple(paths))

    laborers = [x for x in Laborer.objects.visible_to(user) if here(x) and (not year or x.registered_on.year == year)]
    jobs = [j for j in Employment.objects.visible_to(user) if here(j)
            and (not year or (j.start <= end and (j.end is None or j.end >= start)))]
    stable = set(Employment.objects.filter(services.stable_q(until), pk__in=[j.pk for j in jobs])
                 .values_list("laborer_id", flat=True))
    returned = {e.laborer_id for e in Event.objects.visible_to(user) if here(e) and e.state == State.RETURNED
                and (not year or e.on.year == year)}
    return {"registered": len(laborers), "employed": len({j.laborer_id for j in jobs}),
            "employed_in_helper_city": len({j.laborer_id for j in jobs if j.place == Place.HELPER_CITY}),
            "stable": len(stable), "returned": len(returned),
            "public_welfare_workers": len({j.laborer_id for j in jobs if j.channel == "public_welfare"})}


@pytest.mark.parametrize("username, query", [("debao", {"recipient": "451024"}), ("sz", {"helper": "440300"}),
                                             ("nanshan", {"helper": "440305"}), ("admin", {"helper": "440300"})])
@pytest.mark.parametrize("year", [None, 2019, 2020])
def test_summary_equals_the_figures_counted_row_by_row(labor, username, query, year):
    from bangfu.labor.figures import places, summary

    _summary_world(labor)
    user = labor.users[username]
    paths, _org = places(user, **query)
    figures = summary(user, year=year, **query)
    live = _live_summary(user, paths, year)
    assert {k: figures[k] for k in live} == live
    assert figures["employed"] or year == 2020  # the world is not empty


def test_summary_counts_in_one_query_per_table_and_tests_places_without_a_pattern_each(labor):
    """The labour page took 0.9 s alone on the seed demo: every row of the laborers, jobs and events was tested
    against one LIKE pattern per place (40 for Shenzhen) on top of the scope's, and the jobs were read four times.
    Now each place length is one set lookup, and the jobs' four figures come from one query."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bangfu.core.scope import scope_of
    from bangfu.labor.figures import summary

    _summary_world(labor)
    sz = labor.users["sz"]
    with CaptureQueriesContext(connection) as queries:
        summary(sz, helper="440300")
    scope = scope_of(sz)
    # The scope's subtrees, and for job fairs the helper's own organisation subtree; no pattern per place.
    patterns = len(scope.region_paths) + len(scope.org_paths) + 1
    labour = [q["sql"] for q in queries.captured_queries if 'FROM "labor_' in q["sql"]]
    assert all(sql.count(" LIKE ") <= patterns for sql in labour), [sql.count(" LIKE ") for sql in labour]
    assert sum('FROM "labor_employment"' in sql for sql in labour) == 1
