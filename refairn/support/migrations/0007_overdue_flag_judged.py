from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("support", "0006_list_keyset_indexes"),
    ]

    operations = [
        # Flags raised before this migration were judged by the sweep that raised them.
        migrations.AddField(
            model_name="overdueflag",
            name="judged",
            field=models.BooleanField(default=True),
        ),
        migrations.AlterField(
            model_name="overdueflag",
            name="judged",
            field=models.BooleanField(default=False),
        ),
    ]
