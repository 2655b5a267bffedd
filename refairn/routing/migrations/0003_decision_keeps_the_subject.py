"""The routing log keeps each ticket's subject as it was routed (it no longer reads support's
tickets); existing decisions take their ticket's current subject."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_subjects(apps, schema_editor):
    RoutingDecision = apps.get_model("routing", "RoutingDecision")
    Ticket = apps.get_model("support", "Ticket")
    RoutingDecision.objects.update(
        subject=Subquery(Ticket.objects.filter(pk=OuterRef("ticket_id")).values("subject")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("routing", "0002_decision_refers_to_ticket_by_id"),
        ("support", "0005_support_access_state"),
    ]

    operations = [
        migrations.AddField(
            model_name="routingdecision",
            name="subject",
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.RunPython(copy_subjects, migrations.RunPython.noop),
    ]
