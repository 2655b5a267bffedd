"""``Track`` moves to the training app (issue 10). Step 1 of 4: the table and its prerequisites
table take the training app's names; the model state stays here until the foreign keys that
point at it have moved (training 0002, assessments 0003, certification 0004)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0002_grants_and_reminders"),
        ("assessments", "0002_attemptquestion_matched_keywords"),
        ("training", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                # Renames certification_track and certification_track_prerequisites; rows,
                # constraints and the foreign keys that point at them stay as they are.
                migrations.AlterModelTable(name="track", table="training_track"),
            ],
        ),
    ]
