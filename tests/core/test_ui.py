"""The web UI: login, navigation, scoped lists, details and forms, coverage, change log, languages."""

import ast
import csv
import gettext as gettext_module
import io
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from bangfu.core.models import ChangeLog
from bangfu.core.navigation import modules
from bangfu.pairing.models import Pairing
from bangfu.regions.models import Organisation, Region

HTMX = {"HTTP_HX_REQUEST": "true"}


def text(response) -> str:
    return response.content.decode()


# --- Login, navigation, language ----------------------------------------------------------------------------------


def test_every_page_needs_a_login(client, ui_world):
    pk = ui_world.p_debao.pk
    urls = ["/", "/pairings/", f"/pairings/{pk}/", "/pairings/new/", f"/pairings/{pk}/edit/", f"/pairings/{pk}/end/",
            "/coverage/", "/regions/", "/regions/451024/", "/regions/451024/children/", "/organisations/",
            f"/organisations/{ui_world.nanshan.code}/", "/organisations/new/", "/changelog/", "/modules/funds/"]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


def test_the_login_page_is_in_chinese_and_logs_in(client, ui_world):
    user = ui_world.users["nanshan"]
    user.set_password("Correct-horse-battery-9")
    user.save()
    page = text(client.get(reverse("login")))
    assert "登录您的账户" in page and "用户名" in page and "密码" in page
    assert 'lang="zh-hans"' in page
    response = client.post(reverse("login"), {"username": "nanshan", "password": "Correct-horse-battery-9"})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    home = text(client.get("/"))
    assert "欢迎您，nanshan" in home


def test_a_wrong_password_says_so_in_chinese(client, ui_world):
    response = client.post(reverse("login"), {"username": "nanshan", "password": "wrong-password"})
    assert response.status_code == 200
    assert "请输入一个正确的" in text(response)  # Django's own message, in Chinese


def test_the_lockout_page_is_ours(client, db, settings):
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user("locked", password="Correct-horse-battery-9")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "locked", "password": "wrong-password"})
    response = client.post(reverse("login"), {"username": "locked", "password": "Correct-horse-battery-9"})
    assert response.status_code == 429
    page = text(response)
    assert "登录失败次数过多" in page and "15 分钟后再试" in page


NAV_ZH = ["结对关系", "覆盖情况", "地区", "组织", "资金", "项目", "户籍与监测", "劳务协作", "消费帮扶", "干部人才",
          "产业协作", "督战考核", "报表", "公开公示"]


def test_the_menu_names_every_module_in_chinese(client_as):
    page = text(client_as("nanshan").get("/"))
    for label in NAV_ZH:
        assert f'<span class="nav-link-title">{label}</span>' in page, label
    assert "变更日志" not in page  # a helper unit may not read the change log
    assert "变更日志" in text(client_as("sz").get("/"))


def test_a_user_without_read_rights_sees_only_what_is_coming(client_as):
    page = text(client_as("public").get("/"))
    assert "消费帮扶" in page and "结对关系</span>" not in page
    assert client_as("public").get("/pairings/").status_code == 403


@pytest.mark.parametrize("module", [m for m in modules() if not m.built], ids=lambda m: m.key)
def test_modules_not_built_say_what_is_coming_without_figures(client_as, module):
    response = client_as("debao").get(reverse("coming", args=[module.key]))
    assert response.status_code == 200
    page = text(response)
    with translation.override("zh-hans"):
        assert str(module.summary) in page
        for feature in module.features:
            assert str(feature) in page
        assert "建设中" in page
    assert "data-stat" not in page and "data-chart" not in page


def test_built_modules_have_no_coming_page(client_as):
    assert client_as("debao").get(reverse("coming", args=["pairing"])).status_code == 404
    assert client_as("debao").get(reverse("coming", args=["nothing"])).status_code == 404


def test_english_is_one_click_away(client_as):
    client = client_as("nanshan")
    response = client.post(reverse("set_language"), {"language": "en", "next": "/pairings/"})
    assert response.status_code == 302
    page = text(client.get("/pairings/"))
    assert "East-West cooperation" in page and "New pairing" in page and 'lang="en"' in page
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert "东西部协作" in text(client.get("/pairings/"))


def test_chinese_first_whatever_the_browser_asks(client_as, client):
    assert "登录您的账户" in text(client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9"))
    nanshan = client_as("nanshan")
    assert "结对关系" in text(nanshan.get("/pairings/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9"))
    nanshan.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "New pairing" in text(nanshan.get("/pairings/", HTTP_ACCEPT_LANGUAGE="zh-CN"))  # the user's choice wins


def test_pages_load_only_our_own_scripts(client_as):
    page = text(client_as("nanshan").get("/"))
    assert "<script>" not in page and " onclick=" not in page and " onchange=" not in page
    assert "/static/bangfu/bangfu.js" in page and "/static/vendor/htmx/htmx.min.js" in page


# --- Translations ------------------------------------------------------------------------------------------------


def po_entries(path):
    """(msgid, msgid_plural, [msgstr…], fuzzy) for each entry of a .po file (enough of the format for a check)."""
    entries, current, key, fuzzy = [], None, None, False

    def close():
        if current is not None and current.get("msgid"):
            entries.append((current["msgid"], current.get("msgid_plural", ""),
                            [v for k, v in sorted(current.items()) if k.startswith("msgstr")], current["fuzzy"]))

    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#,"):
            fuzzy = "fuzzy" in line
        elif line.startswith("msgid "):
            close()
            current, key = {"fuzzy": fuzzy}, "msgid"
            current[key] = ast.literal_eval(line[6:])
            fuzzy = False
        elif line.startswith(("msgid_plural ", "msgstr")):
            key, _sep, value = line.partition(" ")
            current[key] = ast.literal_eval(value)
        elif line.startswith('"') and current is not None:
            current[key] += ast.literal_eval(line)
    close()
    return entries


def catalogue_paths():
    from django.conf import settings

    folder = settings.LOCALE_PATHS[0] / "zh_Hans" / "LC_MESSAGES"
    return folder / "django.po", folder / "django.mo"


def test_every_message_has_a_chinese_translation():
    po, _mo = catalogue_paths()
    untranslated = [msgid for msgid, _plural, strs, fuzzy in po_entries(po) if fuzzy or not all(strs)]
    assert not untranslated


def test_the_compiled_catalogue_matches_the_translations():
    po, mo = catalogue_paths()
    with mo.open("rb") as f:
        compiled = gettext_module.GNUTranslations(f)
    stale = []
    for msgid, plural, strs, _fuzzy in po_entries(po):
        got = compiled.ngettext(msgid, plural, 1) if plural else compiled.gettext(msgid)
        if strs and got != strs[0]:
            stale.append(msgid)
    assert not stale, "run `bangfu compilemessages -l zh_Hans --ignore=.venv`"


@pytest.mark.parametrize("english, chinese", [
    ("East-West cooperation", "东西部协作"), ("Counterpart support", "对口支援"),
    ("In-province pairing", "省内对口帮扶"),
    ("Hand in hand", "携手奔小康/携手促振兴"), ("Ten thousand enterprises, ten thousand villages", "万企兴万村"),
    ("School pairing", "校校结对"), ("Hospital pairing", "院院结对"), ("Village pairing", "村村结对"),
    ("province", "省"), ("prefecture", "市（州）"), ("county", "县（区）"), ("township", "乡镇（街道）"),
    ("village", "村（社区）"), ("Coordination office", "协作办"), ("enterprise", "企业"),
])
def test_the_compiled_catalogue_speaks_chinese(english, chinese):
    with translation.override("zh-hans"):
        assert translation.gettext(english) == chinese


# --- Pairings ----------------------------------------------------------------------------------------------------


def test_nanshan_sees_its_pairings_and_not_shanwei(client_as, ui_world):
    page = text(client_as("nanshan").get("/pairings/"))
    assert "南山区人民政府" in page and "德保县" in page and "东西部协作" in page
    assert f'data-pairing="{ui_world.p_debao.pk}"' in page
    assert f'data-pairing="{ui_world.p_shanwei.pk}"' not in page
    assert "汕尾市" not in page


def test_debao_sees_its_helpers_only(client_as, ui_world):
    page = text(client_as("debao").get("/pairings/"))
    assert f'data-pairing="{ui_world.p_debao.pk}"' in page and f'data-pairing="{ui_world.p_school.pk}"' in page
    assert f'data-pairing="{ui_world.p_shanwei.pk}"' not in page and f'data-pairing="{ui_world.p_duan.pk}"' not in page


def listed(response) -> set[int]:
    import re

    return {int(pk) for pk in re.findall(r'data-pairing="(\d+)"', text(response))}


def test_pairing_filters(client_as, ui_world):
    w, client = ui_world, client_as("admin")
    assert listed(client.get("/pairings/?kind=east_west")) == {w.p_debao.pk, w.p_duan.pk}
    assert listed(client.get("/pairings/?helper=440305")) == {w.p_debao.pk, w.p_village.pk, w.p_school.pk}
    assert listed(client.get("/pairings/?helper=粤海")) == {w.p_village.pk}
    assert listed(client.get("/pairings/?recipient=451024")) == {w.p_debao.pk, w.p_village.pk, w.p_school.pk}
    assert listed(client.get("/pairings/?recipient=441500")) == {w.p_shanwei.pk, w.p_sw_village.pk}
    assert listed(client.get("/pairings/?recipient=那温")) == {w.p_village.pk}
    assert listed(client.get("/pairings/?active=no")) == {w.p_duan.pk}
    assert w.p_duan.pk not in listed(client.get("/pairings/?active=yes"))
    assert listed(client.get("/pairings/?kind=east_west&active=yes&recipient=451024")) == {w.p_debao.pk}
    assert listed(client.get("/pairings/?q=东西部协作结对")) == {w.p_debao.pk}


def test_a_filter_cannot_reach_out_of_scope(client_as, ui_world):
    assert listed(client_as("debao").get("/pairings/?recipient=441500")) == set()
    # 深圳市 helps 德保 through 南山: debao sees those pairings, and no other of 深圳市's.
    assert listed(client_as("debao").get("/pairings/?helper=440300")) == {
        ui_world.p_debao.pk, ui_world.p_village.pk, ui_world.p_school.pk}


def test_htmx_gets_the_table_alone(client_as, ui_world):
    response = client_as("nanshan").get("/pairings/?kind=east_west", **HTMX)
    page = text(response)
    assert "<html" not in page and 'id="pairing-table"' in page
    assert listed(response) == {ui_world.p_debao.pk}


def test_lists_cost_the_same_few_queries_for_many_rows(client_as, ui_world, django_assert_max_num_queries):
    w = ui_world
    for i in range(40):
        village = Region(code=f"45102410{i:04d}", name=f"测试村{i}", level="village", is_poor_village=True)
        from bangfu.regions.models import place_under

        place_under(village, w.township)
        village.save()
        Pairing.objects.create(kind="hand_in_hand", helper=w.street, recipient_region=village, start=date(2020, 1, 1))
        Organisation.objects.create(name=f"测试企业{i}", kind="street", side="helper", region_id="440305",
                                    parent=w.nanshan, path=f"{w.nanshan.path}x{i}/")
    for username in ("nanshan", "admin"):
        client = client_as(username)
        with django_assert_max_num_queries(12):
            response = client.get("/pairings/")
        assert len(listed(response)) >= 43
        with django_assert_max_num_queries(12):
            b"".join(client.get("/pairings/?export=csv").streaming_content)
        with django_assert_max_num_queries(12):
            response = client.get("/organisations/")
        assert len(response.context["object_list"]) >= 43
        with django_assert_max_num_queries(12):
            b"".join(client.get("/organisations/?export=csv").streaming_content)


def test_csv_export_holds_the_filtered_rows_in_scope(client_as, ui_world):
    response = client_as("nanshan").get("/pairings/?export=csv&kind=east_west")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0][:2] == ["结对编号", "结对类型"]  # core.exports' pairings
    assert [r[0] for r in rows[1:]] == [str(ui_world.p_debao.pk)]  # 宝安→都安 is East-West too, but not nanshan's
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["结对类型"] == "东西部协作" and row["帮扶方地区代码"] == "440305" and row["受援地区代码"] == "451024"


def test_pairing_detail_and_scope(client_as, ui_world):
    w = ui_world
    page = text(client_as("nanshan").get(f"/pairings/{w.p_debao.pk}/"))
    assert "南山区人民政府" in page and "德保县" in page and "广西壮族自治区 › 百色市" in page
    assert "编辑" in page and "结束结对" in page
    assert client_as("debao").get(f"/pairings/{w.p_shanwei.pk}/").status_code == 404
    assert client_as("shanwei").get(f"/pairings/{w.p_debao.pk}/").status_code == 404
    assert client_as("nanshan").get(f"/pairings/{w.p_shanwei.pk}/").status_code == 404
    debao_page = text(client_as("debao").get(f"/pairings/{w.p_debao.pk}/"))
    assert "结束结对" not in debao_page and "编辑" not in debao_page  # a county reads, helpers change


def test_nanshan_creates_a_pairing_through_the_form(client_as, ui_world):
    client = client_as("nanshan")
    form = text(client.get("/pairings/new/?recipient=451024100203"))
    assert 'value="440305"' in form and 'value="451024100203"' in form  # his organisation and the village
    response = client.post("/pairings/new/", {"kind": "hand_in_hand", "helper": "440305",
                                              "recipient": "451024100203", "start": "2024-01-01", "notes": "测试"})
    pairing = Pairing.objects.get(recipient_region_id="451024100203")
    assert response.status_code == 302 and response["Location"] == f"/pairings/{pairing.pk}/"
    assert pairing.helper == ui_world.nanshan and pairing.kind == "hand_in_hand"
    entry = ChangeLog.objects.get(object_id=str(pairing.pk), action="create")
    assert entry.actor_name == "nanshan" and entry.via == "ui"
    assert "已新建结对关系" in text(client.get(response["Location"]))


def test_a_school_pairing_names_a_recipient_organisation(client_as, ui_world):
    w = ui_world
    other_school = Organisation.objects.create(name="德保县第二小学", kind="school", side="recipient",
                                               region_id="451024", path="x/")
    response = client_as("nanshan").post("/pairings/new/", {
        "kind": "school", "helper": w.nanshan_school.code, "recipient": other_school.code, "start": "2024-09-01"})
    assert response.status_code == 302
    assert Pairing.objects.get(recipient_org=other_school).recipient_region_id == "451024"


def test_service_refusals_become_form_errors(client_as, ui_world):
    client = client_as("nanshan")
    start = {"start": "2024-01-01"}
    cases = [
        ({"kind": "east_west", "helper": "440305", "recipient": "451024100202", **start, "end": "2023-01-01"},
         "早于开始日期"),
        ({"kind": "school", "helper": "440305", "recipient": "451024", **start}, "校校结对的帮扶方必须是学校"),
        ({"kind": "east_west", "helper": "440305", "recipient": "451024", **start}, "已与 德保县 有同类结对关系"),
        ({"kind": "east_west", "helper": "440300", "recipient": "451024", **start}, "不是您的组织或其下属组织"),
        ({"kind": "east_west", "helper": "440100", "recipient": "451024", **start}, "未知的组织代码 440100"),
        ({"kind": "east_west", "helper": "440305", "recipient": "999999", **start}, "未知的地区代码 999999"),
    ]
    before = Pairing.objects.count()
    for data, message in cases:
        response = client.post("/pairings/new/", data)
        assert response.status_code == 200, data
        page = text(response)
        assert 'aria-invalid="true"' in page or "变更未通过" in page, data
        if message:
            assert message in page, (data, message)
    assert Pairing.objects.count() == before


def test_who_may_not_change_pairings_gets_403(client_as, ui_world):
    w = ui_world
    for username in ("debao", "auditor"):
        client = client_as(username)
        assert client.get("/pairings/new/").status_code == 403
        assert client.post("/pairings/new/", {"kind": "east_west", "helper": "440305", "recipient": "451024100202",
                                              "start": "2024-01-01"}).status_code == 403
        assert client.get(f"/pairings/{w.p_debao.pk}/edit/").status_code == 403
        assert client.post(f"/pairings/{w.p_debao.pk}/end/", {"end": "2024-01-01"}).status_code == 403
    # sz sees 南山's pairing (its organisation is under sz); nanshan cannot change sz's own pairings.
    assert client_as("nanshan").get(f"/pairings/{w.p_shanwei.pk}/edit/").status_code == 404
    assert client_as("shanwei").get(f"/pairings/{w.p_debao.pk}/edit/").status_code == 403
    assert Pairing.objects.get(pk=w.p_debao.pk).end is None


def test_a_coordination_office_may_not_hand_a_pairing_to_an_outsider(client_as, ui_world):
    # 德保县人民政府 is visible to sz (a recipient in its scope) but is on the recipient side.
    response = client_as("sz").post("/pairings/new/", {"kind": "east_west", "helper": "451024",
                                                       "recipient": "451024100202", "start": "2024-01-01"})
    assert response.status_code == 200 and "属于受援方" in text(response)
    assert not Pairing.objects.filter(recipient_region_id="451024100202").exists()


def test_edit_a_pairing_with_a_reason(client_as, ui_world):
    w, client = ui_world, client_as("nanshan")
    form = text(client.get(f"/pairings/{w.p_debao.pk}/edit/"))
    assert 'value="440305"' in form and 'value="451024"' in form and 'value="2016-09-01"' in form
    response = client.post(f"/pairings/{w.p_debao.pk}/edit/", {
        "kind": "east_west", "helper": "440305", "recipient": "451024", "start": "2016-09-01",
        "notes": "新的备注", "reason": "补充说明"})
    assert response.status_code == 302
    w.p_debao.refresh_from_db()
    assert w.p_debao.notes == "新的备注"
    entry = ChangeLog.objects.get(object_id=str(w.p_debao.pk), action="update")
    assert entry.reason == "补充说明"
    assert entry.before["notes"] == "东西部协作结对" and entry.after["notes"] == "新的备注"


def test_end_a_pairing(client_as, ui_world):
    w, client = ui_world, client_as("nanshan")
    yesterday = timezone.localdate() - timedelta(days=1)
    page = text(client.get(f"/pairings/{w.p_village.pk}/end/"))
    assert "南山区粤海街道" in page and "那温村" in page
    response = client.post(f"/pairings/{w.p_village.pk}/end/", {"end": yesterday.isoformat(), "reason": "已完成"})
    assert response.status_code == 302
    w.p_village.refresh_from_db()
    assert w.p_village.end == yesterday
    detail = text(client.get(f"/pairings/{w.p_village.pk}/"))
    assert "已结束" in detail and "结束结对</a>" not in detail
    again = client.post(f"/pairings/{w.p_village.pk}/end/", {"end": yesterday.isoformat()})
    assert again.status_code == 200 and "已于" in text(again)


# --- Coverage ----------------------------------------------------------------------------------------------------


def test_coverage_of_debao(client_as, ui_world):
    response = client_as("debao").get("/coverage/")  # a county user starts on his county
    assert response.status_code == 200
    context = response.context
    assert context["region"].code == "451024"
    assert (context["total"], context["covered"], context["uncovered"]) == (3, 1, 2)
    uncovered = {row["village"].code for row in context["uncovered_rows"]}
    assert uncovered == {"451024100202", "451024100203"}
    page = text(response)
    assert "大旺村" in page and "多敬村" in page and "南山区粤海街道" in page
    assert "城南社区" not in page  # not a poor village


def test_coverage_counts_only_active_pairings(client_as, ui_world):
    ui_world.p_village.end = timezone.localdate() - timedelta(days=1)
    ui_world.p_village.save()
    context = client_as("nanshan").get("/coverage/?region=451024").context
    assert (context["total"], context["covered"]) == (3, 0)


def test_coverage_respects_scope(client_as, ui_world):
    assert client_as("debao").get("/coverage/?region=441500").status_code == 404
    context = client_as("sz").get("/coverage/?region=441500").context
    assert (context["total"], context["covered"]) == (1, 1)
    choices = client_as("admin").get("/coverage/").context["choices"]
    assert [c.code for c, _place in choices] == ["441581", "451024"]


def test_coverage_csv(client_as, ui_world):
    response = client_as("debao").get("/coverage/?region=451024&export=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8").lstrip("\ufeff"))))
    assert len(rows) == 4 and rows[0][0] == "村代码"
    assert {r[0]: r[3] for r in rows[1:]} == {"451024100201": "是", "451024100202": "否", "451024100203": "否"}


# --- Regions and organisations -----------------------------------------------------------------------------------


def test_region_page_shows_path_children_and_pairings(client_as, ui_world):
    response = client_as("debao").get("/regions/451024/")
    page = text(response)
    assert [r.code for r in response.context["ancestors"]] == ["450000", "451000"]
    assert "广西壮族自治区" in page and "百色市" in page
    assert "城关镇" in page and "南山区人民政府" in page and "南山实验学校" in page
    assert response.context["received_count"] == 3
    assert response.context["poor_villages"] == 3 and response.context["poor_covered"] == 1


def test_a_helper_region_page_shows_the_pairings_it_gives(client_as, ui_world):
    response = client_as("nanshan").get("/regions/440305/")
    assert response.context["given_count"] == 3
    assert "德保县" in text(response)


def test_region_tree_opens_the_users_branch(client_as, ui_world):
    response = client_as("debao").get("/regions/")
    page = text(response)
    roots = response.context["roots"]
    # His own branch, and 广东 where the organisations that help him sit (nothing below those places).
    assert [r.code for r in roots] == ["440000", "450000"]
    assert 'data-code="451024"' in page and "mine" in page
    children = text(client_as("debao").get("/regions/451024/children/", **HTMX))
    assert "城关镇" in children and "<html" not in children
    found = text(client_as("debao").get("/regions/?q=那温"))
    assert "那温村" in found and "广西壮族自治区 › 百色市 › 德保县 › 城关镇" in found


def test_regions_out_of_scope_are_404(client_as, ui_world):
    client = client_as("debao")
    assert client.get("/regions/441500/").status_code == 404
    assert client.get("/regions/441581100000/").status_code == 404
    assert client.get("/regions/441500/children/").status_code == 404
    assert "碣石镇" not in text(client.get("/regions/?q=碣石"))


def test_a_county_adds_a_village(client_as, ui_world):
    client = client_as("debao")
    assert client.get("/regions/451024100000/add/").status_code == 200
    response = client.post("/regions/451024100000/add/", {"code": "451024100299", "name": "新村",
                                                          "is_poor_village": "on"})
    assert response.status_code == 302
    village = Region.objects.get(code="451024100299")
    assert village.is_poor_village and village.path.endswith("451024100000/451024100299/")
    bad = client.post("/regions/451024100000/add/", {"code": "441581100299", "name": "错村"})
    assert bad.status_code == 200 and "不是以上级区划的" in text(bad)
    assert client_as("nanshan").get("/regions/451024100000/add/").status_code == 403
    assert client_as("shanwei").get("/regions/451024100000/add/").status_code == 404


def test_organisation_list_detail_and_filters(client_as, ui_world):
    client = client_as("nanshan")
    page = text(client.get("/organisations/"))
    assert "南山区粤海街道" in page and "汕尾市人民政府" not in page
    assert "南山实验学校" in text(client.get("/organisations/?kind=school&side=helper"))
    assert "南山区粤海街道" not in text(client.get("/organisations/?kind=school"))
    assert "德保县第一小学" in text(client.get("/organisations/?region=451024"))
    under = client.get("/organisations/?parent=440305")
    assert {o.name for o in under.context["object_list"]} == {"南山区粤海街道", "南山实验学校"}
    detail = text(client.get(f"/organisations/{ui_world.nanshan.code}/"))
    assert "南山区粤海街道" in detail and "德保县" in detail and "广东省 › 深圳市" in detail
    assert client_as("debao").get(f"/organisations/{ui_world.shanwei.code}/").status_code == 404
    # Named by any of its codes: the region it acts for, org-ID, its credit code.
    assert client.get(f"/organisations/org-{ui_world.nanshan.pk}/").context["object"] == ui_world.nanshan
    assert client.get(f"/organisations/{ui_world.street.code}/").context["object"] == ui_world.street
    assert client.get("/organisations/nonsense/").status_code == 404


def test_create_and_edit_an_organisation(client_as, ui_world):
    client = client_as("nanshan")
    response = client.post("/organisations/new/", {"name": "南山区蛇口街道", "kind": "street", "side": "helper",
                                                   "region": "440305", "parent": "440305"})
    assert response.status_code == 302
    org = Organisation.objects.get(name="南山区蛇口街道")
    assert org.parent == ui_world.nanshan and org.path.startswith(ui_world.nanshan.path)
    response = client.post(f"/organisations/{org.code}/edit/", {
        "name": "南山区蛇口街道办事处", "kind": "street", "side": "helper", "region": "440305", "parent": "440305",
        "reason": "更名"})
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.name == "南山区蛇口街道办事处"
    assert ChangeLog.objects.filter(object_id=str(org.pk), action="update", reason="更名").exists()
    # An enterprise needs its credit code: the model's refusal lands on the field.
    bad = client.post("/organisations/new/", {"name": "某公司", "kind": "enterprise", "side": "helper",
                                              "region": "440305", "parent": "440305"})
    assert bad.status_code == 200 and "必须填写统一社会信用代码" in text(bad)
    # Outside his scope: a recipient body he may not change (the service refuses, the transaction rolls back), an
    # organisation of his parent.
    outside = client.post("/organisations/new/", {"name": "外地单位", "kind": "government", "side": "recipient",
                                                  "region": "441500"})
    assert outside.status_code == 403 and not Organisation.objects.filter(name="外地单位").exists()
    unknown = client_as("debao").post("/organisations/new/", {"name": "外地单位", "kind": "government",
                                                              "side": "recipient", "region": "441500"})
    assert unknown.status_code == 200 and "未知的地区代码 441500" in text(unknown)
    assert client.get(f"/organisations/{ui_world.sz.code}/edit/").status_code == 403  # his parent: seen, not his
    assert client_as("debao").get(f"/organisations/{ui_world.nanshan.code}/edit/").status_code == 403  # seen, not his
    assert client_as("auditor").get("/organisations/new/").status_code == 403


# --- Change log --------------------------------------------------------------------------------------------------


def test_change_log_is_for_the_coordination_office_and_auditors(client_as, ui_world):
    client_as("nanshan").post(f"/pairings/{ui_world.p_debao.pk}/edit/", {
        "kind": "east_west", "helper": "440305", "recipient": "451024", "start": "2016-09-01", "notes": "改",
        "reason": "测试变更"})
    entry = ChangeLog.objects.get(action="update")
    for username in ("nanshan", "debao", "shanwei", "public"):
        assert client_as(username).get("/changelog/").status_code == 403, username
        assert client_as(username).get(f"/changelog/{entry.pk}/").status_code == 403, username
    for username in ("sz", "auditor", "admin"):
        page = text(client_as(username).get("/changelog/"))
        assert "测试变更" in page and "nanshan" in page, username
    detail = client_as("auditor").get(f"/changelog/{entry.pk}/")
    page = text(detail)
    assert "东西部协作结对" in page and "改" in page and "备注" in page
    assert any(row["field"] == "notes" and row["changed"] for row in detail.context["rows"])
    assert f"/pairings/{ui_world.p_debao.pk}/" in page


def test_change_log_is_scoped(client_as, ui_world):
    from bangfu.core import audit

    gz = Organisation.objects.create(name="广州市人民政府", kind="government", side="helper", region_id="440100",
                                     represents_region=True, path="gz/")
    far = Pairing.objects.create(kind="east_west", helper=gz, recipient_region_id="522700", start=date(2021, 1, 1))
    outside = audit.record(ui_world.users["admin"], "update", far, before={}, after={}, reason="广州的变更")
    inside = audit.record(ui_world.users["admin"], "update", ui_world.p_duan, before={}, after={}, reason="宝安的变更")
    sz = client_as("sz")
    page = text(sz.get("/changelog/"))
    assert "宝安的变更" in page and "广州的变更" not in page
    assert sz.get(f"/changelog/{inside.pk}/").status_code == 200
    assert sz.get(f"/changelog/{outside.pk}/").status_code == 404
    assert "广州的变更" in text(client_as("auditor").get("/changelog/"))


def test_change_log_filters_and_csv(client_as, ui_world):
    client = client_as("nanshan")
    client.post("/pairings/new/", {"kind": "hand_in_hand", "helper": "440305", "recipient": "451024100202",
                                   "start": "2024-01-01"})
    auditor = client_as("auditor")
    assert "大旺村" in text(auditor.get("/changelog/?action=create"))
    assert "大旺村" not in text(auditor.get("/changelog/?action=delete"))
    body = b"".join(auditor.get("/changelog/?export=csv").streaming_content).decode()
    assert "大旺村" in body and "nanshan" in body


# --- Lookups -----------------------------------------------------------------------------------------------------


def test_lookups_suggest_codes_in_scope(client_as, ui_world):
    nanshan = text(client_as("nanshan").get("/lookup/organisations/?field=helper&side=helper&helper=南山"))
    assert 'value="440305"' in nanshan and "南山区人民政府" in nanshan
    by_code = text(client_as("nanshan").get("/lookup/organisations/?field=helper&side=helper&helper=4403"))
    assert 'value="440305"' in by_code and 'value="440300"' not in by_code  # 深圳 is above him: not his to pair for
    debao = text(client_as("debao").get("/lookup/organisations/?field=q&q=汕尾"))
    assert "<option" not in debao
    regions = text(client_as("debao").get("/lookup/regions/?field=q&q=4510241002"))
    assert 'value="451024100201"' in regions and "441581" not in regions
    recipients = text(client_as("nanshan").get("/lookup/recipients/?field=recipient&recipient=第一小学"))
    assert ui_world.debao_school.code in recipients


# --- Scope on every detail page ---------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["admin", "sz", "nanshan", "debao", "shanwei", "auditor"])
def test_detail_pages_answer_404_outside_scope_and_200_inside(client_as, ui_world, username):
    from bangfu.core import audit
    from bangfu.core.roles import can

    audit.record(ui_world.users["admin"], "update", ui_world.p_shanwei, before={}, after={}, reason="x")
    audit.record(ui_world.users["admin"], "update", ui_world.p_debao, before={}, after={}, reason="y")
    user, client = ui_world.users[username], client_as(username)
    pages = [
        (Pairing, lambda o: f"/pairings/{o.pk}/"), (Organisation, lambda o: f"/organisations/{o.code}/"),
        (Region, lambda o: f"/regions/{o.code}/"), (ChangeLog, lambda o: f"/changelog/{o.pk}/"),
    ]
    for model, url in pages:
        visible = model.objects.visible_to(user)
        if model is Region:  # the national table is large: the world's own regions and their neighbours
            candidates = Region.objects.filter(code__in=["451024", "441500", "451024100201", "441581100201", "440305"])
        else:
            candidates = model.objects.all()
        allowed = can(user, f"{model.permission_name}.view")
        for obj in candidates:
            expected = 403 if not allowed else 200 if visible.filter(pk=obj.pk).exists() else 404
            assert client.get(url(obj)).status_code == expected, (username, url(obj))


def test_exported_cells_are_never_formulas():
    from bangfu.core.views import csv_value

    assert csv_value("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert csv_value("@SUM(A1)") == "'@SUM(A1)" and csv_value("南山区") == "南山区"
    assert csv_value(-3) == "-3" and csv_value(date(2024, 1, 2)) == "2024-01-02" and csv_value(None) == ""


def test_saving_an_unchanged_pairing_logs_nothing(client_as, ui_world):
    w = ui_world
    response = client_as("nanshan").post(f"/pairings/{w.p_debao.pk}/edit/", {
        "kind": "east_west", "helper": "440305", "recipient": "451024", "start": "2016-09-01",
        "notes": "东西部协作结对"}, follow=True)
    assert "没有需要修改的内容" in text(response)
    assert not ChangeLog.objects.filter(object_id=str(w.p_debao.pk)).exists()
