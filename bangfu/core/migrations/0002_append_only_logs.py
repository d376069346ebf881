"""On PostgreSQL (production), the change log and the access log refuse UPDATE and DELETE in the database itself.

The ORM refuses both on every database (core.models.AppendOnly). SQLite gets no trigger because Django's test flush
empties tables with DELETE, which a trigger there cannot tell apart; PostgreSQL's flush uses TRUNCATE.
"""

from django.db import migrations

TABLES = ["core_changelog", "core_accesslog"]

FUNCTION = """
CREATE OR REPLACE FUNCTION bangfu_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$
"""
TRIGGER = (
    "CREATE TRIGGER {t}_append_only BEFORE UPDATE OR DELETE ON {t} "
    "FOR EACH ROW EXECUTE FUNCTION bangfu_append_only()"
)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)  # no placeholders: RAISE uses a literal %
    for table in TABLES:
        schema_editor.execute(TRIGGER.format(t=table))


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
