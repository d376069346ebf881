"""The registry's indicators (core.indicators): households and people registered, monitoring objects by kind and
their risk, open and overdue cases, and per-capita net income (all households, and those with labour)."""

from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from bangfu.core.indicators import Indicator
from bangfu.households.models import (
    CLOSED_STAGES,
    Clue,
    Household,
    HouseholdType,
    Income,
    LabourSkill,
    Member,
    MonitoringCategory,
    RiskStatus,
)

WITH_LABOUR = (LabourSkill.SKILLED, LabourSkill.ORDINARY, LabourSkill.WEAK)
NET = F("wage") + F("production") + F("property_income") + F("transfer") - F("production_cost")
MONITORED = Q(risk_status__in=[RiskStatus.MONITORED, RiskStatus.ELIMINATED])


def _has_labour():
    """A household with a current member able to work: the basis of 汕尾's per-capita income of households with
    labour (seed 003)."""
    return Q(Exists(Member.objects.filter(household=OuterRef("household"), active=True,
                                          labour_skill__in=WITH_LABOUR)))


def _overdue() -> Q:
    return Q(is_open=True, deadline__lt=timezone.localdate())


def _listed(**filters):
    """The records behind a figure: the household list, in the figure's region, with the filters that select the
    figure's households (the list's own: type, risk status)."""

    def records(region_code, year):
        query = {**({"region": region_code} if region_code else {}), **filters}
        return reverse("household_list") + (f"?{urlencode(query)}" if query else "")

    return records


def _households(code, name, name_en, where: Q | None = None, **kw):
    return Indicator(code, name, name_en, "户", "count", model=Household, where=where or Q(), **kw)


INDICATORS = [
    _households("households.registered", "登记户数", "Households registered", records=_listed()),
    _households("households.lifted", "脱贫户数", "Households lifted out of poverty",
                Q(household_type=HouseholdType.LIFTED), records=_listed(household_type=HouseholdType.LIFTED)),
    Indicator("households.people", "登记人数", "People registered", "人", "count", model=Member,
              where=Q(active=True)),
    Indicator("households.lifted_people", "脱贫人口", "People lifted out of poverty", "人", "count", model=Member,
              where=Q(active=True, household__household_type=HouseholdType.LIFTED)),
    _households("households.monitored", "监测户数", "Households monitored", MONITORED, higher_is_better=False),
    *(_households(f"households.monitored_{kind}", f"监测户数（{label}）", f"Households monitored: {kind}",
                  MONITORED & Q(monitoring_category=kind), higher_is_better=False)
      for kind, label in ((MonitoringCategory.UNSTABLE, "脱贫不稳定户"), (MonitoringCategory.MARGINAL, "边缘易致贫户"),
                          (MonitoringCategory.SUDDEN, "突发严重困难户"))),
    _households("households.risk_eliminated", "已消除风险户数", "Households with risk eliminated",
                Q(risk_status=RiskStatus.ELIMINATED), records=_listed(risk_status=RiskStatus.ELIMINATED)),
    _households("households.risk_open", "风险未消除户数", "Households with risk not eliminated",
                Q(risk_status=RiskStatus.MONITORED), higher_is_better=False,
                records=_listed(risk_status=RiskStatus.MONITORED)),
    Indicator("households.risk_eliminated_share", "风险消除率", "Share of monitored households with risk eliminated",
              "%", "ratio", parts=("households.risk_eliminated", "households.monitored"), scale=100),
    Indicator("households.open_clues", "在办监测案件", "Open monitoring cases", "个", "count", model=Clue,
              where=Q(is_open=True), higher_is_better=False),
    Indicator("households.overdue_cases", "逾期案件", "Cases past their deadline", "个", "count", model=Clue,
              where=_overdue, higher_is_better=False),
    Indicator("households.cases_closed", "办结案件", "Cases decided", "个", "count", model=Clue,
              where=Q(stage__in=CLOSED_STAGES), year="opened_on"),
    Indicator("households.net_income", "家庭纯收入", "Households' net income", "元", "sum", model=Income, field=NET,
              year="year", cumulative=False),
    Indicator("households.income_people", "收入计算人数", "People counted with incomes", "人", "sum", model=Income,
              field="members_counted", year="year", cumulative=False),
    Indicator("households.per_capita_income", "人均纯收入", "Per-capita net income", "元", "weighted_average",
              parts=("households.net_income", "households.income_people")),
    Indicator("households.labour_net_income", "有劳动力户家庭纯收入", "Net income of households with labour", "元",
              "sum", model=Income, field=NET, where=_has_labour, year="year", cumulative=False),
    Indicator("households.labour_income_people", "有劳动力户收入计算人数",
              "People counted with incomes, households with labour", "人", "sum", model=Income,
              field="members_counted", where=_has_labour, year="year", cumulative=False),
    Indicator("households.labour_per_capita_income", "有劳动力户人均纯收入",
              "Per-capita net income of households with labour", "元", "weighted_average",
              parts=("households.labour_net_income", "households.labour_income_people")),
]
