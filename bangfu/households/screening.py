"""Screening (筛查预警): find the households at risk in one set-based pass and open a clue (线索) for each.

`screen()` reads every household in scope together with that year's income, last year's income, that year's
两不愁三保障/water record and the monitoring line that applies (the county's own line if it has one, else its
province's) in ONE SQL statement that returns only the households flagged (or unjudgeable); the clues and their
first transitions are then written with one bulk insert each. No per-household query, whatever the number of
households: the query count is bounded (tests/test_screening.py counts them).

A household is flagged when, for the year screened:
- it is a 脱贫户 with per-capita net income ≤ the line → candidate 脱贫不稳定户 (`unstable`);
- it is an ordinary household with per-capita net income ≤ the line → candidate 边缘易致贫户 (`marginal`);
- its income is above the line, but per-capita net income fell by more than the line's `income_fall_share` from
  last year, or rigid spending (compliant out-of-pocket medical + schooling) exceeds `rigid_spending_share` of the
  household's net income → candidate 突发严重困难户 (`sudden`);
- any 两不愁三保障 or drinking-water item is not secured (`Conditions.failures()`); with no income reason the
  category is left for the home visit to judge.
Households already monitored (risk status `monitored`) are skipped, and so are households with an open
identification case: re-running opens no duplicate (the database's `one_open_case_per_household_purpose` holds it
too).

Department feeds (部门筛查预警): `import_department_feed()` turns a CSV of rows keyed by ID number (证件号码, 事项,
金额, 日期) into clues the same way; unknown ID numbers are reported back, never written.
"""

from __future__ import annotations

import io
import time
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from bangfu.core.bulk import insert_columns, reserve_ids
from bangfu.core.identity import mask_id, normalise_id, parse_resident_id
from bangfu.core.money import to_yuan, yuan
from bangfu.core.rules import require_may
from bangfu.core.scope import prefix_q, scope_of
from bangfu.households.models import (
    Clue,
    ClueSource,
    Conditions,
    Household,
    HouseholdType,
    Income,
    Member,
    MonitoringCategory,
    MonitoringLine,
    Purpose,
    RiskStatus,
    Stage,
    Transition,
)

BATCH = 5000
DEFAULT_DEADLINE_DAYS = 15  # when no monitoring line applies (DOMAIN.md §4: generally ≤ 15 days)
SCREENING_REASON = "筛查"

# The texts of the 两不愁三保障 + drinking water items (keys of `Conditions.failures()`).
CONDITION_TEXTS = {
    "food_clothing": "“两不愁”未保障：吃穿存在困难",
    "compulsory_education": "义务教育未保障：有适龄儿童少年失学辍学",
    "basic_medical": "基本医疗未保障：有成员未参加基本医疗保险或未落实签约服务",
    "housing": "住房安全未保障：住房安全等级为 {grade} 级",
    "water_quantity": "饮水安全未保障：水量不达标",
    "water_quality": "饮水安全未保障：水质不达标",
    "water_convenience": "饮水安全未保障：取水不方便",
    "water_reliability": "饮水安全未保障：供水保证率不达标",
}

# Department feeds: the kind of the file (which department sent it) → how the reason names it.
FEED_KINDS = {
    "medical": "医保部门",
    "disability": "残联",
    "disaster": "应急管理部门",
    "civil_affairs": "民政部门",
    "education": "教育部门",
    "human_resources": "人社部门",
    "other": "行业部门",
}
FEED_COLUMNS = ("证件号码", "事项", "金额", "日期")

# Reason codes whose text reveals a person's health (medical spending, disability, medical cover): the publicity
# list (公示名单) must leave these out (DOMAIN.md §2: never publish health status).
HEALTH_REASON_CODES = frozenset({"rigid_spending", "unsecured_basic_medical", "dept_medical", "dept_disability"})


# --- reason texts (also used by the demo, so that its clues read like screening's) ---------------------------------

def pct(value) -> str:
    """0.3 → "30%", 0.4095 → "40.95%"."""
    text = f"{Decimal(str(value)) * 100:.2f}".rstrip("0").rstrip(".")
    return f"{text}%"


def reason_low_income(per_capita, line) -> dict:
    relation = "等于" if Decimal(str(per_capita)) == Decimal(str(line)) else "低于"
    return {"code": "low_income",
            "text": f"人均纯收入 {yuan(per_capita)} 元，{relation}监测线 {yuan(line, cents=False)} 元"}


def reason_income_fall(per_capita, previous, share) -> dict:
    previous, per_capita = Decimal(str(previous)), Decimal(str(per_capita))
    fall = ((previous - per_capita) / previous).quantize(Decimal("0.0001")) if previous else Decimal("0")
    return {"code": "income_fall",
            "text": f"人均纯收入 {yuan(per_capita)} 元，比上年 {yuan(previous)} 元下降 {pct(fall)}，超过 {pct(share)}"}


def reason_rigid_spending(medical, education, net, share) -> dict:
    medical, education, net = Decimal(str(medical)), Decimal(str(education)), Decimal(str(net))
    rigid = medical + education
    of_net = f"占家庭纯收入 {yuan(net)} 元的 {pct((rigid / net).quantize(Decimal('0.0001')))}" if net > 0 \
        else f"家庭纯收入为 {yuan(net)} 元"
    return {"code": "rigid_spending",
            "text": f"刚性支出 {yuan(rigid)} 元（医疗 {yuan(medical)} 元、教育 {yuan(education)} 元），{of_net}"
                    f"，超过 {pct(share)}"}


def reason_condition(item: str, housing_grade: str = "") -> dict:
    return {"code": f"unsecured_{item}", "text": CONDITION_TEXTS[item].format(grade=housing_grade or "—")}


def candidate_for(household_type: str, low: bool, sudden: bool) -> str:
    if low:
        return MonitoringCategory.UNSTABLE if household_type == HouseholdType.LIFTED else MonitoringCategory.MARGINAL
    return MonitoringCategory.SUDDEN if sudden else ""


# --- scope ----------------------------------------------------------------------------------------------------------

def _scope_paths(region, actor) -> tuple[str, ...]:
    """The region paths to screen: the region's subtree (everything when None), within the actor's scope."""
    from bangfu.regions.models import Region

    if region is None:
        paths: tuple[str, ...] = ("",)
    else:
        if not isinstance(region, Region):
            region = Region.objects.filter(code=str(region)).only("path").first()
            if region is None:
                raise ValidationError({"region": ["Unknown region code."]})
        paths = (region.path,)
    if actor is None:
        return paths
    require_may(actor, "clue.open")
    scope = scope_of(actor)
    if scope.everything:
        return paths
    kept = set()
    for wanted in paths:
        for own in scope.region_paths:
            if own.startswith(wanted):
                kept.add(own)
            elif wanted.startswith(own):
                kept.add(wanted)
    if not kept:
        raise PermissionDenied("This region is outside your scope.")
    return tuple(sorted(kept))


def _path_sql(column: str, paths) -> tuple[str, list]:
    if paths == ("",):
        return "1 = 1", []
    return "(" + " OR ".join(f"{column} LIKE %s" for _ in paths) + ")", [p + "%" for p in paths]


def _lock():
    """Two screenings at once would race for the same households: PostgreSQL serialises them (SQLite writes are
    serialised anyway). Also, for this transaction only: no JIT (compiling the plan cost more than running it, 3.8 s
    of 7 s on the full demo) and room for the hash joins."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [0x5C2EE4])
            cursor.execute("SET LOCAL jit = off")
            cursor.execute("SET LOCAL work_mem = '64MB'")


# --- screening ------------------------------------------------------------------------------------------------------

def _candidates_sql(where_paths: str) -> str:
    h, i, c = Household._meta.db_table, Income._meta.db_table, Conditions._meta.db_table
    line, clue = MonitoringLine._meta.db_table, Clue._meta.db_table
    net = "(i.wage + i.production + i.property_income + i.transfer - i.production_cost)"
    base = f"""
        SELECT h.id AS household_id, h.household_type, h.risk_status, h.county_code, h.region_path,
               i.id AS income_id, i.per_capita, {net} AS net, i.rigid_medical, i.rigid_education,
               p.per_capita AS previous,
               c.id AS conditions_id, c.food_clothing, c.compulsory_education, c.basic_medical, c.housing_grade,
               c.water_quantity, c.water_quality, c.water_convenience, c.water_reliability,
               COALESCE(lc.id, lp.id) AS line_id,
               COALESCE(lc.amount, lp.amount) AS line,
               COALESCE(lc.income_fall_share, lp.income_fall_share) AS fall_share,
               COALESCE(lc.rigid_spending_share, lp.rigid_spending_share) AS rigid_share,
               COALESCE(lc.clue_deadline_days, lp.clue_deadline_days) AS deadline_days
        FROM {h} h
        LEFT JOIN {i} i ON i.household_id = h.id AND i.year = %s
        LEFT JOIN {i} p ON p.household_id = h.id AND p.year = %s
        LEFT JOIN {c} c ON c.household_id = h.id AND c.year = %s
        LEFT JOIN {line} lc ON lc.county_code = h.county_code AND lc.year = %s
        LEFT JOIN {line} lp ON lp.province_code = SUBSTR(h.region_path, 1, 6) AND lp.county_code = '' AND lp.year = %s
        WHERE {where_paths}
    """
    flags = """
        CASE WHEN b.per_capita <= b.line THEN 1 ELSE 0 END AS low,
        CASE WHEN b.per_capita > b.line AND b.previous > 0
             AND b.per_capita < b.previous * (1 - b.fall_share) THEN 1 ELSE 0 END AS fall,
        CASE WHEN b.per_capita > b.line AND b.rigid_medical + b.rigid_education > 0
             AND b.rigid_medical + b.rigid_education > b.rigid_share * b.net THEN 1 ELSE 0 END AS rigid,
        CASE WHEN NOT b.food_clothing OR NOT b.compulsory_education OR NOT b.basic_medical
             OR b.housing_grade NOT IN ('A', 'B') OR NOT b.water_quantity OR NOT b.water_quality
             OR NOT b.water_convenience OR NOT b.water_reliability THEN 1 ELSE 0 END AS unsecured
    """
    return f"""
        SELECT b.*, {flags},
               CASE WHEN EXISTS (SELECT 1 FROM {clue} o WHERE o.household_id = b.household_id
                                 AND o.purpose = 'identify' AND o.is_open) THEN 1 ELSE 0 END AS has_open
        FROM ({base}) b
        WHERE b.income_id IS NULL OR b.line_id IS NULL
           OR b.per_capita <= b.line
           OR (b.previous > 0 AND b.per_capita < b.previous * (1 - b.fall_share))
           OR (b.rigid_medical + b.rigid_education > 0 AND b.rigid_medical + b.rigid_education > b.rigid_share * b.net)
           OR NOT b.food_clothing OR NOT b.compulsory_education OR NOT b.basic_medical
           OR b.housing_grade NOT IN ('A', 'B') OR NOT b.water_quantity OR NOT b.water_quality
           OR NOT b.water_convenience OR NOT b.water_reliability
    """


def _rows(sql: str, params) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [col[0] for col in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def latest_income_year(paths) -> int | None:
    where, params = _path_sql("region_path", paths)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX(year) FROM {Income._meta.db_table} WHERE {where}", params)
        return cursor.fetchone()[0]


def reasons_for(row: dict) -> tuple[str, list[dict]]:
    """The candidate category and the reasons of one flagged row of the screening query."""
    reasons = []
    if row["low"]:
        reasons.append(reason_low_income(row["per_capita"], row["line"]))
    if row["fall"]:
        reasons.append(reason_income_fall(row["per_capita"], row["previous"], row["fall_share"]))
    if row["rigid"]:
        reasons.append(reason_rigid_spending(row["rigid_medical"], row["rigid_education"], row["net"],
                                             row["rigid_share"]))
    if row["unsecured"]:
        checks = {
            "food_clothing": row["food_clothing"], "compulsory_education": row["compulsory_education"],
            "basic_medical": row["basic_medical"], "housing": row["housing_grade"] in ("A", "B"),
            "water_quantity": row["water_quantity"], "water_quality": row["water_quality"],
            "water_convenience": row["water_convenience"], "water_reliability": row["water_reliability"],
        }
        reasons += [reason_condition(item, row["housing_grade"]) for item, ok in checks.items() if not ok]
    category = candidate_for(row["household_type"], bool(row["low"]), bool(row["fall"] or row["rigid"]))
    return category, reasons


@transaction.atomic
def screen(region=None, year: int | None = None, actor=None, today: date | None = None) -> dict:
    """Screen every household in scope for `year` (default: the latest year with income records) and open a clue
    for each household at risk that is neither monitored nor already has an open identification case."""
    started = time.perf_counter()
    today = today or timezone.localdate()
    paths = _scope_paths(region, actor)
    if year is None:
        year = latest_income_year(paths)
    result = {"year": year, "households": 0, "flagged": 0, "clues_opened": 0, "skipped_open": 0,
              "skipped_monitored": 0, "no_income": 0, "no_line": 0, "by_category": {}, "by_reason": {},
              "seconds": 0.0}
    where, params = _path_sql("h.region_path", paths)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {Household._meta.db_table} h WHERE {where}", params)
        result["households"] = cursor.fetchone()[0]
    if year is None or not result["households"]:
        result["seconds"] = round(time.perf_counter() - started, 3)
        return result
    _lock()
    rows = _rows(_candidates_sql(where), [year, year - 1, year, year, year, *params])
    result["no_income"] = sum(1 for r in rows if r["income_id"] is None)
    result["no_line"] = sum(1 for r in rows if r["income_id"] is not None and r["line_id"] is None)
    flagged = [r for r in rows if r["low"] or r["fall"] or r["rigid"] or r["unsecured"]]
    result["flagged"] = len(flagged)
    result["skipped_monitored"] = sum(1 for r in flagged if r["risk_status"] == RiskStatus.MONITORED)
    to_open = [r for r in flagged if r["risk_status"] != RiskStatus.MONITORED]
    result["skipped_open"] = sum(1 for r in to_open if r["has_open"])
    to_open = [r for r in to_open if not r["has_open"]]

    clues, categories, codes = [], Counter(), Counter()
    for row in to_open:
        category, reasons = reasons_for(row)
        categories[category or "undecided"] += 1
        codes.update(r["code"] for r in reasons)
        days = row["deadline_days"] if row["deadline_days"] is not None else DEFAULT_DEADLINE_DAYS
        clues.append(dict(
            household_id=row["household_id"], county_code=row["county_code"], region_path=row["region_path"],
            purpose=Purpose.IDENTIFY, source=ClueSource.SCREENING, candidate_category=category, reasons=reasons,
            opened_on=today, deadline=today + timedelta(days=days),
        ))
    _open(clues, actor, SCREENING_REASON)
    result.update(clues_opened=len(clues), by_category=dict(categories), by_reason=dict(codes),
                  seconds=round(time.perf_counter() - started, 3))
    return result


def _open(clues: list[dict], actor, reason: str):
    """Insert the clues (as dicts of attname → value) and their first transitions (from nothing to `clue`), each
    with one statement, however many."""
    if not clues:
        return
    ids = reserve_ids(Clue, len(clues))
    now = timezone.now()
    actor_id = actor.pk if actor is not None and getattr(actor, "is_authenticated", False) else None
    columns = {name: [clue[name] for clue in clues] for name in clues[0]}
    insert_columns(Clue, {"id": ids, **columns, "stage": [Stage.CLUE] * len(ids), "is_open": [True] * len(ids)})
    insert_columns(Transition, {
        "clue_id": ids, "county_code": columns["county_code"], "region_path": columns["region_path"],
        "from_stage": [""] * len(ids), "to_stage": [Stage.CLUE] * len(ids), "actor_id": [actor_id] * len(ids),
        "time": [now] * len(ids), "reason": [reason] * len(ids), "attachment": [""] * len(ids),
    })


# --- department feeds -----------------------------------------------------------------------------------------------

def _read_feed(path) -> list[dict]:
    """The feed's rows as strings (polars reads it): xlsx (first sheet), or CSV in UTF-8 (with or without BOM) or
    GB18030."""
    import polars as pl

    path = Path(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        frame = _feed_workbook(path)
    elif path.suffix.lower() == ".xls":  # (the command's only: the API takes .xlsx and .csv)
        try:
            frame = pl.read_excel(path, infer_schema_length=0)
        except Exception as exc:  # fastexcel's own errors for a corrupt or foreign file
            raise ValidationError(f"The spreadsheet could not be read ({exc.__class__.__name__}).") from exc
    else:
        raw = path.read_bytes()
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ValidationError("The file is neither UTF-8 nor GB18030 text.")
        frame = pl.read_csv(io.BytesIO(text.encode()), infer_schema=False)
    frame = frame.rename({c: c.strip() for c in frame.columns})
    missing = [c for c in FEED_COLUMNS if c not in frame.columns and c != "金额"]
    if missing:
        raise ValidationError(
            f"The feed lacks the column(s) {'、'.join(missing)} (expected {'、'.join(FEED_COLUMNS)}).")
    if "金额" not in frame.columns:
        frame = frame.with_columns(pl.lit(None, dtype=pl.String).alias("金额"))
    frame = frame.select([pl.col(c).cast(pl.String).str.strip_chars() for c in FEED_COLUMNS])
    return frame.to_dicts()


def _feed_workbook(path: Path):
    """The first sheet, its first row the headers, read by the import's reader within the upload limits
    (core.limits): a hostile workbook is refused, not read."""
    import polars as pl

    from bangfu.core.limits import OverLimit
    from bangfu.core.xlsx import read_first_sheet

    try:
        grid, _first_row = read_first_sheet(path)
    except OverLimit as exc:
        raise ValidationError(str(exc)) from None
    except Exception as exc:  # zipfile's, XML and fastexcel's own errors for a corrupt or foreign file
        raise ValidationError(f"The spreadsheet could not be read ({exc.__class__.__name__}).") from exc
    if grid.height == 0:
        return pl.DataFrame()
    columns = {}
    for name, header in zip(grid.columns, grid.row(0), strict=True):
        columns.setdefault(str(header or "").strip(), name)  # a repeated header: the first one counts
    return grid.slice(1).select(pl.col(name).alias(header) for header, name in columns.items() if header)


def _parse_date(text: str | None) -> date | None:
    text = (text or "").strip()
    for pattern in ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _parse_amount(text: str | None) -> Decimal | None:
    """A feed's amount, or nothing when the cell is empty or no amount: the alert is raised all the same."""
    try:
        return to_yuan(text, negative=True) if (text or "").strip() else None
    except ValueError:
        return None


def feed_reason(kind: str, item: str, amount: Decimal | None, on: date | None) -> dict:
    parts = [f"{FEED_KINDS[kind]}预警：{item or '未注明事项'}"]
    if amount is not None:
        parts.append(f" {yuan(amount)} 元")
    if on is not None:
        parts.append(f"（{on.isoformat()}）")
    return {"code": f"dept_{kind}", "text": "".join(parts)}


def _chunks(items, size=BATCH):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start:start + size]


@transaction.atomic
def import_department_feed(path, source_kind: str, actor=None, today: date | None = None) -> dict:
    """Match a department's list (证件号码, 事项, 金额, 日期) to current members and open one clue per household
    (source: department alert; candidate 突发严重困难户, to be judged on the home visit). Rows whose ID number is
    invalid or matches no current member in scope are reported back (masked), not written."""
    if source_kind not in FEED_KINDS:
        raise ValidationError({"source_kind": [f"Unknown feed kind {source_kind!r}: one of {', '.join(FEED_KINDS)}."]})
    today = today or timezone.localdate()
    paths = _scope_paths(None, actor)
    rows = _read_feed(path)
    result = {"rows": len(rows), "matched_rows": 0, "households": 0, "clues_opened": 0, "skipped_open": 0,
              "skipped_monitored": 0, "invalid": [], "unknown": []}
    numbers: dict[int, str] = {}
    for index, row in enumerate(rows, start=2):  # row 1 is the header
        number = normalise_id(row["证件号码"] or "")
        try:
            parse_resident_id(number)
        except ValidationError:
            result["invalid"].append({"row": index, "id_number": mask_id(number)})
            continue
        numbers[index] = number

    in_scope = Q() if paths == ("",) else prefix_q("region_path", paths)
    members: dict[str, tuple] = {}
    for chunk in _chunks(set(numbers.values())):
        found = (Member.objects.filter(in_scope, active=True, id_number__in=chunk)
                 .values_list("id_number", "household_id", "household__risk_status", "county_code", "region_path"))
        members.update({m[0]: m[1:] for m in found})
    by_household: dict[int, list] = defaultdict(list)
    for index, number in numbers.items():
        if number not in members:
            result["unknown"].append({"row": index, "id_number": mask_id(number)})
            continue
        by_household[members[number][0]].append((index, number))
    result["matched_rows"] = sum(len(v) for v in by_household.values())
    result["households"] = len(by_household)

    open_ids: set[int] = set()
    for chunk in _chunks(by_household):
        open_ids.update(Clue.objects.filter(household_id__in=chunk, purpose=Purpose.IDENTIFY, is_open=True)
                        .values_list("household_id", flat=True))
    deadline_days = {(line.province_code, line.county_code): line.clue_deadline_days
                     for line in MonitoringLine.objects.filter(year=today.year)}
    _lock()
    clues = []
    for household_id, hits in by_household.items():
        _, risk_status, county_code, region_path = members[hits[0][1]]
        if risk_status == RiskStatus.MONITORED:
            result["skipped_monitored"] += 1
            continue
        if household_id in open_ids:
            result["skipped_open"] += 1
            continue
        days = deadline_days.get((region_path[:6], county_code),
                                 deadline_days.get((region_path[:6], ""), DEFAULT_DEADLINE_DAYS))
        reasons = [feed_reason(source_kind, rows[i - 2]["事项"], _parse_amount(rows[i - 2]["金额"]),
                               _parse_date(rows[i - 2]["日期"])) for i, _ in hits]
        clues.append(dict(
            household_id=household_id, county_code=county_code, region_path=region_path, purpose=Purpose.IDENTIFY,
            source=ClueSource.DEPARTMENT, candidate_category=MonitoringCategory.SUDDEN, reasons=reasons,
            opened_on=today, deadline=today + timedelta(days=days),
        ))
    _open(clues, actor, f"部门预警：{FEED_KINDS[source_kind]}")
    result["clues_opened"] = len(clues)
    return result
