"""The projects' indicators (core.indicators): projects in the library by state and category, and the households
that benefit from them.

A project's year is its library year; its state is the one it is in now. Every row carries the helper organisation
of the pairing that funds it (`helper="org"`): a helper's figure is that of his own pairings' projects, as the funds
summary counts them.
"""

from django.db.models import Q

from bangfu.core.indicators import Indicator
from bangfu.pairing.filters import records_url
from bangfu.projects.models import Beneficiary, Category, Project, State

# The Chinese names of the categories and states, as officials write them.
CATEGORY_NAMES = {
    Category.INDUSTRY: "产业", Category.EMPLOYMENT: "就业", Category.EDUCATION: "教育", Category.HEALTH: "健康",
    Category.HOUSING: "住房", Category.WATER: "饮水", Category.INFRASTRUCTURE: "基础设施",
    Category.CONSUMPTION: "消费帮扶", Category.PARTY: "党建", Category.TALENT: "人才", Category.OTHER: "其他",
}
STATE_NAMES = {
    State.APPLIED: "村申报", State.TOWNSHIP_REVIEWED: "乡审核", State.APPROVED: "县审定入库", State.FUNDED: "资金计划",
    State.IMPLEMENTING: "实施中", State.COMPLETED: "已完工", State.ACCEPTED: "已验收", State.HANDED_OVER: "资产已移交",
    State.REJECTED: "未通过", State.ROLLED_OVER: "结转下年",
}


def _projects(code, name, name_en, where=None, **params) -> Indicator:
    return Indicator(code, name, name_en, "个", "count", model=Project, where=where or Q(), year="year",
                     helper="org", records=records_url("project_list", **params))


INDICATORS = [
    _projects("projects.count", "项目数", "Projects"),
    *(_projects(f"projects.state_{state.value}", f"项目数（{STATE_NAMES[state]}）", f"Projects: {state.value}",
                Q(state=state.value), state=state.value) for state in State),
    *(_projects(f"projects.category_{category.value}", f"项目数（{CATEGORY_NAMES[category]}）",
                f"Projects: {category.value}", Q(category=category.value), category=category.value)
      for category in Category),
    # A household may gain from the projects of several helpers: counted anew for each helper and region, not added
    # up (it lives in one place, but its gains carry the organisations of several pairings).
    Indicator("projects.beneficiary_households", "受益户数", "Beneficiary households", "户", "distinct",
              model=Beneficiary, field="household_id", year="year", helper="org", additive=False),
]
