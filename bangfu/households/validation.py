"""The registry's validation rules, one set for the services, the API, the web forms and the import engine.

Each `clean_*` function takes raw values (Python objects from the API, or strings from a spreadsheet: codes, English
labels or the Chinese names clerks use, such as 户主, 男, 脱贫户) and returns the cleaned values by model field name,
or raises a ValidationError naming every field that is wrong (`{field: [message, …]}`), in words a county clerk
understands. Messages never repeat an ID or phone number in the clear.

Rules that need the database (a person is a current member of one household only) are the services' part; the rules
here look at one record, or at one household's list of members.
"""

import re
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from bangfu.core.identity import normalise_id, parse_resident_id
from bangfu.core.values import (
    Errors,
    age_on,
    blank,
    choice,
    parse_bool,
    parse_date,
    parse_int,
    parse_money,
    parse_phone,
    parse_text,
)
from bangfu.households.models import (
    Education,
    EmploymentChannel,
    Health,
    HouseholdType,
    HousingGrade,
    IdType,
    LabourSkill,
    MonitoringCategory,
    Relation,
    RiskStatus,
    Schooling,
    Sex,
)

# In school, in the sense of the consistency rule "a student has no labour capacity" (preschool does not count).
STUDENT_SCHOOLING = {Schooling.PRIMARY, Schooling.JUNIOR, Schooling.SENIOR, Schooling.VOCATIONAL, Schooling.COLLEGE,
                     Schooling.POSTGRADUATE}
POSTGRADUATE_MIN_AGE = 20
# Working outside the county: such a person cannot at the same time hold a public-welfare post or work in an
# assistance workshop. The model has one employment channel per member, so the three exclude each other by form.
OUTSIDE_COUNTY = {EmploymentChannel.OUT_OF_PROVINCE, EmploymentChannel.IN_PROVINCE}
FIRST_YEAR = 2000  # no registry record (income, conditions, line) is older

HOUSEHOLD_NUMBER = re.compile(r"[0-9A-Za-z][0-9A-Za-z-]{0,29}")

# The names used in the national registry's forms and spreadsheets, accepted whatever the interface language
# (registered with core by HouseholdsConfig.ready, so that every parser of these choices knows them).
ALIASES = {
    IdType: {"居民身份证": IdType.RESIDENT, "身份证": IdType.RESIDENT, "其他": IdType.OTHER},
    Relation: {
        "户主": Relation.HEAD, "本人": Relation.HEAD, "配偶": Relation.SPOUSE, "妻": Relation.SPOUSE,
        "夫": Relation.SPOUSE, "之子": Relation.CHILD, "之女": Relation.CHILD, "子": Relation.CHILD,
        "女": Relation.CHILD, "之儿媳": Relation.CHILD_IN_LAW, "之女婿": Relation.CHILD_IN_LAW,
        "儿媳": Relation.CHILD_IN_LAW, "女婿": Relation.CHILD_IN_LAW, "之孙子": Relation.GRANDCHILD,
        "之孙女": Relation.GRANDCHILD, "之外孙子": Relation.GRANDCHILD, "之外孙女": Relation.GRANDCHILD,
        "孙子": Relation.GRANDCHILD, "孙女": Relation.GRANDCHILD, "之父": Relation.PARENT, "之母": Relation.PARENT,
        "之岳父": Relation.PARENT, "之岳母": Relation.PARENT, "之公公": Relation.PARENT, "之婆婆": Relation.PARENT,
        "父亲": Relation.PARENT, "母亲": Relation.PARENT, "之祖父": Relation.GRANDPARENT,
        "之祖母": Relation.GRANDPARENT, "之外祖父": Relation.GRANDPARENT, "之外祖母": Relation.GRANDPARENT,
        "之兄弟姐妹": Relation.SIBLING, "兄弟姐妹": Relation.SIBLING, "其他": Relation.OTHER,
    },
    Sex: {"男": Sex.MALE, "女": Sex.FEMALE},
    Education: {
        "文盲或半文盲": Education.ILLITERATE, "文盲": Education.ILLITERATE, "小学": Education.PRIMARY,
        "初中": Education.JUNIOR, "高中": Education.SENIOR, "中专": Education.SENIOR, "大专": Education.COLLEGE,
        "本科": Education.BACHELOR, "本科及以上": Education.BACHELOR, "研究生": Education.POSTGRADUATE,
        "研究生及以上": Education.POSTGRADUATE, "学龄前儿童": Education.PRESCHOOL, "学龄前": Education.PRESCHOOL,
    },
    Schooling: {
        "非在校生": Schooling.NONE, "学前教育": Schooling.PRESCHOOL, "小学": Schooling.PRIMARY,
        "初中": Schooling.JUNIOR, "七年级": Schooling.JUNIOR, "八年级": Schooling.JUNIOR, "九年级": Schooling.JUNIOR,
        "高中": Schooling.SENIOR, "中职": Schooling.VOCATIONAL, "高职": Schooling.VOCATIONAL,
        "技工院校": Schooling.VOCATIONAL, "大专": Schooling.COLLEGE, "本科": Schooling.COLLEGE,
        "研究生": Schooling.POSTGRADUATE, "硕士研究生": Schooling.POSTGRADUATE, "博士研究生": Schooling.POSTGRADUATE,
    },
    Health: {"健康": Health.HEALTHY, "长期慢性病": Health.CHRONIC, "患有大病": Health.SERIOUS,
               "大病": Health.SERIOUS, "残疾": Health.DISABLED},
    LabourSkill: {"技能劳动力": LabourSkill.SKILLED, "普通劳动力": LabourSkill.ORDINARY,
                     "弱劳动力或半劳动力": LabourSkill.WEAK, "弱劳动力": LabourSkill.WEAK,
                     "半劳动力": LabourSkill.WEAK, "丧失劳动力": LabourSkill.LOST, "无劳动力": LabourSkill.NONE},
    EmploymentChannel: {"无": EmploymentChannel.NONE, "未务工": EmploymentChannel.NONE,
                           "省外务工": EmploymentChannel.OUT_OF_PROVINCE,
                           "省内县外务工": EmploymentChannel.IN_PROVINCE, "县内务工": EmploymentChannel.IN_COUNTY,
                           "帮扶车间": EmploymentChannel.WORKSHOP, "就业帮扶车间": EmploymentChannel.WORKSHOP,
                           "公益性岗位": EmploymentChannel.PUBLIC_WELFARE},
    HouseholdType: {"脱贫户": HouseholdType.LIFTED, "一般农户": HouseholdType.ORDINARY},
    MonitoringCategory: {"脱贫不稳定户": MonitoringCategory.UNSTABLE, "边缘易致贫户": MonitoringCategory.MARGINAL,
                            "突发严重困难户": MonitoringCategory.SUDDEN},
    RiskStatus: {"未纳入监测": RiskStatus.NONE, "风险未消除": RiskStatus.MONITORED,
                    "风险已消除": RiskStatus.ELIMINATED},
    HousingGrade: {"A级": HousingGrade.A, "B级": HousingGrade.B, "C级": HousingGrade.C, "D级": HousingGrade.D},
}
MEMBER_FIELDS = ("name", "id_type", "id_number", "relation", "sex", "birth_date", "ethnicity", "education",
                 "schooling", "health", "labour_skill", "work_months", "employment_channel", "medical_insured",
                 "pension_insured", "phone")
MEMBER_DEFAULTS = {"id_type": IdType.RESIDENT, "ethnicity": "汉族", "schooling": Schooling.NONE,
                   "health": Health.HEALTHY, "work_months": 0, "employment_channel": EmploymentChannel.NONE,
                   "medical_insured": True, "pension_insured": False, "phone": ""}
HOUSEHOLD_FIELDS = ("number", "household_type", "monitoring_category", "risk_status", "phone", "address", "land_area",
                    "housing_grade", "safe_water", "sanitary_toilet", "electricity")
HOUSEHOLD_DEFAULTS = {"monitoring_category": "", "risk_status": RiskStatus.NONE, "phone": "", "address": "",
                      "land_area": Decimal("0"), "housing_grade": "", "safe_water": True, "sanitary_toilet": False,
                      "electricity": True}
INCOME_ITEMS = ("wage", "production", "property_income", "transfer", "production_cost", "rigid_medical",
                "rigid_education")
CONDITION_FLAGS = ("food_clothing", "compulsory_education", "basic_medical", "water_quantity", "water_quality",
                   "water_convenience", "water_reliability")
LINE_FIELDS = ("province_code", "county_code", "year", "amount", "income_fall_share", "rigid_spending_share",
               "clue_deadline_days", "publicity_days")
LINE_DEFAULTS = {"county_code": "", "income_fall_share": Decimal("0.30"), "rigid_spending_share": Decimal("0.50"),
                 "clue_deadline_days": 15, "publicity_days": 5}


# --- values ---------------------------------------------------------------------------------------------------------

def parse_year(errors: Errors, field: str, value, today: date, *, ahead: int = 0) -> int | None:
    return parse_int(errors, field, value, low=FIRST_YEAR, high=today.year + ahead)


def _unknown_fields(errors: Errors, data: dict, known):
    for key in data:
        if key not in known:
            errors.add(key, _("Unknown field."))


# --- members --------------------------------------------------------------------------------------------------------

def member_errors(data: dict, *, today: date | None = None, prefix: str = "") -> tuple[dict, Errors]:
    """Clean one member's values; return them with the errors found (the import engine collects these per row)."""
    today = today or timezone.localdate()
    errors = Errors(prefix)
    _unknown_fields(errors, data, MEMBER_FIELDS)
    values = {**MEMBER_DEFAULTS, **{k: v for k, v in data.items() if not blank(v) or k not in MEMBER_DEFAULTS}}
    out: dict = {}
    out["name"] = parse_text(errors, "name", values.get("name"), max_length=50, required=True)
    if out["name"] and re.search(r"\d", out["name"]):
        errors.add("name", _("A name contains no digits."))
    out["id_type"] = choice(errors, "id_type", values.get("id_type"), IdType)
    out["relation"] = choice(errors, "relation", values.get("relation"), Relation)
    out["sex"] = choice(errors, "sex", values.get("sex"), Sex, required=out["id_type"] != IdType.RESIDENT)
    out["birth_date"] = parse_date(errors, "birth_date", values.get("birth_date"),
                                   required=out["id_type"] != IdType.RESIDENT)
    out["ethnicity"] = parse_text(errors, "ethnicity", values.get("ethnicity"), max_length=20, required=True)
    out["education"] = choice(errors, "education", values.get("education"), Education)
    out["schooling"] = choice(errors, "schooling", values.get("schooling"), Schooling)
    out["health"] = choice(errors, "health", values.get("health"), Health)
    out["labour_skill"] = choice(errors, "labour_skill", values.get("labour_skill"), LabourSkill)
    out["work_months"] = parse_int(errors, "work_months", values.get("work_months"), low=0, high=12)
    out["employment_channel"] = choice(errors, "employment_channel", values.get("employment_channel"),
                                       EmploymentChannel, blank_value="")
    out["medical_insured"] = parse_bool(errors, "medical_insured", values.get("medical_insured"), default=True)
    out["pension_insured"] = parse_bool(errors, "pension_insured", values.get("pension_insured"), default=False)
    out["phone"] = parse_phone(errors, "phone", values.get("phone"))

    # The ID number, and what it says about birth date and sex.
    raw_id = values.get("id_number")
    out["id_number"] = normalise_id(raw_id if isinstance(raw_id, str) else ("" if raw_id is None else str(raw_id)))
    if not out["id_number"]:
        errors.add("id_number", _("This field is required."))
    elif out["id_type"] == IdType.RESIDENT:
        try:
            facts = parse_resident_id(out["id_number"])
        except ValidationError as exc:
            for message in exc.messages:
                errors.add("id_number", message)
        else:
            expected_sex = facts["sex"]
            if out["sex"] is None and not errors.has("sex"):
                out["sex"] = expected_sex
            elif out["sex"] and out["sex"] != expected_sex:
                errors.add("sex", _("The ID number is that of a %(expected)s; the record says %(given)s.") % {
                    "expected": Sex(expected_sex).label, "given": Sex(out["sex"]).label})
            if out["birth_date"] is None and not errors.has("birth_date"):
                out["birth_date"] = facts["birth_date"]
            elif out["birth_date"] and out["birth_date"] != facts["birth_date"]:
                errors.add("birth_date", _("The ID number gives the birth date %(expected)s; the record says "
                                           "%(given)s.") % {"expected": facts["birth_date"],
                                                            "given": out["birth_date"]})
    elif len(out["id_number"]) > 18 or not re.fullmatch(r"[0-9A-Z]+", out["id_number"]):
        errors.add("id_number", _("An ID number of another kind has at most 18 letters and digits."))

    birth = out["birth_date"]
    if birth and not errors.has("birth_date") and (birth > today or birth.year < 1900):
        errors.add("birth_date", _("The birth date %(date)s is impossible.") % {"date": birth})
        birth = None

    # The consistency checks of the national registry (DOMAIN.md §4).
    if out["schooling"] in STUDENT_SCHOOLING and out["labour_skill"] and out["labour_skill"] != LabourSkill.NONE:
        errors.add("labour_skill", _("A student in school has no labour capacity: set the labour skill to "
                                     "“%(none)s”.") % {"none": LabourSkill.NONE.label})
    if birth and age_on(birth, today) < POSTGRADUATE_MIN_AGE:
        for field in ("education", "schooling"):
            if out[field] == Education.POSTGRADUATE:
                errors.add(field, _("A postgraduate is at least %(age)s years old; this person is %(n)s.") % {
                    "age": POSTGRADUATE_MIN_AGE, "n": age_on(birth, today)})
    return out, errors


def clean_member(data: dict, *, today: date | None = None, prefix: str = "") -> dict:
    out, errors = member_errors(data, today=today, prefix=prefix)
    errors.raise_if_any()
    return out


def check_members(members: list[dict], field: str = "members"):
    """A household's current members: exactly one head, and no person twice."""
    errors = Errors()
    heads = [i for i, m in enumerate(members) if m.get("relation") == Relation.HEAD]
    if len(heads) != 1:
        errors.add(field, _("A household has exactly one head (户主); this one has %(n)s.") % {"n": len(heads)})
    seen: dict[str, int] = {}
    for i, member in enumerate(members):
        number = member.get("id_number")
        if number and number in seen:
            errors.add(f"{field}.{i}.id_number",
                       _("The same ID number is given for members %(a)s and %(b)s.") % {"a": seen[number] + 1,
                                                                                        "b": i + 1})
        seen.setdefault(number, i)
    errors.raise_if_any()


# --- households -----------------------------------------------------------------------------------------------------

def household_errors(data: dict, *, partial: bool = False) -> tuple[dict, Errors]:
    """Clean a household's own values (not its members). `partial`: only the fields given (an update)."""
    errors = Errors()
    _unknown_fields(errors, data, HOUSEHOLD_FIELDS)
    values = data if partial else {**HOUSEHOLD_DEFAULTS, **{k: v for k, v in data.items() if v is not None}}
    out: dict = {}
    parsers = {
        "number": lambda v: _household_number(errors, v),
        "household_type": lambda v: choice(errors, "household_type", v, HouseholdType),
        "monitoring_category": lambda v: choice(errors, "monitoring_category", v, MonitoringCategory,
                                                blank_value=""),
        "risk_status": lambda v: choice(errors, "risk_status", v, RiskStatus, blank_value=RiskStatus.NONE),
        "phone": lambda v: parse_phone(errors, "phone", v),
        "address": lambda v: parse_text(errors, "address", v, max_length=200),
        "land_area": lambda v: parse_money(errors, "land_area", v, limit=Decimal("1e8")),
        "housing_grade": lambda v: choice(errors, "housing_grade", v, HousingGrade, blank_value=""),
        "safe_water": lambda v: parse_bool(errors, "safe_water", v, default=True),
        "sanitary_toilet": lambda v: parse_bool(errors, "sanitary_toilet", v, default=False),
        "electricity": lambda v: parse_bool(errors, "electricity", v, default=True),
    }
    for field, parse in parsers.items():
        if field in values:
            out[field] = parse(values[field])
        elif not partial and field == "household_type":
            errors.add(field, _("This field is required."))
    return out, errors


def _household_number(errors: Errors, value) -> str | None:
    """Blank: the service numbers the household itself."""
    if blank(value):
        return None
    text = str(value).strip()
    if not HOUSEHOLD_NUMBER.fullmatch(text):
        errors.add("number", _("A household number has up to 30 letters, digits and hyphens."))
    return text


def check_category(values: dict, errors: Errors):
    """The monitoring category fits the household type and the risk status."""
    category, status = values.get("monitoring_category"), values.get("risk_status")
    kind = values.get("household_type")
    if category == MonitoringCategory.UNSTABLE and kind == HouseholdType.ORDINARY:
        errors.add("monitoring_category", _("An unstable lifted household (脱贫不稳定户) must be a lifted household."))
    if category == MonitoringCategory.MARGINAL and kind == HouseholdType.LIFTED:
        errors.add("monitoring_category",
                   _("A marginal household at risk (边缘易致贫户) must be an ordinary household."))
    if category and status == RiskStatus.NONE:
        errors.add("risk_status", _("A household with a monitoring category is monitored (risk not eliminated or "
                                    "eliminated)."))
    if status in (RiskStatus.MONITORED, RiskStatus.ELIMINATED) and not category:
        errors.add("monitoring_category", _("A monitored household needs its monitoring category."))


def clean_household(data: dict, *, partial: bool = False, current: dict | None = None) -> dict:
    """`current`: the stored values an update starts from, for the checks across fields."""
    out, errors = household_errors(data, partial=partial)
    if not errors:
        check_category({**(current or {}), **out}, errors)
    errors.raise_if_any()
    return out


# --- income, conditions, monitoring lines ---------------------------------------------------------------------------

def clean_income(data: dict, *, today: date | None = None) -> dict:
    """A year's income: every item in yuan and never negative; `members_counted` (optional) from 1 to 99."""
    today = today or timezone.localdate()
    errors = Errors()
    _unknown_fields(errors, data, ("year", "members_counted", *INCOME_ITEMS))
    out = {"year": parse_year(errors, "year", data.get("year"), today)}
    for item in INCOME_ITEMS:
        out[item] = parse_money(errors, item, data.get(item))
    out["members_counted"] = parse_int(errors, "members_counted", data.get("members_counted"), low=1, high=99,
                                       required=False)
    errors.raise_if_any()
    return out


def per_capita(values: dict, members_counted: int) -> Decimal:
    """人均纯收入 = (wage + production + property + transfer − production costs) ÷ members counted, to the fen."""
    net = (values["wage"] + values["production"] + values["property_income"] + values["transfer"]
           - values["production_cost"])
    return (net / members_counted).quantize(Decimal("0.01"))


def clean_conditions(data: dict, *, today: date | None = None) -> dict:
    today = today or timezone.localdate()
    errors = Errors()
    _unknown_fields(errors, data, ("year", "housing_grade", "evidence", *CONDITION_FLAGS))
    out = {"year": parse_year(errors, "year", data.get("year"), today),
           "housing_grade": choice(errors, "housing_grade", data.get("housing_grade"), HousingGrade),
           "evidence": parse_text(errors, "evidence", data.get("evidence"), max_length=5000)}
    for flag in CONDITION_FLAGS:
        out[flag] = parse_bool(errors, flag, data.get(flag), default=True)
    errors.raise_if_any()
    return out


def clean_monitoring_line(data: dict, *, today: date | None = None, partial: bool = False) -> dict:
    """Codes are checked against the regions by the service; here the values and their ranges."""
    today = today or timezone.localdate()
    errors = Errors()
    _unknown_fields(errors, data, LINE_FIELDS)
    values = data if partial else {**LINE_DEFAULTS, **{k: v for k, v in data.items() if v is not None}}
    out: dict = {}
    if "province_code" in values or not partial:
        code = str(values.get("province_code") or "").strip()
        if not re.fullmatch(r"\d{2}0000", code):
            errors.add("province_code", _("Give the 6-digit code of a province (such as 450000)."))
        out["province_code"] = code
    if "county_code" in values:
        code = str(values.get("county_code") or "").strip()
        if code and not re.fullmatch(r"\d{6}", code):
            errors.add("county_code", _("Give the 6-digit code of a county, or leave it blank for the province."))
        out["county_code"] = code
    if "year" in values or not partial:
        out["year"] = parse_year(errors, "year", values.get("year"), today, ahead=1)
    if "amount" in values or not partial:
        out["amount"] = parse_money(errors, "amount", values.get("amount"), required=True)
        if out["amount"] is not None and out["amount"] <= 0:
            errors.add("amount", _("The monitoring line is an amount above zero."))
    for share in ("income_fall_share", "rigid_spending_share"):
        if share in values:
            out[share] = parse_money(errors, share, values[share], required=True)
            if out[share] is not None and not Decimal("0") < out[share] <= Decimal("1"):
                errors.add(share, _("A share is above 0 and at most 1 (0.30 is 30%)."))
    if "clue_deadline_days" in values:
        out["clue_deadline_days"] = parse_int(errors, "clue_deadline_days", values["clue_deadline_days"], low=1,
                                              high=365)
    if "publicity_days" in values:
        out["publicity_days"] = parse_int(errors, "publicity_days", values["publicity_days"], low=5, high=60)
    errors.raise_if_any()
    return out
