"""Assistance measures and visits (API and web), and entering a year's income and conditions on the household page:
created through the services with a change-log entry, bad input refused naming the field, 403 for roles that may
not write (nanshan, auditor), 404 outside the scope (shanwei), and nothing written on a refusal."""

from datetime import date, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from bangfu.core.models import ChangeLog
from bangfu.households.models import Conditions, Income, Measure, Visit
from tests.households.conftest import text

TODAY = timezone.localdate()
MEASURE = {"kind": "employment", "description": "推荐到县城扶贫车间务工", "responsible_unit": "县人社局",
           "responsible_person": "王干部", "start": str(TODAY - timedelta(days=3))}


def log_for(obj, action="create"):
    return ChangeLog.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk),
                                    action=action)


def url(hh, tail=""):
    return f"/api/v1/households/{hh.pk}/{tail}"


# --- API ------------------------------------------------------------------------------------------------------------

def test_api_adds_lists_and_updates_a_measure(hw, api_as):
    debao, monitored = api_as("debao"), hw["monitored"]
    status, body = debao.post(url(monitored, "measures"), {**MEASURE, "reason": "入户核实后制定"})
    assert status == 201, body
    measure = Measure.objects.get(pk=body["id"])
    assert body["kind"] == "employment" and body["end"] is None and body["household"] == monitored.pk
    assert (measure.county_code, measure.region_path) == (monitored.county_code, monitored.region_path)
    entry = log_for(measure).get()
    assert entry.actor_name == "debao" and entry.via == "api" and entry.reason == "入户核实后制定"

    status, body = debao.get(url(monitored, "measures"))
    assert status == 200 and body["count"] == 2 and body["items"][0]["id"] == measure.pk

    status, body = debao.patch(url(monitored, f"measures/{measure.pk}"),
                               {"outcome": "已稳定就业，月收入 3000 元", "end": str(TODAY), "reason": "结束"})
    assert status == 200, body
    measure.refresh_from_db()
    assert measure.end == TODAY and measure.outcome.startswith("已稳定就业")
    assert measure.description == MEASURE["description"]  # the fields not given stay as they were
    update = log_for(measure, "update").get()
    assert update.before["outcome"] == "" and update.after["end"] == str(TODAY)


def test_api_measure_free_text_is_scrubbed(hw, api_as):
    status, body = api_as("debao").post(url(hw["monitored"], "measures"),
                                        {**MEASURE, "outcome": "联系电话 13907761234"})
    assert status == 201 and "139****1234" in body["outcome"] and "13907761234" not in body["outcome"]


@pytest.mark.parametrize("changes, field", [
    ({"kind": "lottery"}, "kind"),
    ({"description": "  "}, "description"),
    ({"responsible_unit": ""}, "responsible_unit"),
    ({"start": "2020-13-01"}, "start"),
    ({"end": "2000-01-01"}, "end"),  # before the start
    ({"description": "x" * 301}, "description"),
])
def test_api_refuses_bad_measures_naming_the_field(hw, api_as, changes, field):
    before = (Measure.objects.count(), ChangeLog.objects.count())
    status, body = api_as("debao").post(url(hw["monitored"], "measures"), {**MEASURE, **changes})
    assert status == 422 and field in body["errors"], body
    assert (Measure.objects.count(), ChangeLog.objects.count()) == before


def test_api_measures_are_for_monitored_households(hw, api_as):
    before = ChangeLog.objects.count()
    status, body = api_as("debao").post(url(hw["hh"], "measures"), MEASURE)
    assert status == 422 and "household" in body["errors"]
    assert not hw["hh"].measures.exists() and ChangeLog.objects.count() == before


def test_api_measure_update_refuses_an_end_before_the_start(hw, api_as):
    measure = hw["monitored"].measures.get()
    status, body = api_as("debao").patch(url(hw["monitored"], f"measures/{measure.pk}"),
                                         {"end": str(measure.start - timedelta(days=1))})
    assert status == 422 and "end" in body["errors"]
    measure.refresh_from_db()
    assert measure.end is None and not log_for(measure, "update").exists()


def test_api_visits(hw, api_as):
    debao, hh = api_as("debao"), hw["hh"]  # any household may be visited, monitored or not
    status, body = debao.post(url(hh, "visits"), {"visited_on": str(TODAY), "visitor": "李干部",
                                                  "notes": "户主 13907761234 外出务工"})
    assert status == 201, body
    assert "139****1234" in body["notes"]
    visit = Visit.objects.get(pk=body["id"])
    assert visit.region_path == hh.region_path and log_for(visit).exists()
    status, body = debao.get(url(hh, "visits"))
    assert status == 200 and body["count"] == 1 and body["items"][0]["id"] == visit.pk
    for bad, field in (({"visited_on": str(TODAY + timedelta(days=1))}, "visited_on"), ({"notes": ""}, "notes"),
                       ({"visitor": " "}, "visitor")):
        status, body = debao.post(url(hh, "visits"), {"visited_on": str(TODAY), "visitor": "李干部", "notes": "x",
                                                      **bad})
        assert status == 422 and field in body["errors"], (bad, body)
    assert hh.visits.count() == 1


@pytest.mark.parametrize("who, status", [("nanshan", 403), ("auditor", 403), ("shanwei", 404)])
def test_api_refuses_roles_and_scopes(hw, api_as, who, status):
    client, monitored = api_as(who), hw["monitored"]
    measure = monitored.measures.get()
    before = (Measure.objects.count(), Visit.objects.count(), ChangeLog.objects.count())
    assert client.post(url(monitored, "measures"), MEASURE)[0] == status
    assert client.patch(url(monitored, f"measures/{measure.pk}"), {"outcome": "x"})[0] == status
    assert client.post(url(monitored, "visits"), {"visited_on": str(TODAY), "visitor": "x", "notes": "x"})[0] == status
    assert (Measure.objects.count(), Visit.objects.count(), ChangeLog.objects.count()) == before
    measure.refresh_from_db()
    assert measure.outcome == ""
    reads = 404 if who == "shanwei" else 200  # readers see, but may not write
    assert client.get(url(monitored, "measures"))[0] == reads
    assert client.get(url(monitored, "visits"))[0] == reads


def test_api_a_measure_of_another_household_is_404(hw, api_as):
    measure = hw["monitored"].measures.get()
    status, _body = api_as("debao").patch(url(hw["hh"], f"measures/{measure.pk}"), {"outcome": "x"})
    assert status == 404


# --- web ------------------------------------------------------------------------------------------------------------

def test_household_page_offers_the_forms_to_those_who_may_write(web, hw):
    monitored, measure = hw["monitored"], hw["monitored"].measures.get()
    page = text(web("village").get(f"/households/{monitored.pk}/"))
    for link in (f"/households/{monitored.pk}/measures/new/", f"/households/{monitored.pk}/measures/{measure.pk}/edit/",
                 f"/households/{monitored.pk}/visits/new/", f"/households/{monitored.pk}/income/new/",
                 f"/households/{monitored.pk}/conditions/new/"):
        assert link in page, link
    assert f"/households/{hw['hh'].pk}/measures/new/" not in text(web("village").get(f"/households/{hw['hh'].pk}/"))
    assert "/measures/new/" not in text(web("nanshan").get(f"/households/{monitored.pk}/"))
    assert "/visits/new/" not in text(web("auditor").get(f"/households/{monitored.pk}/"))


def test_web_adds_a_measure_and_records_its_outcome(web, hw):
    client, monitored = web("village"), hw["monitored"]
    assert client.get(f"/households/{monitored.pk}/measures/new/").status_code == 200
    response = client.post(f"/households/{monitored.pk}/measures/new/", {**MEASURE, "reason": "制定帮扶计划"})
    assert response.status_code == 302 and response["Location"].endswith(f"/households/{monitored.pk}/#measures")
    measure = monitored.measures.get(kind="employment")
    entry = log_for(measure).get()
    assert entry.actor_name == "cunganbu" and entry.via == "ui"

    edit = f"/households/{monitored.pk}/measures/{measure.pk}/edit/"
    assert MEASURE["description"] in text(client.get(edit))
    response = client.post(edit, {"outcome": "已就业", "end": str(TODAY)})
    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.outcome == "已就业" and measure.end == TODAY and log_for(measure, "update").exists()
    assert "已就业" in text(client.get(f"/households/{monitored.pk}/"))

    response = client.post(edit, {"outcome": "x", "end": str(measure.start - timedelta(days=1))})
    assert response.status_code == 200 and "end" in response.context["form"].errors
    measure.refresh_from_db()
    assert measure.outcome == "已就业"


def test_web_refuses_bad_measures(web, hw):
    client, before = web("village"), ChangeLog.objects.count()
    response = client.post(f"/households/{hw['monitored'].pk}/measures/new/",
                           {**MEASURE, "end": str(date(2001, 1, 1))})
    assert response.status_code == 200 and "end" in response.context["form"].errors
    response = client.post(f"/households/{hw['hh'].pk}/measures/new/", MEASURE)  # not monitored
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert ChangeLog.objects.count() == before and Measure.objects.count() == 1


def test_web_adds_a_visit(web, hw):
    client, hh = web("village"), hw["hh"]
    response = client.post(f"/households/{hh.pk}/visits/new/",
                           {"visited_on": str(TODAY), "visitor": "李干部", "notes": "家中无人，电话回访"})
    assert response.status_code == 302
    visit = hh.visits.get()
    assert log_for(visit).exists() and "家中无人" in text(client.get(f"/households/{hh.pk}/"))
    response = client.post(f"/households/{hh.pk}/visits/new/",
                           {"visited_on": str(TODAY + timedelta(days=2)), "visitor": "李干部", "notes": "x"})
    assert response.status_code == 200 and "visited_on" in response.context["form"].errors
    assert hh.visits.count() == 1


def test_web_records_income_and_conditions(web, hw):
    client, hh = web("village"), hw["hh"]
    response = client.post(f"/households/{hh.pk}/income/new/",
                           {"year": TODAY.year, "wage": "20000", "transfer": "1000", "production_cost": "500",
                            "reason": "年度收入核查"})
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    income = Income.objects.get(household=hh, year=TODAY.year)
    assert income.members_counted == hh.size and str(income.per_capita) == "10250.00"
    assert log_for(income).get().reason == "年度收入核查"
    response = client.post(f"/households/{hh.pk}/income/new/", {"year": TODAY.year, "wage": "-1"})
    assert response.status_code == 200 and "wage" in response.context["form"].errors
    response = client.post(f"/households/{hh.pk}/income/new/", {"year": TODAY.year + 1, "wage": "1"})
    assert response.status_code == 200 and "year" in response.context["form"].errors

    response = client.post(f"/households/{hh.pk}/conditions/new/",
                           {"year": TODAY.year, "housing_grade": "B", "food_clothing": "on",
                            "compulsory_education": "on", "basic_medical": "on", "water_quantity": "on",
                            "water_convenience": "on", "water_reliability": "on", "evidence": "水质检测报告"})
    assert response.status_code == 302
    conditions = Conditions.objects.get(household=hh, year=TODAY.year)
    assert conditions.failures() == ["water_quality"] and log_for(conditions).exists()
    assert Income.objects.filter(household=hh).count() == 3


@pytest.mark.parametrize("who, status", [("nanshan", 403), ("auditor", 403), ("shanwei", 404)])
def test_web_forms_refuse_roles_and_scopes(web, hw, who, status):
    client, monitored = web(who), hw["monitored"]
    measure = monitored.measures.get()
    before = ChangeLog.objects.count()
    posts = {
        "measures/new/": MEASURE, f"measures/{measure.pk}/edit/": {"outcome": "x"},
        "visits/new/": {"visited_on": str(TODAY), "visitor": "x", "notes": "x"},
        "income/new/": {"year": TODAY.year, "wage": "1"}, "conditions/new/": {"year": TODAY.year, "housing_grade": "A"},
    }
    for tail, body in posts.items():
        assert client.get(f"/households/{monitored.pk}/{tail}").status_code == status, tail
        assert client.post(f"/households/{monitored.pk}/{tail}", body).status_code == status, tail
    assert ChangeLog.objects.count() == before


def test_web_a_measure_of_another_household_is_404(web, hw):
    measure = hw["monitored"].measures.get()
    assert web("village").get(f"/households/{hw['hh'].pk}/measures/{measure.pk}/edit/").status_code == 404
