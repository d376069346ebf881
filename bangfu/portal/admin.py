from django.contrib import admin

from bangfu.core.admin import AuditedAdmin
from bangfu.portal.models import Notice


@admin.register(Notice)
class NoticeAdmin(AuditedAdmin):
    list_display = ["published_on", "title", "kind", "level", "period_days"]
    list_filter = ["kind", "level"]
    raw_id_fields = ["region", "project"]
