"""Support access moves to the support app (issue 10): its current status gets a table here,
filled from ``programs.Agent.support_access`` (which programs 0002 then drops). An agent whose
access is ``none`` gets no row."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import refairn.core.clock


def copy_from_agents(apps, schema_editor):
    Agent = apps.get_model("programs", "Agent")
    SupportAccess = apps.get_model("support", "SupportAccess")
    SupportAccess.objects.bulk_create(
        SupportAccess(business_id=business_id, agent_id=user_id, status=status)
        for business_id, user_id, status in Agent.objects.exclude(support_access="none")
        .values_list("business_id", "user_id", "support_access")
        .iterator()
    )


def copy_back_to_agents(apps, schema_editor):
    Agent = apps.get_model("programs", "Agent")
    SupportAccess = apps.get_model("support", "SupportAccess")
    for business_id, agent_id, status in SupportAccess.objects.values_list(
        "business_id", "agent_id", "status"
    ).iterator():
        Agent.objects.filter(business_id=business_id, user_id=agent_id).update(
            support_access=status
        )


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0001_initial"),
        ("support", "0004_escalation_example"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="SupportAccess",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("none", "none"),
                            ("requested", "requested"),
                            ("active", "active"),
                            ("suspended", "suspended"),
                            ("removed", "removed"),
                        ],
                        max_length=16,
                    ),
                ),
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
                "verbose_name_plural": "support access",
                "indexes": [
                    models.Index(fields=["business", "status"], name="support_sup_busines_12b0d1_idx")
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("business", "agent"), name="unique_support_access"
                    )
                ],
            },
        ),
        migrations.RunPython(copy_from_agents, copy_back_to_agents),
    ]
