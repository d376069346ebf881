"""Personal data in the change log: the ID and phone numbers a model declares (`personal_fields`) are masked in every
entry (before, after, the object's name, the reason), on every path that writes one (services, the bulk import), and
on the pages that show the log; the data migrations mask the entries stored before."""

import importlib
import json
import re
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connection, transaction
from django.test import Client

from bangfu.core.identity import check_char, mask_id, mask_phone
from bangfu.core.importing import import_file, undo
from bangfu.core.models import ChangeLog
from bangfu.households.models import Household, Member
from bangfu.labor.models import Laborer, Station, StationStaff
from bangfu.pairing.models import Pairing

FULL_ID = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")
FULL_MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")

ID_NUMBER = "45102419880808091" + check_char("45102419880808091")  # …0915
HOUSEHOLD_PHONE = "13812345678"
MEMBER_PHONE, MEMBER_PHONE_NEW = "13923456781", "13923450000"
LABORER_PHONE, LABORER_PHONE_NEW = "15011112222", "15033334444"
STATION_PHONE, STAFF_PHONE = "0776-3821234", "18655556666"
CLEAR = [ID_NUMBER, HOUSEHOLD_PHONE, MEMBER_PHONE, MEMBER_PHONE_NEW, LABORER_PHONE, LABORER_PHONE_NEW, STATION_PHONE,
         STAFF_PHONE]


def test_every_model_with_an_id_or_phone_number_declares_it():
    declared = {}
    for model in apps.get_models():
        names = {f.attname for f in model._meta.concrete_fields if re.search(r"phone|id_number|mobile", f.attname)}
        if names:
            declared[model._meta.label] = (names, set(getattr(model, "personal_fields", {})))
    assert {label: names for label, (names, _declared) in declared.items()} == {
        "households.Household": {"phone"}, "households.Member": {"id_number", "phone"},
        "labor.Station": {"phone"}, "labor.StationStaff": {"phone"}, "labor.Laborer": {"phone"}}
    assert all(names <= personal for names, personal in declared.values()), declared
    # The birth date is the middle of the ID number: declared too, where a person's row has one.
    assert Member.personal_fields == {"id_number": "id_number", "phone": "phone", "birth_date": "birth_date"}
    assert Laborer.personal_fields == {"phone": "phone", "birth_date": "birth_date"}


@pytest.fixture
def written(world, api_as):
    """A household, its member, a laborer and a station, created and changed through the API as 德保县."""
    debao = api_as("debao")
    status, body = debao.post("/api/v1/households", {
        "village": world.village.code, "household_type": "lifted", "phone": HOUSEHOLD_PHONE,
        "reason": f"新识别，户电话 {HOUSEHOLD_PHONE}",
        "members": [{"name": "黄七", "id_number": ID_NUMBER, "relation": "head", "education": "junior",
                     "labour_skill": "ordinary", "phone": MEMBER_PHONE}]})
    assert status == 201, body
    household = Household.objects.get(pk=body["id"])
    member = household.members.get()
    assert (household.phone, member.id_number, member.phone) == (HOUSEHOLD_PHONE, ID_NUMBER, MEMBER_PHONE)
    status, body = debao.patch(f"/api/v1/members/{member.pk}", {"phone": MEMBER_PHONE_NEW,
                                                                "reason": f"本人电话 {MEMBER_PHONE} 停用"})
    assert status == 200, body
    status, body = debao.post("/api/v1/labor/laborers", {"member": member.pk, "phone": LABORER_PHONE,
                                                        "on": "2024-03-01"})
    assert status == 201, body
    laborer = Laborer.objects.get(pk=body["id"])
    status, body = debao.patch(f"/api/v1/labor/laborers/{laborer.pk}", {"phone": LABORER_PHONE_NEW,
                                                                        "reason": f"电话改为{LABORER_PHONE_NEW}"})
    assert status == 200 and body["phone"] == mask_phone(LABORER_PHONE_NEW), body
    status, body = debao.post("/api/v1/labor/stations", {"name": "德保县劳务服务站", "region": "451024",
                                                         "phone": STATION_PHONE})
    assert status == 201, body
    status, body = debao.post(f"/api/v1/labor/stations/{body['id']}/staff", {"name": "韦站长", "role": "站长",
                                                                             "phone": STAFF_PHONE})
    assert status == 201, body
    assert Laborer.objects.get().phone == LABORER_PHONE_NEW and Station.objects.get().phone == STATION_PHONE
    assert StationStaff.objects.get().phone == STAFF_PHONE
    return SimpleNamespace(household=household, member=member, laborer=laborer, station=Station.objects.get())


def assert_no_clear_value(text: str):
    for value in CLEAR:
        assert value not in text, (value, text[:500])
    assert not FULL_ID.search(text) and not FULL_MOBILE.search(text), text[:500]


def entries_of(obj):
    return ChangeLog.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))


def test_no_change_log_entry_holds_a_clear_id_or_phone_number(written):
    entries = list(ChangeLog.objects.all())
    assert len(entries) >= 6
    for entry in entries:
        assert_no_clear_value(json.dumps([entry.before, entry.after, entry.object_repr, entry.reason],
                                         ensure_ascii=False))
    # The changes are logged all the same, masked as the pages show them.
    created = entries_of(written.household).get(action="create")
    assert created.after["phone"] == "138****5678" and created.reason == "新识别，户电话 138****5678"
    member = entries_of(written.member).get(action="update")
    assert (member.before["phone"], member.after["phone"]) == ("139****6781", "139****0000")
    assert member.after["id_number"] == mask_id(ID_NUMBER) == "451024********0915"
    assert member.reason == "本人电话 139****6781 停用"
    laborer = entries_of(written.laborer).filter(action="update").latest("id")
    assert (laborer.before["phone"], laborer.after["phone"]) == ("150****2222", "150****4444")
    assert laborer.reason == "电话改为150****4444"
    assert entries_of(written.station).get(action="create").after["phone"] == "077*****1234"


def test_record_masks_values_given_directly_and_the_object_name(world):
    from bangfu.core import audit

    household = Household.objects.create(number="4510241002010001", village=world.village, household_type="lifted",
                                         county_code="451024", region_path=world.village.path, phone=HOUSEHOLD_PHONE,
                                         head_name=f"黄七{STATION_PHONE}")  # as if a name could carry a number
    audit.record(None, "update", household, before={"phone": MEMBER_PHONE, "land_area": "1.00"},
                 after={"phone": HOUSEHOLD_PHONE, "land_area": "2.00"}, reason=f"{MEMBER_PHONE}→{HOUSEHOLD_PHONE}")
    audit.record_many(None, "update", [(household, {"phone": HOUSEHOLD_PHONE}, {"phone": MEMBER_PHONE})])
    one, many = ChangeLog.objects.order_by("id")
    assert one.before == {"phone": "139****6781", "land_area": "1.00"}
    assert one.after == {"phone": "138****5678", "land_area": "2.00"}
    assert one.reason == "139****6781→138****5678"
    # The household number, digits too, is left alone.
    assert one.object_repr == f"4510241002010001 黄七{STATION_PHONE}"
    assert (many.before, many.after) == ({"phone": "138****5678"}, {"phone": "139****6781"})


@pytest.mark.parametrize("username", ["sz", "auditor"])
def test_the_change_log_pages_show_no_clear_number(written, world, username):
    client = Client()
    client.force_login(world.users[username])
    entries = ChangeLog.objects.visible_to(world.users[username])
    shown = set(entries.values_list("pk", flat=True))
    # Both see the entries of the laborer and of the member (else this test would prove nothing).
    assert set(entries_of(written.laborer).values_list("pk", flat=True)) <= shown
    assert set(entries_of(written.member).values_list("pk", flat=True)) <= shown
    for url in ["/changelog/", "/", *(f"/changelog/{pk}/" for pk in shown)]:  # the home page lists recent ones
        response = client.get(url)
        assert response.status_code == 200, url
        assert_no_clear_value(response.content.decode())
    # The changes are shown all the same, masked.
    detail = client.get(f"/changelog/{entries_of(written.laborer).latest('id').pk}/").content.decode()
    assert "150****2222" in detail and "150****4444" in detail
    listing = client.get("/changelog/").content.decode()
    assert "黄七" in listing and "电话改为150****4444" in listing and "本人电话 139****6781 停用" in listing


HEADERS = ["户编号", "村代码", "户类型", "耕地面积", "姓名", "身份证号码", "与户主的关系", "文化程度", "劳动技能",
           "家庭联系电话", "联系电话"]


def test_an_import_logs_masked_numbers_and_its_undo_writes_no_mask_back(world, tmp_path):
    def import_rows(land, household_phone, phone):
        path = tmp_path / "households.csv"
        values = ["A001", world.village.code, "脱贫户", land, "王大", ID_NUMBER, "户主", "初中", "普通劳动力",
                  household_phone, phone]
        path.write_text(",".join(HEADERS) + "\n" + ",".join(values) + "\n", encoding="utf-8")
        result = import_file("households", path, user=world.users["debao"])
        assert result.exit_code == 0, result.problems
        return result

    import_rows("2.5", HOUSEHOLD_PHONE, MEMBER_PHONE)
    second = import_rows("7", STAFF_PHONE, MEMBER_PHONE_NEW)
    assert second.written == {"households updated": 1, "members updated": 1}
    updates = ChangeLog.objects.filter(reason=f"import batch {second.batch_id}")
    assert {e.content_type.model: [e.before, e.after] for e in updates} == {
        "household": [{"land_area": "2.50", "phone": "138****5678"}, {"land_area": "7.00", "phone": "186****6666"}],
        "member": [{"phone": "139****6781"}, {"phone": "139****0000"}]}
    for entry in ChangeLog.objects.all():
        assert_no_clear_value(json.dumps([entry.before, entry.after, entry.object_repr, entry.reason]))
    # The log cannot give the replaced numbers back: undo restores the rest and leaves them as imported.
    assert undo(second.batch_id, user=world.users["debao"]) == {
        "members removed": 0, "households removed": 0, "rows restored": 1, "personal values left as imported": 2}
    household, member = Household.objects.get(), Member.objects.get()
    assert household.land_area == 2.5 and household.phone == STAFF_PHONE and member.phone == MEMBER_PHONE_NEW


# --- the data migrations ----------------------------------------------------------------------------------------

MIGRATIONS = ["bangfu.households.migrations.0005_mask_personal_data_in_change_log",
              "bangfu.labor.migrations.0002_mask_personal_data_in_change_log"]


def stored(obj, before, after, object_repr, reason):
    """An entry as the log stored it before masking (written past core.audit)."""
    return ChangeLog.objects.create(actor_name="debao", action="update", via="api",
                                    content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk),
                                    object_repr=object_repr, before=before, after=after, reason=reason)


def blocks_update(entry) -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE core_changelog SET reason = 'x' WHERE id = %s", [entry.pk])
    except DatabaseError:
        return True
    return False


def test_the_data_migrations_mask_what_is_stored_and_keep_the_log_append_only(written, world):
    if connection.vendor == "sqlite":  # core migration 0002 gives SQLite none; stand in for one that might
        with connection.cursor() as cursor:
            cursor.execute("CREATE TRIGGER core_changelog_append_only BEFORE UPDATE ON core_changelog "
                           "BEGIN SELECT RAISE(ABORT, 'core_changelog is append-only'); END")
    member, laborer, station = written.member, written.laborer, written.station
    old_member = stored(member, {"id_number": ID_NUMBER, "phone": MEMBER_PHONE, "name": "黄七"},
                        {"id_number": ID_NUMBER, "phone": MEMBER_PHONE_NEW, "name": "黄七"},
                        f"黄七 {ID_NUMBER}", f"电话 {MEMBER_PHONE} 改为 {MEMBER_PHONE_NEW}")
    old_household = stored(written.household, None, {"phone": HOUSEHOLD_PHONE, "size": 1}, "A001 黄七", "")
    old_laborer = stored(laborer, {"phone": LABORER_PHONE}, {"phone": LABORER_PHONE_NEW}, "黄七", "")
    old_station = stored(station, None, {"phone": STATION_PHONE, "name": "站"}, "站", f"{STATION_PHONE}")
    old_staff = stored(station, None, None, "站", f"staff added: 韦站长 {STAFF_PHONE}")  # a mobile in the reason
    pairing = Pairing.objects.first()
    other = stored(pairing, {"phone": HOUSEHOLD_PHONE}, None, "p", "")  # no personal fields declared: left alone
    assert blocks_update(old_member)
    # What the migrations run, with the test's connection: SQLite's schema editor cannot open inside the test's
    # transaction, and the migrations use only its connection.
    for name in MIGRATIONS:
        importlib.import_module(name).forwards(apps, SimpleNamespace(connection=connection))
    for entry in (old_member, old_household, old_laborer, old_station, old_staff, other):
        entry.refresh_from_db()
    assert old_member.before == {"id_number": "451024********0915", "phone": "139****6781", "name": "黄七"}
    assert old_member.after == {"id_number": "451024********0915", "phone": "139****0000", "name": "黄七"}
    assert old_member.object_repr == "黄七 451024********0915"
    assert old_member.reason == "电话 139****6781 改为 139****0000"
    assert old_household.before is None and old_household.after == {"phone": "138****5678", "size": 1}
    assert (old_laborer.before, old_laborer.after) == ({"phone": "150****2222"}, {"phone": "150****4444"})
    assert old_station.after["phone"] == "077*****1234" and old_station.reason == "077*****1234"
    assert old_staff.reason == "staff added: 韦站长 186****6666" and old_staff.after is None
    assert other.before == {"phone": HOUSEHOLD_PHONE}
    for entry in ChangeLog.objects.exclude(pk=other.pk):
        assert_no_clear_value(json.dumps([entry.before, entry.after, entry.object_repr, entry.reason],
                                         ensure_ascii=False))
    # The append-only trigger is back; running the migrations again changes nothing.
    assert blocks_update(old_member)
    logged = list(ChangeLog.objects.order_by("pk").values_list("before", "after", "object_repr", "reason"))
    for name in MIGRATIONS:
        importlib.import_module(name).forwards(apps, SimpleNamespace(connection=connection))
    assert list(ChangeLog.objects.order_by("pk").values_list("before", "after", "object_repr", "reason")) == logged
    assert blocks_update(old_member)
