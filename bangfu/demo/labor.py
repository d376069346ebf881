"""The labour part of the demo: laborers registered from the demo's household registry by the same set-based rule
operators use, and records calibrated so that the platform's own queries give back the seeds' figures.

- 德保县 (seed 004): 7,264 laborers into work since 2017 (distinct people with an employment record), among them
  974 people holding the county's 1,000 public-welfare posts (26 of them held two, one after the other), 106 in the
  老乡家园 workshop, 50 at the disability employment base, the rest in 19 more workshops, in Shenzhen, elsewhere in
  Guangxi, outside the province and at home; 20 job fairs (organised by 南山区); 15 training courses with 720
  trainees; some who came home (离深返乡), most re-placed, a few still waiting (the return alerts).
- Shenzhen overall (seed 000): 134 job fairs (the 20 above and 114 in 汕尾市), 2,010 postings offering 100,500
  openings in Shenzhen, 32,000 person-times employed in Shenzhen (2,000 from 德保, 30,000 from 汕尾), 273 workshops
  (20 in 德保, 253 in 汕尾) employing 5,141.
Every laborer's timeline (registered → recommended → employed → stable → left → returned → re-placed) is written as
dated events that obey the transitions the services enforce. Rows go in column-wise in bulk, no per-row query.
"""

from __future__ import annotations

import random
from contextlib import contextmanager
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.utils import timezone

from bangfu.core.bulk import insert_columns, reserve_ids
from bangfu.demo.report import analyze, check_deferred, count_rows, total
from bangfu.households.models import Household, Member
from bangfu.labor import services
from bangfu.labor.models import (
    Attendance,
    Channel,
    Claim,
    ClaimLine,
    Course,
    Employment,
    Event,
    FollowUp,
    Intention,
    JobFair,
    Laborer,
    Place,
    Posting,
    PublicWelfarePost,
    Recommendation,
    Skill,
    State,
    Station,
    StationStaff,
    Workshop,
)
from bangfu.regions.models import Level, Organisation, OrganisationKind, Region, Side

DEBAO_PATH = "450000/451000/451024/"
SHANWEI_PATH = "440000/441500/"
REGISTERED_ON = date(2017, 3, 1)
DEBAO_EMPLOYED = 7264
PW_POSTS, PW_WORKERS = 1000, 974
LAOXIANG, DISABILITY = 106, 50
DEBAO_OTHER_WORKSHOPS, PER_DEBAO_WORKSHOP = 19, 12
SHANWEI_WORKSHOPS, PER_SHANWEI_WORKSHOP = 253, 19
DEBAO_IN_SHENZHEN, SHANWEI_IN_SHENZHEN = 2000, 30000
DEBAO_IN_PROVINCE, DEBAO_OUT_OF_PROVINCE = 1200, 1000
POSTINGS, OPENINGS_EACH = 2010, 50
DEBAO_FAIRS, SHANWEI_FAIRS = 20, 114
COURSES, PER_COURSE = 15, 48
EMPLOYERS = 200
COURSE_KINDS = (Course.Kind.CANTONESE_CHEF, Course.Kind.GUANGDONG_TECHNICIAN, Course.Kind.HOUSEKEEPING,
                Course.Kind.RURAL_CRAFTSMAN)
COURSE_NAMES = {Course.Kind.CANTONESE_CHEF: "粤菜师傅", Course.Kind.GUANGDONG_TECHNICIAN: "广东技工",
                Course.Kind.HOUSEKEEPING: "南粤家政", Course.Kind.RURAL_CRAFTSMAN: "乡村工匠"}
TRADES = ("电子", "服装", "物流", "餐饮", "物业", "建筑", "家政", "制造", "零售", "酒店")
TITLES = (("普工", Skill.ASSEMBLY), ("电工", Skill.ELECTRICIAN), ("焊工", Skill.WELDING), ("厨师", Skill.COOKING),
          ("保洁员", Skill.CLEANING), ("保安员", Skill.SECURITY), ("仓管员", Skill.LOGISTICS), ("司机", Skill.DRIVING),
          ("育婴员", Skill.HOUSEKEEPING), ("缝纫工", Skill.SEWING), ("营业员", Skill.SALES),
          ("操作工", Skill.MACHINERY))


def any_rows(*models) -> bool:
    """Does any of these tables hold a row? One query, whatever their number."""
    tables = [connection.ops.quote_name(m._meta.db_table) for m in models]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + " OR ".join(f"EXISTS (SELECT 1 FROM {t})" for t in tables))
        return bool(cursor.fetchone()[0])


def remove_labor() -> dict[str, int]:
    """The demo owns the labour tables (as it owns pairings and organisations): delete them, children first."""
    removed = {}
    tables = (("claim lines", ClaimLine), ("claims", Claim), ("attendances", Attendance),
                         ("courses", Course), ("follow-ups", FollowUp), ("recommendations", Recommendation),
                         ("employments", Employment), ("events", Event), ("laborers", Laborer),
                         ("postings", Posting), ("job fairs", JobFair), ("station staff", StationStaff),
                         ("stations", Station), ("workshops", Workshop), ("public-welfare posts", PublicWelfarePost))
    if not any_rows(*(model for _label, model in tables)):
        return removed
    for label, model in tables:
        removed[label] = model.objects.all()._raw_delete(model.objects.db)
    return removed


def _add_months(day: date, months: int) -> date:
    return services._add_months(day, months)


def _day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange((end - start).days + 1))


class _Cols(dict):
    def add(self, **row):
        for key, value in row.items():
            self.setdefault(key, []).append(value)


SKILLS = ("CASE WHEN {id} % 5 = 0 THEN 0 ELSE "
          "((1 << CAST({id} % 16 AS INTEGER)) | (1 << CAST(({id} / 16) % 16 AS INTEGER))) END")


@contextmanager
def _skills_on_insert():
    """The demo's skills (from the laborer's id: a fifth none, the others one or two) for the laborers registered
    inside the block. On PostgreSQL a trigger of this transaction only writes them with each row: updating 1.2
    million fresh rows afterwards rewrote each one and its twelve index entries (two minutes of the full demo).
    Elsewhere (SQLite, the seed) one UPDATE after the block; the skills are the same."""
    table = connection.ops.quote_name(Laborer._meta.db_table)
    if connection.vendor != "postgresql":
        yield
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET skill_mask = {SKILLS.format(id='id')}")
        return
    with connection.cursor() as cursor:
        cursor.execute(f"""
            CREATE FUNCTION demo_laborer_skills() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN NEW.skill_mask := {SKILLS.format(id='NEW.id')}; RETURN NEW; END $$;
            CREATE TRIGGER demo_laborer_skills BEFORE INSERT ON {table}
              FOR EACH ROW EXECUTE FUNCTION demo_laborer_skills();
        """)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TRIGGER demo_laborer_skills ON {table}; DROP FUNCTION demo_laborer_skills();")


class LaborBuilder:
    def __init__(self, today: date | None = None, seed: int = 2017):
        self.today = today or timezone.localdate()
        self.rng = random.Random(seed)
        self.stable = settings.LABOR_STABLE_MONTHS
        self.jobs = _Cols()
        self.events = _Cols()
        self.recs = _Cols()
        self.follow = _Cols()

    # --- organisations and places ---------------------------------------------------------------------------------

    def setup(self):
        orgs = Organisation.objects.filter(represents_region=True, region_id__in=["440300", "440305", "441500"])
        by_region = {o.region_id: o for o in orgs}
        self.shenzhen, self.nanshan = by_region["440300"], by_region["440305"]
        self.districts = list(Organisation.objects.filter(represents_region=True, parent=self.shenzhen)
                              .order_by("region_id"))
        self.debao_villages = list(Region.objects.filter(path__startswith=DEBAO_PATH, level=Level.VILLAGE)
                                   .order_by("code"))
        self.shanwei_villages = list(Region.objects.filter(path__startswith=SHANWEI_PATH, level=Level.VILLAGE,
                                                           is_poor_village=True).order_by("code"))
        self.regions = Region.objects.in_bulk(["451024", "441500", "440300", "450100", "330200"])
        self.employers = self._employers()

    def _employers(self) -> list[Organisation]:
        from stdnum.cn import uscc

        from bangfu.demo.build import organisation_code_check

        made = []
        for i in range(EMPLOYERS):
            district = self.districts[i % len(self.districts)]
            body = f"MA5L{i:04d}"
            code = f"91{district.region_id}{body}{organisation_code_check(body)}"
            code += uscc.calc_check_digit(code)
            made.append(Organisation(
                name=f"深圳市{'鹏城华南粤海前海南山宝安龙岗福田'[i % 9:i % 9 + 2]}{TRADES[i % len(TRADES)]}"
                     f"{i + 1:03d}有限公司",
                kind=OrganisationKind.ENTERPRISE, side=Side.HELPER, region_id=district.region_id, parent=district,
                credit_code=code, notes="synthetic demo employer"))
        Organisation.objects.bulk_create(made)
        for org in made:
            org.path = f"{district_path(org, self.districts)}{org.pk}/"
        Organisation.objects.bulk_update(made, ["path"])
        return made

    # --- laborers -------------------------------------------------------------------------------------------------

    def register(self, scale: str = "seed", step=None):
        """Every eligible member of the registry becomes a laborer, through the operators' set-based rule, county by
        county at `full` scale; then most laborers get one or two skills (a fifth none: not asked yet)."""
        paths = [DEBAO_PATH, SHANWEI_PATH]
        if scale == "full":  # the whole registry of Shenzhen's recipient counties
            from bangfu.demo.households import recipient_counties

            paths += [c.path for c in recipient_counties() if not c.path.startswith((DEBAO_PATH, SHANWEI_PATH))]
        if step is not None:
            step.total(len(paths) + 6)
        # The registry was written in this transaction: without statistics, PostgreSQL planned each county's
        # registration as over empty tables (a minute and a half for 德保 alone, and so on for 109 counties).
        analyze(Member, Household)
        with _skills_on_insert():
            for path in paths:
                services.bulk_register(None, path, REGISTERED_ON, settings.LABOR_MIN_AGE, settings.LABOR_MAX_AGE,
                                       services.ABLE, "demo: registered from the registry")
                if step is not None:
                    step.advance(path.split("/")[-2])
        analyze(Laborer, Event)

    def laborers(self, path: str) -> list[tuple[int, str, str]]:
        rows = list(Laborer.objects.filter(region_path__startswith=path).order_by("id")
                    .values_list("id", "region_path", "member__health"))
        return rows

    # --- timelines ------------------------------------------------------------------------------------------------

    def job(self, laborer, start: date, end: date | None, *, channel, place, employer=None, employer_name="",
            wage=3000, workshop=None, post=None, work_region=None, posting=None):
        lid, path = laborer[0], laborer[1]
        self.jobs.add(laborer_id=lid, county_code=path.split("/")[2], region_path=path,
                      employer_id=employer.pk if employer else None,
                      employer_name=(employer.name if employer else employer_name)[:200],
                      org_path=employer.path if employer else "", posting_id=posting, workshop_id=workshop,
                      post_id=post, place=place, work_region_id=work_region, channel=channel, start=start, end=end,
                      months=None if end is None else services.whole_months(start, end),
                      monthly_wage=Decimal(wage))

    def timeline(self, laborer, jobs: list[tuple[date, date | None]], returned: date | None = None,
                 recommended: date | None = None):
        """The events of one laborer from his jobs (sorted, not overlapping) and an optional return home."""
        lid, path = laborer[0], laborer[1]
        steps = [("", State.REGISTERED, REGISTERED_ON)]
        state = State.REGISTERED
        if recommended:
            steps.append((state, State.RECOMMENDED, recommended))
            state = State.RECOMMENDED
        came_home = False
        for start, end in sorted(jobs):
            new = State.REPLACED if came_home else State.EMPLOYED
            steps.append((state, new, start))
            state = new
            stable_on = _add_months(start, self.stable)
            if (end is None and stable_on <= self.today) or (end is not None and
                                                              services.whole_months(start, end) >= self.stable):
                steps.append((state, State.STABLE, stable_on))
                state = State.STABLE
            if end is not None:
                steps.append((state, State.LEFT, end))
                state = State.LEFT
                if returned and not came_home and returned >= end:
                    steps.append((state, State.RETURNED, returned))
                    state = State.RETURNED
                    came_home = True
        county = path.split("/")[2]
        for before, after, on in steps[1:]:  # the registration event was written with the laborer
            self.events.add(laborer_id=lid, county_code=county, region_path=path, from_state=before, state=after,
                            on=on, reason="demo")

    # --- 德保 -------------------------------------------------------------------------------------------------------

    def build_debao(self):
        rng = self.rng
        people = self.laborers(DEBAO_PATH)
        disabled = [p for p in people if p[2] == "disabled"]
        others = [p for p in people if p[2] != "disabled"]
        rng.shuffle(others)
        base = disabled[:DISABILITY]
        rest = others + disabled[DISABILITY:]
        take = iter(rest)

        def pick(n):
            return [next(take) for _ in range(n)]

        villages = self.debao_villages
        debao = self.regions["451024"]
        # Public-welfare posts: 1,000, in the villages; 974 holders, the first 26 of whom held a second post first.
        post_ids = reserve_ids(PublicWelfarePost, PW_POSTS)
        post_cols = _Cols()
        kinds = ("护林员", "保洁员", "护路员", "水管员", "治安巡逻员", "孤寡老人看护员")
        for i, pid in enumerate(post_ids):
            village = villages[i % len(villages)]
            post_cols.add(id=pid, name=f"{village.name}{kinds[i % len(kinds)]}{i // len(villages) + 1}号",
                          region_id=village.code, region_path=village.path, county_code="451024",
                          monthly_pay=Decimal("500.00"), created_on=date(2017, 6, 1))
        insert_columns(PublicWelfarePost, post_cols)
        for i, laborer in enumerate(pick(PW_WORKERS)):
            jobs = []
            if i < PW_POSTS - PW_WORKERS:
                first = (date(2017, 6, 1), date(2018, 5, 31))
                self.job(laborer, *first, channel=Channel.PUBLIC_WELFARE, place=Place.COUNTY,
                         employer_name=post_cols["name"][PW_WORKERS + i], wage=500, post=post_ids[PW_WORKERS + i])
                jobs.append(first)
            start = _day(rng, date(2018, 7, 1), date(2020, 6, 30))
            self.job(laborer, start, None, channel=Channel.PUBLIC_WELFARE, place=Place.COUNTY,
                     employer_name=post_cols["name"][i], wage=500, post=post_ids[i])
            jobs.append((start, None))
            self.timeline(laborer, jobs)
        # Workshops: 老乡家园 (106), 19 more (12 each), the disability employment base (50).
        shop_ids = reserve_ids(Workshop, 2 + DEBAO_OTHER_WORKSHOPS)
        shops = _Cols()
        names = ["老乡家园帮扶车间", "德保县残疾人就业基地"] + [f"德保{t}帮扶车间{i + 1}号" for i, t in
                                                         zip(range(DEBAO_OTHER_WORKSHOPS), TRADES * 2, strict=False)]
        for i, (wid, name) in enumerate(zip(shop_ids, names, strict=True)):
            village = villages[(i * 7) % len(villages)] if i else debao
            shops.add(id=wid, name=name, kind=Workshop.Kind.DISABILITY if i == 1 else Workshop.Kind.WORKSHOP,
                      region_id=village.code, region_path=village.path, county_code="451024",
                      operator="深圳南山区帮扶企业" if i == 0 else "", recognised=True, recognised_on=date(2018, 12, 1))
        insert_columns(Workshop, shops)
        groups = [(shop_ids[0], names[0], pick(LAOXIANG)), (shop_ids[1], names[1], base)]
        groups += [(shop_ids[2 + k], names[2 + k], pick(PER_DEBAO_WORKSHOP)) for k in range(DEBAO_OTHER_WORKSHOPS)]
        for wid, name, members in groups:
            for laborer in members:
                start = _day(rng, date(2018, 9, 1), date(2020, 9, 30))
                self.job(laborer, start, None, channel=Channel.WORKSHOP, place=Place.COUNTY, employer_name=name,
                         wage=2200, workshop=wid)
                self.timeline(laborer, [(start, None)])
        # Shenzhen: organised transfers, recommended first; 400 of them came home, 250 re-placed at home, 100
        # followed up with an offer, 50 still waiting (the alerts).
        sz_regions = [d.region_id for d in self.districts]
        for i, laborer in enumerate(pick(DEBAO_IN_SHENZHEN)):
            employer = self.employers[i % len(self.employers)]
            start = _day(rng, date(2017, 4, 1), date(2020, 3, 31))
            rec_on = start - timedelta(days=20)
            posting = self.posting_ids[i % len(self.posting_ids)]
            self.recs.add(laborer_id=laborer[0], county_code="451024", region_path=laborer[1], posting_id=posting,
                          score=4, explanation="demo: 技能相符，意向深圳务工", status=Recommendation.Status.HIRED,
                          recommended_on=rec_on, interviewed_on=start - timedelta(days=10), decided_on=start)
            jobs = [(start, None)]
            returned = None
            if i < 400:
                end = _add_months(start, 3 + i % 12)
                end = min(end, date(2020, 10, 31))
                jobs = [(start, end)]
                returned = end + timedelta(days=3)
                if i < 250:
                    again = returned + timedelta(days=20 + i % 40)
                    jobs.append((again, None))
                    self.job(laborer, again, None, channel=Channel.SELF, place=Place.COUNTY,
                             employer_name="德保县本地企业", wage=2400)
                elif i < 350:
                    self.follow.add(laborer_id=laborer[0], county_code="451024", region_path=laborer[1],
                                    on=returned + timedelta(days=10), notes="电话回访，推荐县内岗位", offer=True)
                else:
                    self.follow.add(laborer_id=laborer[0], county_code="451024", region_path=laborer[1],
                                    on=returned + timedelta(days=5), notes="入户回访，暂无就业意向", offer=False)
            self.job(laborer, start, jobs[0][1], channel=Channel.ORGANISED, place=Place.HELPER_CITY,
                     employer=employer, wage=4200 + 100 * (i % 10), work_region=sz_regions[i % len(sz_regions)],
                     posting=posting)
            self.timeline(laborer, jobs, returned=returned, recommended=rec_on)
        for i, laborer in enumerate(pick(DEBAO_IN_PROVINCE)):
            start = _day(rng, date(2017, 4, 1), date(2020, 6, 30))
            self.job(laborer, start, None, channel=Channel.SELF, place=Place.IN_PROVINCE,
                     employer_name=f"南宁市{TRADES[i % len(TRADES)]}企业", wage=3000, work_region="450100")
            self.timeline(laborer, [(start, None)])
        for i, laborer in enumerate(pick(DEBAO_OUT_OF_PROVINCE)):
            start = _day(rng, date(2017, 4, 1), date(2020, 6, 30))
            self.job(laborer, start, None, channel=Channel.SELF, place=Place.OUT_OF_PROVINCE,
                     employer_name=f"宁波市{TRADES[i % len(TRADES)]}企业", wage=4000, work_region="330200")
            self.timeline(laborer, [(start, None)])
        local = DEBAO_EMPLOYED - PW_WORKERS - LAOXIANG - DISABILITY - DEBAO_OTHER_WORKSHOPS * PER_DEBAO_WORKSHOP \
            - DEBAO_IN_SHENZHEN - DEBAO_IN_PROVINCE - DEBAO_OUT_OF_PROVINCE
        for i, laborer in enumerate(pick(local)):
            start = _day(rng, date(2017, 4, 1), date(2020, 6, 30))
            end = _add_months(start, 3) if i % 6 == 0 else None  # some short jobs: not stable, left
            self.job(laborer, start, end, channel=Channel.SELF, place=Place.COUNTY, employer_name="德保县本地企业",
                     wage=2500)
            self.timeline(laborer, [(start, end)])
        # Courses: 15, 48 trainees each (720 people), most certified.
        course_ids = reserve_ids(Course, COURSES)
        cols, att = _Cols(), _Cols()
        trainees = list(rest)
        rng.shuffle(trainees)
        for k, cid in enumerate(course_ids):
            kind = COURSE_KINDS[k % len(COURSE_KINDS)]
            start = date(2018 + k // 5, 3 + (k % 5) * 2, 1)
            cols.add(id=cid, name=f"{start.year}年德保县“{COURSE_NAMES[kind]}”培训班（第{k % 5 + 1}期）", kind=kind,
                     region_id="451024", region_path=DEBAO_PATH, organiser_id=self.nanshan.pk,
                     org_path=self.nanshan.path, start=start, end=start + timedelta(days=20), hours=120)
            for j in range(PER_COURSE):
                laborer = trainees[k * PER_COURSE + j]
                done = j % 10 != 0
                att.add(course_id=cid, laborer_id=laborer[0], county_code="451024", region_path=laborer[1],
                        completed=done, certificate=f"DB{start.year}{k:02d}{j:03d}" if done else "",
                        certified_on=start + timedelta(days=20) if done else None)
        insert_columns(Course, cols)
        insert_columns(Attendance, att)

    # --- 汕尾 -------------------------------------------------------------------------------------------------------

    def build_shanwei(self):
        rng = self.rng
        people = self.laborers(SHANWEI_PATH)
        rng.shuffle(people)
        take = iter(people)
        sz_regions = [d.region_id for d in self.districts]
        for i in range(SHANWEI_IN_SHENZHEN):
            laborer = next(take)
            start = _day(rng, date(2017, 3, 1), date(2020, 9, 30))
            self.job(laborer, start, None, channel=Channel.ORGANISED, place=Place.HELPER_CITY,
                     employer=self.employers[i % len(self.employers)], wage=4500,
                     work_region=sz_regions[i % len(sz_regions)])
            self.timeline(laborer, [(start, None)])
        shop_ids = reserve_ids(Workshop, SHANWEI_WORKSHOPS)
        shops = _Cols()
        for i, wid in enumerate(shop_ids):
            village = self.shanwei_villages[i % len(self.shanwei_villages)]
            shops.add(id=wid, name=f"{village.name}帮扶车间", kind=Workshop.Kind.WORKSHOP, region_id=village.code,
                      region_path=village.path, county_code=village.county_code, operator="",
                      recognised=True, recognised_on=date(2019, 6, 1))
        insert_columns(Workshop, shops)
        # A workshop employs laborers of its own county.
        by_county: dict[str, list] = {}
        for laborer in take:
            by_county.setdefault(laborer[1].split("/")[2], []).append(laborer)
        for i, wid in enumerate(shop_ids):
            county = shops["county_code"][i]
            pool = by_county.get(county) or max(by_county.values(), key=len)
            for _ in range(PER_SHANWEI_WORKSHOP):
                laborer = pool.pop()
                start = _day(rng, date(2018, 6, 1), date(2020, 9, 30))
                self.job(laborer, start, None, channel=Channel.WORKSHOP, place=Place.COUNTY,
                         employer_name=shops["name"][i], wage=2300, workshop=wid)
                self.timeline(laborer, [(start, None)])

    # --- events, postings, stations -------------------------------------------------------------------------------

    def build_fairs_and_postings(self):
        rng = self.rng
        fair_ids = reserve_ids(JobFair, DEBAO_FAIRS + SHANWEI_FAIRS)
        fairs = _Cols()
        shanwei_counties = list(Region.objects.filter(path__startswith=SHANWEI_PATH, level=Level.COUNTY)
                                .order_by("code"))
        for i, fid in enumerate(fair_ids):
            if i < DEBAO_FAIRS:
                region, organiser = self.regions["451024"], self.nanshan
                name = f"南山—德保东西部协作专场招聘会（第{i + 1}场）"
            else:
                region = shanwei_counties[i % len(shanwei_counties)]
                organiser = self.shenzhen
                name = f"深圳—汕尾劳务协作招聘会（{region.name}第{i // len(shanwei_counties) + 1}场）"
            fairs.add(id=fid, name=name, held_on=_day(rng, date(2017, 3, 1), date(2020, 11, 30)),
                      region_id=region.code, region_path=region.path, organiser_id=organiser.pk,
                      org_path=organiser.path, attendees=300 + rng.randrange(900), employers=20 + rng.randrange(60),
                      agreements=50 + rng.randrange(200))
        insert_columns(JobFair, fairs)
        self.posting_ids = reserve_ids(Posting, POSTINGS)
        cols = _Cols()
        regions = {r.code: r for r in Region.objects.filter(code__in=[d.region_id for d in self.districts])}
        for i, pid in enumerate(self.posting_ids):
            employer = self.employers[i % len(self.employers)]
            region = regions[employer.region_id]
            title, skill = TITLES[i % len(TITLES)]
            wage = 3800 + 100 * (i % 20)
            cols.add(id=pid, employer_id=employer.pk, org_path=employer.path, title=title, region_id=region.code,
                     region_path=region.path, county_code=region.county_code or "", province_code="440000",
                     in_helper_city=True, wage_min=Decimal(wage), wage_max=Decimal(wage + 1500),
                     openings=OPENINGS_EACH, skill_mask=0 if i % 4 == 0 else int(skill), min_age=18, max_age=55,
                     requirements="身体健康，能吃苦耐劳", job_fair_id=fair_ids[i % len(fair_ids)] if i < 600 else None,
                     posted_on=_day(rng, date(2017, 3, 1), date(2020, 11, 30)), open=i >= POSTINGS - 300)
        insert_columns(Posting, cols)

    def build_stations(self):
        ids = reserve_ids(Station, 4)
        cols, staff = _Cols(), _Cols()
        specs = [("德保县劳务服务站", self.regions["451024"], None, None),
                 ("德保县城关镇劳务服务站", self.debao_villages[0].parent, None, None),
                 ("南山区驻德保劳务协作工作站", self.regions["451024"], self.nanshan, None),
                 ("德保籍务工人员驻深劳务服务站", Region.objects.get(code="440305"), self.nanshan, "451024")]
        for sid, (name, region, org, serves) in zip(ids, specs, strict=True):
            cols.add(id=sid, name=name, region_id=region.code, region_path=region.path,
                     organisation_id=org.pk if org else None, org_path=org.path if org else "", serves_id=serves,
                     address=f"{region.name}人力资源服务中心", phone="07768888888")
            for k, role in enumerate(("站长", "就业专干", "信息员")):
                staff.add(station_id=sid, name=f"{'黄农梁陆'[k]}{'志明秀梅'[k]}", role=role,
                          phone=f"1390776{sid % 1000:03d}{k}")
        insert_columns(Station, cols)
        insert_columns(StationStaff, staff)

    def build_claims(self):
        """One retention claim paid (a 德保 laborer in Shenzhen, three months of 2019), one transport claim
        submitted: the demo of "a laborer-month is paid once"."""
        jobs = (Employment.objects.filter(county_code="451024", place=Place.HELPER_CITY, end__isnull=True,
                                          start__lt=date(2019, 1, 1)).select_related("employer", "laborer")
                .order_by("id")[:2])
        if len(jobs) < 2:
            return
        months = [date(2019, m, 1) for m in (4, 5, 6)]
        for kind, job, status in ((Claim.Kind.RETENTION, jobs[0], Claim.Status.PAID),
                                  (Claim.Kind.TRANSPORT, jobs[1], Claim.Status.SUBMITTED)):
            amount = services.line_amount(kind, job)
            claim = Claim.objects.create(
                kind=kind, employer=job.employer if kind == Claim.Kind.RETENTION else None,
                org_path=job.employer.path if kind == Claim.Kind.RETENTION else "", county_code="451024",
                region_path=DEBAO_PATH, status=status, submitted_on=date(2019, 7, 5), amount=amount * len(months),
                reviewed_by="debao" if status == Claim.Status.PAID else "",
                approved_by="debao" if status == Claim.Status.PAID else "",
                paid_on=date(2019, 8, 1) if status == Claim.Status.PAID else None, notes="demo")
            ClaimLine.objects.bulk_create([ClaimLine(claim=claim, kind=kind, laborer=job.laborer, month=m,
                                                     amount=amount) for m in months])

    def save(self):
        insert_columns(Employment, self.jobs)
        insert_columns(Event, self.events)
        insert_columns(Recommendation, self.recs)
        insert_columns(FollowUp, self.follow)
        # Each laborer's state is his last event's: one set-based UPDATE.
        laborers, events = (connection.ops.quote_name(m._meta.db_table) for m in (Laborer, Event))
        with connection.cursor() as cursor:
            cursor.execute(f"""
                UPDATE {laborers} SET
                  state = (SELECT e.state FROM {events} e WHERE e.laborer_id = {laborers}.id
                           ORDER BY e."on" DESC, e.id DESC LIMIT 1),
                  state_on = (SELECT MAX(e."on") FROM {events} e WHERE e.laborer_id = {laborers}.id),
                  returned_on = (SELECT MAX(e."on") FROM {events} e WHERE e.laborer_id = {laborers}.id
                                 AND e.state = 'returned')
                WHERE EXISTS (SELECT 1 FROM {events} e WHERE e.laborer_id = {laborers}.id AND e.state <> 'registered')
            """)
        # Those who work in Shenzhen wanted to.
        Laborer.objects.filter(employments__place=Place.HELPER_CITY).update(intention=Intention.HELPER_CITY)


def district_path(org: Organisation, districts: list[Organisation]) -> str:
    return next(d.path for d in districts if d.pk == org.parent_id)


def build_labor(scale: str = "seed", today: date | None = None, step=None) -> dict[str, int]:
    """Build the labour demo over the demo's registry (德保县 and 汕尾市 must have their households). At `full`
    scale every eligible member of Shenzhen's recipient counties is registered (for matching at scale). Returns
    the rows of the labour tables, counted in the database; `step` (a `report.Step`) is advanced as it goes."""
    builder = LaborBuilder(today)
    builder.setup()
    if not builder.debao_villages:
        return {}
    builder.register(scale, step)
    for part in (builder.build_fairs_and_postings, builder.build_debao, builder.build_shanwei,
                 builder.build_stations, builder.save, builder.build_claims):
        part()
        if step is not None:
            step.advance(part.__name__.removeprefix("build_"))
    check_deferred()
    return labor_counts()


def labor_counts() -> dict[str, int]:
    """What the labour tables hold, read back from the database."""
    counts = count_rows({
        "employers": Organisation.objects.filter(notes="synthetic demo employer"), "laborers": Laborer,
        "labour events": Event, "employments": Employment, "recommendations": Recommendation,
        "follow-ups": FollowUp, "job fairs": JobFair, "postings": Posting,
        "workshops": Workshop.objects.filter(kind=Workshop.Kind.WORKSHOP),
        "disability employment bases": Workshop.objects.filter(kind=Workshop.Kind.DISABILITY),
        "public-welfare posts": PublicWelfarePost, "courses": Course, "trainees": Attendance, "stations": Station,
        "claims": Claim,
    })
    counts["openings"] = total(Posting.objects.all(), "openings")
    return counts
