"""``Track`` moves here from the certification app (issue 10). Step 2 of 4: the model enters
this app's state over the table certification 0003 renamed; no row is touched."""

import uuid

import django.db.models.deletion
from django.db import migrations, models

import refairn.core.clock


def move_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="certification", model="track").update(
        app_label="training"
    )


def restore_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="training", model="track").update(
        app_label="certification"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("programs", "0001_initial"),
        ("training", "0001_initial"),
        ("certification", "0003_track_table_moves_to_training"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Track",
                    fields=[
                        (
                            "id",
                            models.UUIDField(
                                default=uuid.uuid4, editable=False, primary_key=True, serialize=False
                            ),
                        ),
                        ("name", models.CharField(max_length=120)),
                        ("description", models.TextField(blank=True)),
                        (
                            "requirement",
                            models.CharField(
                                choices=[
                                    ("required", "required"),
                                    ("recommended", "recommended"),
                                    ("optional", "optional"),
                                ],
                                max_length=16,
                            ),
                        ),
                        (
                            "min_level",
                            models.CharField(
                                blank=True,
                                choices=[("L1", "L1"), ("L2", "L2"), ("L3", "L3")],
                                max_length=2,
                            ),
                        ),
                        ("estimated_days", models.PositiveSmallIntegerField(blank=True, null=True)),
                        ("passing_score", models.DecimalField(decimal_places=2, max_digits=5)),
                        ("recertification_months", models.PositiveSmallIntegerField()),
                        ("security_critical", models.BooleanField(default=False)),
                        ("badge_name", models.CharField(max_length=80)),
                        ("badge_icon", models.CharField(blank=True, max_length=16)),
                        (
                            "assessment_mode",
                            models.CharField(
                                choices=[("fixed", "fixed"), ("adaptive", "adaptive")],
                                default="fixed",
                                max_length=8,
                            ),
                        ),
                        ("question_count", models.PositiveSmallIntegerField()),
                        ("time_limit_minutes", models.PositiveSmallIntegerField()),
                        ("position", models.PositiveSmallIntegerField(default=0)),
                        ("created_at", models.DateTimeField(default=refairn.core.clock.now)),
                        (
                            "business",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="tracks",
                                to="programs.business",
                            ),
                        ),
                        (
                            "prerequisites",
                            models.ManyToManyField(
                                blank=True, related_name="+", to="training.track"
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["position", "created_at"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("business", "name"), name="unique_track_name"
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("passing_score__gte", 0), ("passing_score__lte", 100)
                                ),
                                name="track_passing_score_percent",
                            ),
                        ],
                    },
                ),
                migrations.AlterField(
                    model_name="module",
                    name="track",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="modules",
                        to="training.track",
                    ),
                ),
            ],
        ),
        migrations.RunPython(move_content_type, restore_content_type),
    ]
