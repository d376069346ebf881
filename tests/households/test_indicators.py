"""The households' indicators kept up to date: a write through a service marks its county stale once committed, a
refresh task is queued (one, however many writes), and the refresh leaves the facts equal to a full rebuild."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from bangfu.core import facts
from bangfu.core.models import Fact, FactsRun, StaleFacts
from bangfu.core.tasks import recount_daily_indicators, refresh_indicators
from bangfu.households import services
from tests.households.conftest import TODAY

pytestmark = pytest.mark.django_db


def stored() -> dict:
    return {(f.code, f.region_path, f.helper_path, f.period): f.value for f in Fact.objects.all()}


def test_a_write_marks_its_county_stale_and_the_refresh_equals_a_rebuild(world, hw, django_capture_on_commit_callbacks):
    facts.rebuild()
    debao = world.village.path.split("/")
    county = "/".join(debao[:3]) + "/"
    year = str(TODAY.year)
    income = ("households.net_income", county, "", year)
    assert income not in stored()

    with django_capture_on_commit_callbacks(execute=True):
        services.record_income(world.users["debao"], hw["hh"], TODAY.year, wage=Decimal("30000"), members_counted=2)
        services.record_income(world.users["debao"], hw["monitored"], TODAY.year, wage=Decimal("10000"),
                               members_counted=2)
    assert list(StaleFacts.objects.values_list("region_path", flat=True)) == [county]
    queued = DBTaskResult.objects.filter(task_path=refresh_indicators.module_path, status="READY")
    assert queued.count() == 1  # two writes, one refresh

    assert facts.refresh_stale() == [county]
    assert not StaleFacts.objects.exists()
    refreshed = stored()
    assert refreshed[income] == Decimal("40000.00")
    assert refreshed["households.net_income", "", "", year] == Decimal("40000.00")  # and every region above
    facts.rebuild()
    assert stored() == refreshed


def test_undoing_the_last_record_of_a_region_removes_its_facts(world, hw, django_capture_on_commit_callbacks):
    facts.rebuild()
    village = world.sw_village.path
    assert stored()["households.registered", village, "", "all"] == Decimal("1.00")
    with django_capture_on_commit_callbacks(execute=True):
        hw["sw_clue"].transitions.all().delete()
        hw["sw_clue"].delete()
        hw["sw"].incomes.all().delete()
        hw["sw"].conditions.all().delete()
        hw["sw"].members.all().delete()
        hw["sw"].delete()
        facts.touch([village])
    facts.refresh_stale()
    assert not [key for key in stored() if key[1].startswith(village)]
    refreshed = stored()
    facts.rebuild()
    assert stored() == refreshed


def test_figures_say_how_fresh_they_are(world, hw, django_capture_on_commit_callbacks):
    assert facts.freshness() == {"computed": None, "stale_since": None}
    facts.rebuild()
    computed = facts.freshness()["computed"]
    assert computed is not None
    with django_capture_on_commit_callbacks(execute=True):
        services.add_visit(world.users["debao"], hw["hh"], visited_on=TODAY, visitor="李干部", notes="走访")
    assert facts.freshness()["stale_since"] is not None
    facts.refresh_stale()
    assert facts.freshness()["stale_since"] is None and facts.freshness()["computed"] > computed


def test_figures_that_move_with_the_date_are_recounted_daily(world, hw, api_as):
    facts.rebuild()
    county = "/".join(world.village.path.split("/")[:3]) + "/"
    assert ("households.overdue_cases", county, "", "all") not in stored()
    hw["clue"].deadline = TODAY - timedelta(days=1)  # a case falls overdue overnight, with no write to tell
    hw["clue"].save()
    api_as("debao").get("/api/v1/indicators/values?code=households.registered&region=451024")
    daily = DBTaskResult.objects.filter(task_path=recount_daily_indicators.module_path)
    assert not daily.exists()  # counted today already
    FactsRun.objects.update(started=timezone.now() - timedelta(days=1))
    api_as("debao").get("/api/v1/indicators/values?code=households.registered&region=451024")
    api_as("debao").get("/api/v1/indicators/values?code=households.registered&region=451024")
    assert daily.count() == 1
    facts.recount_daily()
    assert stored()["households.overdue_cases", county, "", "all"] == Decimal("1.00")



def test_a_database_without_facts_computes_them_at_the_first_reading(world, hw, api_as):
    status, body = api_as("debao").get("/api/v1/indicators/values?code=households.registered&region=451024")
    assert body["items"][0]["value"] == "0.00"  # nothing computed yet (the page says so)
    assert DBTaskResult.objects.filter(task_path=recount_daily_indicators.module_path).count() == 1
    facts.recount_daily()
    status, body = api_as("debao").get("/api/v1/indicators/values?code=households.registered&region=451024")
    assert body["items"][0]["value"] == "2.00"
    assert FactsRun.objects.get().kind == FactsRun.Kind.REBUILD


def test_a_refresh_recounts_only_the_indicators_of_the_tables_written(world, hw, django_capture_on_commit_callbacks):
    facts.rebuild()
    county = "/".join(world.village.path.split("/")[:3]) + "/"
    people = Fact.objects.get(code="households.people", region_path=county, helper_path="", period="all")
    Fact.objects.filter(pk=people.pk).update(value=Decimal("99"))  # a marker: recounted only if its table changed
    with django_capture_on_commit_callbacks(execute=True):
        services.record_income(world.users["debao"], hw["hh"], TODAY.year, wage=Decimal("30000"), members_counted=2)
    assert set(StaleFacts.objects.values_list("model", flat=True)) == {"households.Income"}
    facts.refresh_stale()
    assert stored()["households.net_income", county, "", str(TODAY.year)] == Decimal("30000.00")
    assert Fact.objects.get(pk=people.pk).value == Decimal("99")  # members untouched: not recounted
