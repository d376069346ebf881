"""Masks the ID and phone numbers that change-log entries of households and members stored in the clear, before
core.audit masked the personal fields every model declares. See core.audit.mask_stored for how the append-only
log's triggers are set aside and put back within this migration's transaction."""

from django.db import migrations

from bangfu.core.audit import mask_stored

# The models' `personal_fields` as this migration knows them (a migration's models carry no class attributes).
PERSONAL = {"household": {"phone": "phone"}, "member": {"id_number": "id_number", "phone": "phone"}}


def forwards(apps, schema_editor):
    mask_stored(apps, schema_editor, "households", PERSONAL)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0002_append_only_logs"),
        ("households", "0004_one_index_per_column"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
