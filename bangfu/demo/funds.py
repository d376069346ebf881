"""The funds and projects part of the demo: fund sources, budgets, disbursements, expenditures, projects with their
lifecycle trail and milestones, beneficiaries, enclave dividends, assets, notices and tilt rules, calibrated so that
the platform's own queries give back the seeds' figures exactly (SEED_FIGURES.md):

- 南山区 → 德保县 (seed 004): 224,000,000.00 yuan of all kinds 2016 to November 2020; 2020 fiscal 61,020,000.00
  (+10.3% on 2019's 55,320,000.00) and social 24,590,000.00 (+53% on 2019's 16,070,000.00); 73 projects, among them
  桑蚕/柑橘 2,000万, 油茶 1,000万, 南山小学 2,640.93万, the 老乡家园 workshop 2,000万 with 106 jobs and medical
  equipment 3,899万 over three hospitals; beneficiary households of 58,000+ people in the 89 poor villages; enclave
  dividends of 8,322,000.00 to 1,420 households of 3,800 people.
- 深圳市 → 汕尾市 (seed 003): 9,500,000,000.00 in 2013-2020, 1,300,000,000.00 of it in 2020; 3,450,000,000.00 to
  livelihood projects; 415 industry projects in the 110 paired villages.
- 深圳市 and everything under it (seed 000): fiscal aid 41,873,000,000.00 (9,550,000,000.00 in 2011-2015,
  24,960,000,000.00 in 2016-2020, 4,012,000,000.00 in 2020); social aid 76,200,000,000.00 (2,100,000,000.00 in 2020).
  What 德保 and 汕尾 do not take is spread over Shenzhen's other pairings with prefectures and counties, year by year,
  over the pairings in force that year.
- `full` adds 40,000+ projects over those other pairings, with their disbursements and expenditures, and enough
  tranches that the fund tables hold over 1,000,000 rows.

Amounts are whole cents in Python integers until written: every total is exact. Rows are written column-wise
(`core.bulk.insert_columns`: COPY on PostgreSQL, executemany on SQLite), with primary keys reserved up front.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from bangfu.core.bulk import insert_columns, reserve_ids
from bangfu.demo.report import count_rows
from bangfu.funds.models import (
    Adjustment,
    Budget,
    Disbursement,
    Expenditure,
    FundSource,
    KeyCounty,
    Level,
    RuleKind,
    SourceKind,
    SourceTotal,
    TiltRule,
)
from bangfu.pairing.models import Pairing, PairingKind
from bangfu.portal.models import Notice, NoticeKind, NoticeLevel
from bangfu.projects.models import (
    Asset,
    AssetKind,
    Beneficiary,
    Category,
    Dividend,
    Gain,
    Milestone,
    Project,
    State,
    Step,
)
from bangfu.regions.models import Level as RegionLevel
from bangfu.regions.models import Region

WAN = 10_000 * 100  # in cents
YI = 100_000_000 * 100
SYN = "合成数据(synthetic)"

DEBAO, NANSHAN, SHANWEI, SHENZHEN = "451024", "440305", "441500", "440300"
CUTOFF = date(2020, 11, 30)  # "by November 2020"

# 德保 by year (cents): fiscal, social cash, social in kind. 2020: 6,102万 fiscal, 2,459万 social.
DEBAO_YEARS = {
    2016: (500 * WAN, 200 * WAN, 0),
    2017: (1500 * WAN, 600 * WAN, 0),
    2018: (2800 * WAN, 1000 * WAN, 100 * WAN),
    2019: (5532 * WAN, 1500 * WAN, 107 * WAN),
    2020: (6102 * WAN, 2300 * WAN, 159 * WAN),
}
# 汕尾 by year (cents, all kinds): 95亿 in 2013-2020, 13亿 in 2020; 90% fiscal, 10% cash donations.
SHANWEI_YEARS = {2013: 3 * YI, 2014: 5 * YI, 2015: 8 * YI, 2016: 12 * YI, 2017: 15 * YI, 2018: 18 * YI,
                 2019: 21 * YI, 2020: 13 * YI}
SHANWEI_LIVELIHOOD = 345 * YI // 10
SHANWEI_INDUSTRY_PROJECTS = 415
SHANWEI_LIVELIHOOD_PROJECTS = 150

# Shenzhen's fiscal aid (cents) by period; the periods' years and totals (seed 000).
FISCAL_PERIODS = [((1990, 2010), 7363 * YI // 100), ((2011, 2015), 955 * YI // 10), ((2016, 2019), 20948 * YI // 100),
                  ((2020, 2020), 4012 * YI // 100)]
SOCIAL_PERIODS = [((1990, 2019), 741 * YI), ((2020, 2020), 21 * YI)]

# 德保's named projects (seed 004): name, category, cents, county-level place, jobs, content.
NAMED = {
    "sericulture": ("德保县桑蚕、柑橘产业示范基地", Category.INDUSTRY, 2000 * WAN, 0,
                    "建设桑园与柑橘标准化种植示范基地, 配套养蚕大棚与分拣仓储"),
    "enclave": ("南山·德保飞地产业园(飞地分红项目)", Category.INDUSTRY, 800 * WAN, 0,
                "在南山区合作园区建设标准厂房, 租金收益按年分红给德保脱贫户"),
    "school": ("德保县南山小学", Category.EDUCATION, 264093 * WAN // 100, 0,
               "新建教学楼、综合楼、运动场及配套设施, 设计规模36个班"),
    "oiltea": ("德保县油茶产业示范基地", Category.INDUSTRY, 1000 * WAN, 0, "新建高产油茶示范基地及油茶加工车间"),
    "workshop": ("老乡家园易地扶贫搬迁安置点就业帮扶车间", Category.EMPLOYMENT, 2000 * WAN, 106,
                 "在老乡家园安置点建设就业帮扶车间, 引进服装、电子加工企业, 吸纳搬迁群众就近就业"),
    "medical1": ("德保县人民医院医疗设备购置", Category.HEALTH, 1800 * WAN, 0, "购置CT、彩超、DR等医疗设备"),
    "medical2": ("德保县中医医院医疗设备购置", Category.HEALTH, 1199 * WAN, 0, "购置检验、康复与中医诊疗设备"),
    "medical3": ("德保县妇幼保健院医疗设备购置", Category.HEALTH, 900 * WAN, 0, "购置产科、儿科诊疗设备"),
}
DEBAO_OTHER_PROJECTS = 65  # with the 8 above: 73
DEBAO_PEOPLE_TARGET = 58_200
DIVIDEND_YEARS = {2018: 232_2000 * 100, 2019: 280_0000 * 100, 2020: 320_0000 * 100}  # 832.2万 in all
DIVIDEND_HOUSEHOLDS = (460, 960)  # of 2 and of 3 people: 1,420 households, 3,800 people
VILLAGE_PROJECT_KINDS = [
    ("村道硬化工程", Category.INFRASTRUCTURE), ("饮水安全巩固提升工程", Category.WATER),
    ("特色种养产业项目", Category.INDUSTRY), ("村级光伏电站", Category.INDUSTRY), ("危房改造", Category.HOUSING),
    ("村卫生室建设", Category.HEALTH), ("产业路建设", Category.INFRASTRUCTURE),
    ("农产品冷链仓储", Category.CONSUMPTION),
    ("村级党群服务中心", Category.PARTY), ("公益性岗位开发", Category.EMPLOYMENT),
]
GAINS = {
    Category.INDUSTRY: (Gain.WAGES, Gain.PURCHASE, Gain.RENT), Category.EMPLOYMENT: (Gain.WAGES, Gain.WELFARE_JOB),
    Category.CONSUMPTION: (Gain.PURCHASE,),
}
GAIN_AMOUNTS = {Gain.WAGES: (6000, 24000), Gain.PURCHASE: (800, 5000), Gain.RENT: (300, 1500),
                Gain.WELFARE_JOB: (6000, 9600), Gain.SERVICE: (0, 0)}
ASSET_KINDS = {Category.INDUSTRY: AssetKind.OPERATING, Category.CONSUMPTION: AssetKind.OPERATING,
               Category.EMPLOYMENT: AssetKind.OPERATING, Category.HOUSING: AssetKind.HOUSEHOLD}
TILT_RULES = [(year, kind, threshold) for year in range(2016, 2024) for kind, threshold in (
    (RuleKind.INDUSTRY_SHARE, Decimal("55.00") if year >= 2022 else Decimal("40.00")),
    (RuleKind.LIVELIHOOD_SHARE, Decimal("30.00")),
    (RuleKind.FISCAL_NOT_DECREASING, None),
    (RuleKind.KEY_COUNTY_SHARE, Decimal("30.00")))]
# National key counties for rural revitalisation among the demo's (2021 list, as data).
KEY_COUNTIES = ["451026", "451027", "451028", "451031", "451224", "451225", "451227", "451228", "451229", "513332",
                "513330", "530627", "530628"]


def cents(value: int) -> Decimal:
    return Decimal(value) / 100


def split(total: int, weights: list[float]) -> list[int]:
    """Whole cents in proportion to the weights, the remainder on the largest share: they add up exactly."""
    s = sum(weights)
    shares = [int(total * w / s) for w in weights]
    shares[shares.index(max(shares))] += total - sum(shares)
    return shares


def round_split(total: int, weights: list[float], unit: int = 100 * 100) -> list[int]:
    """As `split`, in round hundreds of yuan except for the remainder."""
    s = sum(weights)
    shares = [int(total * w / s) // unit * unit for w in weights]
    shares[shares.index(max(shares))] += total - sum(shares)
    return shares


def day_in(year: int, rng: random.Random, start=(1, 10), end=(12, 20)) -> date:
    first, last = date(year, *start), date(year, *end)
    if year == 2020:
        last = min(last, CUTOFF)
    return first + timedelta(days=rng.randrange((last - first).days + 1))


class Rows:
    """Column lists of one table, with reserved primary keys."""

    def __init__(self, model):
        self.model = model
        self.cols: dict[str, list] = defaultdict(list)
        self.n = 0

    def add(self, **row):
        for key, value in row.items():
            self.cols[key].append(value)
        self.n += 1
        return self.n - 1

    def write(self) -> int:
        if not self.n:
            return 0
        if "id" in self.cols:
            return insert_columns(self.model, dict(self.cols))
        ids = reserve_ids(self.model, self.n)
        return insert_columns(self.model, {"id": ids, **self.cols})


class Builder:
    def __init__(self, scale: str, rng: random.Random):
        self.scale = scale
        self.rng = rng
        self.sources = Rows(FundSource)
        self.budgets: list[dict] = []
        self.projects: list[dict] = []
        self.draws: list[dict] = []  # project disbursements: project index, budget index, cents, date
        self.beneficiaries = Rows(Beneficiary)
        self.dividends: list[dict] = []
        self.notices = Rows(Notice)
        # `full` splits each year's aid into many tranches and payments, so that the fund tables hold 1,000,000+ rows.
        self.tranches = 2 if scale == "seed" else 100

    # Sources and budgets -----------------------------------------------------------------------------------------

    def source(self, pairing: Pairing, kind: str, year: int, total: int, level: str = "", donor: str = "",
               tranches: int | None = None):
        if total <= 0:
            return
        n = max(1, min(tranches or self.tranches, total // (100 * 100)))
        amounts = round_split(total, [1 + self.rng.random() for _ in range(n)]) if n > 1 else [total]
        for amount in amounts:
            self.sources.add(kind=kind, level=level, pairing_id=pairing.pk, year=year, amount=cents(amount),
                             received_on=day_in(year, self.rng, end=(10, 31)), donor=donor,
                             document_no=f"{pairing.helper.region_id}财协〔{year}〕{self.rng.randrange(1, 300)}号",
                             notes="" if pairing.recipient_region_id in (DEBAO, SHANWEI) else SYN,
                             **paths(pairing))

    def budget(self, pairing: Pairing, year: int, amount: int) -> int:
        self.budgets.append({"pairing": pairing, "year": year, "amount": amount, "allocated": 0})
        return len(self.budgets) - 1

    def project(self, pairing: Pairing | None, region: Region, name: str, category: str, year: int, amount: int,
                **extra) -> int:
        self.projects.append({"pairing": pairing, "region": region, "name": name, "category": category,
                              "year": year, "amount": amount, "disbursed": 0, "spent": 0, **extra})
        return len(self.projects) - 1

    def fund_projects(self, budgets: list[int], projects: list[int]):
        """Pass each budget on to the projects in order, first come first served: a project whose need outruns a
        year's budget takes the rest from next year's. Every yuan of the budgets goes to a project."""
        queue = [[b, self.budgets[b]["amount"]] for b in budgets]
        q = 0
        for p in projects:
            need = self.projects[p]["amount"]
            first = True
            while need > 0:
                b, left = queue[q]
                take = min(need, left)
                if first:
                    self.projects[p]["year"] = self.budgets[b]["year"]
                    first = False
                self.draws.append({"project": p, "budget": b, "amount": take})
                self.budgets[b]["allocated"] += take
                self.projects[p]["disbursed"] += take
                need -= take
                queue[q][1] -= take
                if queue[q][1] == 0:
                    q += 1
                    if q == len(queue) and need:
                        raise ValueError("projects need more than the budgets hold")
        if any(left for _b, left in queue[q:]):
            raise ValueError("budgets not fully passed on to projects")

    # Writing ---------------------------------------------------------------------------------------------------

    def write_totals(self) -> int:
        """The sums per pairing, year and kind, as the service keeps them (SourceTotal)."""
        cols = self.sources.cols
        sums: dict = {}
        for i in range(self.sources.n):
            key = (cols["pairing_id"][i], cols["year"][i], cols["kind"][i])
            total = sums.setdefault(key, [Decimal(0), 0, cols["region_path"][i], cols["county_code"][i],
                                          cols["org_path"][i]])
            total[0] += cols["amount"][i]
            total[1] += 1
        totals = Rows(SourceTotal)
        for (pairing, year, kind), (amount, n, region_path, county, org_path) in sums.items():
            totals.add(pairing_id=pairing, year=year, kind=kind, amount=amount, rows=n, region_path=region_path,
                       county_code=county, org_path=org_path)
        return totals.write()

    def settle_states(self):
        """Where each project stands, from the last year that funded it: built and handed over by 2018, accepted in
        2019, under way in 2020 (unless set)."""
        last = {}
        for d in self.draws:
            last[d["project"]] = max(last.get(d["project"], 0), self.budgets[d["budget"]]["year"])
        for i, p in enumerate(self.projects):
            if not p.get("state"):
                year = last.get(i, p["year"])
                p["state"] = (State.HANDED_OVER if year <= 2018 else State.ACCEPTED if year == 2019
                              else State.IMPLEMENTING)

    def write(self, today: date) -> dict:
        self.settle_states()
        counts = {"fund sources": self.sources.write(), "fund source totals": self.write_totals()}
        budget_ids = reserve_ids(Budget, len(self.budgets))
        b = Rows(Budget)
        # One reservation for both kinds of disbursement: SQLite counts on from the largest key written.
        draw_ids = reserve_ids(Disbursement, len(self.budgets) + len(self.draws))
        region_draw_ids, project_draw_ids = draw_ids[:len(self.budgets)], draw_ids[len(self.budgets):]
        for i, row in enumerate(self.budgets):
            pairing = row["pairing"]
            b.add(id=budget_ids[i], pairing_id=pairing.pk, year=row["year"], amount=cents(row["amount"]),
                  disbursed=cents(row["amount"]), approved_on=date(row["year"], 1, 20),
                  document_no=f"{pairing.helper.region_id}预〔{row['year']}〕{i % 90 + 1}号", **paths(pairing))
        counts["budgets"] = b.write()

        project_ids = reserve_ids(Project, len(self.projects))
        draws = Rows(Disbursement)
        for i, row in enumerate(self.budgets):  # to the recipient region
            pairing = row["pairing"]
            draws.add(id=region_draw_ids[i], budget_id=budget_ids[i], parent_id=None,
                      region_id=pairing.recipient_region_id, project_id=None, year=row["year"],
                      amount=cents(row["amount"]), allocated=cents(row["allocated"]), spent=Decimal(0),
                      paid_on=date(row["year"], 3, 1) if row["year"] < 2020 else date(2020, 3, 16),
                      document_no=f"拨〔{row['year']}〕{i % 200 + 1}号", **paths(pairing))
        spends = Rows(Expenditure)
        for j, d in enumerate(self.draws):
            p = self.projects[d["project"]]
            budget = self.budgets[d["budget"]]
            year = budget["year"]
            paid = day_in(year, self.rng, start=(4, 1), end=(9, 30))
            amount = d["amount"]
            fully = year < 2020 or p["state"] in (State.COMPLETED, State.ACCEPTED, State.HANDED_OVER)
            spent = amount if fully else amount * self.rng.randrange(55, 96) // 100
            p["spent"] += spent
            region = p["region"]
            place = {"region_path": region.path, "county_code": region.county_code,
                     "org_path": p["pairing"].helper.path if p["pairing"] else ""}
            draws.add(id=project_draw_ids[j], budget_id=budget_ids[d["budget"]], parent_id=region_draw_ids[d["budget"]],
                      region_id=region.code, project_id=project_ids[d["project"]], year=year, amount=cents(amount),
                      allocated=Decimal(0), spent=cents(spent), paid_on=paid,
                      document_no=f"拨〔{year}〕{j % 500 + 1}号", **place)
            pieces = 1 if spent < 50 * WAN else self.rng.randrange(2, 4 if self.scale == "seed" else 40)
            for k, part in enumerate(split(spent, [1 + self.rng.random() for _ in range(pieces)]) if spent else []):
                on = min(paid + timedelta(days=20 + 40 * k + self.rng.randrange(30)),
                         CUTOFF if year == 2020 else date(year + 1, 6, 30))
                spends.add(project_id=project_ids[d["project"]], disbursement_id=project_draw_ids[j], year=year,
                           amount=cents(part), paid_on=on, payee=p.get("implementer") or "施工单位",
                           purpose="工程进度款" if k else "预付款", document_no=f"付〔{year}〕{j}-{k + 1}号", **place)
        counts["disbursements"] = draws.write()

        projects = Rows(Project)
        steps, milestones, assets = Rows(Step), Rows(Milestone), Rows(Asset)
        asset_numbers = defaultdict(int)
        for i, p in enumerate(self.projects):
            region = p["region"]
            pairing = p["pairing"]
            place = {"region_path": region.path, "county_code": region.county_code,
                     "org_path": pairing.helper.path if pairing else ""}
            year = p["year"]
            state = p["state"]
            start = date(year, 4, 1) + timedelta(days=self.rng.randrange(60))
            end = start + timedelta(days=self.rng.randrange(120, 400))
            done = state in (State.COMPLETED, State.ACCEPTED, State.HANDED_OVER)
            projects.add(id=project_ids[i], number=f"{region.county_code}-{year}-{i + 1:05d}", name=p["name"],
                         category=p["category"], year=year, state=state, region_id=region.code,
                         pairing_id=pairing.pk if pairing else None, content=p.get("content", ""),
                         implementer=p.get("implementer", ""), responsible=p.get("responsible", ""),
                         procurement=p.get("procurement", "公开招标"), planned_amount=cents(p["amount"]),
                         disbursed=cents(p["disbursed"]), spent=cents(p["spent"]), planned_start=start,
                         planned_end=end, actual_start=start if state not in (
                             State.APPLIED, State.TOWNSHIP_REVIEWED, State.APPROVED, State.FUNDED) else None,
                         actual_end=min(end, CUTOFF) if done else None,
                         progress=100 if done else p.get("progress", self.rng.randrange(30, 90) if state ==
                                                         State.IMPLEMENTING else 0),
                         targets=p.get("targets", f"带动脱贫户增收; 完成投资{cents(p['amount']):,.2f}元"),
                         results="通过验收, 绩效评价为优" if state in (State.ACCEPTED, State.HANDED_OVER) else "",
                         jobs=p.get("jobs", 0), published_on=date(year, 3, 1) if state in (
                             State.APPROVED, State.FUNDED, State.IMPLEMENTING, State.COMPLETED, State.ACCEPTED,
                             State.HANDED_OVER) else None, **place)
            trail = [State.APPLIED, State.TOWNSHIP_REVIEWED, State.APPROVED, State.FUNDED, State.IMPLEMENTING,
                     State.COMPLETED, State.ACCEPTED, State.HANDED_OVER]
            on = date(year - 1, 10, 8)
            previous = ""
            for s in trail[:trail.index(state) + 1]:
                steps.add(project_id=project_ids[i], from_state=previous, to_state=s, on=min(on, today),
                          actor_name="demo", note="", **place)
                previous = s
                on += timedelta(days=25 if s in (State.APPLIED, State.TOWNSHIP_REVIEWED) else 70)
            if p.get("milestones", True) and state not in (State.APPLIED, State.TOWNSHIP_REVIEWED, State.APPROVED):
                for k, name in enumerate(("开工", "主体工程完成", "完工验收")):
                    due = start + (end - start) * (k + 1) // 3
                    finished = done or (k == 0) or (due < CUTOFF and self.rng.random() < 0.6)
                    milestones.add(project_id=project_ids[i], name=name, due=due,
                                   done_on=min(due + timedelta(days=self.rng.randrange(-10, 20)), today)
                                   if finished else None, **place)
            if state == State.HANDED_OVER and p.get("asset", True):
                county = region.county_code
                asset_numbers[county] += 1
                kind = ASSET_KINDS.get(p["category"], AssetKind.PUBLIC)
                owner = (f"{region.name}村民委员会" if region.level == RegionLevel.VILLAGE
                         else p.get("owner", f"{region.name}人民政府"))
                assets.add(number=f"{county}-A{asset_numbers[county]:05d}", name=p["name"], kind=kind,
                           project_id=project_ids[i], region_id=region.code, value=cents(p["spent"]), owner=owner,
                           upkeep=owner, income=cents(p["spent"] * 6 // 100) if kind == AssetKind.OPERATING
                           else Decimal(0), handed_over_on=min(end + timedelta(days=90), CUTOFF), **place)
            if p.get("notice"):
                self.notices.add(region_id=region.code, project_id=project_ids[i], kind=NoticeKind.PROJECT,
                                 level=NoticeLevel.COUNTY, title=f"关于{p['name']}的公示",
                                 body=(f"项目名称: {p['name']}\n建设地点: {region.name}\n"
                                       f"建设内容: {p.get('content', '')}\n"
                                       f"实施单位: {p.get('implementer', '')}\n项目资金: {cents(p['amount']):,.2f}元\n"
                                       f"绩效目标: {p.get('targets', '带动脱贫户增收')}"),
                                 published_on=date(year, 3, 1), period_days=None, **place)
                if region.level == RegionLevel.VILLAGE:
                    self.notices.add(region_id=region.code, project_id=project_ids[i], kind=NoticeKind.PROJECT,
                                     level=NoticeLevel.VILLAGE, title=f"{region.name}项目公示: {p['name']}",
                                     body=f"{p['name']}, 资金{cents(p['amount']):,.2f}元, 公示期10天。",
                                     published_on=date(year, 2, 20), period_days=10, **place)
        counts["projects"] = projects.write()
        counts["project steps"] = steps.write()
        counts["milestones"] = milestones.write()
        counts["expenditures"] = spends.write()
        counts["assets"] = assets.write()
        for d in self.dividends:
            d["project_id"] = project_ids[d.pop("project")]
        dividend_ids = reserve_ids(Dividend, len(self.dividends))
        dividends = Rows(Dividend)
        for k, d in enumerate(self.dividends):
            shares = d.pop("shares")
            dividends.add(id=dividend_ids[k], **d)
            for household, region_path, amount in shares:
                self.beneficiaries.add(project_id=d["project_id"], household_id=household, year=d["year"],
                                       gain=Gain.DIVIDEND, amount=cents(amount), dividend_id=dividend_ids[k],
                                       region_path=region_path, county_code=d["county_code"], org_path=d["org_path"])
        counts["dividends"] = dividends.write()
        if "project_id" in self.beneficiaries.cols:  # placeholders -1-index → the reserved keys
            self.beneficiaries.cols["project_id"] = [project_ids[-1 - v] if v < 0 else v
                                                     for v in self.beneficiaries.cols["project_id"]]
        counts["beneficiaries"] = self.beneficiaries.write()
        counts["notices"] = self.notices.write()
        return counts


def paths(pairing: Pairing) -> dict:
    region = pairing.recipient_region
    return {"region_path": region.path, "county_code": region.county_code or "", "org_path": pairing.helper.path}


# --- The parts ----------------------------------------------------------------------------------------------------


def _pairing(helper_code: str, recipient: str) -> Pairing:
    return (Pairing.objects.select_related("helper", "recipient_region")
            .get(helper__region_id=helper_code, helper__represents_region=True, recipient_region_id=recipient))


def build_debao(b: Builder, households: list[tuple[int, str, int, str]]):
    """南山区 → 德保县: sources, budgets, 73 projects, beneficiaries and the enclave dividends."""
    rng = b.rng
    pairing = _pairing(NANSHAN, DEBAO)
    budgets = []
    for year, (fiscal, cash, kind) in DEBAO_YEARS.items():
        b.source(pairing, SourceKind.FISCAL, year, fiscal, level=Level.DISTRICT, tranches=3)
        b.source(pairing, SourceKind.SOCIAL_CASH, year, cash, donor="南山区社会各界(企业、社会组织、个人)", tranches=3)
        b.source(pairing, SourceKind.IN_KIND, year, kind, donor="南山区企业捐赠物资(折款)", tranches=1)
        budgets.append(b.budget(pairing, year, fiscal + cash))
    county = Region.objects.get(code=DEBAO)
    villages = list(Region.objects.filter(path__startswith=county.path, level=RegionLevel.VILLAGE,
                                          is_poor_village=True).select_related("parent").order_by("code"))
    named = {}
    for key, (name, category, amount, jobs, content) in NAMED.items():
        named[key] = b.project(pairing, county, name, category, 0, amount, jobs=jobs, content=content,
                               implementer="德保县" + ("教育局" if key == "school" else "卫生健康局" if key.startswith(
                                   "medical") else "农业农村局" if key in ("sericulture", "oiltea") else
                                   "乡村振兴局"), notice=True, owner="德保县人民政府")
    other_total = sum(b.budgets[i]["amount"] for i in budgets) - sum(v[2] for v in NAMED.values())
    amounts = round_split(other_total, [0.5 + rng.random() for _ in range(DEBAO_OTHER_PROJECTS)])
    others = []
    for k, amount in enumerate(amounts):
        village = villages[k % len(villages)] if k < 50 else county
        label, category = VILLAGE_PROJECT_KINDS[k % len(VILLAGE_PROJECT_KINDS)]
        name = f"{village.name}{label}" if village is not county else f"德保县{label}(第{k - 49}批)"
        others.append(b.project(pairing, village, name, category, 0, amount, content=f"{label}, {SYN}",
                                implementer=f"{village.name}人民政府" if village is county else
                                f"{village.parent.name if village.parent_id else ''}人民政府",
                                notice=True))
    order = (others[:20] + [named["sericulture"], named["enclave"]] + others[20:30] + [named["school"],
             named["oiltea"], named["workshop"]] + others[30:45] + [named["medical1"], named["medical2"],
                                                                 named["medical3"]] + others[45:])
    b.fund_projects(budgets, order)
    for key in ("sericulture", "enclave"):
        b.projects[named[key]]["state"] = State.HANDED_OVER
    last = [p for p in order if b.projects[p]["year"] == 2020]
    for k, p in enumerate(last):  # 2020's: some built, most under way (and a few behind their milestones)
        b.projects[p]["state"] = State.COMPLETED if k % 3 == 0 else State.IMPLEMENTING
    if households:
        link_debao(b, households, named, others, villages)


def link_debao(b: Builder, households, named, others, villages):
    """Beneficiary households (58,000+ people) and the enclave dividends (1,420 households, 3,800 people)."""
    rng = b.rng
    shuffled = households[:]
    rng.shuffle(shuffled)
    by_village_project = {b.projects[p]["region"].code: p for p in others if b.projects[p]["region"].level ==
                          RegionLevel.VILLAGE}
    county_projects = [p for p in others if b.projects[p]["region"].level != RegionLevel.VILLAGE]
    people = 0
    chosen = []
    for hh in shuffled:
        if people >= DEBAO_PEOPLE_TARGET:
            break
        chosen.append(hh)
        people += hh[2]
    service = [named["school"], named["medical1"], named["medical2"], named["medical3"]]
    workshop_left = b.projects[named["workshop"]]["jobs"]
    for n, (household, region_path, _size, village) in enumerate(chosen):
        targets = []
        if village in by_village_project:
            targets.append(by_village_project[village])
        else:
            targets.append(county_projects[n % len(county_projects)])
        if n % 3 == 0:
            targets.append(named["sericulture"] if n % 2 else named["oiltea"])
        if n % 5 == 0:
            targets.append(service[n % len(service)])
        if workshop_left and n % 7 == 3:
            targets.append(named["workshop"])
            workshop_left -= 1
        for p in dict.fromkeys(targets):
            project = b.projects[p]
            gains = GAINS.get(project["category"], (Gain.SERVICE,))
            gain = Gain.WAGES if p == named["workshop"] else gains[n % len(gains)]
            low, high = GAIN_AMOUNTS[gain]
            year = max(project["year"], 2016)
            b.beneficiaries.add(project_id=-1 - p, household_id=household, year=year, gain=gain,
                                amount=Decimal(rng.randrange(low, high + 1) if high else 0), dividend_id=None,
                                region_path=region_path, county_code=DEBAO,
                                org_path=project["pairing"].helper.path)
    # The enclave dividends: 460 households of two and 960 of three, every year the same households.
    twos = [h for h in households if h[2] == 2][:DIVIDEND_HOUSEHOLDS[0]]
    threes = [h for h in households if h[2] == 3][:DIVIDEND_HOUSEHOLDS[1]]
    if len(twos) < DIVIDEND_HOUSEHOLDS[0] or len(threes) < DIVIDEND_HOUSEHOLDS[1]:
        raise ValueError("Too few small households in 德保 for the enclave dividends.")
    receivers = twos + threes
    enclave = b.projects[named["enclave"]]
    for year, total in DIVIDEND_YEARS.items():
        base, rest = divmod(total, len(receivers))
        shares = [(h[0], h[1], base + (1 if i < rest else 0)) for i, h in enumerate(receivers)]
        b.dividends.append({"project": named["enclave"], "year": year, "amount": cents(total),
                            "distributed_on": date(year, 12, 10) if year < 2020 else CUTOFF,
                            "document_no": f"德飞地〔{year}〕1号", "region_path": enclave["region"].path,
                            "county_code": DEBAO, "org_path": enclave["pairing"].helper.path, "shares": shares})


def build_shanwei(b: Builder, households_by_village: dict[str, list[tuple[int, str]]]):
    """深圳市 → 汕尾市: 95亿 over 2013-2020, 415 industry projects in the 110 paired villages, 34.5亿 livelihood."""
    rng = b.rng
    pairing = _pairing(SHENZHEN, SHANWEI)
    budgets = []
    for year, total in SHANWEI_YEARS.items():
        fiscal = total * 9 // 10
        b.source(pairing, SourceKind.FISCAL, year, fiscal, level=Level.CITY)
        b.source(pairing, SourceKind.SOCIAL_CASH, year, total - fiscal, donor="深圳市社会各界捐赠")
        budgets.append(b.budget(pairing, year, total))
    city = Region.objects.get(code=SHANWEI)
    paired = list(Region.objects.filter(path__startswith=city.path, level=RegionLevel.VILLAGE,
                                        pairings__isnull=False).distinct().select_related("parent")
                  .order_by("code"))
    counties = list(Region.objects.filter(path__startswith=city.path, level=RegionLevel.COUNTY).order_by("code"))
    industry = round_split(sum(SHANWEI_YEARS.values()) - SHANWEI_LIVELIHOOD,
                           [0.5 + rng.random() for _ in range(SHANWEI_INDUSTRY_PROJECTS)])
    livelihood = round_split(SHANWEI_LIVELIHOOD, [0.5 + rng.random() for _ in range(SHANWEI_LIVELIHOOD_PROJECTS)])
    kinds = ["特色种养基地", "农产品加工厂", "光伏发电", "乡村旅游", "冷链物流", "海水养殖"]
    projects = []
    for k, amount in enumerate(industry):
        village = paired[k % len(paired)]
        projects.append(b.project(pairing, village, f"{village.name}{kinds[k % len(kinds)]}项目", Category.INDUSTRY,
                                  0, amount, content=f"{kinds[k % len(kinds)]}, {SYN}",
                                  implementer=f"{village.parent.name}人民政府", notice=k % 10 == 0))
    livelihood_kinds = [c for c in (Category.EDUCATION, Category.HEALTH, Category.HOUSING, Category.WATER,
                                    Category.INFRASTRUCTURE, Category.EMPLOYMENT)]
    for k, amount in enumerate(livelihood):
        county = counties[k % len(counties)]
        category = livelihood_kinds[k % len(livelihood_kinds)]
        projects.append(b.project(pairing, county, f"{county.name}{Category(category).label}民生项目({k + 1})",
                                  category, 0, amount, content=SYN, implementer=f"{county.name}人民政府",
                                  notice=k % 10 == 0))
    rng.shuffle(projects)
    b.fund_projects(budgets, projects)
    for p in projects:
        project = b.projects[p]
        members = households_by_village.get(project["region"].code, [])
        gains = GAINS.get(project["category"], (Gain.SERVICE,))
        for n, (household, region_path) in enumerate(members[:12]):
            gain = gains[n % len(gains)]
            low, high = GAIN_AMOUNTS[gain]
            b.beneficiaries.add(project_id=-1 - p, household_id=household, year=project["year"], gain=gain,
                                amount=Decimal(rng.randrange(low, high + 1) if high else 0), dividend_id=None,
                                region_path=region_path, county_code=project["region"].county_code,
                                org_path=pairing.helper.path)
    # Next year's library: applications at each step, not funded yet (no money: the figures above stay).
    village = paired[0]
    for k, state in enumerate([State.APPLIED, State.APPLIED, State.TOWNSHIP_REVIEWED, State.APPROVED,
                               State.APPROVED]):
        b.project(pairing, paired[k], f"{paired[k].name}饮水提升工程(2021年度申报)", Category.WATER, 2021, 0,
                  state=state, content="新建蓄水池与入户管网", implementer=f"{village.parent.name}人民政府",
                  milestones=False, asset=False)


def build_shenzhen_rest(b: Builder, done: set[int]):
    """Shenzhen's other pairings with prefectures and counties share what 德保 and 汕尾 do not take, year by year."""
    rng = b.rng
    shenzhen = Region.objects.get(code=SHENZHEN)
    pairings = list(Pairing.objects.select_related("helper", "recipient_region")
                    .filter(helper__region__path__startswith=shenzhen.path, recipient_org__isnull=True,
                            recipient_region__level__in=[RegionLevel.PREFECTURE, RegionLevel.COUNTY])
                    .exclude(recipient_region__path__startswith=Region.objects.get(code=DEBAO).path)
                    .exclude(recipient_region__path__startswith=Region.objects.get(code=SHANWEI).path)
                    .exclude(kind__in=[PairingKind.SCHOOL, PairingKind.HOSPITAL]).order_by("id"))
    taken_fiscal = defaultdict(int)
    taken_social = defaultdict(int)
    for year, (fiscal, cash, kind) in DEBAO_YEARS.items():
        taken_fiscal[year] += fiscal
        taken_social[year] += cash + kind
    for year, total in SHANWEI_YEARS.items():
        taken_fiscal[year] += total * 9 // 10
        taken_social[year] += total - total * 9 // 10
    weights = {p.pk: 0.5 + rng.random() for p in pairings}

    def active(year):
        return [p for p in pairings if p.start.year <= year and (p.end is None or p.end.year >= year)]

    budgets_by_pairing = defaultdict(list)
    for periods, kind in ((FISCAL_PERIODS, SourceKind.FISCAL), (SOCIAL_PERIODS, SourceKind.SOCIAL_CASH)):
        taken = taken_fiscal if kind == SourceKind.FISCAL else taken_social
        for (first, last), total in periods:
            years = list(range(first, last + 1))
            rest = total - sum(taken[y] for y in years)
            per_year = split(rest, [float(y - first + 3) ** 1.5 for y in years])
            for year, amount in zip(years, per_year, strict=True):
                in_force = active(year)
                if not in_force:
                    raise ValueError(f"No Shenzhen pairing in force in {year} to take its aid.")
                for pairing, share in zip(in_force, split(amount, [weights[p.pk] for p in in_force]), strict=True):
                    level = Level.CITY if pairing.helper.region_id == SHENZHEN else Level.DISTRICT
                    if kind == SourceKind.FISCAL:
                        b.source(pairing, kind, year, share, level=level)
                        budgets_by_pairing[(pairing.pk, year)].append(share)
                    else:
                        in_kind = share // 5
                        b.source(pairing, SourceKind.SOCIAL_CASH, year, share - in_kind, donor="深圳市社会各界捐赠")
                        b.source(pairing, SourceKind.IN_KIND, year, in_kind, donor="深圳市企业捐赠物资(折款)")
                        budgets_by_pairing[(pairing.pk, year)].append(share - in_kind)
    by_pk = {p.pk: p for p in pairings}
    made = []
    for (pk, year), parts in sorted(budgets_by_pairing.items()):
        made.append(b.budget(by_pk[pk], year, sum(parts)))
    return made


def build_full_projects(b: Builder, budgets: list[int], target: int):
    """`full`: projects over the other pairings' budgets (2016 on), until Shenzhen holds `target` projects."""
    rng = b.rng
    recent = [i for i in budgets if b.budgets[i]["year"] >= 2013]
    needed = target - len(b.projects)
    weights = [b.budgets[i]["amount"] for i in recent]
    counts = split(needed, [float(w) for w in weights])
    villages_of = {}
    for i, n in zip(recent, counts, strict=True):
        if n <= 0:
            continue
        budget = b.budgets[i]
        pairing = budget["pairing"]
        region = pairing.recipient_region
        if region.pk not in villages_of:
            villages_of[region.pk] = list(Region.objects.filter(path__startswith=region.path,
                                                                level=RegionLevel.VILLAGE)[:200]) or [region]
        places = villages_of[region.pk]
        amounts = split(budget["amount"], [0.5 + rng.random() for _ in range(n)])
        made = []
        for k, amount in enumerate(amounts):
            place = places[k % len(places)]
            if place.level not in (RegionLevel.COUNTY, RegionLevel.TOWNSHIP, RegionLevel.VILLAGE):
                place = region_county(place)
            label, category = VILLAGE_PROJECT_KINDS[k % len(VILLAGE_PROJECT_KINDS)]
            made.append(b.project(pairing, place, f"{place.name}{label}({budget['year']}-{k + 1})", category,
                                  budget["year"], amount, content=SYN, milestones=False, asset=k % 4 == 0))
        b.fund_projects([i], made)


_COUNTY_CACHE: dict[str, Region] = {}


def region_county(region: Region) -> Region:
    """A prefecture's first county, for a project placed at prefecture level."""
    if region.code not in _COUNTY_CACHE:
        _COUNTY_CACHE[region.code] = (Region.objects.filter(path__startswith=region.path, level=RegionLevel.COUNTY)
                                      .order_by("code").first() or region)
    return _COUNTY_CACHE[region.code]


def remove_funds() -> dict[str, int]:
    """Delete every row of the funds, projects and portal tables (the demo owns them, as it owns the pairings),
    children first, one set-based DELETE per table."""
    removed = {}
    for label, model in (("notices", Notice), ("beneficiaries", Beneficiary), ("dividends", Dividend),
                         ("assets", Asset), ("adjustments", Adjustment), ("expenditures", Expenditure)):
        removed[label] = model.objects.all()._raw_delete(model.objects.db)
    removed["disbursements"] = Disbursement.objects.filter(parent__isnull=False)._raw_delete(Disbursement.objects.db)
    removed["disbursements"] += Disbursement.objects.all()._raw_delete(Disbursement.objects.db)
    for label, model in (("budgets", Budget), ("fund source totals", SourceTotal), ("fund sources", FundSource),
                         ("project steps", Step),
                         ("milestones", Milestone), ("projects", Project), ("tilt rules", TiltRule),
                         ("key counties", KeyCounty)):
        removed[label] = model.objects.all()._raw_delete(model.objects.db)
    return {k: v for k, v in removed.items() if v}


@transaction.atomic
def build_funds(scale: str = "seed", today: date | None = None, seed: int = 2020, step=None) -> dict:
    """Build the demo's funds and projects over the pairings (and households, if any) that exist; returns the rows
    written, as the builder counted them. `step` (a `report.Step`) is advanced after each of its 7 parts."""
    from django.utils import timezone

    from bangfu.households.models import Household

    def advance(what):
        if step is not None:
            step.advance(what)

    today = today or timezone.localdate()
    rng = random.Random(seed)
    b = Builder(scale, rng)
    debao_households = list(Household.objects.filter(county_code=DEBAO).order_by("id")
                            .values_list("id", "region_path", "size", "village_id"))
    build_debao(b, debao_households)
    advance("德保")
    shanwei = Region.objects.get(code=SHANWEI)
    by_village = defaultdict(list)
    for pk, path, village in (Household.objects.filter(region_path__startswith=shanwei.path).order_by("id")
                              .values_list("id", "region_path", "village_id")):
        if len(by_village[village]) < 12:
            by_village[village].append((pk, path))
    build_shanwei(b, by_village)
    advance("汕尾")
    rest = build_shenzhen_rest(b, set())
    advance("Shenzhen's other pairings")
    if scale == "full":
        build_full_projects(b, rest, 40_500)
    advance("projects")
    counts = b.write(today)
    advance("written")
    TiltRule.objects.bulk_create([TiltRule(year=y, kind=k, threshold=t, notes="demo configuration")
                                  for y, k, t in TILT_RULES])
    known = set(Region.objects.filter(code__in=KEY_COUNTIES).values_list("code", flat=True))
    KeyCounty.objects.bulk_create([KeyCounty(region_id=code, since=2021) for code in KEY_COUNTIES if code in known])
    counts["fund plan notices"] = publish_fund_plans()
    advance("notices")
    return counts


def funds_counts() -> dict[str, int]:
    """What the funds, projects and portal tables hold, read back from the database; "fund rows" is the chain's
    records (sources, budgets, disbursements, expenditures, beneficiaries), as seed 001's figure counts them."""
    counts = count_rows({
        "fund sources": FundSource, "fund source totals": SourceTotal, "budgets": Budget,
        "disbursements": Disbursement, "expenditures": Expenditure, "beneficiaries": Beneficiary,
        "adjustments": Adjustment, "assets": Asset, "dividends": Dividend, "projects": Project,
        "project steps": Step, "milestones": Milestone, "notices": Notice,
    })
    chain = ("fund sources", "budgets", "disbursements", "expenditures", "beneficiaries")
    return {"fund rows": sum(counts[k] for k in chain), **counts}


def publish_fund_plans() -> int:
    """One county-level notice a year of 德保's fund plan and use, computed from the records written."""
    from django.db.models import Sum

    county = Region.objects.get(code=DEBAO)
    rows = Rows(Notice)
    sums = (SourceTotal.objects.filter(region_path__startswith=county.path).order_by().values("year")
            .annotate(total=Sum("amount")).values_list("year", "total"))
    for year, total in sums:
        rows.add(region_id=DEBAO, project_id=None, kind=NoticeKind.FUND_PLAN, level=NoticeLevel.COUNTY,
                 title=f"德保县{year}年度东西部协作帮扶资金计划公告",
                 body=f"{year}年度南山区帮扶德保县资金共{total:,.2f}元, 已全部纳入项目库管理, 资金安排见项目公示。",
                 published_on=date(year, 3, 10), period_days=None, region_path=county.path, county_code=DEBAO,
                 org_path="")
    return rows.write()
