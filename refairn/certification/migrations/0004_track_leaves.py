"""``Track`` moved to the training app (issue 10). Step 4 of 4: certifications point at it there,
and the model leaves this app's state (its table is already training_track)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0003_track_table_moves_to_training"),
        ("training", "0002_track_moves_here"),
        ("assessments", "0003_track_in_training"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="certification",
                    name="track",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="certifications",
                        to="training.track",
                    ),
                ),
                migrations.DeleteModel(name="Track"),
            ],
        ),
    ]
