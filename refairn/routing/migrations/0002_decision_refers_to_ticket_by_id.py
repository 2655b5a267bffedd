"""A routing decision refers to its ticket by id (issue 10: routing sits below support and
needs nothing of it). The column and its values stay; only the foreign key constraint goes,
then the field becomes a plain, unique UUID."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("routing", "0001_initial"),
        ("support", "0005_support_access_state"),
    ]

    operations = [
        migrations.AlterField(
            model_name="routingdecision",
            name="ticket",
            field=models.OneToOneField(
                db_constraint=False,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="routing_decision",
                to="support.ticket",
            ),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name="routingdecision", name="ticket"),
                migrations.AddField(
                    model_name="routingdecision",
                    name="ticket_id",
                    field=models.UUIDField(unique=True),
                    preserve_default=False,
                ),
            ],
        ),
    ]
