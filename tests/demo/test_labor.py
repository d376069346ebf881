"""The seed demo's labour and people figures come out of the records, and every demo timeline obeys the loop."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum

from bangfu.demo.build import build_demo
from bangfu.labor import services
from bangfu.labor.models import NEXT_STATES, Claim, Event, Laborer, Posting, Workshop
from bangfu.labor.services import return_alerts
from bangfu.talent.models import PersonSent, PersonTrained
from bangfu.talent.services import in_post_q
from tests.conftest import ApiClient


@pytest.fixture(scope="module")
def seed(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        build_demo(password="Labor-demo-2026-pass")
        yield {u.username: u for u in get_user_model().objects.all()}
        transaction.set_rollback(True)


@pytest.fixture
def users(seed, db):
    return seed


def test_debao_and_shenzhen_figures(users):
    status, debao = ApiClient(users["debao"]).get("/api/v1/labor/summary?recipient=451024")
    assert status == 200
    assert (debao["employed"], debao["public_welfare_posts"], debao["public_welfare_workers"],
            debao["job_fairs"]) == (7264, 1000, 974, 20)
    assert debao["trainees"] >= 700 and debao["people_sent"] == 139
    status, sz = ApiClient(users["sz"]).get("/api/v1/labor/summary?helper=440300")
    assert status == 200
    assert (sz["people_sent"], sz["job_fairs"], sz["employed_in_helper_city"]) == (8048, 134, 32000)
    assert PersonSent.objects.filter(in_post_q(2020)).count() == 654
    assert PersonSent.objects.filter(kind="cadre", start__gte=date(2017, 1, 1)).count() == 1026
    assert PersonSent.objects.filter(kind="teacher", start__gte=date(2017, 1, 1)).count() == 638
    assert PersonSent.objects.filter(kind="doctor", start__gte=date(2017, 1, 1)).count() == 853
    debao_sent = PersonSent.objects.filter(to_region_id="451024", from_org__region_id="440305")
    assert debao_sent.filter(kind="cadre").count() == 5 and debao_sent.exclude(kind="cadre").count() == 134
    assert PersonTrained.objects.count() >= 9000
    assert PersonTrained.objects.filter(from_region_id="451024", host__region_id="440305").count() == 15
    assert Posting.objects.aggregate(n=Sum("openings"))["n"] >= 100000
    assert Workshop.objects.filter(kind="workshop").count() == 273
    laoxiang = Workshop.objects.get(name="老乡家园帮扶车间")
    assert services.poor_employees(laoxiang) == 106
    assert services.poor_employees(Workshop.objects.get(kind="disability")) == 50


def test_every_demo_timeline_obeys_the_loop(users):
    last: dict[int, tuple[str, date]] = {}
    for laborer, before, state, on in Event.objects.order_by("laborer_id", "on", "id").values_list(
            "laborer_id", "from_state", "state", "on").iterator(chunk_size=20000):
        prev_state, prev_on = last.get(laborer, ("", date.min))
        assert before == prev_state and state in NEXT_STATES[prev_state], (laborer, prev_state, state)
        assert on >= prev_on, laborer
        last[laborer] = (state, on)
    states = dict(Laborer.objects.values_list("id", "state"))
    assert all(states[lab] == state for lab, (state, _on) in last.items())


def test_the_paid_claim_cannot_be_claimed_again_and_alerts_exist(users):
    paid = Claim.objects.get(status="paid")
    line = paid.lines.first()
    with pytest.raises(ValidationError):
        services.create_claim(users["sz"], kind=paid.kind, employer=paid.employer, items=[(line.laborer, line.month)])
    assert return_alerts(Laborer.objects.all()).count() == 50
