"""The household registry's rules, through the services: ID numbers, consistency checks, one head, one household
per person, moves kept as history, per-capita income, monitoring lines, reveal and the access log, search."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bangfu.core.identity import check_char
from bangfu.core.models import AccessLog, ChangeLog
from bangfu.core.values import name_initials
from bangfu.households import services, validation
from bangfu.households.api.filters import household_q, member_q
from bangfu.households.models import Conditions, Household, Income, Member, MemberMove, MonitoringLine


def make_id(birth: str = "19700315", seq: str = "001", division: str = "451024") -> str:
    """A valid resident ID number: the third digit of `seq` odd for a man, even for a woman."""
    first17 = division + birth + seq
    return first17 + check_char(first17)


def years_ago(n: int) -> str:
    day = timezone.localdate()
    return f"{day.year - n:04d}0101"


def head(**extra):
    return {"name": "张三丰", "id_number": make_id("19700315", "011"), "relation": "head", "education": "junior",
            "labour_skill": "ordinary", "phone": "13812345678", **extra}


def spouse(**extra):
    return {"name": "李四妹", "id_number": make_id("19720420", "022"), "relation": "spouse", "education": "primary",
            "labour_skill": "ordinary", **extra}


def student(**extra):
    return {"name": "张小明", "id_number": make_id(years_ago(12), "031"), "relation": "child",
            "education": "primary", "schooling": "junior", "labour_skill": "none", **extra}


def register(world, user="debao", village=None, members=None, **fields):
    return services.create_household(world.users[user], village or world.village,
                                     {"household_type": "lifted", "phone": "13800001111", **fields},
                                     members if members is not None else [head(), spouse(), student()])


def counts():
    return Household.objects.count(), Member.objects.count(), ChangeLog.objects.count()


def refused(world, field, members=None, user="debao", **fields):
    """The registration is refused naming `field`, and nothing is written."""
    before = counts()
    with pytest.raises(ValidationError) as caught:
        register(world, user=user, members=members, **fields)
    assert field in caught.value.message_dict, caught.value.message_dict
    assert counts() == before
    return caught.value.message_dict[field]


@pytest.fixture(autouse=True)
def english():
    """Messages are checked in English, whatever language the catalogue is in."""
    with translation.override("en"):
        yield


@pytest.fixture
def household(world):
    return register(world)


# --- ID numbers and personal values ---------------------------------------------------------------------------------

def test_valid_household_is_registered(world, household):
    assert household.size == 3 and household.head_name == "张三丰"
    assert household.number == "4510241002010001"
    assert household.county_code == "451024" and household.region_path == world.village.path
    people = {m.name: m for m in household.members.all()}
    zsf = people["张三丰"]
    assert (zsf.sex, zsf.birth_date, zsf.name_initials) == ("male", date(1970, 3, 15), "zsf")
    assert people["李四妹"].sex == "female"  # read from the ID number
    assert {m.region_path for m in people.values()} == {world.village.path}
    assert {m.county_code for m in people.values()} == {"451024"}
    assert register(world, members=[head(id_number=make_id("19800101", "051"))]).number == "4510241002010002"


def test_change_log_masks_personal_numbers(world, household):
    entries = ChangeLog.objects.filter(content_type__model="member", action="create")
    assert entries.count() == 3
    for entry in entries:
        assert "********" in entry.after["id_number"]
        assert entry.actor_name == "debao" and entry.region_path == world.village.path
    entry = ChangeLog.objects.get(content_type__model="household", action="create")
    assert entry.after["phone"] == "138****1111"


def test_fullwidth_and_lowercase_x_are_normalised(world):
    number = make_id("19880808", "123")
    if not number.endswith("X"):
        for seq in range(100, 999):
            number = make_id("19880808", f"{seq:03d}")
            if number.endswith("X"):
                break
    values = validation.clean_member({**head(), "id_number": " " + number[:-1].translate(
        str.maketrans("0123456789", "０１２３４５６７８９")) + "x"})
    assert values["id_number"] == number


@pytest.mark.parametrize("bad, words", [
    (make_id()[:-1] + str((int(make_id()[-1]) + 1) % 10) if make_id()[-1] != "X" else make_id()[:-1] + "0",
     "check digit"),
    ("45102419901301" + "001" + check_char("45102419901301001"), "birth date"),
    ("000000" + "19900101001" + check_char("00000019900101001"), "division code"),
    ("4510241990010100", "17 digits"),
    ("45102419900101001A", "17 digits"),
    (make_id(f"{timezone.localdate().year + 1}0101"), "impossible"),
])
def test_invalid_id_numbers_are_refused(world, bad, words):
    messages = refused(world, "members.0.id_number", members=[head(id_number=bad)])
    assert words in " ".join(messages)
    assert bad not in " ".join(messages)  # messages never repeat the number in the clear


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(birth=st.dates(date(1930, 1, 1), date(2020, 12, 31)), seq=st.integers(0, 999), position=st.integers(0, 17),
       delta=st.integers(1, 9))
def test_any_single_character_error_is_caught(birth, seq, position, delta):
    """MOD 11-2 catches every substitution of one character; the checks before it catch the rest."""
    number = make_id(f"{birth:%Y%m%d}", f"{seq:03d}")
    assert validation.clean_member(head(id_number=number))["birth_date"] == birth
    digits = "0123456789X" if position == 17 else "0123456789"
    wrong = number[:position] + digits[(digits.index(number[position]) + delta) % len(digits)] + number[position + 1:]
    with pytest.raises(ValidationError) as caught:
        validation.clean_member(head(id_number=wrong))
    assert "id_number" in caught.value.message_dict


def test_sex_and_birth_date_must_agree_with_the_id_number(world):
    assert "male" in refused(world, "members.0.sex", members=[head(sex="female")])[0]
    assert "1970-03-15" in refused(world, "members.0.birth_date", members=[head(birth_date="1971-03-15")])[0]
    values = validation.clean_member(head(sex="男", birth_date="1970/03/15"))
    assert (values["sex"], values["birth_date"]) == ("male", date(1970, 3, 15))


def test_other_id_types_need_sex_and_birth_date(world):
    with pytest.raises(ValidationError) as caught:
        validation.clean_member(head(id_type="other", id_number="E12345678"))
    assert {"sex", "birth_date"} <= set(caught.value.message_dict)
    values = validation.clean_member(head(id_type="其他", id_number="e12345678", sex="male", birth_date="1970-03-15"))
    assert values["id_number"] == "E12345678"


def test_student_has_no_labour_capacity(world):
    messages = refused(world, "members.2.labour_skill", members=[head(), spouse(), student(labour_skill="ordinary")])
    assert "student" in messages[0]
    # Preschool is not school: the rule does not apply.
    validation.clean_member(student(schooling="preschool", labour_skill="weak"))


def test_postgraduate_is_at_least_twenty(world):
    young = {"name": "张博", "id_number": make_id(years_ago(19), "071"), "relation": "child",
             "education": "bachelor", "schooling": "postgraduate", "labour_skill": "none"}
    assert "20" in refused(world, "members.1.schooling", members=[head(), young])[0]
    refused(world, "members.1.education", members=[head(), {**young, "education": "postgraduate",
                                                            "schooling": "none", "labour_skill": "ordinary"}])
    old_enough = {**young, "id_number": make_id(years_ago(21), "071")}
    assert register(world, members=[head(), old_enough]).size == 2


def test_values_are_checked_and_chinese_names_accepted(world):
    refused(world, "members.0.work_months", members=[head(work_months=13)])
    refused(world, "members.0.relation", members=[head(relation="boss")])
    refused(world, "members.0.phone", members=[head(phone="12345")])
    refused(world, "members.0.name", members=[head(name="")])
    refused(world, "members.0.nickname", members=[head(nickname="三哥")])
    refused(world, "household_type", household_type="rich")
    refused(world, "land_area", land_area="-1")
    values = validation.clean_member({**head(), "relation": "户主", "education": "初中", "labour_skill": "普通劳动力",
                                      "employment_channel": "省外务工", "work_months": "10", "medical_insured": "是"})
    assert (values["relation"], values["education"], values["labour_skill"]) == ("head", "junior", "ordinary")
    assert (values["employment_channel"], values["work_months"], values["medical_insured"]) == \
        ("out_of_province", 10, True)


def test_errors_of_every_field_are_given_at_once(world):
    with pytest.raises(ValidationError) as caught:
        validation.clean_member(head(relation="x", work_months=-1, education="", labour_skill="y"))
    assert {"relation", "work_months", "education", "labour_skill"} <= set(caught.value.message_dict)


# --- heads and people -----------------------------------------------------------------------------------------------

def test_exactly_one_head(world, household):
    assert "0" in refused(world, "members", members=[spouse()])[0]
    assert "2" in refused(world, "members", members=[head(), spouse(relation="head")])[0]
    refused(world, "members", members=[])
    before = counts()
    with pytest.raises(ValidationError) as caught:
        services.add_member(world.users["debao"], household, {**spouse(), "id_number": make_id("19500101", "041"),
                                                               "name": "王五", "relation": "head"})
    assert "relation" in caught.value.message_dict and counts() == before
    with pytest.raises(IntegrityError), transaction.atomic():
        Member.objects.create(household=household, name="x", id_number=make_id("19600101", "091"), relation="head",
                              sex="male", birth_date=date(1960, 1, 1), education="primary", labour_skill="weak")


def test_a_person_is_a_current_member_of_one_household_only(world, household):
    messages = refused(world, "members.0.id_number", members=[head(name="张三")])
    assert household.number in messages[0]
    refused(world, "members.1.id_number", members=[head(id_number=make_id("19800101", "051")),
                                                   spouse(id_number=make_id("19700315", "011"))])
    # The same number twice in one registration.
    refused(world, "members.1.id_number", members=[head(id_number=make_id("19800101", "051")),
                                                   spouse(id_number=make_id("19800101", "051"))])
    with pytest.raises(ValidationError) as caught:
        services.add_member(world.users["debao"], household, spouse())
    assert "id_number" in caught.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        Member.objects.create(household=household, name="x", id_number=make_id("19720420", "022"), relation="child",
                              sex="female", birth_date=date(1972, 4, 20), education="primary", labour_skill="weak")


def test_a_person_registered_outside_the_scope_is_not_named(world):
    services.create_household(world.users["shanwei"], world.sw_village, {"household_type": "ordinary"},
                              [head(id_number=make_id("19650101", "011", "441581"))])
    messages = refused(world, "members.0.id_number", members=[head(id_number=make_id("19650101", "011", "441581"))])
    assert "outside your scope" in messages[0] and "44158" not in messages[0]


def test_add_and_update_member(world, household):
    debao = world.users["debao"]
    baby = services.add_member(debao, household, {"name": "张小小", "id_number": make_id(years_ago(1), "062"),
                                                  "relation": "之孙女", "education": "学龄前儿童",
                                                  "labour_skill": "无劳动力"}, reason="出生")
    household.refresh_from_db()
    assert household.size == 4 and baby.sex == "female" and baby.name_initials == "zxx"
    updated = services.update_member(debao, baby, {"name": "张晓晓"}, reason="更正")
    assert updated.name_initials == "zxx"
    entry = ChangeLog.objects.filter(object_id=str(baby.pk), action="update").get()
    assert entry.before["name"] == "张小小" and entry.reason == "更正"
    zsf = household.members.get(relation="head")
    services.update_member(debao, zsf, {"name": "张三峰"})
    household.refresh_from_db()
    assert household.head_name == "张三峰"
    with pytest.raises(ValidationError) as caught:
        services.update_member(debao, zsf, {"relation": "spouse"})
    assert "relation" in caught.value.message_dict
    # A corrected ID number brings its own birth date and sex.
    fixed = services.update_member(debao, baby, {"id_number": make_id(years_ago(1), "071")})
    assert fixed.sex == "male"


def test_change_head(world, household):
    wife = household.members.get(relation="spouse")
    services.change_head(world.users["debao"], household, wife, "spouse", reason="户主变更")
    household.refresh_from_db()
    assert household.head_name == "李四妹"
    assert household.members.get(name="张三丰").relation == "spouse"
    with pytest.raises(ValidationError):
        services.change_head(world.users["debao"], household, wife, "spouse")


# --- moves ----------------------------------------------------------------------------------------------------------

def test_move_is_recorded_and_history_kept(world, household):
    debao = world.users["debao"]
    other = register(world, village=world.village2, members=[head(name="王五", id_number=make_id("19750101", "051"))])
    child = household.members.get(name="张小明")
    on = timezone.localdate() - timedelta(days=3)
    new = services.move_member(debao, child, other, on, "随亲属迁入", relation="grandchild")
    child.refresh_from_db()
    assert (child.active, child.left_on, child.household_id) == (False, on, household.pk)
    assert (new.household_id, new.relation, new.active, new.id_number) == (other.pk, "grandchild", True,
                                                                          child.id_number)
    assert new.region_path == world.village2.path and new.name_initials == "zxm"
    move = MemberMove.objects.get()
    assert (move.member, move.new_member, move.from_household, move.to_household, move.actor) == \
        (child, new, household, other, debao)
    household.refresh_from_db()
    other.refresh_from_db()
    assert (household.size, other.size) == (2, 2)
    assert Member.objects.filter(id_number=child.id_number).count() == 2  # nothing overwritten
    with pytest.raises(ValidationError):
        services.move_member(debao, child, other, on, "again", relation="child")


def test_moves_refused(world, household):
    debao = world.users["debao"]
    zsf = household.members.get(relation="head")
    today = timezone.localdate()
    with pytest.raises(ValidationError) as caught:
        services.move_member(debao, zsf, None, today, "迁出")
    assert "member" in caught.value.message_dict  # the head of a household with other members
    child = household.members.get(name="张小明")
    for args, field in [((None, today + timedelta(days=1), "迁出"), "on"), ((None, today, " "), "reason"),
                        ((household, today, "x", "child"), "to_household")]:
        with pytest.raises(ValidationError) as caught:
            services.move_member(debao, child, *args)
        assert field in caught.value.message_dict
    other = register(world, members=[head(name="王五", id_number=make_id("19750101", "051"))])
    with pytest.raises(ValidationError) as caught:
        services.move_member(debao, child, other, today, "x", relation="head")
    assert "relation" in caught.value.message_dict
    sw = services.create_household(world.users["shanwei"], world.sw_village, {"household_type": "ordinary"},
                                   [head(id_number=make_id("19650101", "011", "441581"))])
    with pytest.raises(PermissionDenied):
        services.move_member(debao, child, sw, today, "x", relation="child")
    assert MemberMove.objects.count() == 0


def test_leaving_the_registry_and_splitting_a_household(world, household):
    debao = world.users["debao"]
    today = timezone.localdate()
    wife = household.members.get(relation="spouse")
    assert services.move_member(debao, wife, None, today, "死亡") is None
    household.refresh_from_db()
    assert household.size == 2 and MemberMove.objects.get().to_household is None
    child = household.members.get(name="张小明", active=True)
    split = services.create_household(debao, world.village2.code, {"household_type": "一般农户"},
                                      [{"member": child, "relation": "head", "reason": "分户"}])
    household.refresh_from_db()
    assert split.size == 1 and split.head_name == "张小明" and household.size == 1
    move = MemberMove.objects.get(to_household=split)
    assert move.from_household == household and move.reason == "分户"


# --- households -----------------------------------------------------------------------------------------------------

def test_update_household_and_its_village(world, household):
    debao = world.users["debao"]
    services.record_income(debao, household, 2024, wage=10000)
    services.update_household(debao, household, {"address": "那温屯12号", "housing_grade": "B"}, reason="核实")
    household.refresh_from_db()
    assert household.address == "那温屯12号" and household.housing_grade == "B"
    services.update_household(debao, household, {"village": world.village2.code})
    assert set(Member.objects.values_list("region_path", flat=True)) == {world.village2.path}
    assert Income.objects.get().region_path == world.village2.path
    for changes, field in [({"monitoring_category": "sudden"}, "monitoring_category"),
                           ({"housing_grade": "E"}, "housing_grade"), ({"village": world.sw_village.code}, "village"),
                           ({"village": world.township.code}, "village")]:
        with pytest.raises(ValidationError) as caught:
            services.update_household(debao, household, changes)
        assert field in caught.value.message_dict


def test_registering_cannot_set_what_the_monitoring_workflow_decides(world):
    """Only the workflow's county approval makes a monitoring object: a registration that names a monitoring
    category or a risk status is refused, naming the field, and writes nothing."""
    for fields in ({"monitoring_category": "unstable", "risk_status": "monitored"},
                   {"monitoring_category": "脱贫不稳定户"}, {"risk_status": "eliminated"}):
        for field in fields:
            assert "monitoring workflow" in refused(world, field, **fields)[0]
    plain = register(world, risk_status="none", monitoring_category="")
    assert (plain.risk_status, plain.monitoring_category) == ("none", "")


def test_who_may_register(world):
    for user, village in [("nanshan", world.village), ("auditor", world.village), ("sz", world.village)]:
        with pytest.raises(PermissionDenied):
            register(world, user=user, village=village)
    refused(world, "village", user="shanwei")  # 德保's village: outside 汕尾's scope
    refused(world, "village", village=world.township)
    assert Household.objects.count() == 0


# --- income and conditions ------------------------------------------------------------------------------------------

def test_per_capita_net_income(world, household):
    debao = world.users["debao"]
    income = services.record_income(debao, household, 2024, wage="20000", production=8000, property_income=500,
                                    transfer="3000.50", production_cost=2000, rigid_medical=1200)
    assert income.members_counted == 3  # the household's size when entered
    assert income.per_capita == Decimal("9833.50")  # (20000+8000+500+3000.50−2000) / 3
    again = services.record_income(debao, household, 2024, wage=20000, members_counted=4, reason="更正")
    assert again.pk == income.pk and again.per_capita == Decimal("5000.00") and Income.objects.count() == 1
    assert ChangeLog.objects.filter(object_id=str(income.pk), content_type__model="income").count() == 2
    loss = services.record_income(debao, household, 2023, production=1000, production_cost=4000)
    assert loss.per_capita == Decimal("-1000.00")  # a loss is a fact, not an error
    for kwargs, field in [({"wage": -1}, "wage"), ({"transfer": "abc"}, "transfer"), ({"wage": "1.234"}, "wage"),
                          ({"members_counted": 0}, "members_counted"), ({"bonus": 1}, "bonus")]:
        with pytest.raises(ValidationError) as caught:
            services.record_income(debao, household, 2022, **kwargs)
        assert field in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.record_income(debao, household, timezone.localdate().year + 1, wage=1)
    assert "year" in caught.value.message_dict


def test_conditions(world, household):
    debao = world.users["debao"]
    conditions = services.record_conditions(debao, household, 2024, {
        "housing_grade": "C", "water_quantity": False, "evidence": "2024年3月入户核查"})
    assert conditions.failures() == ["housing", "water_quantity"]
    again = services.record_conditions(debao, household, 2024, {"housing_grade": "B"})
    assert again.pk == conditions.pk and again.failures() == [] and Conditions.objects.count() == 1
    with pytest.raises(ValidationError) as caught:
        services.record_conditions(debao, household, 2024, {"housing_grade": ""})
    assert "housing_grade" in caught.value.message_dict
    with pytest.raises(PermissionDenied):
        services.record_conditions(world.users["nanshan"], household, 2024, {"housing_grade": "A"})


def test_monitoring_lines(world):
    sz = world.users["sz"]
    line = services.save_monitoring_line(sz, {"province_code": "450000", "year": 2024, "amount": "8000"})
    assert (line.publicity_days, line.clue_deadline_days, line.income_fall_share) == (5, 15, Decimal("0.30"))
    county = services.save_monitoring_line(sz, {"province_code": "450000", "county_code": "451024", "year": 2024,
                                                "amount": "8200"})
    assert county.county_code == "451024"
    services.save_monitoring_line(sz, {"amount": "8100"}, line=line, reason="调整")
    line.refresh_from_db()
    assert line.amount == Decimal("8100.00")
    for fields, field in [({"province_code": "450100"}, "province_code"), ({"county_code": "441581"}, "county_code"),
                          ({"amount": "0"}, "amount"), ({"publicity_days": 3}, "publicity_days"),
                          ({"income_fall_share": "1.5"}, "income_fall_share"), ({}, "year")]:
        with pytest.raises(ValidationError) as caught:
            services.save_monitoring_line(sz, {"province_code": "450000", "year": 2024, "amount": "8000", **fields})
        assert field in caught.value.message_dict, (fields, caught.value.message_dict)
    for user in ("debao", "nanshan", "auditor"):
        with pytest.raises(PermissionDenied):
            services.save_monitoring_line(world.users[user], {"province_code": "450000", "year": 2025, "amount": 1})
    assert MonitoringLine.objects.count() == 2


# --- reveal and search ----------------------------------------------------------------------------------------------

def test_reveal_needs_the_permission_and_is_logged(world, household):
    zsf = household.members.get(relation="head")
    assert services.reveal(world.users["debao"], zsf, "id_number", reason="核对身份") == zsf.id_number
    assert services.reveal(world.users["debao"], household, "phone") == "13800001111"
    entries = list(AccessLog.objects.order_by("id"))
    assert [(e.actor.username, e.object_id, e.field) for e in entries] == [
        ("debao", str(zsf.pk), "id_number"), ("debao", str(household.pk), "phone")]
    assert entries[0].reason == "核对身份"
    for user in ("nanshan", "auditor", "shanwei", "public"):
        with pytest.raises(PermissionDenied):
            services.reveal(world.users[user], zsf, "id_number")
    with pytest.raises(ValidationError):
        services.reveal(world.users["debao"], household, "id_number")
    assert AccessLog.objects.count() == 2
    with pytest.raises(ValidationError):
        entries[0].save()


def test_search(world, household):
    register(world, members=[head(name="赵四", id_number=make_id("19750101", "051"))])
    people = Member.objects.filter(active=True)

    def names(q):
        return sorted(people.filter(member_q(q)).values_list("name", flat=True))

    assert names("张") == ["张三丰", "张小明"]
    assert names("zsf") == ["张三丰"] and names("ZX") == ["张小明"] and names("zs") == ["张三丰", "赵四"]
    assert names(make_id("19700315", "011")[-4:]) == ["张三丰"]
    assert names(make_id("19720420", "022")[-6:]) == ["李四妹"]
    assert names(make_id("19700315", "011")) == ["张三丰"]
    assert names(household.number) == ["张三丰", "张小明", "李四妹"]
    assert list(Household.objects.filter(household_q("zx")).values_list("pk", flat=True)) == [household.pk]
    assert Household.objects.filter(household_q("4510241002010002")).count() == 1
    assert name_initials("张三丰") == "zsf"
    assert name_initials("阿卜杜·热合曼") == "abdrhm"
