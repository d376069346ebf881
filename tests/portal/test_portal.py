"""Notices: published through the API in scope, bulletin notices for at least 10 days, printable on the portal."""

from bangfu.portal.models import Notice


def test_a_village_bulletin_needs_ten_days(world, api_as):
    api = api_as("debao")
    body = {"region": world.village.code, "kind": "project", "level": "village", "title": "那温村项目公示",
            "body": "那温村饮水工程, 资金30万元。", "published_on": "2020-03-01", "period_days": 9}
    status, answer = api.post("/api/v1/notices", body)
    assert status == 422 and "10" in answer["message"]
    assert not Notice.objects.exists()
    status, answer = api.post("/api/v1/notices", {**body, "period_days": 10})
    assert status == 201, answer
    assert answer["ends_on"] == "2020-03-10" and answer["url"] == f"/portal/451024/notices/{answer['id']}/"
    # A county notice goes on the county portal; a village notice cannot be hung on the county's.
    assert api.post("/api/v1/notices", {**body, "region": "451024", "period_days": 10})[0] == 422
    assert api_as("shanwei").post("/api/v1/notices", {**body, "period_days": 10})[0] == 422
    assert api_as("auditor").post("/api/v1/notices", {**body, "period_days": 10})[0] == 403
    assert api_as("shanwei").get("/api/v1/notices")[1]["count"] == 0


def test_the_printed_notice_shows_its_period(world, api_as, client):
    status, answer = api_as("debao").post("/api/v1/notices", {
        "region": world.village.code, "kind": "project", "level": "village", "title": "那温村项目公示",
        "body": "那温村饮水工程, 资金30万元。", "published_on": "2020-03-01", "period_days": 10})
    html = client.get(answer["url"]).content.decode()
    assert "那温村项目公示" in html and "2020年3月10日" in html and "10" in html
    assert client.get("/portal/451024/").status_code == 200
    assert client.get(f"/portal/441500/notices/{answer['id']}/").status_code == 404
