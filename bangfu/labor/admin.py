"""Labour cooperation in the Django admin (superusers only): viewable; changes go through the services (API and web
UI), which check the closed loop and the rules and log every change."""

from django.contrib import admin

from bangfu.core.admin import ViewOnlyAdmin
from bangfu.labor.models import (
    Claim,
    Course,
    Employment,
    JobFair,
    Laborer,
    Posting,
    PublicWelfarePost,
    Station,
    Workshop,
)


@admin.register(Laborer)
class LaborerAdmin(ViewOnlyAdmin):
    list_display = ["id", "name", "county_code", "intention", "state", "state_on"]
    list_filter = ["state", "intention"]
    exclude = ["phone"]
    raw_id_fields = ["member", "station"]


@admin.register(Employment)
class EmploymentAdmin(ViewOnlyAdmin):
    list_display = ["laborer_id", "employer_name", "channel", "place", "start", "end", "monthly_wage"]
    list_filter = ["channel", "place"]
    raw_id_fields = ["laborer", "employer", "posting", "workshop", "post", "work_region"]


@admin.register(Posting)
class PostingAdmin(ViewOnlyAdmin):
    list_display = ["title", "employer", "region", "openings", "posted_on", "open"]
    raw_id_fields = ["employer", "region", "job_fair"]


@admin.register(JobFair, Station, Workshop, PublicWelfarePost, Course)
class PlaceAdmin(ViewOnlyAdmin):
    list_display = ["__str__", "region"]
    raw_id_fields = ["region"]


@admin.register(Claim)
class ClaimAdmin(ViewOnlyAdmin):
    list_display = ["id", "kind", "employer", "county_code", "status", "amount", "submitted_on"]
    list_filter = ["kind", "status"]
