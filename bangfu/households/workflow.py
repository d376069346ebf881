"""The monitoring workflow (防止返贫动态监测): a case moves through the review chain, one explicit transition at a time.

clue → home verification → data cross-check → village review and publicity (≥ 5 days, one round) → township review
→ county approval (or rejection at any step). The same chain serves identifying a monitoring object and eliminating
its risk. Each transition records actor, time, reason and an optional attachment, and writes the change log; who may
make it follows the role (`WORKFLOW_ROLES`) and the scope.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bangfu.core import audit
from bangfu.core.roles import RECIPIENT_ROLES, Role
from bangfu.core.rules import OWN_REGION, require_may, rule
from bangfu.core.services import invalid
from bangfu.households.models import (
    CLOSED_STAGES,
    Clue,
    ClueSource,
    Conditions,
    Household,
    Income,
    LabourSkill,
    Measure,
    MonitoringCategory,
    MonitoringLine,
    Purpose,
    RiskStatus,
    Stage,
    Transition,
)

# The review chain of the monitoring workflow: who may move a case into each stage.
WORKFLOW_ROLES = {
    "verified": {Role.VILLAGE, Role.TOWNSHIP, Role.COUNTY},
    "crosschecked": {Role.VILLAGE, Role.TOWNSHIP, Role.COUNTY},
    "publicised": {Role.VILLAGE},
    "township_reviewed": {Role.TOWNSHIP},
    "approved": {Role.COUNTY},
    "rejected": {Role.TOWNSHIP, Role.COUNTY},
}
# As rules (core.rules): the recipient side opens and moves the cases of its places, each step by the roles above.
RULES = {"clue.open": rule(gettext_lazy("open a monitoring case"), RECIPIENT_ROLES, OWN_REGION),
         **{f"clue.{stage}": rule(gettext_lazy("move a monitoring case on"), roles, OWN_REGION)
            for stage, roles in WORKFLOW_ROLES.items()}}

NEXT = {
    Stage.CLUE: (Stage.VERIFIED,),
    Stage.VERIFIED: (Stage.CROSSCHECKED,),
    Stage.CROSSCHECKED: (Stage.PUBLICISED,),
    Stage.PUBLICISED: (Stage.TOWNSHIP_REVIEWED,),
    Stage.TOWNSHIP_REVIEWED: (Stage.APPROVED,),
}
# Monitored for at least this long before the risk may be judged eliminated ("income stable ≥ about half a year").
STABLE_DAYS = 183
NO_LABOUR = (LabourSkill.NONE, LabourSkill.LOST)


def line_for(household: Household, year: int) -> MonitoringLine | None:
    """The county's own line for the year if it has one, else its province's."""
    lines = MonitoringLine.objects.filter(
        Q(county_code=household.county_code) | Q(county_code=""),
        province_code=household.village.province_code, year=year,
    )
    return min(lines, key=lambda line: line.county_code == "", default=None)


def deadline_days(household: Household, on: date) -> int:
    line = line_for(household, on.year)
    return line.clue_deadline_days if line else 15


def has_labour(household: Household) -> bool:
    return household.members.filter(active=True).exclude(labour_skill__in=NO_LABOUR).exists()


@transaction.atomic
def open_case(actor, household: Household, *, purpose=Purpose.IDENTIFY, source=ClueSource.CADRE_VISIT,
              reasons: list[str] | None = None, candidate: str = "", reason: str = "", today: date | None = None):
    """A clue from a self-report, a cadre's visit or a department (screening opens its clues in bulk)."""
    today = today or timezone.localdate()
    require_may(actor, "clue.open", household)
    if Clue.objects.filter(household=household, purpose=purpose, is_open=True).exists():
        invalid("household", _("Household %(number)s already has an open case of this kind.")
                % {"number": household.number})
    if purpose == Purpose.IDENTIFY and household.risk_status == RiskStatus.MONITORED:
        invalid("household", _("Household %(number)s is a monitoring object already.") % {"number": household.number})
    if purpose == Purpose.ELIMINATE:
        if household.risk_status != RiskStatus.MONITORED:
            invalid("household", _("Only a monitored household's risk can be eliminated."))
        if not has_labour(household):
            invalid("household", _("Household %(number)s has no labour capacity: it stays monitored.")
                    % {"number": household.number})
    if candidate and candidate not in MonitoringCategory.values:
        invalid("candidate_category", _("Unknown monitoring category %(value)s.") % {"value": candidate})
    texts = [{"code": source, "text": text} for text in (reasons or [reason or str(ClueSource(source).label)])]
    clue = Clue.objects.create(
        household=household, county_code=household.county_code, region_path=household.region_path,
        purpose=purpose, source=source, candidate_category=candidate, reasons=texts, opened_on=today,
        deadline=today + timedelta(days=deadline_days(household, today)),
    )
    _record(actor, clue, "", Stage.CLUE, reason, None)
    audit.record(actor, "create", clue, after=audit.snapshot(clue), reason=reason)
    return clue


@dataclass
class Criterion:
    code: str
    text: str
    met: bool


def elimination_criteria(household: Household, today: date | None = None) -> list[Criterion]:
    """DOMAIN.md §4's conditions for eliminating a household's risk, each with the figures that decide it."""
    today = today or timezone.localdate()
    approved = (Transition.objects.filter(clue__household=household, clue__purpose=Purpose.IDENTIFY,
                                          to_stage=Stage.APPROVED).order_by("-time").first())
    monitored_days = (today - timezone.localdate(approved.time)).days if approved else 0
    income = Income.objects.filter(household=household).order_by("-year").first()
    line = line_for(household, income.year) if income else None
    conditions = Conditions.objects.filter(household=household).order_by("-year").first()
    failures = conditions.failures() if conditions else ["no record"]
    rigid = income.rigid_medical + income.rigid_education if income else Decimal("0")
    rigid_limit = (income.net * line.rigid_spending_share) if income and line else Decimal("0")
    return [
        Criterion("stable", _("Monitored %(days)s days (at least %(min)s)") % {"days": monitored_days,
                                                                          "min": STABLE_DAYS},
                  monitored_days >= STABLE_DAYS),
        Criterion("income", _("Per-capita net income %(income)s yuan against the line %(line)s (%(year)s)") % {
            "income": income.per_capita if income else "—", "line": line.amount if line else "—",
            "year": income.year if income else "—"},
            bool(income and line and income.per_capita > line.amount)),
        Criterion("rigid", _("Rigid spending %(rigid)s yuan, at most %(limit)s") % {
            "rigid": rigid, "limit": rigid_limit.quantize(Decimal("0.01"))},
            bool(income and line and rigid <= rigid_limit)),
        Criterion("secured", _("两不愁三保障 and drinking water secured") if not failures
                  else _("Not secured: %(items)s") % {"items": ", ".join(failures)}, not failures),
        Criterion("labour", _("Has labour capacity"), has_labour(household)),
    ]


def _record(actor, clue: Clue, from_stage: str, to_stage: str, reason: str, attachment):
    return Transition.objects.create(
        clue=clue, county_code=clue.county_code, region_path=clue.region_path, from_stage=from_stage,
        to_stage=to_stage, actor=actor if actor is not None and actor.is_authenticated else None,
        reason=reason or "", attachment=attachment or "",
    )


@transaction.atomic
def advance(actor, clue: Clue, to_stage: str, *, reason: str = "", attachment=None, category: str = "",
            today: date | None = None) -> Clue:
    """Move a case one step along the chain, or reject it; anything out of order is refused with a message."""
    today = today or timezone.localdate()
    clue = Clue.objects.select_for_update().select_related("household__village").get(pk=clue.pk)
    if to_stage not in WORKFLOW_ROLES:
        invalid("stage", _("Unknown stage %(stage)s.") % {"stage": to_stage})
    require_may(actor, f"clue.{to_stage}", clue)
    if clue.stage in CLOSED_STAGES:
        invalid("stage", _("This case was closed (%(stage)s).") % {"stage": clue.get_stage_display()})
    if to_stage == Stage.REJECTED:
        if not reason:
            invalid("reason", _("Say why the case is rejected."))
    elif to_stage not in NEXT.get(clue.stage, ()):
        expected = "、".join(str(Stage(s).label) for s in NEXT.get(clue.stage, ()))
        invalid("stage", _("A case at “%(current)s” cannot go to “%(target)s”; next is “%(expected)s”.") % {
            "current": clue.get_stage_display(), "target": Stage(to_stage).label, "expected": expected})
    household = clue.household
    if to_stage == Stage.PUBLICISED:
        _start_publicity(clue, today)
    elif to_stage == Stage.TOWNSHIP_REVIEWED and today <= clue.publicity_end:
        invalid("stage", _("The village publicity runs until %(end)s; the township reviews after it.")
                % {"end": clue.publicity_end})
    elif to_stage == Stage.APPROVED:
        _decide(actor, clue, household, category, today)
    before = audit.snapshot(clue)
    from_stage, clue.stage = clue.stage, to_stage
    clue.is_open = to_stage not in CLOSED_STAGES
    clue.save()
    _record(actor, clue, from_stage, to_stage, reason, attachment)
    audit.record(actor, "update", clue, before=before, after=audit.snapshot(clue), reason=reason)
    return clue


def _start_publicity(clue: Clue, today: date):
    if clue.transitions.filter(to_stage=Stage.PUBLICISED).exists():
        invalid("stage", _("A case is publicised once only."))
    line = line_for(clue.household, today.year)
    days = max(line.publicity_days if line else 5, 5)
    clue.publicity_start, clue.publicity_end = today, today + timedelta(days=days - 1)


def _decide(actor, clue: Clue, household: Household, category: str, today: date):
    """County approval: register the monitoring object, or eliminate its risk once every criterion holds."""
    before = audit.snapshot(household)
    if clue.purpose == Purpose.IDENTIFY:
        category = category or clue.candidate_category
        if category not in MonitoringCategory.values:
            invalid("category", _("Choose the monitoring category to register the household as."))
        clue.decided_category = category
        household.monitoring_category, household.risk_status = category, RiskStatus.MONITORED
    else:
        unmet = [c.text for c in elimination_criteria(household, today) if not c.met]
        if unmet:
            invalid("stage", _("The risk cannot be eliminated yet: %(unmet)s.") % {"unmet": "; ".join(unmet)})
        household.risk_status = RiskStatus.ELIMINATED
    household.save(update_fields=["monitoring_category", "risk_status", "updated"])
    audit.record(actor, "update", household, before=before, after=audit.snapshot(household))


def work_queue(user, today: date | None = None) -> dict:
    """What needs doing in the user's scope, as querysets (nothing is loaded until a page reads them)."""
    today = today or timezone.localdate()
    clues = Clue.objects.visible_to(user).filter(is_open=True).select_related("household__village")
    households = Household.objects.visible_to(user).select_related("village")
    active_measure = Measure.objects.filter(household=OuterRef("pk")).filter(Q(end__isnull=True) | Q(end__gte=today))
    return {
        "overdue": clues.filter(deadline__lt=today).order_by("deadline"),
        "publicity_ending": clues.filter(stage=Stage.PUBLICISED, publicity_end__lte=today + timedelta(days=2))
        .order_by("publicity_end"),
        "without_measure": households.filter(risk_status=RiskStatus.MONITORED)
        .exclude(Exists(active_measure)).order_by("number"),
        "ready_to_eliminate": ready_to_eliminate(households, today),
    }


def ready_to_eliminate(households, today: date):
    """Monitored households whose latest recorded income is above that year's line, with no open elimination case
    (the remaining criteria are shown on the household page); set-based."""
    monitored = households.filter(risk_status=RiskStatus.MONITORED)
    open_elimination = Clue.objects.filter(household=OuterRef("pk"), purpose=Purpose.ELIMINATE, is_open=True)
    latest_year = Income.objects.filter(household=OuterRef("pk")).order_by("-year").values("year")[:1]
    lines = MonitoringLine.objects.filter(year=OuterRef("year"))
    county_line = lines.filter(county_code=OuterRef(OuterRef("county_code"))).values("amount")[:1]
    province_line = lines.filter(province_code=OuterRef(OuterRef("village__province_code")),
                                 county_code="").values("amount")[:1]
    line = Coalesce(Subquery(county_line), Subquery(province_line))  # as line_for: the county's own line first
    above = Income.objects.filter(household=OuterRef("pk"), year=OuterRef("latest_year"), per_capita__gt=line)
    return (monitored.exclude(Exists(open_elimination)).annotate(latest_year=Subquery(latest_year))
            .filter(Exists(above)).order_by("number"))


# Cadre-written reasons (self-report, visit, department) are free text that may name an illness: never published.
PUBLISHABLE_SOURCES = {"screening"}


def public_reason(reasons: list[dict]) -> str:
    """The reasons fit for a village notice: health-revealing ones become a neutral phrase, free text is left out."""
    from bangfu.households.screening import HEALTH_REASON_CODES

    texts = []
    for reason in reasons:
        code = reason.get("code", "")
        if code in HEALTH_REASON_CODES or code == "health":
            text = _("large rigid spending")
        elif code in ClueSource.values and code not in PUBLISHABLE_SOURCES:
            text = _("reported by %(source)s") % {"source": ClueSource(code).label}
        else:
            text = reason.get("text", "")
        if text not in texts:
            texts.append(text)
    return "；".join(texts)


def publicity_list(user, village_code: str, today: date | None = None):
    """The cases in publicity in one village: names, village, category and reason; never ID, phone or health."""
    today = today or timezone.localdate()
    cases = (Clue.objects.visible_to(user).filter(household__village_id=village_code, stage=Stage.PUBLICISED)
             .select_related("household__village").order_by("household__number"))
    return [
        {"household": c.household.number, "name": c.household.head_name, "village": c.household.village.name,
         "purpose": c.get_purpose_display(),
         "category": MonitoringCategory(c.candidate_category).label if c.candidate_category else "",
         "reason": public_reason(c.reasons),
         "from": c.publicity_start, "until": c.publicity_end}
        for c in cases
    ]
