"""The training library's own record of who may open it in programs whose training access is
on request (issue 10: training no longer reads support access). Filled from
``programs.Agent.support_access``: requested, active and suspended access open the library."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import refairn.core.clock

_OPENS_TRAINING = ("requested", "active", "suspended")


def open_for_requesters(apps, schema_editor):
    Agent = apps.get_model("programs", "Agent")
    LibraryAccess = apps.get_model("training", "LibraryAccess")
    LibraryAccess.objects.bulk_create(
        LibraryAccess(business_id=business_id, agent_id=user_id, open=True)
        for business_id, user_id in Agent.objects.filter(support_access__in=_OPENS_TRAINING)
        .values_list("business_id", "user_id")
        .iterator()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0001_initial"),
        ("training", "0002_track_moves_here"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="LibraryAccess",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("open", models.BooleanField()),
                ("changed_at", models.DateTimeField(default=refairn.core.clock.now)),
                (
                    "agent",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "business",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="programs.business",
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "library access",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("business", "agent"), name="unique_library_access"
                    )
                ],
            },
        ),
        migrations.RunPython(open_for_requesters, migrations.RunPython.noop),
    ]
