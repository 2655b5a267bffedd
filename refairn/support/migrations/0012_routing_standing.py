"""Issue 17: each agent's routing standing (open workload, last routed at), stored and kept by
triggers on tickets and routing decisions in the transaction of the write that moves it, so
routing reads one row per agent instead of counting tickets and scanning decisions.

PostgreSQL: row triggers calling two plpgsql functions (upserts on the standing's unique key).
SQLite: one trigger per write, creating the row if needed, then adjusting it.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


# What counts toward an agent's open workload: ``support.domain.tickets.OPEN_WORKLOAD`` as it
# was when this migration was written (a test recounts with the live constant and compares).
COUNTED = "('open', 'pending')"
STANDING = "support_routingstanding"

POSTGRESQL = [
    f"""
CREATE OR REPLACE FUNCTION support_routing_standing_ticket() RETURNS trigger AS $$
DECLARE
    was_counted boolean := false;
    is_counted boolean := false;
BEGIN
    IF TG_OP <> 'INSERT' THEN
        was_counted := OLD.assigned_agent_id IS NOT NULL AND OLD.status IN {COUNTED};
    END IF;
    IF TG_OP <> 'DELETE' THEN
        is_counted := NEW.assigned_agent_id IS NOT NULL AND NEW.status IN {COUNTED};
    END IF;
    IF was_counted AND is_counted AND OLD.business_id = NEW.business_id
       AND OLD.assigned_agent_id = NEW.assigned_agent_id THEN
        RETURN NULL;
    END IF;
    IF was_counted THEN
        UPDATE {STANDING} SET open_workload = open_workload - 1
         WHERE business_id = OLD.business_id AND agent_id = OLD.assigned_agent_id;
    END IF;
    IF is_counted THEN
        INSERT INTO {STANDING} (business_id, agent_id, open_workload)
        VALUES (NEW.business_id, NEW.assigned_agent_id, 1)
        ON CONFLICT (business_id, agent_id)
        DO UPDATE SET open_workload = {STANDING}.open_workload + 1;
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql
""",
    """
CREATE TRIGGER support_ticket_routing_standing
AFTER INSERT OR DELETE OR UPDATE OF status, assigned_agent_id, business_id ON support_ticket
FOR EACH ROW EXECUTE FUNCTION support_routing_standing_ticket()
""",
    # A moved or deleted decision (cascades, a deleted user) recounts the agent's latest from
    # the (business, agent, at) index; a new one can only make it later.
    f"""
CREATE OR REPLACE FUNCTION support_routing_standing_decision() RETURNS trigger AS $$
BEGIN
    IF TG_OP <> 'INSERT' AND OLD.agent_id IS NOT NULL THEN
        UPDATE {STANDING} SET last_routed_at = (
            SELECT MAX(d.at) FROM routing_routingdecision d
             WHERE d.business_id = OLD.business_id AND d.agent_id = OLD.agent_id)
         WHERE business_id = OLD.business_id AND agent_id = OLD.agent_id;
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.agent_id IS NOT NULL THEN
        INSERT INTO {STANDING} (business_id, agent_id, open_workload, last_routed_at)
        VALUES (NEW.business_id, NEW.agent_id, 0, NEW.at)
        ON CONFLICT (business_id, agent_id)
        DO UPDATE SET last_routed_at = GREATEST({STANDING}.last_routed_at, EXCLUDED.last_routed_at);
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql
""",
    """
CREATE TRIGGER routing_decision_routing_standing
AFTER INSERT OR DELETE OR UPDATE OF agent_id, business_id, at ON routing_routingdecision
FOR EACH ROW EXECUTE FUNCTION support_routing_standing_decision()
""",
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS support_ticket_routing_standing ON support_ticket",
    "DROP TRIGGER IF EXISTS routing_decision_routing_standing ON routing_routingdecision",
    "DROP FUNCTION IF EXISTS support_routing_standing_ticket()",
    "DROP FUNCTION IF EXISTS support_routing_standing_decision()",
]


def _counted(row: str) -> str:
    return f"{row}.assigned_agent_id IS NOT NULL AND {row}.status IN {COUNTED}"


def _add(row: str, agent: str, when: str = "1") -> str:
    """SQLite: one more open ticket for ``row``'s agent, creating their standing if needed."""
    return f"""
    INSERT OR IGNORE INTO {STANDING} (business_id, agent_id, open_workload)
        SELECT {row}.business_id, {row}.{agent}, 0 WHERE {when};
    UPDATE {STANDING} SET open_workload = open_workload + 1
     WHERE {when} AND business_id = {row}.business_id AND agent_id = {row}.{agent};"""


def _remove(row: str, when: str = "1") -> str:
    return f"""
    UPDATE {STANDING} SET open_workload = open_workload - 1
     WHERE {when} AND business_id = {row}.business_id AND agent_id = {row}.assigned_agent_id;"""


def _routed(row: str) -> str:
    return f"""
    INSERT OR IGNORE INTO {STANDING} (business_id, agent_id, open_workload)
        SELECT {row}.business_id, {row}.agent_id, 0 WHERE {row}.agent_id IS NOT NULL;
    UPDATE {STANDING} SET last_routed_at = {row}.at
     WHERE business_id = {row}.business_id AND agent_id = {row}.agent_id
       AND (last_routed_at IS NULL OR last_routed_at < {row}.at);"""


def _recount_routed(row: str) -> str:
    return f"""
    UPDATE {STANDING} SET last_routed_at = (
        SELECT MAX(d.at) FROM routing_routingdecision d
         WHERE d.business_id = {row}.business_id AND d.agent_id = {row}.agent_id)
     WHERE business_id = {row}.business_id AND agent_id = {row}.agent_id;"""


# SQLite keeps datetimes as ISO text of one format, so text order is time order.
SAME_OWNER = (
    f"({_counted('OLD')}) AND ({_counted('NEW')}) AND OLD.business_id = NEW.business_id"
    " AND OLD.assigned_agent_id = NEW.assigned_agent_id"
)
SQLITE = [
    f"""CREATE TRIGGER support_ticket_standing_insert AFTER INSERT ON support_ticket
        WHEN {_counted("NEW")} BEGIN {_add("NEW", "assigned_agent_id")} END""",
    f"""CREATE TRIGGER support_ticket_standing_update
        AFTER UPDATE OF status, assigned_agent_id, business_id ON support_ticket
        WHEN (({_counted("OLD")}) OR ({_counted("NEW")})) AND NOT ({SAME_OWNER})
        BEGIN {_remove("OLD", _counted("OLD"))} {_add("NEW", "assigned_agent_id", _counted("NEW"))}
        END""",
    f"""CREATE TRIGGER support_ticket_standing_delete AFTER DELETE ON support_ticket
        WHEN {_counted("OLD")} BEGIN {_remove("OLD")} END""",
    f"""CREATE TRIGGER routing_decision_standing_insert AFTER INSERT ON routing_routingdecision
        WHEN NEW.agent_id IS NOT NULL BEGIN {_routed("NEW")} END""",
    f"""CREATE TRIGGER routing_decision_standing_update
        AFTER UPDATE OF agent_id, business_id, at ON routing_routingdecision
        BEGIN {_recount_routed("OLD")} {_routed("NEW")} END""",
    f"""CREATE TRIGGER routing_decision_standing_delete AFTER DELETE ON routing_routingdecision
        WHEN OLD.agent_id IS NOT NULL BEGIN {_recount_routed("OLD")} END""",
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS {name}"
    for name in (
        "support_ticket_standing_insert",
        "support_ticket_standing_update",
        "support_ticket_standing_delete",
        "routing_decision_standing_insert",
        "routing_decision_standing_update",
        "routing_decision_standing_delete",
    )
]


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in {"postgresql": POSTGRESQL, "sqlite": SQLITE}.get(vendor, []):
        schema_editor.execute(statement)


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in {"postgresql": POSTGRESQL_DROP, "sqlite": SQLITE_DROP}.get(vendor, []):
        schema_editor.execute(statement)


def backfill(apps, schema_editor):
    """The standing of every agent with open tickets or a routing decision, counted once;
    the triggers keep it from here on."""
    Ticket = apps.get_model("support", "Ticket")
    RoutingDecision = apps.get_model("routing", "RoutingDecision")
    RoutingStanding = apps.get_model("support", "RoutingStanding")
    standing = {}
    for business_id, agent_id, count in (
        Ticket.objects.filter(assigned_agent__isnull=False, status__in=["open", "pending"])
        .order_by()
        .values_list("business_id", "assigned_agent_id")
        .annotate(n=models.Count("*"))
    ):
        standing[business_id, agent_id] = [count, None]
    for business_id, agent_id, at in (
        RoutingDecision.objects.filter(agent__isnull=False)
        .order_by()
        .values_list("business_id", "agent_id")
        .annotate(at=models.Max("at"))
    ):
        standing.setdefault((business_id, agent_id), [0, None])[1] = at
    RoutingStanding.objects.bulk_create(
        RoutingStanding(business_id=b, agent_id=a, open_workload=n, last_routed_at=at)
        for (b, a), (n, at) in standing.items()
    )


class Migration(migrations.Migration):

    dependencies = [
        ('programs', '0005_agent_support_level'),
        ('support', '0011_ticket_event_and_message_time_indexes'),
        ('routing', '0004_decisions_kept_on_reroute'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='RoutingStanding',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('open_workload', models.PositiveIntegerField(default=0)),
                ('last_routed_at', models.DateTimeField(blank=True, null=True)),
                ('agent', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('business', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='programs.business')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('business', 'agent'), name='unique_routing_standing')],
            },
        ),
        migrations.RunPython(create_triggers, drop_triggers),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
