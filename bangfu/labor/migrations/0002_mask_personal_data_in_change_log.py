"""Masks the phone numbers that change-log entries of laborers and labour service stations stored in the clear,
before core.audit masked the personal fields every model declares. See core.audit.mask_stored for how the
append-only log's triggers are set aside and put back within this migration's transaction."""

from django.db import migrations

from bangfu.core.audit import mask_stored

# The models' `personal_fields` as this migration knows them (a migration's models carry no class attributes).
PERSONAL = {"laborer": {"phone": "phone"}, "station": {"phone": "phone"}, "stationstaff": {"phone": "phone"}}


def forwards(apps, schema_editor):
    mask_stored(apps, schema_editor, "labor", PERSONAL)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0002_append_only_logs"),
        ("labor", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
