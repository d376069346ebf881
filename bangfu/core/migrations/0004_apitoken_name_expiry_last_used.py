"""API tokens get a name, a last-used time and an expiry that is never empty: the tokens made before it expire
BANGFU_TOKEN_DAYS after this migration, so that no client stops working on the day of the upgrade."""

from datetime import timedelta

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def expire_open_tokens(apps, schema_editor):
    tokens = apps.get_model("core", "ApiToken")
    expires = django.utils.timezone.now() + timedelta(days=settings.TOKEN_DAYS)
    tokens.objects.filter(expires__isnull=True).update(expires=expires)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_importbatch"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="apitoken",
            options={"ordering": ["-created", "-id"], "verbose_name": "API token", "verbose_name_plural": "API tokens"},
        ),
        migrations.AddField(
            model_name="apitoken",
            name="name",
            field=models.CharField(blank=True, max_length=100, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="last_used",
            field=models.DateTimeField(blank=True, null=True, verbose_name="last used"),
        ),
        migrations.AlterField(
            model_name="apitoken",
            name="user",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="api_tokens",
                                    to=settings.AUTH_USER_MODEL, verbose_name="user"),
        ),
        migrations.AlterField(
            model_name="apitoken",
            name="prefix",
            field=models.CharField(max_length=8, verbose_name="begins with"),
        ),
        migrations.AlterField(
            model_name="apitoken",
            name="created",
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name="created"),
        ),
        migrations.RunPython(expire_open_tokens, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="expires",
            field=models.DateTimeField(verbose_name="expires"),
        ),
    ]
