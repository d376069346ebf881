"""Changes to the registry: households, members and their moves, yearly income and conditions, monitoring lines, and
revealing personal data. The only place that writes these rows (the workflow's transitions are `workflow.py`).

Every write checks who may (`core.roles`) and where (`visible_to`), validates with `validation.py`, and records the
change log in the same transaction. ID and phone numbers are masked in the change log as everywhere else; each
reveal of one in the clear is written to the access log.
"""

import re
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bangfu.core import audit
from bangfu.core.models import AccessLog
from bangfu.core.roles import RECIPIENT_ROLES, Role
from bangfu.core.rules import OWN_REGION, require_may, rule
from bangfu.core.scope import scope_of
from bangfu.core.services import invalid, require
from bangfu.core.values import Errors, choice, name_initials, parse_date, parse_text, plain
from bangfu.households import validation
from bangfu.households.models import (
    Conditions,
    Household,
    Income,
    Measure,
    Member,
    MemberMove,
    MonitoringLine,
    Relation,
    RiskStatus,
    Visit,
)
from bangfu.regions.models import Level, Region

# Set only through the monitoring workflow (workflow.advance), never when a household is registered or changed.
WORKFLOW_FIELDS = ("monitoring_category", "risk_status")


def line_in_scope(user, line: MonitoringLine) -> bool:
    """A coordination office sets the lines of the provinces where the places it helps lie (a county's line, of a
    county it helps)."""
    scope = scope_of(user)
    if line.county_code:
        county = Region.objects.filter(code=line.county_code).only("path").first()
        return county is not None and scope.covers_region_path(county.path)
    return any(path.startswith(f"{line.province_code}/") for path in scope.region_paths)


# Who may (core.rules; the workflow's transitions are declared in workflow.py): the recipient side keeps the registry
# of its places; the coordination office sets the monitoring lines of the provinces it works in.
RULES = {
    "household.change": rule(gettext_lazy("change the household registry"), RECIPIENT_ROLES, OWN_REGION),
    "monitoringline.change": rule(gettext_lazy("set a monitoring line"), {Role.COORDINATION}, check=line_in_scope,
                                  condition=gettext_lazy("for the provinces where the places it helps lie")),
}


def _log(actor, obj, before: dict | None, reason: str = ""):
    audit.record(actor, "update" if before is not None else "create", obj, before=before, after=audit.snapshot(obj),
                 reason=plain(reason))


def _save(obj, field: str, message: str, **kwargs):
    """Save in a savepoint; a uniqueness race lost to another writer is refused like the rule it breaks."""
    try:
        with transaction.atomic():
            obj.save(**kwargs)
    except IntegrityError:
        invalid(field, message)


def place(obj, household: Household):
    obj.county_code = household.county_code
    obj.region_path = household.region_path


def _village(actor, village) -> Region:
    """A village (or its code) in which the actor may register households."""
    if not isinstance(village, Region):
        code = str(village or "").strip()
        village = Region.objects.filter(code=code).first() if re.fullmatch(r"\d{12}", code) else None
    if village is None or not scope_of(actor).covers_region_path(village.path):
        invalid("village", _("Unknown village code (or outside your scope)."))
    if village.level != Level.VILLAGE:
        invalid("village", _("%(name)s is a %(level)s, not a village.") % {
            "name": village.name, "level": village.get_level_display()})
    return village


def _next_number(village: Region) -> str:
    """户编号: the village code and a 4-digit sequence (451024100201 → 4510241002010001, …)."""
    last = Household.objects.filter(number__startswith=village.code, number__regex=rf"^{village.code}\d{{4}}$") \
        .aggregate(last=Max("number"))["last"]
    seq = int(last[len(village.code):]) + 1 if last else 1
    return f"{village.code}{seq:04d}"


def _person_elsewhere(actor, id_number: str, field: str, exclude_pk=None):
    """A person (by ID number) is a current member of one household only."""
    clash = Member.objects.filter(id_number=id_number, active=True).exclude(pk=exclude_pk) \
        .select_related("household").first()
    if clash is None:
        return
    if Household.objects.visible_to(actor).filter(pk=clash.household_id).exists():
        invalid(field, _("This person is already a member of household %(number)s; record a move instead.") % {
            "number": clash.household.number})
    invalid(field, _("This person is already a member of a household outside your scope."))


def refresh_household(household: Household):
    """Keep the head's name and the size in step with the current members."""
    current = household.members.filter(active=True)
    household.size = current.count()
    head = current.filter(relation=Relation.HEAD).first()
    household.head_name = head.name if head else ""
    household.save(update_fields=["size", "head_name", "updated"])


def _new_member(actor, household: Household, values: dict, field_prefix: str = "", reason: str = "") -> Member:
    _person_elsewhere(actor, values["id_number"], f"{field_prefix}id_number")
    member = Member(household=household, **values)
    member.name_initials = name_initials(member.name)
    place(member, household)
    _save(member, f"{field_prefix}id_number",
          _("This person is already a current member of a household (or the household has a head already)."))
    _log(actor, member, None, reason)
    return member


# --- households -----------------------------------------------------------------------------------------------------

@transaction.atomic
def create_household(actor, village, fields: dict, members: list[dict], reason: str = "") -> Household:
    """Register a household with its members, exactly one of them its head.

    A member is either a new person's values (`validation.MEMBER_FIELDS`) or `{"member": <Member>, "relation": …}`:
    a current member of another household moving into this new one (splitting a household, 分户), recorded as a move
    (with `moved_on` and `reason` if given).
    """
    require_may(actor, "household.change")
    village = _village(actor, village)
    errors = Errors()
    for field in WORKFLOW_FIELDS:
        if fields.get(field) not in (None, "", RiskStatus.NONE):
            errors.add(field, _("A household is registered unmonitored: its monitoring category and risk status are "
                                "set by the monitoring workflow (open a case)."))
    try:
        values = validation.clean_household(fields)
    except ValidationError as exc:
        errors.merge(exc.message_dict)
        values = {}
    if not members:
        errors.add("members", _("A household has at least one member, its head."))
    today = timezone.localdate()
    cleaned: list[dict] = []
    for i, data in enumerate(members or []):
        if "member" in data:
            cleaned.append(_incoming(actor, data, f"members.{i}.", errors))
        else:
            member_values, member_errors = validation.member_errors(data, today=today, prefix=f"members.{i}.")
            errors.merge(member_errors)
            cleaned.append(member_values)
    errors.raise_if_any()
    validation.check_members([m["values"] if "move" in m else m for m in cleaned])

    number = values.pop("number", None) or _next_number(village)
    if Household.objects.filter(number=number).exists():
        invalid("number", _("Household number %(number)s is taken.") % {"number": number})
    household = Household(village=village, number=number, county_code=village.county_code or "",
                          region_path=village.path, **values)
    _save(household, "number", _("Household number %(number)s is taken.") % {"number": number})
    _log(actor, household, None, reason)
    # The head first, so that the household has its head whatever else fails.
    order = sorted(range(len(cleaned)), key=lambda i: _relation_of(cleaned[i]) != Relation.HEAD)
    for i in order:
        entry = cleaned[i]
        if "move" in entry:
            _move(actor, entry["move"], household, entry["moved_on"], entry["reason"] or reason,
                  entry["values"]["relation"], refresh=False)
        else:
            _new_member(actor, household, entry, f"members.{i}.", reason)
    refresh_household(household)
    for entry in cleaned:
        if "move" in entry:
            refresh_household(Household.objects.get(pk=entry["move"].household_id))
    return household


def _relation_of(entry: dict) -> str:
    return entry["values"]["relation"] if "move" in entry else entry["relation"]


def _incoming(actor, data: dict, prefix: str, errors: Errors) -> dict:
    """A current member of another household joining the new one."""
    unknown = set(data) - {"member", "relation", "moved_on", "reason"}
    for key in sorted(unknown):
        errors.add(f"{prefix}{key}", _("Give only member, relation, moved_on and reason for a member moving in."))
    member = data["member"]
    member_pk = member.pk if isinstance(member, Member) else member
    member = Member.objects.visible_to(actor, "change").filter(pk=member_pk).select_related("household").first() \
        if isinstance(member_pk, int) else None
    if member is None or not member.active:
        errors.add(f"{prefix}member", _("Unknown current member (or outside your scope)."))
    local = Errors(prefix)
    relation = choice(local, "relation", data.get("relation"), Relation)
    moved_on = parse_date(local, "moved_on", data.get("moved_on"), required=False) \
        or timezone.localdate()
    if moved_on > timezone.localdate():
        local.add("moved_on", _("A move is recorded once it has happened (not after today)."))
    errors.merge(local)
    return {"move": member, "moved_on": moved_on, "reason": str(data.get("reason") or ""),
            "values": {"relation": relation, "id_number": member.id_number if member else None}}


@transaction.atomic
def update_household(actor, household: Household, changes: dict, reason: str = "") -> Household:
    """Change a household's own values, or move it to another village (its members and records follow).

    The monitoring category and risk status change through the monitoring workflow only.
    """
    require_may(actor, "household.change", household)
    changes = dict(changes)
    village = changes.pop("village", None)
    for field in WORKFLOW_FIELDS:
        if field in changes:
            given = validation.household_errors({field: changes.pop(field)}, partial=True)[0].get(field)
            if given != getattr(household, field):
                invalid(field, _("The monitoring category and risk status change through the monitoring workflow."))
    current = {f: getattr(household, f) for f in validation.HOUSEHOLD_FIELDS}
    values = validation.clean_household(changes, partial=True, current=current)
    if values.get("number") is None:
        values.pop("number", None)
    elif values["number"] != household.number and Household.objects.filter(number=values["number"]).exists():
        invalid("number", _("Household number %(number)s is taken.") % {"number": values["number"]})
    before = audit.snapshot(household)
    for field, value in values.items():
        setattr(household, field, value)
    if village is not None:
        village = _village(actor, village)
        if village.pk != household.village_id:
            household.village = village
            household.county_code = village.county_code or ""
            household.region_path = village.path
    _save(household, "number", _("Household number %(number)s is taken.") % {"number": household.number})
    if village is not None:
        _relocate(household)
    _log(actor, household, before, reason)
    return household


def _relocate(household: Household):
    """Rows kept per household carry its county and region path: they follow it to its new village."""
    moved = {"county_code": household.county_code, "region_path": household.region_path}
    for relation in ("members", "incomes", "conditions", "moves_out", "clues", "measures", "visits"):
        getattr(household, relation).update(**moved)
    from bangfu.households.models import Transition

    Transition.objects.filter(clue__household=household).update(**moved)


# --- members --------------------------------------------------------------------------------------------------------

@transaction.atomic
def add_member(actor, household: Household, data: dict, reason: str = "") -> Member:
    """A new person in a household (a birth, a marriage into it, …). A person already registered moves instead."""
    require_may(actor, "household.change", household)
    values = validation.clean_member(data)
    if values["relation"] == Relation.HEAD and household.members.filter(active=True, relation=Relation.HEAD).exists():
        invalid("relation", _("This household has a head already; change the head through the household."))
    member = _new_member(actor, household, values, reason=reason)
    refresh_household(household)
    return member


@transaction.atomic
def update_member(actor, member: Member, changes: dict, reason: str = "") -> Member:
    """Correct a current member's values. Who is head changes with `change_head`; a move with `move_member`."""
    require_may(actor, "household.change", member)
    if not member.active:
        invalid("member", _("This is the record of a former member; it is kept as it was."))
    current = {f: getattr(member, f) for f in validation.MEMBER_FIELDS}
    if "id_number" in changes and "sex" not in changes and "birth_date" not in changes:
        current.pop("sex")  # a corrected ID number brings its own sex and birth date
        current.pop("birth_date")
    values = validation.clean_member({**current, **changes})
    if (values["relation"] == Relation.HEAD) != (member.relation == Relation.HEAD):
        invalid("relation", _("Change the head of household through the household (one head at all times)."))
    if values["id_number"] != member.id_number:
        _person_elsewhere(actor, values["id_number"], "id_number", exclude_pk=member.pk)
    before = audit.snapshot(member)
    for field, value in values.items():
        setattr(member, field, value)
    member.name_initials = name_initials(member.name)
    _save(member, "id_number", _("This person is already a current member of a household."))
    _log(actor, member, before, reason)
    if "name" in changes and member.relation == Relation.HEAD:
        refresh_household(member.household)
    return member


@transaction.atomic
def change_head(actor, household: Household, new_head: Member, former_head_relation: str, reason: str = "") -> Member:
    """Make another current member the head; the former head takes the relation given."""
    require_may(actor, "household.change", household)
    if new_head.household_id != household.pk or not new_head.active:
        invalid("member", _("The new head must be a current member of this household."))
    if new_head.relation == Relation.HEAD:
        invalid("member", _("This member is the head already."))
    errors = Errors()
    relation = choice(errors, "former_head_relation", former_head_relation, Relation)
    if relation == Relation.HEAD:
        errors.add("former_head_relation", _("Give the former head's new relation to the new head."))
    errors.raise_if_any()
    old = household.members.filter(active=True, relation=Relation.HEAD).first()
    if old is not None:
        before = audit.snapshot(old)
        old.relation = relation
        old.save(update_fields=["relation"])
        _log(actor, old, before, reason)
    before = audit.snapshot(new_head)
    new_head.relation = Relation.HEAD
    new_head.save(update_fields=["relation"])
    _log(actor, new_head, before, reason)
    refresh_household(household)
    return new_head


@transaction.atomic
def move_member(actor, member: Member, to_household: Household | None, on: date, reason: str,
                relation: str | None = None) -> Member | None:
    """A person leaves a household: for another one (`relation` to its head), or the registry (to_household None:
    death, marriage out of the area, settling in a town…). The row in the old household is kept as history
    (active=False, left_on); a new row is made in the new household; a MemberMove records the move. Returns the new
    row, or None when the person left the registry."""
    require_may(actor, "household.change", member)
    errors = Errors()
    if not plain(reason):
        errors.add("reason", _("Give the reason for the move."))
    today = timezone.localdate()
    on = parse_date(errors, "on", on)
    if on and on > today:
        errors.add("on", _("A move is recorded once it has happened (not after today)."))
    if to_household is not None:
        require_may(actor, "household.change", to_household)
        relation = choice(errors, "relation", relation, Relation)
        if to_household.pk == member.household_id:
            errors.add("to_household", _("The person is a member of this household already."))
    errors.raise_if_any()
    if not member.active:
        invalid("member", _("This person left the household on %(date)s already.") % {"date": member.left_on})
    new = _move(actor, member, to_household, on, str(reason).strip(), relation)
    return new


def _move(actor, member: Member, to_household: Household | None, on: date, reason: str, relation: str | None,
          refresh: bool = True) -> Member | None:
    old_household = member.household
    if member.relation == Relation.HEAD and old_household.members.filter(active=True).exclude(pk=member.pk).exists():
        invalid("member", _("%(name)s is the head of a household with other members: make another member head "
                            "first.") % {"name": member.name})
    if to_household is not None and relation == Relation.HEAD and \
            to_household.members.filter(active=True, relation=Relation.HEAD).exists():
        invalid("relation", _("The household moved into has a head already."))
    before = audit.snapshot(member)
    member.active = False
    member.left_on = on
    member.save(update_fields=["active", "left_on"])
    _log(actor, member, before, reason)
    new = None
    if to_household is not None:
        new = Member(household=to_household, relation=relation,
                     **{f: getattr(member, f) for f in validation.MEMBER_FIELDS if f != "relation"})
        new.name_initials = member.name_initials
        place(new, to_household)
        _save(new, "relation", _("The household moved into has a head already."))
        _log(actor, new, None, reason)
    move = MemberMove(member=member, new_member=new, from_household=old_household, to_household=to_household,
                      moved_on=on, reason=plain(reason, 200),
                      actor=actor if actor and actor.is_authenticated else None)
    place(move, old_household)
    move.save()
    _log(actor, move, None, reason)
    if refresh:
        refresh_household(old_household)
        if to_household is not None:
            refresh_household(to_household)
    return new


# --- income and conditions ------------------------------------------------------------------------------------------

@transaction.atomic
def record_income(actor, household: Household, year, reason: str = "", members_counted=None, **items) -> Income:
    """Record (or correct) a household's income for a year and compute its per-capita net income.

    人均纯收入 = (wage + production + property income + transfer − production costs) ÷ members counted, where the
    members counted are those given, or else the household's current size when the income is entered.
    """
    require_may(actor, "household.change", household)
    values = validation.clean_income({"year": year, "members_counted": members_counted, **items})
    if values["members_counted"] is None:
        if household.size < 1:
            invalid("members_counted", _("The household has no current member: give the number of members "
                                         "counted."))
        values["members_counted"] = household.size
    income = Income.objects.filter(household=household, year=values["year"]).first()
    before = audit.snapshot(income) if income else None
    if income is None:
        income = Income(household=household)
    place(income, household)
    for field, value in values.items():
        setattr(income, field, value)
    income.per_capita = validation.per_capita(values, values["members_counted"])
    _save(income, "year", _("The income of this year is recorded already."))
    _log(actor, income, before, reason)
    return income


@transaction.atomic
def record_conditions(actor, household: Household, year, fields: dict, reason: str = "") -> Conditions:
    """Record (or correct) a household's 两不愁三保障 and drinking-water items for a year, with the evidence."""
    require_may(actor, "household.change", household)
    values = validation.clean_conditions({"year": year, **fields})
    conditions = Conditions.objects.filter(household=household, year=values["year"]).first()
    before = audit.snapshot(conditions) if conditions else None
    if conditions is None:
        conditions = Conditions(household=household)
    place(conditions, household)
    for field, value in values.items():
        setattr(conditions, field, value)
    _save(conditions, "year", _("The conditions of this year are recorded already."))
    _log(actor, conditions, before, reason)
    return conditions


# --- assistance measures and visits --------------------------------------------------------------------------------

MEASURE_FIELDS = ("kind", "description", "responsible_unit", "responsible_person", "start", "end", "outcome")


def _measure_values(data: dict, current: dict | None = None) -> dict:
    """A measure's values (all of them, the current ones completed by the changes), or a ValidationError naming each
    wrong field."""
    errors = Errors()
    for key in data:
        if key not in MEASURE_FIELDS:
            errors.add(key, _("Unknown field."))
    merged = {**(current or {}), **data}
    values = {
        "kind": choice(errors, "kind", merged.get("kind"), Measure.Kind),
        "description": parse_text(errors, "description", merged.get("description"), max_length=300,
                                             required=True),
        "responsible_unit": parse_text(errors, "responsible_unit", merged.get("responsible_unit"),
                                                  max_length=100, required=True),
        "responsible_person": parse_text(errors, "responsible_person", merged.get("responsible_person"),
                                                    max_length=50, required=True),
        "start": parse_date(errors, "start", merged.get("start")),
        "end": parse_date(errors, "end", merged.get("end"), required=False),
        "outcome": parse_text(errors, "outcome", merged.get("outcome"), max_length=5000),
    }
    if values["start"] and values["start"].year < validation.FIRST_YEAR:
        errors.add("start", _("No registry record is older than %(year)s.") % {"year": validation.FIRST_YEAR})
    if values["start"] and values["end"] and values["end"] < values["start"]:
        errors.add("end", _("A measure cannot end before it starts."))
    errors.raise_if_any()
    return values


@transaction.atomic
def add_measure(actor, household: Household, *, kind, description, responsible_unit, responsible_person, start,
                end=None, outcome="", reason: str = "") -> Measure:
    """An assistance measure (帮扶措施) for a monitored household: its kind, the unit and person responsible, its
    dates and (once known) its outcome."""
    require_may(actor, "household.change", household)
    values = _measure_values({"kind": kind, "description": description, "responsible_unit": responsible_unit,
                              "responsible_person": responsible_person, "start": start, "end": end,
                              "outcome": outcome})
    if household.risk_status != RiskStatus.MONITORED:
        invalid("household", _("Assistance measures are for monitored households; this household is not "
                               "monitored (%(status)s).") % {"status": household.get_risk_status_display()})
    measure = Measure(household=household, **values)
    place(measure, household)
    measure.save()
    _log(actor, measure, None, reason)
    return measure


@transaction.atomic
def update_measure(actor, measure: Measure, reason: str = "", **changes) -> Measure:
    """Change a measure: record its outcome, end it, or correct it (the end is never before the start)."""
    require_may(actor, "household.change", measure.household)
    current = {f: getattr(measure, f) for f in MEASURE_FIELDS}
    values = _measure_values(changes, current)
    before = audit.snapshot(measure)
    for field, value in values.items():
        setattr(measure, field, value)
    measure.save()
    _log(actor, measure, before, reason)
    return measure


@transaction.atomic
def add_visit(actor, household: Household, *, visited_on, visitor, notes, reason: str = "") -> Visit:
    """A visit to a household (走访): when, by whom, what was found. Recorded once it has happened."""
    require_may(actor, "household.change", household)
    errors = Errors()
    on = parse_date(errors, "visited_on", visited_on)
    if on and on > timezone.localdate():
        errors.add("visited_on", _("A visit is recorded once it has happened (not after today)."))
    elif on and on.year < validation.FIRST_YEAR:
        errors.add("visited_on", _("No registry record is older than %(year)s.") % {"year": validation.FIRST_YEAR})
    values = {"visited_on": on,
              "visitor": parse_text(errors, "visitor", visitor, max_length=50, required=True),
              "notes": parse_text(errors, "notes", notes, max_length=5000, required=True)}
    errors.raise_if_any()
    visit = Visit(household=household, **values)
    place(visit, household)
    visit.save()
    _log(actor, visit, None, reason)
    return visit


# --- monitoring lines -----------------------------------------------------------------------------------------------

@transaction.atomic
def save_monitoring_line(actor, fields: dict, line: MonitoringLine | None = None, reason: str = "") -> MonitoringLine:
    """Create a monitoring line (province, optionally one of its counties, and year), or change one."""
    require_may(actor, "monitoringline.change")
    values = validation.clean_monitoring_line(fields, partial=line is not None)
    merged = {f: getattr(line, f) for f in validation.LINE_FIELDS} if line else {}
    merged.update(values)
    province = Region.objects.filter(code=merged["province_code"], level=Level.PROVINCE).first()
    if province is None:
        invalid("province_code", _("%(code)s is no province code.") % {"code": merged["province_code"]})
    if merged.get("county_code"):
        county = Region.objects.filter(code=merged["county_code"], level=Level.COUNTY).first()
        if county is None or county.province_code != province.code:
            invalid("county_code", _("%(code)s is no county of %(province)s.") % {
                "code": merged["county_code"], "province": province.name})
    clash = MonitoringLine.objects.filter(province_code=merged["province_code"],
                                          county_code=merged.get("county_code", ""), year=merged["year"])
    if line is not None:
        clash = clash.exclude(pk=line.pk)
    if clash.exists():
        invalid("year", _("There is a monitoring line for this place and year already; change that one."))
    if line is not None:
        require_may(actor, "monitoringline.change", line)  # the line as it stands, and as it would be
    before = audit.snapshot(line) if line else None
    line = line or MonitoringLine()
    for field, value in merged.items():
        setattr(line, field, value)
    require_may(actor, "monitoringline.change", line)
    _save(line, "year", _("There is a monitoring line for this place and year already; change that one."))
    _log(actor, line, before, reason)
    return line


# --- personal data --------------------------------------------------------------------------------------------------

def reveal(actor, obj, field: str, reason: str = "") -> str:
    """The clear value of an ID or phone number, for one record: needs `personal.unmask` and the record in scope,
    and writes the access log."""
    allowed = tuple(getattr(obj, "personal_fields", {}))  # what the model declares personal
    if field not in allowed:
        invalid("field", _("One of: %(fields)s.") % {"fields": ", ".join(allowed)})
    require(actor, "personal.unmask")
    if not type(obj).objects.visible_to(actor).filter(pk=obj.pk).exists():
        raise PermissionDenied(_("%(object)s is outside your scope.") % {"object": obj})
    AccessLog.objects.create(actor=actor, content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk),
                             field=field, reason=plain(reason, 1000))
    return str(getattr(obj, field))

