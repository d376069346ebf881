"""Masks the laborers' birth dates (the middle of the ID number: beside the masked ID they rebuild it) that
change-log entries stored in the clear, to their year, and the ID and mobile numbers in the entries' free text, as
core.audit now masks new entries. See core.audit.mask_stored for how the append-only log's triggers are set aside
and put back within this migration's transaction."""

from django.db import migrations

from bangfu.core.audit import mask_stored

# The models' `personal_fields` as this migration knows them (a migration's models carry no class attributes).
# The models without personal fields are listed for the ID and mobile numbers in their free text.
PERSONAL = {"laborer": {"phone": "phone", "birth_date": "birth_date"}, "station": {"phone": "phone"},
            "stationstaff": {"phone": "phone"}, "event": {}, "jobfair": {}, "posting": {}, "recommendation": {},
            "workshop": {}, "publicwelfarepost": {}, "employment": {}, "claim": {}, "claimline": {}, "course": {},
            "attendance": {}, "followup": {}}


def forwards(apps, schema_editor):
    mask_stored(apps, schema_editor, "labor", PERSONAL)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0002_append_only_logs"),
        ("labor", "0002_mask_personal_data_in_change_log"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
