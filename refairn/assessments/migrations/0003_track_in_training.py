"""``Track`` moved to the training app (issue 10). Step 3 of 4: the questions' and attempts'
foreign keys point at it there; the columns and rows stay as they are."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0002_attemptquestion_matched_keywords"),
        ("training", "0002_track_moves_here"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="question",
                    name="track",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="questions",
                        to="training.track",
                    ),
                ),
                migrations.AlterField(
                    model_name="attempt",
                    name="track",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="attempts",
                        to="training.track",
                    ),
                ),
            ],
        ),
    ]
