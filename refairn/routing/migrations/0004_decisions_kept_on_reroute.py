"""Routing a reopened ticket again adds a decision instead of replacing the first: reports as
of a past instant read the routing that stood then (issue 11 item 17)."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('programs', '0002_support_access_moves_to_support'),
        ('routing', '0003_decision_keeps_the_subject'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='routingdecision',
            name='ticket_id',
            field=models.UUIDField(),
        ),
        migrations.AddIndex(
            model_name='routingdecision',
            index=models.Index(fields=['ticket_id', 'at'], name='routing_rou_ticket__57e2ed_idx'),
        ),
    ]
