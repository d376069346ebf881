"""The households part of the demo: synthetic registered households, members, incomes, living conditions,
monitoring lines and monitoring cases, calibrated so that the platform's own queries give back the seeds' figures.

`build_households()` expects the poor villages to exist (the overall demo, `bangfu.demo.build`, creates them) and
fills them:
- 德保县 (451024, seed 004): 26,576 households and 102,207 current members in its 89 poor villages, all 脱贫户;
  2020 per-capita net income Σ net ÷ Σ members counted = 12,364.00 yuan exactly, 2015 = 7,833.25 (12,364 ÷ 1.5784,
  i.e. +57.84%). Nothing else is put in 德保县.
- 汕尾市 (441500, seed 003): 16,354 脱贫户 households and 70,021 members in its 200 poor villages; the households
  with labour (a current member whose labour skill is skilled, ordinary or weak) average 15,522.00 yuan per person
  in 2020 and 4,000.00 in 2015 ("11,522 more than before assistance"), both exact. Besides them, `ordinary`
  (default 120) ordinary rural households (一般农户) without labour capacity, most within the monitoring line: the
  边缘易致贫户 and their candidates, which a registry of 脱贫户 alone could not show.
Incomes are recorded for 2015, 2019 and 2020 (members counted = the members born by the end of that year, so 2020
counts every current member), 两不愁三保障/water records for 2020. A few per cent of households are at risk (income
within the line, a fall of 35-60% on 2019, rigid spending above half of net income, an item not secured); some of
them are monitoring objects of all three kinds, at every stage of the review chain, with measures and visits, some
with their risk eliminated; the rest are left for screening to find.

`scale="full"` (seed 000): 2,040,100 registered people in 脱贫户 households across Shenzhen's recipient counties (the
counties its pairings in the database reach: 109). 德保县 and 汕尾市 are built as above; the other counties share the
rest, each one pass of the same builder (so memory stays flat); a county with no poor village gets synthetic ones.
Seed 000's "1,943,600 lifted by July 2020" is a date the registry does not record: by now every one is a 脱贫户.

Everything is synthetic and deterministic (one seeded random generator): names, ID numbers (the county's real
division code, a birth date agreeing with age, sex and relation, a valid check digit, each unique), phone numbers.
The monitoring lines (广西 450000, 广东 440000, 2020-2026) are demo amounts, not official ones.

Rows are built column-wise in Python lists and written in bulk: COPY on PostgreSQL, `executemany` on SQLite (same
rows, same result); no per-row query. Primary keys are reserved up front so that members, incomes and cases can
point at their households without reading them back.
"""

from __future__ import annotations

import math
import random
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

import polars as pl
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from bangfu.core.bulk import insert_columns, reserve_ids
from bangfu.core.identity import check_char
from bangfu.core.values import name_initials_column
from bangfu.demo.report import count_rows
from bangfu.households import screening
from bangfu.households.models import (
    Clue,
    ClueSource,
    Conditions,
    Household,
    HouseholdType,
    Income,
    Measure,
    Member,
    MonitoringCategory,
    MonitoringLine,
    Purpose,
    RiskStatus,
    Stage,
    Transition,
    Visit,
)
from bangfu.regions.models import Level, Region, place_under

REF = date(2020, 12, 31)  # the registry's reference date: the seeds' figures are for 2020; nobody is born later
INCOME_YEARS = (2015, 2019, 2020)
CONDITIONS_YEAR = 2020
LINE_YEARS = tuple(range(2020, 2027))
# Demo monitoring lines (yuan per person per year), by province; every other province gets DEFAULT_LINE.
DEMO_LINES = {
    "450000": (4000, 6000, 6500, 7000, 7300, 7600, 7900),  # 广西
    "440000": (4000, 6200, 6700, 7200, 7500, 7800, 8100),  # 广东
}
DEFAULT_LINE = (4000, 6000, 6500, 6900, 7200, 7500, 7800)
# The demo's lines take the model's default screening parameters.
FALL_SHARE = MonitoringLine._meta.get_field("income_fall_share").default
RIGID_SHARE = MonitoringLine._meta.get_field("rigid_spending_share").default

CENT = Decimal("0.01")


def _cents(value) -> int:
    return int((Decimal(str(value)) * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def _money(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}{cents // 100}.{cents % 100:02d}"


@dataclass(frozen=True)
class Area:
    """Where households go (the poor villages under `prefix`) and the figures they must add up to."""

    key: str
    name: str
    prefix: str  # region path of the area
    households: int  # 脱贫户 households
    members: int  # their current members
    ordinary: int = 0  # ordinary rural households (一般农户) besides them, without labour capacity
    profile: str = "zhuang"  # names and ethnicities
    basis: str = "all"  # whose per-capita income is calibrated: "all" households, or those with "labour"
    per_capita: dict = field(default_factory=dict)  # year → exact per-capita net income of the basis households
    typical: Decimal = Decimal("11000")  # mean 2020 per-capita income when no exact figure is asked


DEBAO = Area(
    "debao", "德保县", "450000/451000/451024/", households=26576, members=102207, profile="zhuang", basis="all",
    per_capita={2020: Decimal("12364.00"), 2015: (Decimal("12364") / Decimal("1.5784")).quantize(CENT)},
    typical=Decimal("12364"),
)
SHANWEI = Area(
    "shanwei", "汕尾市", "440000/441500/", households=16354, members=70021, ordinary=120, profile="chaoshan",
    basis="labour", per_capita={2020: Decimal("15522.00"), 2015: Decimal("4000.00")}, typical=Decimal("15522"),
)
SEED_AREAS = (DEBAO, SHANWEI)
# --scale full (seed 000): 2,040,100 registered poor people across Shenzhen's 109 recipient counties.
FULL_PEOPLE = 2_040_100


# --- names ----------------------------------------------------------------------------------------------------------

MALE_GIVEN = "志明国华建文永海春德金福军宏伟强勇东成光兴进宁新忠荣生贵林山平斌杰浩宇俊鹏飞涛昌启源振家达正良庆广"
FEMALE_GIVEN = "秀梅丽芳玉兰英红桂凤霞燕娟萍琼珍春艳莲敏婷慧雪静莉月金美妹花翠萍琳娜丹晓"
PROFILES = {
    # (surnames with weights, ethnicities with weights)
    "zhuang": ("黄" * 18 + "农" * 9 + "梁" * 7 + "陆" * 6 + "韦" * 6 + "李" * 5 + "覃" * 4 + "赵" * 4 + "马" * 3
               + "罗" * 3 + "凌" * 3 + "廖" * 3 + "何" * 2 + "许" * 2 + "周" * 2 + "滕" * 2 + "莫" * 2 + "岑" * 2
               + "谭" + "闭" + "零" + "麻" + "杨" + "王",
               (("壮族", 95), ("汉族", 4), ("瑶族", 1))),
    "chaoshan": ("陈" * 14 + "黄" * 8 + "林" * 8 + "吴" * 6 + "郑" * 5 + "蔡" * 5 + "李" * 5 + "张" * 4 + "刘" * 3
                 + "王" * 3 + "彭" * 3 + "叶" * 3 + "庄" * 2 + "钟" * 2 + "杨" * 2 + "卓" * 2 + "许" * 2 + "曾" * 2
                 + "洪" * 2 + "余" + "邱" + "颜" + "温",
                 (("汉族", 995), ("畲族", 5))),
    "han": ("王" * 8 + "李" * 8 + "张" * 8 + "刘" * 6 + "陈" * 6 + "杨" * 5 + "黄" * 4 + "赵" * 4 + "吴" * 3 + "周" * 3
            + "徐" * 2 + "孙" * 2 + "马" * 2 + "朱" * 2 + "胡" * 2 + "郭" * 2 + "何" * 2 + "罗" * 2 + "高" + "林",
            (("汉族", 1),)),
}
# Ethnic profiles whose names are not surname + given name.
TIBETAN = ("扎西", "次仁", "顿珠", "卓玛", "拉姆", "央金", "格桑", "多吉", "平措", "达瓦", "尼玛", "白玛", "索朗",
           "旺堆", "德吉", "曲珍", "次旦", "普布", "边巴", "措姆")
UYGHUR = ("买买提", "艾力", "阿不都", "热合曼", "吐尔逊", "艾合买提", "阿依古丽", "古丽", "热依拉", "努尔", "帕提古丽",
          "麦麦提", "依明", "亚森", "吾斯曼", "阿迪力")
PROVINCE_PROFILES = {"450000": "zhuang", "440000": "chaoshan", "540000": "tibetan", "650000": "uyghur"}
PROVINCE_ETHNICITY = {"520000": (("苗族", 40), ("布依族", 25), ("汉族", 35)), "530000": (("彝族", 40), ("汉族", 60)),
                      "510000": (("藏族", 85), ("汉族", 15)), "540000": (("藏族", 1),), "650000": (("维吾尔族", 1),)}
PHONE_PREFIXES = ("133", "135", "136", "137", "138", "139", "150", "151", "152", "157", "158", "159", "177", "180",
                  "181", "182", "187", "188", "189", "198")


def _weighted(rng: random.Random, table) -> str:
    total = sum(w for _, w in table)
    x = rng.random() * total
    for value, weight in table:
        x -= weight
        if x < 0:
            return value
    return table[-1][0]


# --- monitoring lines ------------------------------------------------------------------------------------------------

def ensure_lines(province_codes) -> int:
    """The demo's province lines for 2020-2026 where none exists yet; returns how many were written."""
    existing = set(MonitoringLine.objects.filter(province_code__in=province_codes, county_code="",
                                                 year__in=LINE_YEARS).values_list("province_code", "year"))
    new = [MonitoringLine(province_code=code, county_code="", year=year,
                          amount=Decimal(DEMO_LINES.get(code, DEFAULT_LINE)[i]))
           for code in sorted(province_codes) for i, year in enumerate(LINE_YEARS) if (code, year) not in existing]
    MonitoringLine.objects.bulk_create(new)
    return len(new)


# --- the builder ------------------------------------------------------------------------------------------------------

MEMBER_FIELDS = ("household_id", "county_code", "region_path", "name", "name_initials", "id_type", "id_number",
                 "relation", "sex", "birth_date", "ethnicity", "education", "schooling", "health", "labour_skill",
                 "work_months", "employment_channel", "medical_insured", "pension_insured", "phone", "active",
                 "left_on")
M = {name: i for i, name in enumerate(MEMBER_FIELDS)}
INCOME_FIELDS = ("household_id", "county_code", "region_path", "year", "wage", "production", "property_income",
                 "transfer", "production_cost", "rigid_medical", "rigid_education", "members_counted", "per_capita")
CONDITIONS_FIELDS = ("household_id", "county_code", "region_path", "year", "food_clothing", "compulsory_education",
                     "basic_medical", "housing_grade", "water_quantity", "water_quality", "water_convenience",
                     "water_reliability", "evidence")
HOUSEHOLD_FIELDS = ("id", "number", "village_id", "county_code", "region_path", "household_type",
                    "monitoring_category", "risk_status", "head_name", "size", "phone", "address", "land_area",
                    "housing_grade", "safe_water", "sanitary_toilet", "electricity")


def _columns(fields, rows) -> dict[str, list]:
    """Rows (sequences in the order of `fields`) as insert_columns' columns."""
    if not rows:
        return {f: [] for f in fields}
    return dict(zip(fields, map(list, zip(*rows, strict=True)), strict=True))


class _Weighted:
    """A fast weighted choice from a fixed table."""

    def __init__(self, table):
        self.values = [v for v, _ in table]
        total, self.cumulative = 0.0, []
        for _, weight in table:
            total += weight
            self.cumulative.append(total)
        self.total = total

    def __call__(self, rng: random.Random):
        return self.values[min(bisect_right(self.cumulative, rng.random() * self.total), len(self.values) - 1)]


ADULT_EDUCATION = [_Weighted(t) for t in (
    (("junior", .5), ("senior", .25), ("primary", .1), ("college", .08), ("bachelor", .06), ("postgraduate", .01)),
    (("junior", .5), ("senior", .25), ("primary", .1), ("college", .08), ("bachelor", .06)),
    (("junior", .5), ("primary", .3), ("senior", .12), ("illiterate", .03), ("college", .05)),
    (("primary", .5), ("junior", .3), ("illiterate", .15), ("senior", .05)),
    (("illiterate", .45), ("primary", .45), ("junior", .1)),
)]
CHANNELS = {
    "far": _Weighted((("out_of_province", 35), ("in_province", 20), ("in_county", 30), ("workshop", 8),
                      ("public_welfare", 7))),
    "near": _Weighted((("out_of_province", 10), ("in_province", 45), ("in_county", 30), ("workshop", 8),
                       ("public_welfare", 7))),
    "weak": _Weighted((("public_welfare", 40), ("in_county", 40), ("workshop", 20))),
}


class _Columns(dict):
    """attname → list; `add(**row)` appends one row."""

    def add(self, **row):
        for key, value in row.items():
            self.setdefault(key, []).append(value)


STAGE_CHAIN = (Stage.CLUE, Stage.VERIFIED, Stage.CROSSCHECKED, Stage.PUBLICISED, Stage.TOWNSHIP_REVIEWED,
               Stage.APPROVED)
STAGE_REASONS = {
    Stage.CLUE: "", Stage.VERIFIED: "入户核实：情况属实", Stage.CROSSCHECKED: "信息比对：与行业部门数据一致",
    Stage.PUBLICISED: "村民代表评议通过，在村内公示", Stage.TOWNSHIP_REVIEWED: "公示无异议，乡镇审核通过",
    Stage.APPROVED: "县级审批同意", Stage.REJECTED: "经核实，家庭收支情况稳定，不符合纳入条件",
}
ELIMINATE_REASONS = {
    Stage.VERIFIED: "入户核实：收入持续稳定，“三保障”和饮水安全有保障",
    Stage.CROSSCHECKED: "信息比对：收入与行业部门数据一致", Stage.PUBLICISED: "村民代表评议通过风险消除，在村内公示",
    Stage.TOWNSHIP_REVIEWED: "公示无异议，乡镇审核通过", Stage.APPROVED: "县级审批同意风险消除",
    Stage.REJECTED: "收入尚不稳定，继续监测帮扶",
}
MEASURES = {
    "industry": ("农业农村局", ["发放产业奖补，发展桑蚕养殖", "发展柑橘种植，提供技术指导",
                               "发展油茶种植，落实产业奖补", "发展生猪养殖，落实小额信贷"]),
    "employment": ("人力资源和社会保障局", ["推荐到帮扶车间就业", "安排公益性岗位（护林员）",
                                   "组织参加技能培训并推荐务工", "安排公益性岗位（保洁员）", "落实外出务工交通补贴"]),
    "education": ("教育局", ["落实雨露计划职业教育补助", "落实义务教育阶段学生资助", "劝返复学并落实控辍保学"]),
    "health": ("医疗保障局", ["落实医疗救助和大病保险", "家庭医生签约服务，慢病卡办理", "代缴城乡居民医保"]),
    "housing": ("住房和城乡建设局", ["实施农村危房改造", "落实住房安全鉴定与加固"]),
    "water": ("水利局", ["饮水工程入户改造", "新建蓄水池，保障供水"]),
    "social_security": ("民政局", ["纳入农村低保", "落实临时救助", "纳入特困供养"]),
}
CATEGORY_MEASURES = {
    MonitoringCategory.UNSTABLE: ("industry", "employment"),
    MonitoringCategory.MARGINAL: ("social_security", "health"),
    MonitoringCategory.SUDDEN: ("health", "social_security", "education", "employment"),
}
VISIT_NOTES = ("入户走访，了解家庭收入和支出情况", "核对家庭成员务工情况", "了解帮扶措施落实情况，群众满意",
               "宣传防返贫监测政策，告知自主申报渠道", "了解就医和医疗报销情况", "查看住房和饮水情况")


class _AreaBuilder:
    def __init__(self, area: Area, today: date, rng: random.Random, per_stage: int | None = None):
        self.area, self.today, self.rng = area, today, rng
        self.per_stage = per_stage
        self.ids_taken: dict[tuple, int] = {}

    # -- setup --
    def load(self):
        area = self.area
        self.villages = list(Region.objects.filter(path__startswith=area.prefix, level=Level.VILLAGE,
                                                   is_poor_village=True).order_by("code")
                             .values_list("code", "name", "path", "county_code", "province_code"))
        if not self.villages:
            raise RuntimeError(f"No poor villages under {area.name} ({area.prefix}): create the regions first "
                               "(bangfu.demo.build does).")
        if Household.objects.filter(region_path__startswith=area.prefix).exists():
            raise RuntimeError(f"{area.name} ({area.prefix}) has households already: the demo builds them once.")
        counties = {v[3] for v in self.villages}
        self.county_names = dict(Region.objects.filter(code__in=counties).values_list("code", "name"))
        provinces = {v[4] for v in self.villages}
        self.lines = {(p, y): a for p, y, a in MonitoringLine.objects.filter(
            province_code__in=provinces, county_code="", year__in=INCOME_YEARS + (self.today.year,))
            .values_list("province_code", "year", "amount")}
        province = self.villages[0][4]
        self.profile = PROVINCE_PROFILES.get(province, "han") if area.profile == "auto" else area.profile
        self.ethnicity = _Weighted(PROVINCE_ETHNICITY.get(province) or PROFILES.get(self.profile, PROFILES["han"])[1])

    def line(self, h: int, year: int = 2020) -> Decimal:
        return self.lines.get((self.h_province[h], year), Decimal(DEFAULT_LINE[0]))

    # -- households and members --
    def build_people(self):
        rng, area = self.rng, self.area
        n_lifted, n_ord = area.households, area.ordinary
        n = n_lifted + n_ord
        mean = area.members / n_lifted
        lam = max(mean - 1, 0.05)
        sizes = []
        for _ in range(n_lifted):
            while True:  # 1 + Poisson(λ), at most 9
                k, p, limit = 0, 1.0, math.exp(-lam)
                while True:
                    p *= rng.random()
                    if p <= limit:
                        break
                    k += 1
                if k <= 8:
                    break
            sizes.append(1 + k)
        diff = area.members - sum(sizes)
        while diff:
            i = rng.randrange(n_lifted)
            if diff > 0 and sizes[i] < 9:
                sizes[i] += 1
                diff -= 1
            elif diff < 0 and sizes[i] > 1:
                sizes[i] -= 1
                diff += 1
        sizes += [rng.choice((1, 1, 2, 2, 2, 3)) for _ in range(n_ord)]
        self.n = n
        self.types = [HouseholdType.LIFTED] * n_lifted + [HouseholdType.ORDINARY] * n_ord

        # Villages: 脱贫户 apportioned by weight (largest remainders), ordinary households at random.
        weights = [0.6 + 0.8 * rng.random() for _ in self.villages]
        total = sum(weights)
        quotas = [n_lifted * w / total for w in weights]
        counts = [int(q) for q in quotas]
        for i in sorted(range(len(quotas)), key=lambda i: quotas[i] - counts[i], reverse=True)[:n_lifted - sum(counts)]:
            counts[i] += 1
        village_of = [v for v, c in enumerate(counts) for _ in range(c)]
        rng.shuffle(village_of)
        village_of += [rng.randrange(len(self.villages)) for _ in range(n_ord)]

        self.hh_ids = reserve_ids(Household, n)
        self.h_village = village_of
        self.h_county = [self.villages[v][3] for v in village_of]
        self.h_path = [self.villages[v][2] for v in village_of]
        self.h_province = [self.villages[v][4] for v in village_of]
        self.h_size = sizes
        self.h_members: list[range] = []
        self.h_labour = [0] * n  # members with labour capacity (skilled, ordinary, weak)
        self.h_worked = [0] * n  # members who worked this year: the household has wage income
        self.h_head_name = [""] * n
        self.h_phone = [""] * n
        per_village: Counter = Counter()
        width = max(4, len(str(max(Counter(village_of).values()))))
        self.h_number = []
        for v in village_of:
            per_village[v] += 1
            self.h_number.append(f"{self.villages[v][0]}{per_village[v]:0{width}d}")

        self.m: list[list] = []
        self.m_age_now: list[int] = []
        self.m_birth: list[date] = []
        for h in range(n):
            first = len(self.m_birth)
            self._household_members(h, sizes[h], self.types[h] == HouseholdType.ORDINARY)
            self.h_members.append(range(first, len(self.m_birth)))
        self.m_ids = reserve_ids(Member, len(self.m_birth))

    def _relations(self, size: int, ordinary: bool) -> list[str]:
        rng = self.rng
        if size == 1:
            return ["head"]
        if ordinary:
            return ["head", "spouse", "child"][:size]
        if size == 2:
            return ["head", "spouse"] if rng.random() < 0.65 else ["head", "child"]
        r = rng.random()
        if size == 3:
            return ["head", "spouse", "child"] if r < 0.7 else ["head", "child", "child"] if r < 0.85 \
                else ["head", "spouse", "parent"]
        if size == 4:
            return ["head", "spouse", "child", "child"] if r < 0.7 else ["head", "spouse", "child", "parent"]
        rest = size - 2
        if r < 0.35:
            children = min(rest, 4)
            parents = min(rest - children, 2)
            return ["head", "spouse"] + ["child"] * children + ["parent"] * parents + \
                ["sibling"] * (rest - children - parents)
        if r < 0.75:
            parents = 1 if rng.random() < 0.4 else 2
            children = min(rest - parents, 4)
            return ["head", "spouse"] + ["parent"] * parents + ["child"] * children + \
                ["sibling"] * (rest - parents - children)
        grandchildren = min(size - 4, 4)
        return ["head", "spouse", "child"] + ["child"] * (size - 4 - grandchildren) + ["child_in_law"] + \
            ["grandchild"] * grandchildren

    def _household_members(self, h: int, size: int, ordinary: bool):
        rng = self.rng
        rels = self._relations(size, ordinary)
        has_gc = "grandchild" in rels
        n_parents = rels.count("parent")
        if ordinary:
            head_age = rng.randint(60, 86)
        elif has_gc:
            head_age = rng.randint(50, 72)
        elif n_parents:
            head_age = rng.randint(28, 50)
        elif "child" in rels:
            head_age = rng.randint(27, 62)
        elif size == 1:
            head_age = 35 + int(50 * rng.random() ** 0.6)
        else:
            head_age = rng.randint(24, 80)
        head_male = rng.random() < (0.6 if ordinary or size == 1 else 0.85)
        ages, sexes = [], []
        married_child_age, married_child_male = None, True
        next_child = next_grandchild = None
        parent_age = None
        for rel in rels:
            if rel == "head":
                age, male = head_age, head_male
            elif rel == "spouse":
                age = max(20, head_age - rng.randint(0, 5) if head_male else head_age + rng.randint(0, 5))
                male = not head_male
            elif rel == "child":
                if ordinary:
                    age, male = rng.randint(28, min(50, head_age - 20)), rng.random() < 0.6
                elif has_gc and married_child_age is None:
                    age = max(22, head_age - rng.randint(20, 27))
                    married_child_age, male = age, rng.random() < 0.8
                    married_child_male = male
                else:
                    if next_child is None:
                        next_child = head_age - rng.randint(20, 30) if married_child_age is None \
                            else married_child_age - rng.randint(1, 4)
                    age = max(0, next_child)
                    next_child = age - rng.randint(1, 4)
                    male = rng.random() < 0.52
            elif rel == "child_in_law":
                age, male = max(20, married_child_age + rng.randint(-3, 3)), not married_child_male
            elif rel == "grandchild":
                if next_grandchild is None:
                    next_grandchild = married_child_age - rng.randint(20, 28)
                age = max(0, next_grandchild)
                next_grandchild = age - rng.randint(1, 3)
                male = rng.random() < 0.52
            elif rel == "parent":
                if parent_age is None:
                    parent_age = min(96, head_age + rng.randint(22, 30))
                    age, male = parent_age, (n_parents == 2) or rng.random() < 0.35
                else:
                    age, male = max(head_age + 18, parent_age + rng.randint(-5, 1)), False
            else:  # sibling
                age, male = max(1, head_age + rng.randint(-8, 8)), rng.random() < 0.5
            ages.append(age)
            sexes.append(male)
        self._people(h, rels, ages, sexes, ordinary)

    def _surname(self) -> str:
        return self.rng.choice(PROFILES.get(self.profile, PROFILES["han"])[0])

    def _name(self, surname: str, male: bool, father: str = "") -> str:
        rng = self.rng
        if self.profile == "tibetan":
            return rng.choice(TIBETAN) + rng.choice(TIBETAN)
        if self.profile == "uyghur":
            return f"{rng.choice(UYGHUR)}·{father or rng.choice(UYGHUR)}"
        pool = MALE_GIVEN if male else FEMALE_GIVEN
        given = rng.choice(pool) + (rng.choice(pool) if rng.random() < 0.7 else "")
        return surname + given

    def _people(self, h, rels, ages, sexes, ordinary):
        rng, today, m = self.rng, self.today, self.m
        county = self.h_county[h]
        head_surname = self._surname()
        spouse_surname = self._surname()
        family = head_surname if sexes[0] or "spouse" not in rels else spouse_surname
        labour = worked = 0
        for rel, age, male in zip(rels, ages, sexes, strict=True):
            year = REF.year - age
            birth = date(year, 1, 1) + timedelta(days=rng.randint(0, 364))
            age_now = today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
            if rel == "head":
                surname = head_surname
            elif rel == "spouse":
                surname = spouse_surname
            elif rel in ("child", "grandchild", "sibling") or (rel == "parent" and male):
                surname = family
            else:
                surname = self._surname()
            name = self._name(surname, male)
            education, schooling = self._education(age_now, birth.year)
            health = self._health(age_now, ordinary and rel == "child")
            skill = self._labour(age_now, schooling, health, ordinary)
            if skill in ("skilled", "ordinary", "weak"):
                labour += 1
            months, channel = self._work(skill)
            worked += months > 0
            phone = self._phone() if rel == "head" or (16 <= age_now < 60 and rng.random() < 0.3) else ""
            m.append([self.hh_ids[h], county, self.h_path[h], name, "", "resident",
                      self._id_number(county, birth, male), rel, "male" if male else "female", birth,
                      self.ethnicity(rng), education, schooling, health, skill, months, channel, True,
                      age_now >= 16 and schooling == "none" and rng.random() < (0.95 if age_now >= 60 else 0.85),
                      phone, True, None])
            self.m_age_now.append(age_now)
            self.m_birth.append(birth)
            if rel == "head":
                self.h_head_name[h], self.h_phone[h] = name, phone
        self.h_labour[h], self.h_worked[h] = labour, worked

    def _id_number(self, county: str, birth: date, male: bool) -> str:
        key = (county, birth, male)
        k = self.ids_taken.get(key)
        if k is None:
            k = self.rng.randrange(0, 60)
        self.ids_taken[key] = k + 1
        seq = 2 * k + (1 if male else 2)
        if seq > 999:
            raise RuntimeError(f"more than 500 people born on {birth} in {county}")
        first17 = f"{county}{birth:%Y%m%d}{seq:03d}"
        return first17 + check_char(first17)

    def _phone(self) -> str:
        return self.rng.choice(PHONE_PREFIXES) + f"{self.rng.randrange(10 ** 8):08d}"

    def _education(self, age: int, born: int) -> tuple[str, str]:
        r = self.rng.random()
        if age < 3:
            return "preschool", "none"
        if age < 6:
            return "preschool", "preschool" if r < 0.85 else "none"
        if age < 12:
            return "primary", "primary"
        if age < 15:
            return "junior", "junior"
        if age < 18:
            return ("senior", "senior") if r < 0.62 else ("senior", "vocational") if r < 0.85 else ("junior", "none")
        if age < 23 and r < 0.28:
            return ("college" if self.rng.random() < 0.5 else "bachelor"), "college"
        if 23 <= age < 27 and r < 0.01:
            return "postgraduate", "postgraduate"
        if born >= 1990:
            table = ADULT_EDUCATION[0 if age >= 24 else 1]
        else:
            table = ADULT_EDUCATION[2 if born >= 1970 else 3 if born >= 1955 else 4]
        return table(self.rng), "none"

    def _health(self, age: int, disabled: bool) -> str:
        if disabled:
            return "disabled"
        r = self.rng.random()
        disabled_p = 0.02 + 0.002 * max(0, age - 50)
        serious_p = 0.008
        chronic_p = min(0.45, 0.03 + 0.006 * max(0, age - 40))
        if r < disabled_p:
            return "disabled"
        if r < disabled_p + serious_p:
            return "serious"
        if r < disabled_p + serious_p + chronic_p:
            return "chronic"
        return "healthy"

    def _labour(self, age: int, schooling: str, health: str, ordinary: bool) -> str:
        rng = self.rng
        if schooling != "none" or age < 16:
            return "none"
        if ordinary:
            return "lost" if health in ("disabled", "serious") or age < 60 else "none"
        r = rng.random()
        if age < 60:
            if health in ("disabled", "serious"):
                return "lost" if r < 0.55 else "weak"
            if health == "chronic":
                return "weak" if r < 0.4 else "ordinary"
            return "skilled" if r < 0.14 else "ordinary" if r < 0.9 else "weak"
        if age < 70:
            if health in ("disabled", "serious"):
                return "lost"
            return "weak" if r < 0.5 else "ordinary" if r < 0.7 else "none" if r < 0.9 else "lost"
        return "none" if r < 0.7 else "lost"

    def _work(self, skill: str) -> tuple[int, str]:
        rng = self.rng
        if skill in ("skilled", "ordinary"):
            months = rng.randint(6, 12) if rng.random() < 0.8 else rng.randint(0, 5)
            table = CHANNELS["near" if self.profile == "chaoshan" else "far"]
        elif skill == "weak":
            months = rng.randint(0, 8)
            table = CHANNELS["weak"]
        else:
            return 0, ""
        return months, table(rng) if months else ""

    # -- who is at risk --
    def assign_risks(self):
        rng, n, area = self.rng, self.n, self.area
        lifted = [h for h in range(n) if self.types[h] == HouseholdType.LIFTED]
        ordinary = [h for h in range(n) if self.types[h] == HouseholdType.ORDINARY]
        rng.shuffle(lifted)
        per_stage = self.per_stage or (3 if area.households >= 5000 else 1)
        self.stage_count = per_stage
        need = per_stage * 7 + 6  # one of each stage, some monitored, some left for screening
        n_low = max(math.ceil(0.025 * len(lifted)), need)
        n_fall = max(math.ceil(0.008 * len(lifted)), need // 2 + 1)
        n_rigid = max(math.ceil(0.008 * len(lifted)), need // 2 + 1)
        n_cond = max(math.ceil(0.006 * len(lifted)), 6)
        self.low = set(lifted[:n_low])
        at = n_low
        self.fall = set(lifted[at:at + n_fall])
        at += n_fall
        self.rigid = set(lifted[at:at + n_rigid])
        at += n_rigid
        self.cond = set(lifted[at:at + n_cond])
        at += n_cond
        # Ordinary households: most within the line (边缘易致贫), a few above it, some failing an item.
        rng.shuffle(ordinary)
        n_ord_low = round(0.85 * len(ordinary))
        self.low |= set(ordinary[:n_ord_low])
        self.cond |= set(ordinary[n_ord_low:n_ord_low + max(1, len(ordinary) // 20)] if ordinary else [])
        self.normal = [h for h in lifted[at:]]
        # Eliminated risks: earlier monitoring objects with labour, now above the line with nothing failing.
        with_labour = [h for h in self.normal if self.h_labour[h]]
        n_elim = max(2, round(0.004 * len(lifted)))
        self.eliminated = with_labour[:n_elim]
        if len(self.low) + len(self.fall) + len(self.rigid) + len(self.cond) + n_elim > n:
            raise RuntimeError(f"{area.name}: too few households ({n}) for the demo's cases")

    # -- incomes --
    def build_incomes(self):
        rng, n, area = self.rng, self.n, self.area
        self.mc = {y: [0] * n for y in INCOME_YEARS}
        for h in range(n):
            for y in INCOME_YEARS:
                end = date(y, 12, 31)
                self.mc[y][h] = max(1, sum(1 for i in self.h_members[h] if self.m_birth[i] <= end))
        basis = [h for h in range(n) if self.types[h] == HouseholdType.LIFTED
                 and (area.basis == "all" or self.h_labour[h])]
        pc = {y: [0] * n for y in INCOME_YEARS}  # per-capita, cents (the raw figures before calibration)
        net = {y: [0] * n for y in INCOME_YEARS}
        self.rigid_med = {y: [0] * n for y in INCOME_YEARS}
        self.rigid_edu = {y: [0] * n for y in INCOME_YEARS}
        typical = _cents(area.per_capita.get(2020, area.typical))
        fixed = self.low | self.fall | self.rigid
        for h in range(n):
            line = _cents(self.line(h))
            if h in self.low:
                pc[2020][h] = int(line * rng.uniform(0.55, 0.98))
            elif h in self.fall:
                pc[2020][h] = int(line * rng.uniform(1.1, 2.2))
            elif h in self.rigid:
                pc[2020][h] = int(line * rng.uniform(1.3, 2.8))
            elif self.types[h] == HouseholdType.ORDINARY or not self.h_labour[h]:
                pc[2020][h] = int(line * rng.uniform(1.3, 2.4))  # transfers and a little farming
            else:
                labour_share = self.h_labour[h] / self.h_size[h]
                pc[2020][h] = int(typical * math.exp(rng.gauss(0, 0.3)) * (0.75 + 0.5 * labour_share))
        for h in range(n):
            net[2020][h] = pc[2020][h] * self.mc[2020][h]
        target = area.per_capita.get(2020)
        if target is not None:
            floors = {h: int(_cents(self.line(h)) * 1.25) * self.mc[2020][h] for h in basis if h not in fixed}
            self._calibrate(net[2020], basis, [h for h in basis if h not in fixed], floors,
                            _cents(target) * sum(self.mc[2020][h] for h in basis))
        # 2019: a little lower, except the households whose income fell; 2015 calibrated to its own figure.
        for h in range(n):
            pc20 = net[2020][h] / self.mc[2020][h]
            pc19 = pc20 / (1 - rng.uniform(0.35, 0.6)) if h in self.fall else pc20 / rng.uniform(1.03, 1.15)
            net[2019][h] = int(pc19 * self.mc[2019][h])
            growth = rng.uniform(3.0, 4.8) if area.basis == "labour" else rng.uniform(1.3, 1.9)
            net[2015][h] = int(pc20 / growth * self.mc[2015][h])
        target = area.per_capita.get(2015)
        if target is not None:
            self._calibrate(net[2015], basis, basis, {}, _cents(target) * sum(self.mc[2015][h] for h in basis))
        # Rigid spending: large for the "rigid" households, small and ordinary elsewhere.
        for h in range(n):
            students = sum(1 for i in self.h_members[h]
                           if self.m[i][M["schooling"]] in ("senior", "vocational", "college", "postgraduate"))
            ill = sum(1 for i in self.h_members[h] if self.m[i][M["health"]] in ("chronic", "serious"))
            for y in INCOME_YEARS:
                cap = net[y][h] * 0.3
                edu = min(int(cap / 2), students * rng.randint(1500_00, 6000_00)) if students else 0
                med = min(int(cap / 2), ill * rng.randint(300_00, 3000_00)) if ill and rng.random() < 0.6 else 0
                if y == 2020 and h in self.rigid:
                    total = int(net[y][h] * rng.uniform(0.6, 1.6))
                    edu = min(total // 3, students * 8000_00) if students else 0
                    med = total - edu
                self.rigid_med[y][h], self.rigid_edu[y][h] = med, edu
        self.net = net
        self.pc = {y: [(Decimal(net[y][h]) / self.mc[y][h]).quantize(Decimal("1"), rounding=ROUND_HALF_EVEN)
                       for h in range(n)] for y in INCOME_YEARS}  # cents, as Income.compute_per_capita rounds

    @staticmethod
    def _calibrate(net: list, basis: list, adjustable: list, floors: dict, needed: int):
        """Scale the adjustable households' net income (above their floors) so that the basis sums to `needed`
        cents exactly; one household absorbs the rounding."""
        if not adjustable:
            raise RuntimeError("no household to calibrate incomes with")
        fixed = sum(net[h] for h in basis) - sum(net[h] for h in adjustable)
        room = needed - fixed - sum(floors.get(h, 0) for h in adjustable)
        excess = sum(net[h] - floors.get(h, 0) for h in adjustable)
        if room <= 0 or excess <= 0:
            raise RuntimeError("the income target cannot be met above the households' floors")
        g = room / excess
        for h in adjustable:
            floor = floors.get(h, 0)
            net[h] = floor + int(round((net[h] - floor) * g))
        residual = needed - sum(net[h] for h in basis)
        biggest = max(adjustable, key=lambda h: net[h])
        net[biggest] += residual

    def income_columns(self) -> dict:
        rng, rows = self.rng, []
        for h in range(self.n):
            labour = self.h_worked[h] > 0
            p, r = rng.uniform(0.12, 0.3), rng.uniform(0.01, 0.05)
            t = rng.uniform(0.05, 0.15) if labour else 1 - p - r
            c = rng.uniform(0.25, 0.45)
            for y in INCOME_YEARS:
                total = self.net[y][h]
                gross = total / (1 - c * p)
                prod, prop = int(p * gross), int(r * gross)
                cost = int(c * prod)
                if labour:
                    trans = int(t * gross)
                    wage = total - prod - prop - trans + cost
                else:
                    wage, trans = 0, total - prod - prop + cost
                rows.append((self.hh_ids[h], self.h_county[h], self.h_path[h], y, _money(wage), _money(prod),
                             _money(prop), _money(trans), _money(cost), _money(self.rigid_med[y][h]),
                             _money(self.rigid_edu[y][h]), self.mc[y][h], _money(int(self.pc[y][h]))))
        return _columns(INCOME_FIELDS, rows)

    # -- living conditions --
    def build_conditions(self):
        rng, n = self.rng, self.n
        self.failures: dict[int, list[str]] = {}
        self.h_grade = ["A" if rng.random() < 0.6 else "B" for _ in range(n)]
        items = (("housing", 35), ("water_quantity", 10), ("water_quality", 15), ("water_convenience", 10),
                 ("water_reliability", 10), ("compulsory_education", 10), ("basic_medical", 10))
        m = self.m
        for h in sorted(self.cond):
            item = _weighted(rng, items)
            if item == "compulsory_education":
                pupils = [i for i in self.h_members[h] if 7 <= self.m_age_now[i] <= 15]
                if not pupils:
                    item = "housing"
                else:
                    i = rng.choice(pupils)
                    m[i][M["schooling"]], m[i][M["labour_skill"]] = "none", "none"
            if item == "basic_medical":
                m[rng.choice(list(self.h_members[h]))][M["medical_insured"]] = False
            if item == "housing":
                self.h_grade[h] = "C" if rng.random() < 0.75 else "D"
            self.failures[h] = [item]

    def conditions_columns(self) -> dict:
        rows = []
        for h in range(self.n):
            failed = set(self.failures.get(h, ()))
            grade = self.h_grade[h]
            water = "自来水入户" if "water_convenience" not in failed else "需到 1 公里外取水"
            evidence = f"{CONDITIONS_YEAR}年入户核查：住房 {grade} 级，{water}"
            if failed:
                evidence += "；" + "；".join(screening.reason_condition(item, grade)["text"] for item in sorted(failed))
            rows.append((self.hh_ids[h], self.h_county[h], self.h_path[h], CONDITIONS_YEAR,
                         "food_clothing" not in failed, "compulsory_education" not in failed,
                         "basic_medical" not in failed, grade, "water_quantity" not in failed,
                         "water_quality" not in failed, "water_convenience" not in failed,
                         "water_reliability" not in failed, evidence))
        return _columns(CONDITIONS_FIELDS, rows)

    # -- monitoring cases --
    def reasons(self, h: int) -> tuple[str, list[dict]]:
        pc = Decimal(int(self.pc[2020][h])) / 100
        line = self.line(h)
        reasons = []
        low = h in self.low
        if low:
            reasons.append(screening.reason_low_income(pc, line))
        if h in self.fall:
            reasons.append(screening.reason_income_fall(pc, Decimal(int(self.pc[2019][h])) / 100, FALL_SHARE))
        if h in self.rigid:
            reasons.append(screening.reason_rigid_spending(Decimal(self.rigid_med[2020][h]) / 100,
                                                           Decimal(self.rigid_edu[2020][h]) / 100,
                                                           Decimal(self.net[2020][h]) / 100, RIGID_SHARE))
        for item in self.failures.get(h, ()):
            reasons.append(screening.reason_condition(item, self.h_grade[h]))
        category = screening.candidate_for(self.types[h], low, h in self.fall or h in self.rigid)
        if not category:  # an item not secured only: the county registers it by household type
            category = MonitoringCategory.UNSTABLE if self.types[h] == HouseholdType.LIFTED \
                else MonitoringCategory.MARGINAL
        return category, reasons

    def build_cases(self):
        rng, today = self.rng, self.today
        self.h_category = [""] * self.n
        self.h_risk = [RiskStatus.NONE] * self.n
        self.clues, self.transitions, self.measures, self.visits = _Columns(), _Columns(), _Columns(), _Columns()
        self._clue_rows: list[dict] = []
        pools = {MonitoringCategory.UNSTABLE: [], MonitoringCategory.MARGINAL: [], MonitoringCategory.SUDDEN: [],
                 "": []}
        for h in sorted(self.low | self.fall | self.rigid | self.cond):
            category = screening.candidate_for(self.types[h], h in self.low, h in self.fall or h in self.rigid)
            pools[category].append(h)
        self.monitored_old: list[int] = []
        for category, pool in pools.items():
            rng.shuffle(pool)
            at = 0
            if category:
                for stage in (*STAGE_CHAIN, Stage.REJECTED):
                    for h in pool[at:at + self.stage_count]:
                        self._identify(h, stage, recent=True)
                    at += self.stage_count
            rest = pool[at:]
            old = rest[:round(0.35 * len(rest))] if len(rest) >= 3 else []
            for h in old:
                self._identify(h, Stage.APPROVED, recent=False)
                self.monitored_old.append(h)
        # Elimination cases in progress, for monitored households with labour.
        candidates = [h for h in self.monitored_old if self.h_labour[h]]
        for stage, h in zip((*STAGE_CHAIN[:-1], Stage.REJECTED), candidates, strict=False):
            self._eliminate(h, stage)
        for k, h in enumerate(self.eliminated):
            category = (MonitoringCategory.UNSTABLE, MonitoringCategory.SUDDEN)[k % 2]
            approved = self._identify(h, Stage.APPROVED, recent=False, category=category, before=today - timedelta(400))
            self._eliminate(h, Stage.APPROVED, after=approved)

    def _dates(self, final: str, end: date, publicity_days: int = 5) -> tuple[list[tuple[str, str, date]], tuple]:
        """Transitions (from, to, date) leading to `final` on or before `end`, and the publicity dates."""
        rng = self.rng
        if final == Stage.REJECTED:
            chain = list(STAGE_CHAIN[:rng.choice((1, 2, 3, 5))])
        else:
            chain = list(STAGE_CHAIN[:STAGE_CHAIN.index(final) + 1])
        gaps = {Stage.VERIFIED: (1, 4), Stage.CROSSCHECKED: (1, 3), Stage.PUBLICISED: (1, 3),
                Stage.TOWNSHIP_REVIEWED: (publicity_days, publicity_days + 2), Stage.APPROVED: (1, 3),
                Stage.REJECTED: (1, 3)}
        steps = chain + ([Stage.REJECTED] if final == Stage.REJECTED else [])
        day = end
        dates = [day]
        for stage in reversed(steps[1:]):
            day -= timedelta(days=rng.randint(*gaps[stage]))
            dates.append(day)
        dates.reverse()
        rows, previous = [], ""
        publicity = (None, None)
        for stage, on in zip(steps, dates, strict=True):
            rows.append((previous, stage, on))
            if stage == Stage.PUBLICISED:
                publicity = (on, on + timedelta(days=publicity_days - 1))
            previous = stage
        return rows, publicity

    def _identify(self, h: int, stage: str, recent: bool, category: str = "", before: date | None = None) -> date:
        rng, today = self.rng, self.today
        natural, reasons = self.reasons(h)
        category = category or natural
        if recent:
            back = {Stage.CLUE: (0, 24), Stage.VERIFIED: (0, 10), Stage.CROSSCHECKED: (0, 6), Stage.PUBLICISED: (0, 5),
                    Stage.TOWNSHIP_REVIEWED: (0, 3), Stage.APPROVED: (0, 12), Stage.REJECTED: (0, 20)}[stage]
            end = today - timedelta(days=rng.randint(*back))
        else:
            latest = before or today - timedelta(days=60)
            earliest = date(2021, 3, 1)
            end = earliest + timedelta(days=rng.randint(0, max(0, (latest - earliest).days)))
        if not reasons:  # an eliminated household, identified back then on a fall in income
            reasons = [{"code": "income_fall", "text": "家庭主要劳动力务工收入中断，收入大幅下降"}]
        source = (ClueSource.SCREENING, ClueSource.CADRE_VISIT, ClueSource.SELF_REPORT,
                  ClueSource.DEPARTMENT)[rng.randrange(4)]
        steps, publicity = self._dates(stage, end)
        self._clue(h, Purpose.IDENTIFY, source, category, reasons, stage, steps, publicity,
                   decided=category if stage == Stage.APPROVED else "")
        if stage == Stage.APPROVED:
            self.h_category[h], self.h_risk[h] = category, RiskStatus.MONITORED
            self._measures(h, category, steps[-1][2], recent)
            self._visits(h, steps[-1][2], rng.randint(1, 3))
        return steps[-1][2]

    def _eliminate(self, h: int, stage: str, after: date | None = None):
        rng, today = self.rng, self.today
        if after is not None:  # eliminated some time ago
            end = min(today - timedelta(days=30), after + timedelta(days=rng.randint(200, 500)))
        else:
            end = today - timedelta(days=rng.randint(0, 8))
        steps, publicity = self._dates(stage, end)
        reasons = [{"code": "income_stable", "text": "收入持续稳定超过监测线，“三保障”和饮水安全有保障"}]
        self._clue(h, Purpose.ELIMINATE, ClueSource.CADRE_VISIT, "", reasons, stage, steps, publicity,
                   eliminate=True)
        if stage == Stage.APPROVED:
            self.h_risk[h] = RiskStatus.ELIMINATED
            for k in range(len(self.measures.get("household_id", []))):  # measures end before the elimination
                if self.measures["household_id"][k] == self.hh_ids[h] and self.measures["end"][k] is None:
                    self.measures["end"][k] = steps[0][2]
                    self.measures["outcome"][k] = "措施完成，家庭收入稳定"

    def _clue(self, h, purpose, source, category, reasons, stage, steps, publicity, decided="", eliminate=False):
        opened = steps[0][2]
        closed = stage in (Stage.APPROVED, Stage.REJECTED)
        self._clue_rows.append(dict(
            household_id=self.hh_ids[h], county_code=self.h_county[h], region_path=self.h_path[h],
            purpose=purpose, source=source, candidate_category=category, reasons=reasons, stage=stage,
            is_open=not closed, opened_on=opened, deadline=opened + timedelta(days=15),
            publicity_start=publicity[0], publicity_end=publicity[1], decided_category=decided,
            steps=steps, eliminate=eliminate))

    def _measures(self, h, category, approved: date, recent: bool):
        rng, today = self.rng, self.today
        r = rng.random()
        if recent and r < 0.5 or not recent and r < 0.15:
            return  # no measure yet: the work queue shows it
        ended_only = not recent and r < 0.3
        kinds = list(CATEGORY_MEASURES[category])
        for item in self.failures.get(h, ()):
            kinds.insert(0, {"housing": "housing", "basic_medical": "health",
                             "compulsory_education": "education"}.get(item, "water"))
        county = self.county_names.get(self.h_county[h], "")
        for kind in kinds[:rng.randint(1, 2)]:
            unit, descriptions = MEASURES[kind]
            start = min(today, approved + timedelta(days=rng.randint(2, 20)))
            end = None
            if ended_only:
                end = min(today - timedelta(days=1), start + timedelta(days=rng.randint(60, 300)))
            self.measures.add(household_id=self.hh_ids[h], county_code=self.h_county[h],
                              region_path=self.h_path[h], kind=kind, description=rng.choice(descriptions),
                              responsible_unit=county + unit, responsible_person=self._name(self._surname(),
                                                                                            rng.random() < 0.6),
                              start=start, end=end, outcome="措施已完成" if end else "")

    def _visits(self, h, since: date, count: int):
        rng, today = self.rng, self.today
        span = max(1, (today - since).days)
        for _ in range(count):
            self.visits.add(household_id=self.hh_ids[h], county_code=self.h_county[h],
                            region_path=self.h_path[h], visited_on=since + timedelta(days=rng.randint(0, span)),
                            visitor=self._name(self._surname(), rng.random() < 0.7), notes=rng.choice(VISIT_NOTES))

    def case_columns(self):
        rng = self.rng
        ids = reserve_ids(Clue, len(self._clue_rows))
        tz = timezone.get_current_timezone()
        for clue_id, row in zip(ids, self._clue_rows, strict=True):
            steps = row.pop("steps")
            eliminate = row.pop("eliminate")
            self.clues.add(id=clue_id, **row)
            for previous, stage, on in steps:
                reason = (ELIMINATE_REASONS if eliminate else STAGE_REASONS).get(stage, "")
                if stage == Stage.CLUE:
                    reason = "风险消除申请" if eliminate else {ClueSource.SCREENING: screening.SCREENING_REASON,
                                                          ClueSource.SELF_REPORT: "农户自主申报",
                                                          ClueSource.CADRE_VISIT: "基层干部排查",
                                                          ClueSource.DEPARTMENT: "部门筛查预警"}[row["source"]]
                moment = datetime.combine(on, time(rng.randint(8, 17), rng.randint(0, 59)), tzinfo=tz)
                self.transitions.add(clue_id=clue_id, county_code=row["county_code"], region_path=row["region_path"],
                                     from_stage=previous, to_stage=stage, actor_id=None, time=moment, reason=reason,
                                     attachment="")
                if stage == Stage.VERIFIED:
                    self.visits.add(household_id=row["household_id"], county_code=row["county_code"],
                                    region_path=row["region_path"], visited_on=on,
                                    visitor=self._name(self._surname(), rng.random() < 0.7),
                                    notes="入户核实：" + "；".join(r["text"] for r in row["reasons"])[:500])

    # -- writing --
    def household_columns(self) -> dict:
        rng, rows = self.rng, []
        land = (150, 800) if self.profile == "zhuang" else (50, 400)  # hundredths of a mu
        for h in range(self.n):
            village = self.villages[self.h_village[h]]
            failed = self.failures.get(h, ())
            rows.append((self.hh_ids[h], self.h_number[h], village[0], self.h_county[h], self.h_path[h],
                         self.types[h], self.h_category[h], self.h_risk[h], self.h_head_name[h], self.h_size[h],
                         self.h_phone[h], f"{village[1]}{rng.randint(1, 12)}组{rng.randint(1, 80)}号",
                         _money(rng.randint(*land)), self.h_grade[h],
                         not any(item.startswith("water") for item in failed), rng.random() < 0.8, True))
        return _columns(HOUSEHOLD_FIELDS, rows)

    def member_columns(self) -> dict:
        """The members' columns, their pinyin initials spelled for the whole column at once by the registry's own
        rule (`name_initials_column`, equal to `name_initials` name by name; a full area has too many distinct
        names for a cache of them)."""
        columns = {**_columns(MEMBER_FIELDS, self.m), "id": self.m_ids}
        names = pl.Series(columns["name"], dtype=pl.String)
        columns["name_initials"] = name_initials_column(names).to_list()
        return columns

    def build(self) -> dict:
        self.load()
        self.build_people()
        self.assign_risks()
        self.build_incomes()
        self.build_conditions()
        self.build_cases()
        self.case_columns()
        counts = {
            "households": insert_columns(Household, self.household_columns()),
            "members": insert_columns(Member, self.member_columns()),
            "incomes": insert_columns(Income, self.income_columns()),
            "conditions": insert_columns(Conditions, self.conditions_columns()),
            "clues": insert_columns(Clue, self.clues),
            "transitions": insert_columns(Transition, self.transitions),
            "measures": insert_columns(Measure, self.measures),
            "visits": insert_columns(Visit, self.visits),
        }
        lifted = [h for h in range(self.n) if self.types[h] == HouseholdType.LIFTED]
        counts.update(
            lifted_households=len(lifted), lifted_members=sum(self.h_size[h] for h in lifted),
            ordinary_households=self.n - len(lifted),
            monitored=sum(1 for r in self.h_risk if r == RiskStatus.MONITORED),
            eliminated=sum(1 for r in self.h_risk if r == RiskStatus.ELIMINATED),
        )
        return counts


def remove_households() -> dict[str, int]:
    """Delete the demo's households (those in synthetic villages) and everything hanging off them, children first,
    one set-based DELETE per table; for the overall demo to call before it removes its regions. Monitoring lines
    stay (they are a table of the coordination office, and the demo only adds missing ones)."""
    from bangfu.households.models import MemberMove

    villages = Region.objects.filter(synthetic=True, level=Level.VILLAGE).values("code")
    households = Household.objects.filter(village__in=villages).values("id")
    removed = {"transitions": Transition.objects.filter(clue__household__in=households)._raw_delete(
        Transition.objects.db)}
    for label, model in (("clues", Clue), ("measures", Measure), ("visits", Visit)):
        removed[label] = model.objects.filter(household__in=households)._raw_delete(model.objects.db)
    removed["member moves"] = MemberMove.objects.filter(
        Q(from_household__in=households) | Q(to_household__in=households))._raw_delete(MemberMove.objects.db)
    for label, model in (("incomes", Income), ("conditions", Conditions), ("members", Member)):
        removed[label] = model.objects.filter(household__in=households)._raw_delete(model.objects.db)
    removed["households"] = Household.objects.filter(village__in=villages)._raw_delete(Household.objects.db)
    return removed


def households_counts() -> dict[str, int]:
    """What the registry's tables hold, read back from the database (the demo's households and any others)."""
    return count_rows({
        "households": Household, "members": Member, "incomes": Income, "conditions": Conditions, "clues": Clue,
        "clue transitions": Transition, "measures": Measure, "visits": Visit, "monitoring lines": MonitoringLine,
    })


SHENZHEN_PATH = "440000/440300/"
VILLAGE_SYLLABLES = ("新东西南北上下大小石黄岭坡塘龙凤和平安福", "村寨屯坪坝湾沟山田岗桥寨口堡营")


def recipient_counties() -> list[Region]:
    """The counties Shenzhen and its districts have paired with, now or in the past (seed 000: 109)."""
    from bangfu.pairing.models import Pairing, PairingKind

    codes = (Pairing.objects.filter(helper__region__path__startswith=SHENZHEN_PATH,
                                    recipient_region__level=Level.COUNTY)
             .exclude(kind__in=[PairingKind.SCHOOL, PairingKind.HOSPITAL])
             .values_list("recipient_region_id", flat=True).distinct())
    return list(Region.objects.filter(code__in=codes).order_by("code"))


def full_areas(rng: random.Random | None = None) -> list[Area]:
    """`--scale full`: 2,040,100 registered people (seed 000) across Shenzhen's recipient counties. 德保县 and 汕尾市
    keep their seed figures; the other counties share the rest, each one area (one pass of the same builder)."""
    rng = rng or random.Random(109)
    counties = recipient_counties()
    if not counties:
        raise RuntimeError("The full scale needs Shenzhen's pairings with its recipient counties: build them first.")
    seeded = [a.prefix for a in SEED_AREAS]
    others = [c for c in counties if not any(c.path.startswith(p) for p in seeded)]
    people = FULL_PEOPLE - sum(a.members for a in SEED_AREAS)
    weights = [0.4 + 1.2 * rng.random() for _ in others]
    shares = [int(people * w / sum(weights)) for w in weights]
    shares[0] += people - sum(shares)
    areas = list(SEED_AREAS)
    for county, members in zip(others, shares, strict=True):
        households = max(1, round(members / rng.uniform(3.6, 4.5)))
        areas.append(Area(county.code, county.name, county.path, households=households, members=members,
                          profile="auto", typical=Decimal(rng.randrange(8000, 14000))))
    return areas


def ensure_villages(area: Area, per_village: int = 300) -> int:
    """Synthetic poor villages (with a township) for a county that has none, about `per_village` households each;
    returns how many regions were created."""
    if Region.objects.filter(path__startswith=area.prefix, level=Level.VILLAGE, is_poor_village=True).exists():
        return 0
    county = Region.objects.get(path=area.prefix)
    rng = random.Random(county.code)
    needed = max(1, math.ceil((area.households + area.ordinary) / per_village))
    taken = set(Region.objects.filter(path__startswith=area.prefix).values_list("code", flat=True))
    rows, made = [], 0
    township_no = 190
    while made < needed:
        code = f"{county.code}{township_no:03d}000"
        township_no += 1
        if code in taken:
            continue
        township = Region(code=code, name=f"示范{township_no - 190 + 1}镇", level=Level.TOWNSHIP, synthetic=True)
        place_under(township, county)
        rows.append(township)
        for v in range(min(needed - made, 799)):
            first, second = VILLAGE_SYLLABLES
            name = rng.choice(first) + rng.choice(first) + rng.choice(second)
            village = Region(code=f"{code[:9]}{200 + v:03d}", name=name, level=Level.VILLAGE, is_poor_village=True,
                             synthetic=True)
            place_under(village, township)
            rows.append(village)
            made += 1
    Region.objects.bulk_create(rows)
    return len(rows)


@transaction.atomic
def build_households(scale: str = "seed", today: date | None = None, areas=None, seed: int = 2020,
                     per_stage: int | None = None, progress=None) -> dict:
    """Build the demo's households in the poor villages that exist; returns counts (totals, and per area under
    "areas"). `areas` (default: the scale's) lets tests build the same way at a small size; `per_stage` is how many
    cases of each category wait at each stage (default 3, or 1 in areas under 5,000 households); `progress(done,
    total, area)` is called after each area (for a progress bar)."""
    if scale not in ("seed", "full"):
        raise ValueError(f"Unknown scale {scale!r}: seed or full.")
    today = today or timezone.localdate()
    full = areas is None and scale == "full"
    if areas is None:
        areas = full_areas() if full else SEED_AREAS
    rng = random.Random(seed)
    provinces = {area.prefix.split("/")[0] for area in areas}
    totals: Counter = Counter(lines=ensure_lines(provinces))
    by_area = {}
    for done, area in enumerate(areas, start=1):
        if full and area not in SEED_AREAS:
            totals["synthetic_regions"] += ensure_villages(area)
        counts = _AreaBuilder(area, today, rng, per_stage).build()
        by_area[area.key] = counts
        totals.update(counts)
        if progress is not None:
            progress(done, len(areas), area)
    result = dict(totals)
    result["areas"] = by_area
    return result

