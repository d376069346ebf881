"""The labour and talent pages: scope, forms through the services, errors as form errors, CSV."""

from datetime import date

import pytest
from django.test import Client

from bangfu.labor import services
from bangfu.labor.models import Employment, Laborer, Posting
from bangfu.regions.models import Region
from bangfu.talent.models import PersonSent
from tests.labor.conftest import add_member


def web(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    return client


def test_pages_in_scope(labor):
    debao, shanwei = web(labor.users["debao"]), web(labor.users["shanwei"])
    laborer = labor.laborers[0]
    response = debao.get("/labor/")
    assert response.status_code == 200 and "劳务协作" in response.content.decode()
    page = debao.get("/labor/laborers/").content.decode()
    assert laborer.name in page and "138****8000" in page
    assert debao.get(f"/labor/laborers/{laborer.pk}/").status_code == 200
    assert shanwei.get(f"/labor/laborers/{laborer.pk}/").status_code == 404
    assert laborer.name not in shanwei.get("/labor/laborers/").content.decode()
    csv = debao.get("/labor/laborers/?export=csv")
    assert laborer.name in b"".join(csv.streaming_content).decode("utf-8-sig")


def test_employment_through_the_form_and_errors(labor):
    debao = web(labor.users["debao"])
    laborer = labor.laborers[0]
    url = f"/labor/laborers/{laborer.pk}/employment/"
    bad = debao.post(url, {"channel": "workshop", "start": "2020-03-01", "monthly_wage": "2000"})
    assert bad.status_code == 200 and "车间" in bad.content.decode()
    assert not Employment.objects.exists()
    ok = debao.post(url, {"channel": "self", "start": "2020-03-01", "monthly_wage": "2500",
                          "employer_name": "本地企业"})
    assert ok.status_code == 302
    laborer.refresh_from_db()
    assert laborer.state == "employed"
    page = debao.get(f"/labor/laborers/{laborer.pk}/").content.decode()
    assert "本地企业" in page and 'id="timeline"' in page


def test_posting_page_lists_fitting_laborers_and_recommends(labor):
    posting = services.create_posting(labor.users["nanshan"], employer=labor.employer, title="电工",
                                      region=Region.objects.get(code="440305"), wage_min="4000", wage_max="5000",
                                      openings=3)
    debao = web(labor.users["debao"])
    page = debao.get(f"/labor/postings/{posting.pk}/").content.decode()
    assert labor.laborers[0].name in page
    response = debao.post(f"/labor/postings/{posting.pk}/recommend/", {"laborer": labor.laborers[0].pk})
    assert response.status_code == 302
    assert labor.laborers[0].recommendations.count() == 1
    assert web(labor.users["auditor"]).post(f"/labor/postings/{posting.pk}/recommend/",
                                             {"laborer": labor.laborers[1].pk}).status_code == 403
    assert Posting.objects.count() == 1


def test_bulk_registration_page(world):
    for i in range(50, 55):
        add_member(world.village, i)
    response = web(world.users["debao"]).post("/labor/laborers/bulk/", {"region": "451024"})
    assert response.status_code == 302
    assert Laborer.objects.count() == 5
    response = web(world.users["debao"]).post("/labor/laborers/bulk/", {"region": "441500"})
    assert response.status_code == 200 and Laborer.objects.count() == 5


@pytest.mark.parametrize(("user", "status", "kept"), [("debao", 302, 1), ("shanwei", 200, 0), ("auditor", 403, 0)])
def test_who_may_record_people_sent(world, user, status, kept):
    # 德保县 records the cadres it receives from 南山区; 汕尾市 cannot name 德保县; the auditor only reads.
    response = web(world.users[user]).post("/talent/sent/new/", {
        "name": "张三", "kind": "cadre", "from_org": "440305", "to_region": "451024", "start": "2020-01-01"})
    assert response.status_code == status
    assert PersonSent.objects.count() == kept


def test_talent_pages(world):
    nanshan = web(world.users["nanshan"])
    response = nanshan.post("/talent/sent/new/", {"name": "张三", "kind": "cadre", "from_org": "440305",
                                                  "to_region": "451024", "start": "2020-01-01"})
    assert response.status_code == 302, response.content.decode()[:2000]
    page = nanshan.get("/talent/").content.decode()
    assert "2020" in page and 'data-total="sent">1<' in page
    assert "张三" in nanshan.get("/talent/sent/?year=2020").content.decode()
    assert "张三" not in web(world.users["shanwei"]).get("/talent/sent/").content.decode()
    assert date.today()


def test_lists_cost_the_same_few_queries_for_many_rows(labor, query_baseline):
    debao = web(labor.users["debao"])
    for i in range(60, 90):
        services.register(labor.users["debao"], add_member(labor.village, i), on=date(2020, 1, 1))
    for url in ("/labor/laborers/", "/labor/workshops/", "/labor/claims/", "/labor/stations/", "/labor/postings/"):
        with query_baseline(url):
            assert debao.get(url).status_code == 200


def test_register_one_member_through_the_form(world):
    member = add_member(world.village, 95)
    response = web(world.users["debao"]).post("/labor/laborers/new/", {
        "member": member.pk, "skills": ["2", "32"], "training_wishes": ["cantonese_chef"], "intention": "helper_city",
        "on": "2020-01-01"})
    assert response.status_code == 302
    laborer = Laborer.objects.get(member=member)
    assert laborer.skill_mask == 34 and laborer.training_wishes == ["cantonese_chef"]


def test_course_attendance_through_the_form(labor):
    course = services.create_course(labor.users["debao"], name="粤菜师傅培训班", kind="cantonese_chef",
                                    region=labor.village, start=date(2020, 3, 1), end=date(2020, 3, 20))
    debao = web(labor.users["debao"])
    bad = debao.post(f"/labor/courses/{course.pk}/attendance/", {"laborer": labor.laborers[0].pk,
                                                                 "certificate": "X1"})
    assert bad.status_code == 200 and not course.attendances.exists()  # a certificate needs completion
    ok = debao.post(f"/labor/courses/{course.pk}/attendance/", {"laborer": labor.laborers[0].pk, "completed": "on",
                                                                "certificate": "X1"})
    assert ok.status_code == 302 and course.attendances.count() == 1
    assert labor.laborers[0].name in debao.get(f"/labor/courses/{course.pk}/").content.decode()
    assert web(labor.users["shanwei"]).get(f"/labor/courses/{course.pk}/").status_code == 404


def test_recommendation_outcome_through_the_form(labor):
    posting = services.create_posting(labor.users["nanshan"], employer=labor.employer, title="电工",
                                      region=Region.objects.get(code="440305"), wage_min="4000", wage_max="5000",
                                      openings=3)
    laborer = labor.laborers[0]
    rec = services.recommend(labor.users["debao"], laborer, posting, on=date(2020, 3, 1))
    debao = web(labor.users["debao"])
    url = f"/labor/recommendations/{rec.pk}/outcome/"
    assert url in debao.get(f"/labor/laborers/{laborer.pk}/").content.decode()
    assert url in debao.get(f"/labor/postings/{posting.pk}/").content.decode()
    bad = debao.post(url, {"outcome": "interviewed", "on": "2020-02-01"})  # before the recommendation
    assert bad.status_code == 200 and "2020-03-01" in bad.content.decode()
    rec.refresh_from_db()
    assert rec.status == "recommended" and rec.interviewed_on is None
    assert debao.post(url, {"outcome": "interviewed", "on": "2020-03-05"}).status_code == 302
    ok = debao.post(url, {"outcome": "hired", "on": "2020-03-10", "monthly_wage": "4500"})
    assert ok.status_code == 302
    rec.refresh_from_db()
    laborer.refresh_from_db()
    assert rec.status == "hired" and rec.interviewed_on == date(2020, 3, 5) and laborer.state == "employed"
    assert laborer.employments.get().monthly_wage == 4500
    again = debao.post(url, {"outcome": "declined", "on": "2020-03-11"})  # decided already: a form error
    assert again.status_code == 200 and "已" in again.content.decode()
    rec.refresh_from_db()
    assert rec.status == "hired"
    assert web(labor.users["shanwei"]).post(url, {"outcome": "declined", "on": "2020-03-11"}).status_code == 404


def test_edit_a_laborer_through_the_form(labor):
    laborer = labor.laborers[0]
    debao = web(labor.users["debao"])
    url = f"/labor/laborers/{laborer.pk}/edit/"
    assert url in debao.get(f"/labor/laborers/{laborer.pk}/").content.decode()
    assert debao.get(url).status_code == 200
    bad = debao.post(url, {"skills": ["1"], "intention": "mars", "phone": "13900000000"})
    assert bad.status_code == 200 and "mars" in bad.content.decode()
    laborer.refresh_from_db()
    assert laborer.skill_mask == 2 and laborer.phone != "13900000000"
    ok = debao.post(url, {"skills": ["1", "32"], "training_wishes": ["cantonese_chef"], "intention": "local",
                          "phone": "13900000000", "reason": "电话更新"})
    assert ok.status_code == 302
    laborer.refresh_from_db()
    assert (laborer.skill_mask, laborer.training_wishes, laborer.intention, laborer.phone) == (
        33, ["cantonese_chef"], "local", "13900000000")
    assert web(labor.users["shanwei"]).post(url, {"intention": "local"}).status_code == 404
    assert web(labor.users["auditor"]).post(url, {"intention": "local"}).status_code == 403


def test_end_a_secondment_through_the_form(world):
    from bangfu.regions.models import Organisation
    from bangfu.talent import services as talent

    person = talent.record_sent(world.users["nanshan"], name="张三", kind="cadre",
                                from_org=Organisation.objects.get(region_id="440305", represents_region=True),
                                to_region=Region.objects.get(code="451024"), start=date(2020, 1, 1))
    nanshan = web(world.users["nanshan"])
    url = f"/talent/sent/{person.pk}/end/"
    assert url in nanshan.get("/talent/sent/").content.decode()
    bad = nanshan.post(url, {"on": "2019-12-01", "reason": "期满"})  # before the start
    assert bad.status_code == 200 and "2020-01-01" in bad.content.decode()
    person.refresh_from_db()
    assert person.end is None
    assert web(world.users["shanwei"]).post(url, {"on": "2021-01-01"}).status_code == 404
    assert web(world.users["auditor"]).post(url, {"on": "2021-01-01"}).status_code == 403
    ok = nanshan.post(url, {"on": "2021-01-01", "reason": "期满"})
    assert ok.status_code == 302
    person.refresh_from_db()
    assert person.end == date(2021, 1, 1)
    assert url not in nanshan.get("/talent/sent/").content.decode()
    again = nanshan.post(url, {"on": "2021-02-01"})
    assert again.status_code == 200
    person.refresh_from_db()
    assert person.end == date(2021, 1, 1)


def test_add_station_staff_through_the_form(labor):
    station = services.create_station(labor.users["debao"], name="德保县劳务服务站",
                                      region=Region.objects.get(code="451024"))
    debao = web(labor.users["debao"])
    url = f"/labor/stations/{station.pk}/staff/"
    assert url in debao.get("/labor/stations/").content.decode()
    bad = debao.post(url, {"name": "李四", "phone": "13900000000"})  # no role
    assert bad.status_code == 200 and "invalid-feedback" in bad.content.decode()
    assert not station.staff.exists()
    assert web(labor.users["shanwei"]).post(url, {"name": "王五", "role": "站长"}).status_code == 404
    assert web(labor.users["auditor"]).post(url, {"name": "王五", "role": "站长"}).status_code == 403
    ok = debao.post(url, {"name": "李四", "role": "站长", "phone": "13900000000"})
    assert ok.status_code == 302
    assert [(s.name, s.role) for s in station.staff.all()] == [("李四", "站长")]
    assert "李四（站长）" in debao.get("/labor/stations/").content.decode()


def test_mark_stable_through_the_form(labor):
    laborer = labor.laborers[0]
    services.record_employment(labor.users["debao"], laborer, start=date(2020, 1, 1), monthly_wage="3000",
                               channel="self", employer_name="本地企业")
    debao = web(labor.users["debao"])
    url = f"/labor/laborers/{laborer.pk}/stable/"
    assert url in debao.get(f"/labor/laborers/{laborer.pk}/").content.decode()
    bad = debao.post(url, {"on": "2020-03-01"})  # two months in the job only
    assert bad.status_code == 200 and "不足 6 个月" in bad.content.decode()
    laborer.refresh_from_db()
    assert laborer.state == "employed" and not laborer.events.filter(state="stable").exists()
    assert web(labor.users["shanwei"]).post(url, {"on": "2020-08-01"}).status_code == 404
    ok = debao.post(url, {"on": "2020-08-01"})
    assert ok.status_code == 302
    laborer.refresh_from_db()
    assert laborer.state == "stable" and laborer.state_on == date(2020, 8, 1)
    assert url not in debao.get(f"/labor/laborers/{laborer.pk}/").content.decode()


def test_the_labour_home_page_keeps_to_its_query_baseline(labor, query_baseline):
    """The summary's four job figures come from one query (they took four: the page took 0.9 s on the seed demo)."""
    for username in ("debao", "sz"):
        client = web(labor.users[username])
        with query_baseline("/labor/"):
            assert client.get("/labor/").status_code == 200
