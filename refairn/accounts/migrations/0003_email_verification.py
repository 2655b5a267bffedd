from django.db import migrations, models
from django.db.models import F


def existing_accounts_are_verified(apps, schema_editor):
    """Accounts made before verification existed keep every link they had."""
    apps.get_model("accounts", "User").objects.update(email_verified_at=F("date_joined"))


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_named_expiring_tokens_and_totp")]

    operations = [
        migrations.AddField(
            model_name="user",
            name="email_verified_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(existing_accounts_are_verified, migrations.RunPython.noop),
    ]
