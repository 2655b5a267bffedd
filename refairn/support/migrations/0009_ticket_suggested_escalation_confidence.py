
from typing import Any

from django.db import migrations, models


def phrase_suggestions_are_certain(apps: Any, schema_editor: Any) -> None:
    # Until now only the phrase rules suggested an escalation, and a phrase hit is certain.
    Ticket = apps.get_model("support", "Ticket")
    Ticket.objects.exclude(suggested_escalation="").update(suggested_escalation_confidence=1.0)


class Migration(migrations.Migration):

    dependencies = [
        ("support", "0008_ticket_sweep_partial_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="ticket",
            name="suggested_escalation_confidence",
            field=models.FloatField(blank=True, null=True),
        ),
        migrations.RunPython(phrase_suggestions_are_certain, migrations.RunPython.noop),
    ]
