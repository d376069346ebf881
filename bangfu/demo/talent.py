"""The people-sent-and-trained part of the demo, calibrated on seeds 000 and 004:

- Shenzhen (its government, its districts and the bodies under them) sent 8,048 person-times since the start; 654
  were in post in 2020; since 2017: 1,026 cadres, 638 teachers, 853 doctors (and 300 agronomists, 183 first
  secretaries). 南山区 → 德保县: 5 cadres and 134 professionals (60 teachers, 60 doctors, 14 agronomists).
- 9,100 people of the recipient side trained in Shenzhen since 2017 ("9,000+"), 15 of them from 德保县 in 南山.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from bangfu.core.bulk import insert_columns
from bangfu.demo.report import count_rows
from bangfu.regions.models import Organisation, Region
from bangfu.talent.models import PersonSent, PersonTrained, SentKind, TrainedKind

TOTAL_SENT, IN_POST_2020 = 8048, 654
SINCE_2017 = {SentKind.CADRE: 1026, SentKind.TEACHER: 638, SentKind.DOCTOR: 853, SentKind.AGRONOMIST: 300,
              SentKind.FIRST_SECRETARY: 183}
DEBAO = {SentKind.CADRE: 5, SentKind.TEACHER: 60, SentKind.DOCTOR: 60, SentKind.AGRONOMIST: 14}
TRAINED, DEBAO_TRAINED = 9100, 15
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红建文辉力鹏宇浩凯"
POSITIONS = {SentKind.CADRE: "挂职副县长", SentKind.TEACHER: "支教教师", SentKind.DOCTOR: "支医医生",
             SentKind.AGRONOMIST: "农技专家", SentKind.PROFESSIONAL: "专业技术人才",
             SentKind.FIRST_SECRETARY: "驻村第一书记"}


def remove_talent() -> dict[str, int]:
    from bangfu.demo.labor import any_rows

    if not any_rows(PersonSent, PersonTrained):
        return {}
    return {"people sent": PersonSent.objects.all()._raw_delete(PersonSent.objects.db),
            "people trained": PersonTrained.objects.all()._raw_delete(PersonTrained.objects.db)}


def _name(rng) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _shares(total: int, weights: dict) -> dict:
    """`total` split over the keys in proportion to the weights, exactly."""
    whole = sum(weights.values())
    out = {k: total * w // whole for k, w in weights.items()}
    first = next(iter(out))
    out[first] += total - sum(out.values())
    return out


def build_talent(seed: int = 8048) -> dict[str, int]:
    from bangfu.demo.households import recipient_counties

    rng = random.Random(seed)
    orgs = {o.region_id: o for o in Organisation.objects.filter(represents_region=True,
                                                                region_id__in=["440300", "440305"])}
    if "440300" not in orgs:
        return {}
    shenzhen, nanshan = orgs["440300"], orgs["440305"]
    senders = [shenzhen, *Organisation.objects.filter(parent=shenzhen, represents_region=True).order_by("region_id")]
    counties = [c for c in recipient_counties() if c.code != "451024"]
    debao = Region.objects.get(code="451024")
    if not counties:
        return {}
    cols = {}

    def add(kind, sender, region, start, end):
        for key, value in (("name", _name(rng)), ("kind", kind), ("from_org_id", sender.pk),
                           ("to_region_id", region.code), ("position", POSITIONS[kind]), ("start", start),
                           ("end", end), ("region_path", region.path), ("org_path", sender.path),
                           ("county_code", region.county_code or "")):
            cols.setdefault(key, []).append(value)

    in_post = _shares(IN_POST_2020, SINCE_2017)
    for kind, n in SINCE_2017.items():
        for i in range(n):
            to_debao = i < DEBAO.get(kind, 0)
            sender = nanshan if to_debao else senders[i % len(senders)]
            region = debao if to_debao else counties[i % len(counties)]
            if i >= n - in_post[kind]:  # in post during 2020
                start = date(2019, 1, 1) + timedelta(days=rng.randrange(700))
                end = None if i % 3 else date(2021, 7, 31)
            else:  # 2017 to 2019, ended before 2020
                start = date(2017, 1, 1) + timedelta(days=rng.randrange(700))
                end = min(start + timedelta(days=180 + rng.randrange(540)), date(2019, 12, 31))
            add(kind, sender, region, start, end)
    before = TOTAL_SENT - sum(SINCE_2017.values())
    kinds_before = [SentKind.CADRE, SentKind.TEACHER, SentKind.DOCTOR, SentKind.PROFESSIONAL,
                    SentKind.FIRST_SECRETARY]
    for i in range(before):
        start = date(2010, 1, 1) + timedelta(days=rng.randrange(2550))  # 2010 to 2016
        add(kinds_before[i % len(kinds_before)], senders[i % len(senders)], counties[(i * 7) % len(counties)],
            start, start + timedelta(days=365 + rng.randrange(365)) if start.year < 2016 else date(2017, 12, 31))
    insert_columns(PersonSent, cols)
    trained = {}
    programmes = ("乡村振兴干部能力提升培训班", "专业技术人才跟岗学习", "致富带头人培训班", "教育管理干部培训班",
                  "医院管理人员进修班")
    kinds = list(TrainedKind)
    for i in range(TRAINED):
        from_debao = i < DEBAO_TRAINED
        host = nanshan if from_debao else senders[i % len(senders)]
        region = debao if from_debao else counties[(i * 3) % len(counties)]
        start = date(2017, 3, 1) + timedelta(days=rng.randrange(1300))
        for key, value in (("name", _name(rng)), ("kind", kinds[i % len(kinds)]), ("from_region_id", region.code),
                           ("host_id", host.pk), ("programme", f"{host.name}{programmes[i % len(programmes)]}"),
                           ("start", start), ("end", start + timedelta(days=14 + i % 60)),
                           ("region_path", region.path), ("org_path", host.path),
                           ("county_code", region.county_code or "")):
            trained.setdefault(key, []).append(value)
    insert_columns(PersonTrained, trained)
    return talent_counts()


def talent_counts() -> dict[str, int]:
    """People sent and trained, read back from the database."""
    return count_rows({"people sent": PersonSent, "people trained": PersonTrained})
