"""Issue 11 item 3: a passed renewal can wait for the business's approval. Issue 13/18: expiry
reminders are recorded by their notifications' dedupe keys, so the old one-reminder guard goes."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0004_track_leaves"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="certification",
            name="expiry_reminder_for",
        ),
        migrations.AddField(
            model_name="certification",
            name="renewal_passed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
