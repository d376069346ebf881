"""Matching postings and laborers by skills, intention and place, in SQL.

A laborer's intention is where he wants to work, seen from his home county; a posting's place is its region. A
posting fits an intention when: local — the posting is in his county; in the province — in his province; outside the
province — in another province; in the helper city — in a helper city (a prefecture whose government is on the
helper side, such as 深圳市). Skills are bits of one integer: a posting that names skills wants at least one of
them; laborers with a wanted skill come first, then those whose skills are not recorded. Age must lie in the
posting's range. Everything is one indexed query per tier with a LIMIT; only the rows returned are explained.
"""

from datetime import date

from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from bangfu.labor.models import AVAILABLE, Intention, Laborer, Posting, skill_names


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _place_q(posting: Posting) -> Q:
    """Laborers whose intention this posting's place fits."""
    q = Q(intention=Intention.LOCAL, county_code=posting.county_code) if posting.county_code else Q(pk__in=[])
    q |= Q(intention=Intention.IN_PROVINCE, province_code=posting.province_code)
    q |= Q(intention=Intention.OUT_OF_PROVINCE) & ~Q(province_code=posting.province_code)
    if posting.in_helper_city:
        q |= Q(intention=Intention.HELPER_CITY)
    return q


def laborers_for(user, posting: Posting, limit: int = 20, today: date | None = None,
                 queryset=None) -> list[dict]:
    """The laborers (in the user's scope) to recommend for a posting, best first, each with why."""
    today = today or timezone.localdate()
    base = (queryset if queryset is not None else Laborer.objects.visible_to(user)).filter(
        _place_q(posting), state__in=AVAILABLE,
        birth_date__gt=years_before(today, posting.max_age + 1), birth_date__lte=years_before(today, posting.min_age),
    )
    # No ORDER BY: the database stops at the limit instead of sorting every candidate; the page is sorted after.
    found: list[Laborer] = []
    if posting.skill_mask:
        tier = base.alias(hit=F("skill_mask").bitand(posting.skill_mask)).exclude(hit=0)
        found = sorted(tier.order_by()[:limit], key=lambda lab: lab.pk)
        if len(found) < limit:
            found += sorted(base.filter(skill_mask=0).order_by()[:limit - len(found)], key=lambda lab: lab.pk)
    else:
        found = sorted(base.order_by()[:limit], key=lambda lab: lab.pk)
    return [{"laborer": lab, **explain(lab, posting, today)} for lab in found]


def postings_for(laborer: Laborer, limit: int = 20, today: date | None = None) -> list[dict]:
    """Open postings that fit a laborer, best first (skills, then wage), each with why."""
    today = today or timezone.localdate()
    age = age_on(laborer.birth_date, today)
    qs = Posting.objects.filter(open=True, openings__gt=0, min_age__lte=age, max_age__gte=age)
    intention = laborer.intention
    if intention == Intention.LOCAL:
        qs = qs.filter(county_code=laborer.county_code)
    elif intention == Intention.IN_PROVINCE:
        qs = qs.filter(province_code=laborer.province_code)
    elif intention == Intention.OUT_OF_PROVINCE:
        qs = qs.exclude(province_code=laborer.province_code)
    else:
        qs = qs.filter(in_helper_city=True)
    found: list[Posting] = []
    if laborer.skill_mask:
        hits = qs.alias(hit=F("skill_mask").bitand(laborer.skill_mask)).exclude(hit=0)
        found = list(hits.select_related("employer", "region").order_by("-wage_max", "id")[:limit])
    if len(found) < limit:
        found += list(qs.filter(skill_mask=0).select_related("employer", "region")
                      .order_by("-wage_max", "id")[:limit - len(found)])
    return [{"posting": p, **explain(laborer, p, today)} for p in found]


def explain(laborer: Laborer, posting: Posting, today: date) -> dict:
    """A score (skills 2, intention 1, no age issue 1) and the reasons, in words."""
    reasons, score = [], 0
    shared = (laborer.skill_mask or 0) & (posting.skill_mask or 0)
    if shared:
        score += 2
        reasons.append(_("skills match: %(skills)s") % {"skills": skill_names(shared)})
    elif posting.skill_mask:
        reasons.append(_("skills not recorded; the posting wants %(skills)s") % {
            "skills": skill_names(posting.skill_mask)})
    else:
        reasons.append(_("no particular skill wanted"))
    score += 1
    reasons.append(_("wants to work %(intention)s; the job is in %(place)s") % {
        "intention": Intention(laborer.intention).label, "place": posting.region.name})
    age = age_on(laborer.birth_date, today)
    score += 1
    reasons.append(_("age %(age)s within %(min)s–%(max)s") % {"age": age, "min": posting.min_age,
                                                             "max": posting.max_age})
    return {"score": score, "explanation": "；".join(str(r) for r in reasons)}
