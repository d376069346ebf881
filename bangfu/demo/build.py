"""Builds the demo from `data`: regions, organisations, pairings and accounts, in a few set-based writes.

A loader is a bulk path: rows go in with bulk_create rather than through the per-row services (which check the
actor's scope and write a change-log entry per row). Running it again first removes what an earlier run made, so the
result is the same however often it runs.
"""

import random
import secrets
import time
from collections import Counter, defaultdict
from itertools import chain, product

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Q
from stdnum.cn import uscc

from bangfu.core import facts
from bangfu.core.indicators import catalogue
from bangfu.core.models import ApiToken, UserProfile
from bangfu.demo import data, report
from bangfu.demo.data import SYNTHETIC
from bangfu.demo.funds import build_funds, funds_counts, remove_funds
from bangfu.demo.households import build_households, households_counts, remove_households
from bangfu.demo.labor import build_labor, remove_labor
from bangfu.demo.report import format_counts
from bangfu.demo.talent import build_talent, remove_talent
from bangfu.pairing.models import Pairing, PairingKind
from bangfu.regions.models import Level, Organisation, OrganisationKind, Region, Side, place_under

DEMO_USERNAMES = [account[0] for account in data.ACCOUNTS]
# How many recipient institutions one helper school or hospital takes on.
RECIPIENTS_PER_HELPER_INSTITUTION = 3
INSTITUTION_PAIRING_KINDS = {
    OrganisationKind.SCHOOL: PairingKind.SCHOOL,
    OrganisationKind.HOSPITAL: PairingKind.HOSPITAL,
}


class DemoDataError(Exception):
    """The data tables disagree with the database (e.g. a division code missing from the national table)."""


@transaction.atomic
def build_demo(scale: str = "seed", password: str | None = None, stdout=None, households: bool = True,
               funds: bool = True, indicators: bool = True) -> dict:
    """Replace any earlier demo with a fresh one; returns the password, the accounts made and the rows written.

    `full` scale adds record volume (2.04 million registered people across Shenzhen's counties, their laborers,
    a million fund rows). Tests that need only the pairings pass `households=False`. With `stdout`, each module
    shows a progress bar, then the rows it wrote, counted in the database. Last, the indicators' facts are computed
    from it (unless `indicators=False`).
    """
    if scale not in data.SCALES:
        raise ValueError(f"Unknown scale {scale!r}; one of {', '.join(data.SCALES)}.")
    password = password or generate_password()
    started = time.monotonic()
    # Funds and projects (they hold pairings, villages and households), labour and people (they point at members and
    # organisations) first; households next (they hold the villages).
    removed = {**remove_funds(), **remove_labor(), **remove_talent(), **remove_households(),
               **remove_previous_demo()}
    _say(stdout, f"Removed the earlier demo: {format_counts(removed) or 'nothing'}.")
    counts: dict[str, int] = {}

    def report_module(name: str, step: report.Step, written: dict[str, int]):
        counts.update(written)
        _say(stdout, f"  {name} ({step.seconds:.1f} s), in the database: {format_counts(written)}.")

    with report.module(stdout, "regions", 3) as step:
        demo = DemoBuilder(load_national_regions())
        demo.build()
        step.advance("built")
        demo.save()
        step.advance("saved")
        accounts = save_accounts(password, demo)
        step.advance("accounts")
    report_module("regions, organisations, pairings, accounts", step, report.count_rows({
        "synthetic regions": Region.objects.filter(synthetic=True), "organisations": Organisation,
        "pairings": Pairing, "demo accounts": get_user_model().objects.filter(username__in=DEMO_USERNAMES)}))
    if households:
        with report.module(stdout, "households") as step:
            build_households(scale, progress=lambda done, total, area: (step.total(total), step.advance(area.name)))
            report.check_deferred()
        report_module("households", step, households_counts())
        with report.module(stdout, "labour", 7) as step:
            written = build_labor(scale, step=step)
        report_module("labour", step, written)
        with report.module(stdout, "people sent", 1) as step:
            written = build_talent()
            step.advance("sent and trained")
        report_module("people sent and trained", step, written)
    if funds:
        with report.module(stdout, "funds", 6) as step:
            build_funds(scale, step=step)
            report.check_deferred()
        report_module("funds and projects", step, funds_counts())
    if indicators:
        build_facts(stdout)
    _say(stdout, f"Built the demo ({scale}) in {time.monotonic() - started:.1f} s.")
    return {"password": password, "accounts": accounts, "counts": counts}


def build_facts(stdout=None) -> int:
    """The figures of the dashboards and the values API, computed once from what was just built (the demo writes in
    bulk, past the services that would mark its regions stale)."""
    counted = [code for code, found in catalogue().items() if found.counted]
    with report.module(stdout, "indicators", len(counted)) as step:
        written = facts.rebuild(counted, progress=lambda _done: step.advance("facts"))
    _say(stdout, f"  indicators ({step.seconds:.1f} s): {written:,} facts of {len(counted)} indicators.")
    return written


def generate_password() -> str:
    return secrets.token_urlsafe(12)


# --- Removing an earlier demo -------------------------------------------------------------------------------------


def remove_previous_demo() -> dict[str, int]:
    """Delete what a demo load makes, children before what they point to (the foreign keys protect).

    The demo owns the pairing and organisation tables and the synthetic regions. Demo users stay (the append-only
    change log may point at them) but lose their profiles and API tokens; the accounts step resets them.
    """
    users = get_user_model().objects.filter(username__in=DEMO_USERNAMES)
    removed = {
        "api tokens": ApiToken.objects.filter(user__in=users).delete()[0],
        "pairings": Pairing.objects.all().delete()[0],
        # A profile anchored on a demo organisation or region would block their removal.
        "profiles": UserProfile.objects.filter(
            Q(user__in=users) | Q(organisation__isnull=False) | Q(region__synthetic=True)
        ).delete()[0],
    }
    # A tree of rows protecting their parents cannot go in one statement: cut the links first.
    Organisation.objects.filter(parent__isnull=False).update(parent=None)
    removed["organisations"] = Organisation.objects.all().delete()[0]
    synthetic = Region.objects.filter(synthetic=True)
    synthetic.filter(parent__synthetic=True).update(parent=None)
    removed["regions"] = synthetic.delete()[0]
    return removed


# --- The national table -------------------------------------------------------------------------------------------


def expected_divisions() -> dict[str, str]:
    """Every national division code the data tables use, with the current name they give it."""
    bodies = [data.GUANGDONG, data.SHENZHEN, *data.SHENZHEN_DISTRICTS, *data.GUANGDONG_CITIES]
    return {body.code: body.name for body in bodies} | {pair.code: pair.name for pair in all_division_pairings()}


def all_division_pairings():
    return chain(data.PREFECTURE_PAIRINGS, data.ACTIVE_COUNTY_PAIRINGS, data.ENDED_COUNTY_PAIRINGS,
                 data.GUIZHOU_PAIRINGS)


def load_national_regions() -> dict[str, Region]:
    """The divisions the demo uses, from the national table; refuses codes the table lacks, has closed or names
    otherwise, so that no hand-typed code can slip in."""
    expected = expected_divisions()
    found = Region.objects.filter(code__in=expected, synthetic=False).in_bulk()
    wrong = [
        f"{code} {name}" for code, name in expected.items()
        if code not in found or not found[code].active or found[code].name != name
    ]
    if wrong:
        raise DemoDataError(f"Not current divisions of the national table: {', '.join(wrong)}")
    return found


# --- Building in memory -------------------------------------------------------------------------------------------


class DemoBuilder:
    """Collects the demo's rows in memory, then writes each table with a few bulk statements."""

    def __init__(self, national: dict[str, Region]):
        self.national = national
        self.regions: list[Region] = []
        self.orgs: list[Organisation] = []
        self.pairings: list[Pairing] = []
        self.bodies: dict[str, Organisation] = {}  # division code → the body acting for it
        self.bureaus: list[Organisation] = []
        self.helper_institutions: dict[tuple[str, str], list[Organisation]] = defaultdict(list)
        self.institution_pairs_by_lead: Counter = Counter()

    def build(self):
        self.add_helper_bodies()
        self.add_division_pairings()
        debao_villages = self.add_debao_villages()
        self.add_nanshan_hand_in_hand(debao_villages)
        self.add_debao_institution_pairings()
        self.add_institution_pairings()
        self.add_shanwei_villages()

    # Rows ----------------------------------------------------------------------------------------------------------

    def add_region(self, code: str, name: str, level: str, parent: Region, poor: bool = False) -> Region:
        region = Region(code=code, name=name, level=level, is_poor_village=poor, synthetic=True)
        place_under(region, parent)
        self.regions.append(region)
        return region

    def add_org(self, name, kind, region, parent=None, *, side=Side.HELPER, represents=False, credit_code=None,
                notes="") -> Organisation:
        org = Organisation(name=name, kind=kind, side=side, region=region, parent=parent,
                           represents_region=represents, credit_code=credit_code, notes=notes)
        self.orgs.append(org)
        return org

    def add_body(self, body: data.Body, kind: str, parent: Organisation | None) -> Organisation:
        org = self.add_org(body.name, kind, self.national[body.code], parent, represents=True)
        self.bodies[body.code] = org
        return org

    def pair(self, kind, helper, region, start, end=None, *, recipient_org=None, notes=""):
        self.pairings.append(Pairing(kind=kind, helper=helper, recipient_region=region, recipient_org=recipient_org,
                                     start=start, end=end, notes=notes))

    # Helper side ---------------------------------------------------------------------------------------------------

    def add_helper_bodies(self):
        """广东省 over its cities, 深圳市 over its districts, its coordination office and bureaus."""
        guangdong = self.add_body(data.GUANGDONG, OrganisationKind.GOVERNMENT, None)
        shenzhen = self.add_body(data.SHENZHEN, OrganisationKind.GOVERNMENT, guangdong)
        for city in data.GUANGDONG_CITIES:
            self.add_body(city, OrganisationKind.GOVERNMENT, guangdong)
        for district in data.SHENZHEN_DISTRICTS:
            self.add_body(district, OrganisationKind.DISTRICT, shenzhen)
        self.add_org(data.SHENZHEN_OFFICE, OrganisationKind.GOVERNMENT, shenzhen.region, shenzhen, notes="seed 000")
        self.bureaus = [
            self.add_org(name, OrganisationKind.GOVERNMENT, shenzhen.region, shenzhen,
                         notes=f"与汕尾贫困村的结对为{SYNTHETIC}")
            for name in data.SHENZHEN_BUREAUS
        ]

    def add_division_pairings(self):
        for row in all_division_pairings():
            self.pair(row.kind, self.bodies[row.helper], self.national[row.code], row.start, row.end, notes=row.notes)

    # 德保县 (seed 004) ------------------------------------------------------------------------------------------------

    def add_debao_villages(self) -> list[Region]:
        """12 townships with 89 poor villages and some others; returns the 55 poor villages paired by 南山区."""
        county = self.national[data.DEBAO]
        names = village_names(data.DEBAO_VILLAGE_SYLLABLES, data.DEBAO_NAMED_VILLAGES, seed=451024)
        paired = []
        for name, digits, poor, paired_count, others in data.DEBAO_TOWNSHIPS:
            township = self.add_region(f"{county.code}{digits}000", name, Level.TOWNSHIP, county)
            for i in range(poor + others):
                village = self.add_region(village_code(township, i), next(names), Level.VILLAGE, township,
                                          poor=i < poor)
                if i < paired_count:
                    paired.append(village)
        return paired

    def add_nanshan_hand_in_hand(self, villages: list[Region]):
        """南山区's 7 streets, 32 communities and 23 enterprises, each paired with one of the 55 villages."""
        nanshan = self.bodies[data.NANSHAN]
        streets, communities = self.add_nanshan_streets(nanshan)
        enterprises = self.add_nanshan_enterprises(nanshan)
        helpers = [(org, "street") for org in streets] + [(org, "community") for org in communities]
        helpers += [(org, "enterprise") for org in enterprises]
        notes = f"seed 004: 南山区7个街道、32个社区、23家企业与德保55个贫困村结对; 具体对应关系为{SYNTHETIC}"
        for i, (helper, kind) in enumerate(helpers):
            pairing_kind = PairingKind.ENTERPRISE_VILLAGE if kind == "enterprise" else PairingKind.HAND_IN_HAND
            self.pair(pairing_kind, helper, villages[i % len(villages)], data.HAND_IN_HAND_STARTS[kind], notes=notes)

    def add_nanshan_streets(self, nanshan: Organisation) -> tuple[list[Organisation], list[Organisation]]:
        """Streets (township-level) and their communities (village-level), as regions and as organisations."""
        notes = f"街道、社区名称为真实名称; 区划代码为{SYNTHETIC}"
        streets, communities = [], []
        for number, (street_name, community_names) in enumerate(data.NANSHAN_STREETS, start=1):
            street_region = self.add_region(f"{data.NANSHAN}{number:03d}000", street_name, Level.TOWNSHIP,
                                            nanshan.region)
            # A community works under its street office, so it sits under the street in the organisation tree.
            street = self.add_org(f"南山区{street_name}", OrganisationKind.STREET, street_region, nanshan, notes=notes)
            streets.append(street)
            for c, community_name in enumerate(community_names, start=1):
                region = self.add_region(f"{street_region.code[:9]}{c:03d}", community_name, Level.VILLAGE,
                                         street_region)
                communities.append(self.add_org(f"{street_name}{community_name}", OrganisationKind.COMMUNITY, region,
                                                street, notes=notes))
        return streets, communities

    def add_nanshan_enterprises(self, nanshan: Organisation) -> list[Organisation]:
        names = enterprise_names(data.NANSHAN_ENTERPRISE_COUNT)
        return [
            self.add_org(name, OrganisationKind.ENTERPRISE, nanshan.region, nanshan,
                         credit_code=synthetic_credit_code(data.NANSHAN, serial),
                         notes=f"企业名称与统一社会信用代码为{SYNTHETIC}")
            for serial, name in enumerate(names, start=1)
        ]

    def add_debao_institution_pairings(self):
        """Seed 004's 21 school and hospital pairs, helped by 南山区's institutions (named ones first)."""
        county = self.national[data.DEBAO]
        townships = {r.name: r for r in self.regions if r.level == Level.TOWNSHIP and r.county_code == data.DEBAO}
        notes = f"seed 004: 校校、院院结对; 具体对应关系为{SYNTHETIC}"
        for kind, recipients in ((OrganisationKind.SCHOOL, data.DEBAO_SCHOOLS),
                                 (OrganisationKind.HOSPITAL, data.DEBAO_HOSPITALS)):
            for name, township in recipients:
                region = townships[township] if township else county
                named = "seed 004" if name in data.DEBAO_SEED_INSTITUTIONS else f"名称为{SYNTHETIC}"
                recipient = self.add_org(name, kind, region, side=Side.RECIPIENT, notes=named)
                self.pair_institutions(kind, data.NANSHAN, recipient, data.DEBAO_INSTITUTION_STARTS[kind], notes)

    # Schools and hospitals (seed 000: 326 and 140 since 2017) ------------------------------------------------------

    def add_institution_pairings(self):
        """The rest of the 326 school and 140 hospital pairs, over the other actively paired counties.

        Each county's institutions are helped by those of its lead helper (the district paired with it, or the city).
        """
        leads = institution_counties()
        for kind, total, patterns in (
            (OrganisationKind.SCHOOL, data.SCHOOL_PAIRINGS, data.SCHOOL_PATTERNS),
            (OrganisationKind.HOSPITAL, data.HOSPITAL_PAIRINGS, data.HOSPITAL_PATTERNS),
        ):
            done = sum(1 for p in self.pairings if p.kind == INSTITUTION_PAIRING_KINDS[kind])
            per_county = spread(total - done, len(leads))
            if max(per_county) > len(patterns):
                raise DemoDataError(f"Too few {kind} name patterns for {max(per_county)} per county.")
            for (code, lead), count in zip(leads.items(), per_county, strict=True):
                county = self.national[code]
                for i in range(count):
                    recipient = self.add_org(f"{county.name}{patterns[i]}", kind, county, side=Side.RECIPIENT,
                                             notes=f"名称为{SYNTHETIC}")
                    start = data.INSTITUTION_STARTS[len(self.pairings) % len(data.INSTITUTION_STARTS)]
                    self.pair_institutions(kind, lead, recipient, start, f"seed 000: 2017年以来结对; {SYNTHETIC}")

    def pair_institutions(self, kind, lead: str, recipient: Organisation, start, notes: str):
        helper = self.helper_institution(kind, lead)
        self.pair(INSTITUTION_PAIRING_KINDS[kind], helper, recipient.region, start, recipient_org=recipient,
                  notes=notes)

    def helper_institution(self, kind: str, lead: str) -> Organisation:
        """The next helper school or hospital of a lead body; a new one every few recipients."""
        number = self.institution_pairs_by_lead[(kind, lead)]
        self.institution_pairs_by_lead[(kind, lead)] += 1
        pool = self.helper_institutions[(kind, lead)]
        if number % RECIPIENTS_PER_HELPER_INSTITUTION == 0:
            body = self.bodies[lead]
            named = helper_institution_names(kind, lead)
            if len(pool) < len(named):
                pool.append(self.add_org(named[len(pool)], kind, body.region, body, notes="seed 000/004"))
            else:
                name = made_up_institution_name(kind, body, len(pool) - len(named) + 1)
                pool.append(self.add_org(name, kind, body.region, body, notes=f"名称为{SYNTHETIC}"))
        return pool[-1]

    # 汕尾 (seed 003) -------------------------------------------------------------------------------------------------

    def add_shanwei_villages(self):
        """200 poor villages over 汕尾's four counties, 110 of them paired with Shenzhen's districts and bureaus."""
        helpers = [self.bodies[d.code] for d in data.SHENZHEN_DISTRICTS] + self.bureaus
        names = village_names(data.SHANWEI_VILLAGE_SYLLABLES, data.SHANWEI_NAMED_VILLAGES, seed=441500)
        notes = f"seed 003: 110个对口帮扶贫困村; 帮扶单位对应关系为{SYNTHETIC}"
        paired = 0
        for code, (township_names, poor, paired_count) in data.SHANWEI_COUNTIES.items():
            townships = self.add_townships(self.national[code], township_names)
            made = Counter()
            for i in range(poor + len(townships)):  # the poor villages, then one other village per township
                township = townships[i % len(townships)]
                village = self.add_region(village_code(township, made[township.code]), next(names), Level.VILLAGE,
                                          township, poor=i < poor)
                made[township.code] += 1
                if i < paired_count:
                    self.pair(PairingKind.IN_PROVINCE, helpers[paired % len(helpers)], village, data.SHANWEI_START,
                              notes=notes)
                    paired += 1

    def add_townships(self, county: Region, names: list[str]) -> list[Region]:
        """Townships with codes in the statistical pattern: 0xx for a street (街道), 1xx for a town."""
        numbers = Counter()
        townships = []
        for name in names:
            series = 0 if name.endswith("街道") else 100
            numbers[series] += 1
            townships.append(self.add_region(f"{county.code}{series + numbers[series]:03d}000", name,
                                             Level.TOWNSHIP, county))
        return townships

    # Writing -------------------------------------------------------------------------------------------------------

    def save(self) -> dict[str, int]:
        Region.objects.bulk_create(self.regions)
        save_organisation_tree(self.orgs)
        Pairing.objects.bulk_create(self.pairings)
        return {"regions": len(self.regions), "organisations": len(self.orgs), "pairings": len(self.pairings)}


def save_organisation_tree(orgs: list[Organisation]):
    """Insert level by level (a child needs its parent's key), then write every path in one bulk update."""
    by_depth = defaultdict(list)
    for org in orgs:
        by_depth[depth(org)].append(org)
    for level in sorted(by_depth):
        Organisation.objects.bulk_create(by_depth[level])
        for org in by_depth[level]:
            org.path = f"{org.parent.path if org.parent else ''}{org.pk}/"
    Organisation.objects.bulk_update(orgs, ["path"])


def depth(org: Organisation) -> int:
    return 0 if org.parent is None else 1 + depth(org.parent)


# --- Accounts -----------------------------------------------------------------------------------------------------


def save_accounts(password: str, demo: DemoBuilder) -> list[dict]:
    """The demo users (kept if they exist: the change log may point at them) with one password and fresh profiles."""
    user_model = get_user_model()
    hashed = make_password(password)  # argon2 is slow on purpose: hash once, share the hash
    existing = user_model.objects.filter(username__in=DEMO_USERNAMES).in_bulk(field_name="username")
    users, profiles, accounts = [], [], []
    for username, role, org_code, region_code, purpose in data.ACCOUNTS:
        user = existing.get(username) or user_model(username=username)
        user.password = hashed
        user.is_active = True
        user.is_superuser = user.is_staff = role is None
        users.append(user)
        org = demo.bodies.get(org_code)
        region = demo.national.get(region_code)
        if role is not None:
            profiles.append(UserProfile(user=user, role=role, organisation=org, region=region))
        accounts.append({
            "username": username,
            "role": role.value if role else "superuser",
            # A helper's scope is his organisation's subtree, a recipient's his region's: both named by a code.
            "scope": org_code or region_code or "everything",
            "purpose": purpose,
        })
    user_model.objects.bulk_create([u for u in users if u.pk is None])
    user_model.objects.bulk_update([u for u in users if u.username in existing],
                                   ["password", "is_active", "is_superuser", "is_staff"])
    UserProfile.objects.bulk_create(profiles)
    return accounts


# --- Made-up names and codes --------------------------------------------------------------------------------------


def village_code(township: Region, index: int) -> str:
    """The index-th village of a township: 2xx, as villages' committees (村委会) are numbered."""
    return f"{township.code[:9]}{201 + index:03d}"


def village_names(syllables: tuple[str, str], named: list[str], seed: int):
    """Distinct village names: those the seeds name first, then two-syllable ones in a fixed shuffled order."""
    made = [f"{a}{b}村" for a, b in product(*syllables)]
    random.Random(seed).shuffle(made)
    seen = set()
    for name in chain(named, made):
        if name not in seen:
            seen.add(name)
            yield name


def enterprise_names(count: int) -> list[str]:
    pairs = list(product(data.ENTERPRISE_BRANDS, data.ENTERPRISE_TRADES))
    random.Random(440305).shuffle(pairs)
    return [f"深圳市{brand}{trade}有限公司" for brand, trade in pairs[:count]]


def synthetic_credit_code(division: str, serial: int) -> str:
    """An 18-character unified social credit code: 9 (market regulator), 1 (enterprise), the division, a 9-character
    organisation code with its GB 11714 check character, and the GB 32100 check character (stdnum's)."""
    body = f"MA5DM{serial:03d}"
    code = f"91{division}{body}{organisation_code_check(body)}"
    code += uscc.calc_check_digit(code)
    if not uscc.is_valid(code):
        raise DemoDataError(f"Made an invalid credit code {code}.")
    return code


def organisation_code_check(body: str) -> str:
    """GB 11714's check character over the 8 characters of an organisation code."""
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(c, 36) * w for c, w in zip(body, weights, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def helper_institution_names(kind: str, lead: str) -> list[str]:
    """Helper institutions the seeds name, used before made-up ones."""
    if lead == data.NANSHAN:
        return data.NANSHAN_SCHOOLS if kind == OrganisationKind.SCHOOL else data.NANSHAN_HOSPITALS
    if lead == data.SHENZHEN.code and kind == OrganisationKind.HOSPITAL:
        return data.SHENZHEN_HOSPITALS
    return []


def made_up_institution_name(kind: str, body: Organisation, number: int) -> str:
    place = body.name if body.region_id == data.SHENZHEN.code else f"{data.SHENZHEN.name}{body.name}"
    suffix = "实验学校" if kind == OrganisationKind.SCHOOL else "人民医院"
    return f"{place}第{chinese_number(number)}{suffix}"


def chinese_number(n: int) -> str:
    """1 → 一, 12 → 十二, 25 → 二十五 (up to 99)."""
    digits = "零一二三四五六七八九"
    tens, ones = divmod(n, 10)
    return (digits[tens] if tens > 1 else "") + ("十" if tens else "") + (digits[ones] if ones or not tens else "")


def institution_counties() -> dict[str, str]:
    """Actively paired counties other than 德保县 (its 21 pairs are seed 004's) → their lead helper's code."""
    leads: dict[str, str] = {}
    for row in data.ACTIVE_COUNTY_PAIRINGS:
        if row.code != data.DEBAO and row.code not in data.NO_INSTITUTIONS:
            leads.setdefault(row.code, row.helper)
    return leads


def spread(total: int, buckets: int) -> list[int]:
    """`total` over `buckets` as evenly as possible, the larger shares first."""
    base, extra = divmod(total, buckets)
    return [base + 1] * extra + [base] * (buckets - extra)


def _say(stdout, message: str):
    if stdout is not None:
        stdout.write(message)
