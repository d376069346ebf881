"""The indicators of people sent and trained (core.indicators), in person-times (人次: one row each, as the published
figures count them), on the helper's side by the organisation that sent or hosted them (`helper="org"`) and on the
recipient's by the region they went to or came from.

- `talent.sent`: people in post at some time of the year (of the whole record: every secondment); the labour
  summary's people sent, the talent counts' `in_post` and `sent_total`.
- `talent.sent_new` and one per kind (`talent.sent_new_cadre` …): secondments by the year they started.
- `talent.trained` and one per kind (`talent.trained_cadre` …): people trained, by the year their training started.
"""

from django.db.models import Q

from bangfu.core.indicators import Indicator
from bangfu.labor.indicators import records
from bangfu.talent.models import PersonSent, PersonTrained, SentKind, TrainedKind
from bangfu.talent.services import in_post_q

SENT_KINDS = {SentKind.CADRE: "挂职干部", SentKind.TEACHER: "支教教师", SentKind.DOCTOR: "支医人员",
              SentKind.AGRONOMIST: "支农人员", SentKind.PROFESSIONAL: "其他专业技术人才",
              SentKind.FIRST_SECRETARY: "第一书记和驻村工作队员"}
TRAINED_KINDS = {TrainedKind.CADRE: "党政干部", TrainedKind.PROFESSIONAL: "专业技术人才",
                 TrainedKind.LEADER: "村干部和致富带头人", TrainedKind.OTHER: "其他人员"}


def _sent(code, name, name_en, where=None, **kw):
    return Indicator(code, name, name_en, "人次", "count", model=PersonSent, where=where or Q(), helper="org", **kw)


def _trained(code, name, name_en, where=None, **fixed):
    return Indicator(code, name, name_en, "人次", "count", model=PersonTrained, where=where or Q(), year="start",
                     helper="org", records=records("trained_list", **fixed))


INDICATORS = [
    _sent("talent.sent", "选派干部人才", "People sent, in post in the year", in_year=in_post_q,
          records=records("sent_list")),
    _sent("talent.sent_new", "新选派干部人才", "People sent, by the year they started", year="start",
          records=records("sent_list", year_param="started")),
    *(_sent(f"talent.sent_new_{kind}", f"新选派干部人才（{label}）", f"People sent, by the year they started: {kind}",
            Q(kind=kind), year="start", records=records("sent_list", year_param="started", kind=kind))
      for kind, label in SENT_KINDS.items()),
    _trained("talent.trained", "来深培训人次", "People trained in the helper city"),
    *(_trained(f"talent.trained_{kind}", f"来深培训人次（{label}）", f"People trained in the helper city: {kind}",
               Q(kind=kind), kind=kind)
      for kind, label in TRAINED_KINDS.items()),
]
