"""Column specs of the household registry (one row per current member, the household's columns repeated on each
row, as the national system's exports are) and of incomes, and how the import engine writes them."""

from datetime import date
from decimal import Decimal

import polars as pl
from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from bangfu.core import identity
from bangfu.core.bulk import insert_columns, insert_frame, reserve_ids
from bangfu.core.columns import Column, Entity
from bangfu.core.importing import (
    ROW,
    Context,
    Plan,
    among,
    common_path,
    filled,
    raw,
    refuse_if_changed,
    restore_updates,
    update_changed,
)
from bangfu.core.values import name_initials_column
from bangfu.households import validation
from bangfu.households.models import (
    Education,
    EmploymentChannel,
    Health,
    Household,
    HouseholdType,
    HousingGrade,
    IdType,
    Income,
    LabourSkill,
    Member,
    MonitoringCategory,
    Relation,
    RiskStatus,
    Schooling,
    Sex,
)
from bangfu.regions.models import Level, Region

HOUSEHOLD_COLUMNS = (
    Column("户编号", "household__number", "code", required=True, aliases=("户码", "户号", "农户编号"),
           note="同一户的每一行填相同的户编号；新户可填村代码加4位序号"),
    Column("县代码", "household__county_code", "code", writable=False),
    Column("村代码", "household__village_id", "code", required=True, aliases=("行政村代码", "村编码", "村级代码"),
           note="12位行政村代码"),
    Column("村名称", "household__village__name", writable=False),
    Column("户类型", "household__household_type", "choice", HouseholdType, required=True,
           aliases=("农户类型", "户属性")),
    Column("监测对象类别", "household__monitoring_category", "choice", MonitoringCategory,
           aliases=("监测对象类型", "监测类型")),
    Column("风险状态", "household__risk_status", "choice", RiskStatus, aliases=("风险消除情况",)),
    Column("户主姓名", "household__head_name", writable=False),
    Column("家庭人口", "household__size", "int", writable=False),
    Column("家庭联系电话", "household__phone", "phone", aliases=("户联系电话",)),
    Column("住址", "household__address", aliases=("家庭住址", "详细地址")),
    Column("耕地面积(亩)", "household__land_area", "decimal", aliases=("耕地面积", "耕地面积（亩）")),
    Column("住房安全等级", "household__housing_grade", "choice", HousingGrade, aliases=("住房安全鉴定等级",)),
    Column("饮水安全", "household__safe_water", "bool", aliases=("饮水安全有保障", "是否饮水安全")),
    Column("卫生厕所", "household__sanitary_toilet", "bool", aliases=("是否有卫生厕所",)),
    Column("生活用电", "household__electricity", "bool", aliases=("是否通生活用电",)),
)

MEMBER_COLUMNS = (
    Column("姓名", "name", required=True, aliases=("成员姓名", "家庭成员姓名")),
    Column("证件类型", "id_type", "choice", IdType, note="空白即居民身份证"),
    Column("证件号码", "id_number", "id_number", required=True,
           aliases=("身份证号码", "身份证号", "公民身份号码", "证件号", "残疾证号码"),
           note="18位居民身份证号码，请设为文本格式，以免Excel丢失末几位"),
    Column("与户主关系", "relation", "choice", Relation, required=True, aliases=("与户主的关系",)),
    Column("性别", "sex", "choice", Sex, note="空白时按身份证号码"),
    Column("出生日期", "birth_date", "date", aliases=("出生年月",), note="空白时按身份证号码"),
    Column("民族", "ethnicity", note="空白即汉族"),
    Column("文化程度", "education", "choice", Education, required=True, aliases=("学历",)),
    Column("在校生状况", "schooling", "choice", Schooling, aliases=("在校生情况", "在校情况")),
    Column("健康状况", "health", "choice", Health, aliases=("健康情况",)),
    Column("劳动技能", "labour_skill", "choice", LabourSkill, required=True, aliases=("劳动能力",)),
    Column("务工时间(月)", "work_months", "int", aliases=("务工时间", "务工月数", "务工时间（月）")),
    Column("就业渠道", "employment_channel", "choice", EmploymentChannel, aliases=("务工状况", "就业情况")),
    Column("基本医疗保险", "medical_insured", "bool", aliases=("是否参加基本医疗保险", "参加城乡居民基本医疗保险")),
    Column("基本养老保险", "pension_insured", "bool", aliases=("是否参加基本养老保险", "参加城乡居民基本养老保险")),
    Column("联系电话", "phone", "phone", aliases=("本人联系电话", "手机号码")),
)

HOUSEHOLDS = Entity(
    name="households",
    model=Member,
    columns=HOUSEHOLD_COLUMNS + MEMBER_COLUMNS,
    region_path="region_path",
    filter=Q(active=True),
    order_by=("household__number", "id"),
)

MONEY_NOTE = "单位：元，可写“1.2万”；空白按 0 计"

INCOMES = Entity(
    name="incomes",
    model=Income,
    columns=(
        Column("户编号", "household__number", "code", required=True, aliases=("户码", "户号", "农户编号")),
        Column("县代码", "county_code", writable=False),
        Column("村代码", "household__village_id", writable=False),
        Column("年度", "year", "int", required=True, note="四位年份，如 2025"),
        Column("工资性收入", "wage", "decimal", note=MONEY_NOTE),
        Column("生产经营性收入", "production", "decimal", note=MONEY_NOTE),
        Column("财产性收入", "property_income", "decimal", note=MONEY_NOTE),
        Column("转移性收入", "transfer", "decimal", note=MONEY_NOTE),
        Column("生产经营性支出", "production_cost", "decimal", note=MONEY_NOTE),
        Column("合规自付医疗支出", "rigid_medical", "decimal", note=MONEY_NOTE),
        Column("教育支出", "rigid_education", "decimal", note=MONEY_NOTE),
        Column("计算人口", "members_counted", "int", note="空白时按当前家庭人口计"),
        Column("人均纯收入", "per_capita", "decimal", writable=False, note="由系统计算，导入时忽略"),
    ),
    region_path="region_path",
    order_by=("household__number", "year"),
)

ENTITIES = {"households": HOUSEHOLDS, "incomes": INCOMES}


# --- import --------------------------------------------------------------------------------------------------------

HOUSEHOLD_PATHS = [c.path for c in HOUSEHOLD_COLUMNS if c.writable and c.path != "household__number"]
# What the monitoring workflow decides: brought in with a new household (a registry kept elsewhere), never changed
# by a re-import of one registered already.
WORKFLOW_PATHS = ("household__monitoring_category", "household__risk_status")
MEMBER_PATHS = [c.path for c in MEMBER_COLUMNS]


def _member_defaults() -> list[pl.Expr]:
    return [pl.col(name).fill_null(pl.lit(str(value) if not isinstance(value, bool | int) else value))
            for name, value in validation.MEMBER_DEFAULTS.items() if name in MEMBER_PATHS]


def _household_defaults() -> list[pl.Expr]:
    out = []
    for name, value in validation.HOUSEHOLD_DEFAULTS.items():
        path = f"household__{name}"
        if path in HOUSEHOLD_PATHS:
            literal = pl.lit(value, dtype=pl.Decimal(18, 2)) if isinstance(value, Decimal) else pl.lit(
                value if isinstance(value, bool) else str(value))
            out.append(pl.col(path).fill_null(literal))
    return out


def _id_facts(frame: pl.DataFrame) -> pl.DataFrame:
    """Vectorised GB 11643 check of resident ID numbers: validity, birth date and sex (the rule of
    `core.identity.parse_resident_id`, whose messages the invalid ones get)."""
    number = pl.col("id_number")
    weights = identity.WEIGHTS
    digits = number.str.slice(0, 17).cast(pl.Int64, strict=False)
    # A chain of sums, not sum_horizontal: polars then holds two columns at a time, not seventeen.
    checksum = sum(digits // 10 ** (16 - i) % 10 * w for i, w in enumerate(weights)) % 11
    check = pl.lit(identity.CHECK_CHARS).str.slice(checksum, 1)
    birth = _id_birth()
    well_formed = number.str.contains(r"^\d{17}[\dX]$").fill_null(False)
    known = number.str.slice(0, 6).is_in(pl.Series(sorted(identity.known_division_codes())).implode())
    valid = (well_formed & (number.str.slice(17, 1) == check) & birth.is_not_null()
             & (birth <= pl.lit(date.today())) & (birth.dt.year() >= 1900) & known)
    return frame.with_columns(id_valid=valid.fill_null(False), id_birth=birth, id_sex=_id_sex())


def _id_birth() -> pl.Expr:
    return pl.col("id_number").str.slice(6, 8).str.to_date("%Y%m%d", strict=False)


def _id_sex() -> pl.Expr:
    odd = pl.col("id_number").str.slice(16, 1).cast(pl.Int64, strict=False) % 2 == 1
    return pl.when(odd).then(pl.lit(Sex.MALE.value)).otherwise(pl.lit(Sex.FEMALE.value))


class HouseholdPlan(Plan):
    """Households with their members, one row per member. A household is matched by 户编号 and a member by ID
    number: a re-import updates what changed and adds who is new; it never removes anyone (moves and departures
    are recorded on the household's page, with their reasons)."""

    entity = HOUSEHOLDS
    group = "household__number"
    permission = "household.change"

    def check(self, frame: pl.DataFrame, ctx: Context) -> list[pl.DataFrame]:
        problems = self._workflow_fields(frame, ctx)  # before the defaults: a blank cell changes nothing
        frame = frame.with_columns(*_member_defaults(), *_household_defaults())
        problems += self._member_rules(frame, ctx)
        problems += self._household_rules(frame, ctx)
        problems += self._villages(frame, ctx)
        problems += self._against_registry(frame, ctx)
        return problems

    # One member's values, as `validation.member_errors` checks them, in sets.
    def _member_rules(self, frame, ctx):
        out = []
        named = frame.filter(pl.col("name").str.contains(r"\d"))
        out.append(ctx.problems(named, "name", _("A name contains no digits.")))
        # Only the columns the ID rules read or report: filtering copies every column it keeps.
        paths = ("id_number", "sex", "birth_date", "education", "schooling")
        with_id = _id_facts(frame.select(ROW, "id_type", *paths, *(f"raw:{p}" for p in paths))
                            .filter(pl.col("id_number").is_not_null()))
        facts = with_id.filter(pl.col("id_type") == IdType.RESIDENT)
        bad = facts.filter(~pl.col("id_valid"))
        if bad.height:
            messages = [_id_message(n) for n in bad["id_number"]]
            out.append(ctx.problems(bad.with_columns(pl.Series("m", messages)), "id_number", "")
                       .with_columns(pl.Series("message", messages)))
        good = facts.filter(pl.col("id_valid"))
        wrong_sex = good.filter(pl.col("sex").is_not_null() & (pl.col("sex") != pl.col("id_sex")))
        if wrong_sex.height:
            messages = [_("The ID number is that of a %(expected)s; the record says %(given)s.") % {
                "expected": Sex(e).label, "given": Sex(g).label} for e, g in wrong_sex.select("id_sex", "sex").rows()]
            out.append(ctx.problems(wrong_sex, "sex", "").with_columns(pl.Series("message", messages)))
        wrong_birth = good.filter(pl.col("birth_date").is_not_null() & (pl.col("birth_date") != pl.col("id_birth")))
        if wrong_birth.height:
            messages = [_("The ID number gives the birth date %(expected)s; the record says %(given)s.") % {
                "expected": e, "given": g} for e, g in wrong_birth.select("id_birth", "birth_date").rows()]
            out.append(ctx.problems(wrong_birth, "birth_date", "").with_columns(pl.Series("message", messages)))
        out.append(ctx.problems(frame.filter(pl.col("work_months") > 12), "work_months",
                                _("Give a number from %(low)s to %(high)s.") % {"low": 0, "high": 12}))
        other = frame.filter(pl.col("id_type") != IdType.RESIDENT)
        out.append(ctx.problems(other.filter(~pl.col("id_number").str.contains(r"^[0-9A-Z]{1,18}$")), "id_number",
                                _("An ID number of another kind has at most 18 letters and digits.")))
        for path in ("sex", "birth_date"):
            out.append(ctx.problems(other.filter(pl.col(path).is_null() & raw(path).is_null()), path,
                                    _("This field is required.")))
        birth = pl.coalesce("birth_date", "id_birth")
        dated = with_id.with_columns(birth=pl.when(pl.col("id_type") == IdType.RESIDENT).then(birth)
                                     .otherwise(pl.col("birth_date")))
        impossible = dated.filter((pl.col("birth") > pl.lit(ctx.today)) | (pl.col("birth").dt.year() < 1900),
                                  pl.col("birth_date").is_not_null())
        out.append(ctx.problems(impossible, "birth_date", _("This birth date is impossible.")))
        student = frame.filter(pl.col("schooling").is_in([str(s) for s in validation.STUDENT_SCHOOLING]),
                               pl.col("labour_skill").is_not_null(), pl.col("labour_skill") != LabourSkill.NONE)
        out.append(ctx.problems(student, "labour_skill", _(
            "A student in school has no labour capacity: set the labour skill to “%(none)s”.") % {
                "none": LabourSkill.NONE.label}))
        cutoff = date(ctx.today.year - validation.POSTGRADUATE_MIN_AGE, ctx.today.month, min(ctx.today.day, 28))
        young = dated.filter(pl.col("birth") > pl.lit(cutoff))
        for path in ("education", "schooling"):
            rows = young.filter(pl.col(path) == Education.POSTGRADUATE)
            out.append(ctx.problems(rows, path, _("A postgraduate is at least %(age)s years old.") % {
                "age": validation.POSTGRADUATE_MIN_AGE}))
        return out

    # A household's rows agree, it has one head, and no person is in the file twice.
    def _household_rules(self, frame, ctx):
        out = []
        number = "household__number"
        keyed = filled(frame, number)
        # Rows agree when their values do, however written ('1.2万' and '12000'); a value wrong on one row only
        # differs from the others' (null).
        written = keyed.select(number, pl.struct(HOUSEHOLD_PATHS).hash().alias("values")).unique()
        if written.height > written[number].n_unique():  # some household's rows differ somewhere: find where
            for path in HOUSEHOLD_PATHS:
                disagree = keyed.filter(pl.col(path).n_unique().over(number) > 1)
                out.append(ctx.problems(disagree, path, _("The rows of this household disagree on this column: give "
                                                          "the same value on each of its rows.")))
        heads = keyed.with_columns(heads=(pl.col("relation") == Relation.HEAD).sum().over(number))
        for n, rows in heads.filter(pl.col("heads") != 1).group_by("heads"):
            relation_rows = rows if n[0] == 0 else rows.filter(pl.col("relation") == Relation.HEAD)
            out.append(ctx.problems(relation_rows, "relation", _(
                "A household has exactly one head (户主); this one has %(n)s.") % {"n": n[0]}))
        ids = filled(frame, "id_number")
        twice = ids.filter(pl.col("id_number").is_duplicated())
        twice = twice.join(twice.group_by("id_number").agg(rows=pl.col(ROW).sort().cast(pl.String).str.join(", ")),
                           on="id_number")
        if twice.height:
            messages = [_("The same ID number is in rows %(rows)s of the file.") % {"rows": r} for r in twice["rows"]]
            out.append(ctx.problems(twice, "id_number", "").with_columns(pl.Series("message", messages)))
        kinds = keyed.unique(number)
        category = pl.col("household__monitoring_category")
        status = pl.col("household__risk_status")
        kind = pl.col("household__household_type")
        rules = [
            ("household__monitoring_category", (category == MonitoringCategory.UNSTABLE)
             & (kind == HouseholdType.ORDINARY), _("An unstable lifted household (脱贫不稳定户) must be a lifted "
                                                  "household.")),
            ("household__monitoring_category", (category == MonitoringCategory.MARGINAL)
             & (kind == HouseholdType.LIFTED), _("A marginal household at risk (边缘易致贫户) must be an ordinary "
                                                 "household.")),
            ("household__risk_status", (category != "") & (status == RiskStatus.NONE),
             _("A household with a monitoring category is monitored (risk not eliminated or eliminated).")),
            ("household__monitoring_category", status.is_in([RiskStatus.MONITORED, RiskStatus.ELIMINATED])
             & (category == ""), _("A monitored household needs its monitoring category.")),
        ]
        for path, rule, message in rules:
            out.append(ctx.problems(kinds.filter(rule.fill_null(False)), path, message))
        return out

    def _villages(self, frame, ctx):
        village = "household__village_id"
        codes = frame[village].drop_nulls().unique().to_list()
        found = {code: (path, level) for code, path, level in
                 Region.objects.filter(code__in=codes).values_list("code", "path", "level")}
        unknown = [c for c in codes if c not in found]
        not_village = [c for c, (_p, level) in found.items() if level != Level.VILLAGE]
        outside = [c for c, (path, _l) in found.items() if ctx.scope is not None
                   and not ctx.scope.covers_region_path(path)]
        return [
            ctx.problems(frame.filter(pl.col(village).is_in(unknown)), village,
                         _("Unknown village code: a village has a 12-digit code of the national table.")),
            ctx.problems(frame.filter(pl.col(village).is_in(not_village)), village,
                         _("This code is not that of a village (a village has a 12-digit code).")),
            ctx.problems(frame.filter(pl.col(village).is_in(outside)), village,
                         _("This village is outside your scope: you may import households of your own area only.")),
        ]

    def _workflow_fields(self, frame, ctx):
        """A registered household's monitoring category and risk status change through the workflow only."""
        numbers = frame["household__number"].drop_nulls().unique()
        stored = pl.DataFrame(list(among(Household.objects.all(), "number", numbers, *(
            p.removeprefix("household__") for p in WORKFLOW_PATHS))), orient="row",
            schema={"household__number": pl.String, **{f"db:{p}": pl.String for p in WORKFLOW_PATHS}})
        kept = [c for c in frame.columns if c.removeprefix("raw:") in WORKFLOW_PATHS]
        known = frame.select(ROW, "household__number", *kept).join(stored, on="household__number")
        return [ctx.problems(known.filter(pl.col(p).is_not_null() & (pl.col(p) != pl.col(f"db:{p}"))), p, _(
            "The monitoring category and risk status change through the monitoring workflow.")) for p in WORKFLOW_PATHS]

    def _against_registry(self, frame, ctx):
        """Household numbers and ID numbers the registry holds already."""
        out = []
        numbers = frame["household__number"].drop_nulls().unique()
        existing = pl.DataFrame(list(among(Household.objects.all(), "number", numbers, "village_id",
                                           "region_path")), schema=dict.fromkeys(("household__number", "db_village",
                                                                           "db_path"), pl.String), orient="row")
        known = frame.join(existing, on="household__number", how="inner")
        if ctx.scope is not None:
            in_scope = pl.col("db_path").map_elements(ctx.scope.covers_region_path, pl.Boolean)
            out.append(ctx.problems(known.filter(~in_scope), "household__number", _(
                "This household number belongs to a household outside your scope.")))
            known = known.filter(in_scope)  # of a household out of scope, nothing more is said: not where it is
        moved = known.filter(pl.col("household__village_id") != pl.col("db_village"))
        if moved.height:
            messages = [_("This household is registered in village %(code)s; a move to another village is made on "
                          "the household's page.") % {"code": c} for c in moved["db_village"]]
            out.append(ctx.problems(moved, "household__village_id", "").with_columns(pl.Series("message", messages)))
        ids = frame["id_number"].drop_nulls().unique()
        members = among(Member.objects.filter(active=True), "id_number", ids, "household__number", "region_path")
        current = pl.DataFrame(members, schema=dict.fromkeys(("id_number", "db_number", "db_path"), pl.String),
                               orient="row")
        elsewhere = frame.join(current, on="id_number", how="inner").filter(
            pl.col("db_number") != pl.col("household__number"))
        if elsewhere.height:
            visible = ctx.scope.covers_region_path if ctx.scope is not None else (lambda _path: True)
            messages = [
                _("This person is already a member of household %(number)s; record a move instead.") % {"number": n}
                if visible(path) else _("This person is already a member of a household outside your scope.")
                for n, path in elsewhere.select("db_number", "db_path").rows()]
            out.append(ctx.problems(elsewhere, "id_number", "").with_columns(pl.Series("message", messages)))
        return out

    # --- writing ---------------------------------------------------------------------------------------------------

    def write(self, frame: pl.DataFrame, ctx: Context) -> dict[str, int]:
        resident = pl.col("id_type") == IdType.RESIDENT
        frame = frame.with_columns(*_member_defaults(), *_household_defaults()).with_columns(
            sex=pl.when(resident).then(pl.coalesce("sex", _id_sex())).otherwise("sex"),
            birth_date=pl.when(resident).then(pl.coalesce("birth_date", _id_birth())).otherwise("birth_date"))
        places = Region.objects.filter(code__in=frame["household__village_id"].unique().to_list())
        villages = dict(places.values_list("code", "path"))
        counties = dict(places.values_list("code", "county_code"))
        frame = frame.with_columns(  # categoricals: a few hundred villages' values on a million rows
            region_path=pl.col("household__village_id").replace_strict(villages, return_dtype=pl.Categorical),
            county_code=pl.col("household__village_id").replace_strict(counties, return_dtype=pl.Categorical))
        ctx.batch.region_path = common_path(list(villages.values()))
        ctx.batch.save(update_fields=["region_path"])
        existing = dict(among(Household.objects.all(), "number", frame["household__number"].unique(), "id"))
        if existing:
            new = frame.filter(~pl.col("household__number").is_in(list(existing)))
            old = frame.filter(pl.col("household__number").is_in(list(existing)))
        else:  # all new: no filtered copies of the whole frame
            new, old = frame, frame.clear()
        del frame
        counts = {"households created": 0, "members created": 0, "households updated": 0, "members updated": 0}
        if new.height:
            households = self._create_households(new, ctx)
            members = new.select(*MEMBER_PATHS, "county_code", "region_path", household_id=pl.col(
                "household__number").replace_strict(households["household__number"], households["id"]))
            counts.update({"households created": households.height, "members created": members.height})
            del new, households  # memory: the members' columns are all that is left to write
            insert_frame(Member, self._member_frame(members, ctx))
        if old.height:
            counts.update(self._update(old, existing, ctx))
        return {k: v for k, v in counts.items() if v}

    def _create_households(self, frame: pl.DataFrame, ctx: Context) -> pl.DataFrame:
        """Write the households of the file's new rows; their numbers and ids."""
        households = frame.group_by("household__number", maintain_order=True).agg(
            pl.col("county_code", "region_path", *HOUSEHOLD_PATHS).first(),
            size=pl.len(),
            head_name=pl.col("name").filter(pl.col("relation") == Relation.HEAD).first())
        households = households.with_columns(pl.Series("id", reserve_ids(Household, households.height)))
        insert_frame(Household, households.select(
            "id", "county_code", "region_path", "size", "head_name",
            *(pl.col(path).alias(path.removeprefix("household__")) for path in HOUSEHOLD_PATHS),
            number="household__number", import_batch_id=pl.lit(ctx.batch.pk)))
        return households.select("household__number", "id")

    def _member_frame(self, members: pl.DataFrame, ctx: Context) -> pl.DataFrame:
        return members.select(*MEMBER_PATHS, "household_id", "county_code", "region_path",
                              name_initials=name_initials_column(members["name"]),
                              import_batch_id=pl.lit(ctx.batch.pk))

    def _update(self, frame: pl.DataFrame, existing: dict[str, int], ctx: Context) -> dict[str, int]:
        """Households and members already registered: change what differs, add new members, log each change."""
        changed_households = update_changed(
            Household, frame.unique("household__number", keep="first").with_columns(
                pl.col("household__number").replace_strict(existing, return_dtype=pl.Int64).alias("pk")),
            {path: path.removeprefix("household__") for path in HOUSEHOLD_PATHS
             if path not in ("household__village_id", *WORKFLOW_PATHS)},
            ctx)
        frame = frame.with_columns(
            household_id=pl.col("household__number").replace_strict(existing, return_dtype=pl.Int64))
        current = dict(((number, hh), pk) for number, hh, pk in Member.objects.filter(
            household_id__in=list(existing.values()), active=True).values_list("id_number", "household_id", "id"))
        keys = list(zip(frame["id_number"], frame["household_id"], strict=True))
        frame = frame.with_columns(pl.Series("pk", [current.get(k) for k in keys], dtype=pl.Int64))
        newcomers = frame.filter(pl.col("pk").is_null())
        if newcomers.height:
            insert_frame(Member, self._member_frame(newcomers, ctx))
        changed_members = update_changed(Member, frame.filter(pl.col("pk").is_not_null()),
                                        {p: p for p in MEMBER_PATHS}, ctx)
        touched = Household.objects.filter(pk__in=list(existing.values()))
        _refresh_households(touched)
        return {"households updated": changed_households, "members updated": changed_members,
                "members created": newcomers.height}

    def undo(self, batch) -> dict[str, int]:
        households = Household.objects.filter(import_batch=batch)
        members = Member.objects.filter(import_batch=batch)
        refuse_if_changed(batch, [(Household, households), (Member, members)])
        others = Member.objects.filter(household__in=households).exclude(import_batch=batch)
        if others.exists():
            raise ValidationError(_("Members have been added since to households of this batch; it cannot be "
                                    "undone."))
        for relation in Household._meta.related_objects:
            if relation.related_model is not Member and relation.related_model.objects.filter(
                    **{f"{relation.field.name}__in": households}).exists():
                raise ValidationError(_("Records (%(what)s) have been added since to households of this batch; it "
                                        "cannot be undone.") % {"what": relation.related_model._meta.verbose_name})
        restored = restore_updates(batch)
        touched = list(members.values_list("household_id", flat=True).distinct())
        removed = {"members removed": members.delete()[0], "households removed": households.delete()[0]}
        _refresh_households(Household.objects.filter(pk__in=touched))
        return {**removed, **restored}


def _id_message(number: str) -> str:
    try:
        identity.parse_resident_id(number)
    except ValidationError as exc:
        return "；".join(exc.messages)
    return _("This ID number is not valid.")


def _refresh_households(households):
    """Size and head's name from the current members, in one UPDATE."""
    current = Member.objects.filter(household=OuterRef("pk"), active=True)
    households.update(
        size=Subquery(current.values("household").annotate(n=Count("pk")).values("n")[:1]),
        head_name=Coalesce(Subquery(current.filter(relation=Relation.HEAD).values("name")[:1]), Value("")))


INCOME_ITEMS = list(validation.INCOME_ITEMS)


class IncomePlan(Plan):
    """A household's income in a year, matched by 户编号 and 年度: a re-import updates the year's figures."""

    entity = INCOMES
    permission = "household.change"

    def check(self, frame: pl.DataFrame, ctx: Context) -> list[pl.DataFrame]:
        out = []
        year = pl.col("year")
        out.append(ctx.problems(frame.filter((year < validation.FIRST_YEAR) | (year > ctx.today.year)), "year",
                                _("Give a number from %(low)s to %(high)s.") % {"low": validation.FIRST_YEAR,
                                                                              "high": ctx.today.year}))
        counted = pl.col("members_counted")
        out.append(ctx.problems(frame.filter((counted < 1) | (counted > 99)), "members_counted",
                                _("Give a number from %(low)s to %(high)s.") % {"low": 1, "high": 99}))
        keyed = frame.filter(pl.col("household__number").is_not_null(), year.is_not_null())
        twice = keyed.filter(pl.struct("household__number", "year").is_duplicated())
        out.append(ctx.problems(twice, "year", _("This household's income for this year is in the file twice.")))
        known = _households(frame, ctx)
        out.append(ctx.problems(frame.filter(~pl.col("household__number").is_in(known["number"].implode())),
                                "household__number", _("Unknown household number (or outside your scope).")))
        return out

    def write(self, frame: pl.DataFrame, ctx: Context) -> dict[str, int]:
        known = _households(frame, ctx)
        frame = frame.with_columns(pl.col(item).fill_null(Decimal("0")) for item in INCOME_ITEMS).join(
            known, left_on="household__number", right_on="number").with_columns(
            members_counted=pl.coalesce("members_counted", "size").clip(lower_bound=1))
        frame = frame.with_columns(per_capita=pl.Series([
            validation.per_capita(dict(zip(INCOME_ITEMS, items, strict=True)), n) for *items, n in
            frame.select(*INCOME_ITEMS, "members_counted").iter_rows()], dtype=pl.Decimal(18, 2)))
        stored = pl.DataFrame(list(Income.objects.filter(household_id__in=known["household_id"].to_list()).values_list(
            "household_id", "year", "id")), schema={"household_id": pl.Int64, "year": pl.Int64, "pk": pl.Int64},
            orient="row")
        frame = frame.join(stored, on=["household_id", "year"], how="left")
        new = frame.filter(pl.col("pk").is_null())
        fields = [*INCOME_ITEMS, "members_counted", "per_capita"]
        if new.height:
            insert_columns(Income, {
                "household_id": new["household_id"].to_list(), "year": new["year"].to_list(),
                "county_code": new["county_code"].to_list(), "region_path": new["region_path"].to_list(),
                "import_batch_id": [ctx.batch.pk] * new.height, **{f: new[f].to_list() for f in fields}})
        updated = update_changed(Income, frame.filter(pl.col("pk").is_not_null()), {f: f for f in fields}, ctx)
        ctx.batch.region_path = common_path(known["region_path"].unique().to_list())
        ctx.batch.save(update_fields=["region_path"])
        return {k: v for k, v in {"incomes created": new.height, "incomes updated": updated}.items() if v}

    def undo(self, batch) -> dict[str, int]:
        incomes = Income.objects.filter(import_batch=batch)
        refuse_if_changed(batch, [(Income, incomes)])
        restored = restore_updates(batch)
        return {"incomes removed": incomes.delete()[0], **restored}


def _households(frame: pl.DataFrame, ctx: Context) -> pl.DataFrame:
    """The file's households that the user may change: number, id, size, county code and region path."""
    numbers = frame["household__number"].drop_nulls().unique()
    households = Household.objects.all() if ctx.user is None else Household.objects.visible_to(ctx.user, "change")
    rows = among(households, "number", numbers, "id", "size", "county_code", "region_path")
    return pl.DataFrame(rows, schema={"number": pl.String, "household_id": pl.Int64, "size": pl.Int64,
                                      "county_code": pl.String, "region_path": pl.String}, orient="row")


PLANS = {"households": HouseholdPlan(), "incomes": IncomePlan()}
