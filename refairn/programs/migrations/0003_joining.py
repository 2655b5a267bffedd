import secrets

import django.db.models.deletion
import refairn.core.clock
import refairn.programs.models
import uuid
from django.conf import settings
from django.db import migrations, models


def give_each_business_a_join_token(apps, schema_editor):
    Business = apps.get_model("programs", "Business")
    for business in Business.objects.filter(join_token__isnull=True).only("pk"):
        business.join_token = secrets.token_urlsafe(24)
        business.save(update_fields=["join_token"])


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0002_support_access_moves_to_support"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # Nullable first: one default for every existing row would break uniqueness.
        migrations.AddField(
            model_name="business",
            name="join_token",
            field=models.CharField(max_length=64, null=True),
        ),
        migrations.RunPython(give_each_business_a_join_token, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="business",
            name="join_token",
            field=models.CharField(
                default=refairn.programs.models.new_join_token, max_length=64, unique=True
            ),
        ),
        migrations.CreateModel(
            name="Invitation",
            fields=[
                ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ("email", models.EmailField(max_length=254)),
                ("role", models.CharField(max_length=16)),
                ("token_hash", models.CharField(max_length=64, unique=True)),
                ("created_at", models.DateTimeField(default=refairn.core.clock.now)),
                ("expires_at", models.DateTimeField()),
                ("accepted_at", models.DateTimeField(blank=True, null=True)),
                ("revoked_at", models.DateTimeField(blank=True, null=True)),
                (
                    "accepted_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "business",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="invitations",
                        to="programs.business",
                    ),
                ),
                (
                    "customer",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="invitations",
                        to="programs.customer",
                    ),
                ),
                (
                    "invited_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={"indexes": [models.Index(fields=["business", "-created_at"], name="programs_in_busines_670077_idx")]},
        ),
    ]
