"""An attempt no longer points at a certification (issue 10: the exam engine never depends on
certification). A certification is one per track and agent, so the attempt's track and agent
find it, and the attempt number stays unique per track, agent and cycle as it was per
certification and cycle."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0003_track_in_training"),
        ("certification", "0004_track_leaves"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="attempt", name="unique_attempt_number"),
        migrations.AddConstraint(
            model_name="attempt",
            constraint=models.UniqueConstraint(
                fields=("track", "agent", "cycle", "number"), name="unique_attempt_number"
            ),
        ),
        migrations.RemoveField(model_name="attempt", name="certification"),
    ]
