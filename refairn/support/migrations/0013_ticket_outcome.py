"""Issue 17: each ticket's routing-impact figures (``TicketOutcome``), stored and recounted per
ticket by triggers on tickets, ticket events, messages, routing decisions and ratings, in the
transaction of the write that moves them, so the dashboard reads one row per ticket of its
window instead of aggregating all their events, replies and decisions.

One recount statement serves both engines (row-valued SET, SQLite 3.15+): PostgreSQL calls it
from plpgsql row triggers, SQLite runs it in each trigger's body. The backfill runs it once
over every ticket.
"""

import django.db.models.deletion
from django.db import migrations, models

OUTCOME = "support_ticketoutcome"
# What the dashboard counts, as ``reporting.selectors.routing`` did when this was written (a
# test compares the stored figures with that recount).
EVENTS = "('resolve', 'reopen', 'escalate')"
REPLY = "{row}.party IN ('agent', 'staff') AND NOT {row}.internal"
CHILDREN = ("support_ticketevent", "support_ticketmessage", "routing_routingdecision", "support_rating")
# Only these inserts move a figure; any update or delete of a child recounts its ticket.
COUNTED_INSERT = {
    "support_ticketevent": f"NEW.event IN {EVENTS}",
    "support_ticketmessage": REPLY.format(row="NEW"),
    "routing_routingdecision": "1 = 1",
    "support_rating": "1 = 1",
}


def recount(where: str) -> str:
    """The statement recounting the outcomes ``where`` selects, from their ticket's rows."""
    o = OUTCOME
    return f"""UPDATE {o} SET
    (resolves, reopens, escalations, events_from, events_to) = (
        SELECT COUNT(CASE WHEN e.event = 'resolve' THEN 1 END),
               COUNT(CASE WHEN e.event = 'reopen' THEN 1 END),
               COUNT(CASE WHEN e.event = 'escalate' THEN 1 END), MIN(e.at), MAX(e.at)
          FROM support_ticketevent e WHERE e.ticket_id = {o}.ticket_id AND e.event IN {EVENTS}),
    (replies, replies_from, replies_to) = (
        SELECT COUNT(*), MIN(m.created_at), MAX(m.created_at)
          FROM support_ticketmessage m
         WHERE m.ticket_id = {o}.ticket_id AND {REPLY.format(row="m")}),
    (rule_name, by_certification, decided_at) = (
        SELECT d.rule_name, d.by_certification, d.at FROM routing_routingdecision d
         WHERE d.ticket_id = {o}.ticket_id AND d.business_id = {o}.business_id
         ORDER BY d.at DESC, d.id DESC LIMIT 1),
    (rating_overall, rated_at) = (
        SELECT r.overall, r.created_at FROM support_rating r WHERE r.ticket_id = {o}.ticket_id)
 WHERE {where}"""


def _insert(row: str) -> str:
    return f"""INSERT INTO {OUTCOME}
    (ticket_id, business_id, created_at, resolves, reopens, escalations, replies)
    VALUES ({row}.id, {row}.business_id, {row}.created_at, 0, 0, 0, 0)"""


TICKET_MOVED = (
    "OLD.business_id IS DISTINCT FROM NEW.business_id OR OLD.created_at IS DISTINCT FROM NEW.created_at"
)

POSTGRESQL = [
    f"""
CREATE OR REPLACE FUNCTION support_ticket_outcome_recount(recounted uuid) RETURNS void AS $$
BEGIN
    {recount(f"{OUTCOME}.ticket_id = recounted")};
END
$$ LANGUAGE plpgsql
""",
    f"""
CREATE OR REPLACE FUNCTION support_ticket_outcome_ticket() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        {_insert("NEW")};
    ELSE
        UPDATE {OUTCOME} SET business_id = NEW.business_id, created_at = NEW.created_at
         WHERE ticket_id = NEW.id;
        PERFORM support_ticket_outcome_recount(NEW.id);
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql
""",
    """
CREATE OR REPLACE FUNCTION support_ticket_outcome_child() RETURNS trigger AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        PERFORM support_ticket_outcome_recount(OLD.ticket_id);
    END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND OLD.ticket_id IS DISTINCT FROM NEW.ticket_id) THEN
        PERFORM support_ticket_outcome_recount(NEW.ticket_id);
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql
""",
    """
CREATE TRIGGER support_ticket_outcome_insert AFTER INSERT ON support_ticket
FOR EACH ROW EXECUTE FUNCTION support_ticket_outcome_ticket()
""",
    f"""
CREATE TRIGGER support_ticket_outcome_update AFTER UPDATE OF business_id, created_at ON support_ticket
FOR EACH ROW WHEN ({TICKET_MOVED}) EXECUTE FUNCTION support_ticket_outcome_ticket()
""",
    *(
        statement
        for table in CHILDREN
        for statement in (
            f"""
CREATE TRIGGER {table}_outcome_insert AFTER INSERT ON {table}
FOR EACH ROW WHEN ({COUNTED_INSERT[table]}) EXECUTE FUNCTION support_ticket_outcome_child()
""",
            f"""
CREATE TRIGGER {table}_outcome_change AFTER UPDATE OR DELETE ON {table}
FOR EACH ROW EXECUTE FUNCTION support_ticket_outcome_child()
""",
        )
    ),
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS support_ticket_outcome_insert ON support_ticket",
    "DROP TRIGGER IF EXISTS support_ticket_outcome_update ON support_ticket",
    *(
        f"DROP TRIGGER IF EXISTS {table}_outcome_{kind} ON {table}"
        for table in CHILDREN
        for kind in ("insert", "change")
    ),
    "DROP FUNCTION IF EXISTS support_ticket_outcome_child()",
    "DROP FUNCTION IF EXISTS support_ticket_outcome_ticket()",
    "DROP FUNCTION IF EXISTS support_ticket_outcome_recount(uuid)",
]

# SQLite has no IS DISTINCT FROM: IS NOT compares NULLs the same way.
SQLITE = [
    f"""CREATE TRIGGER support_ticket_outcome_insert AFTER INSERT ON support_ticket
        BEGIN {_insert("NEW")}; END""",
    f"""CREATE TRIGGER support_ticket_outcome_update AFTER UPDATE OF business_id, created_at
        ON support_ticket WHEN {TICKET_MOVED.replace("IS DISTINCT FROM", "IS NOT")}
        BEGIN
        UPDATE {OUTCOME} SET business_id = NEW.business_id, created_at = NEW.created_at
         WHERE ticket_id = NEW.id;
        {recount("ticket_id = NEW.id")};
        END""",
    *(
        statement
        for table in CHILDREN
        for statement in (
            f"""CREATE TRIGGER {table}_outcome_insert AFTER INSERT ON {table}
                WHEN {COUNTED_INSERT[table]} BEGIN {recount("ticket_id = NEW.ticket_id")}; END""",
            f"""CREATE TRIGGER {table}_outcome_update AFTER UPDATE ON {table}
                BEGIN {recount("ticket_id IN (OLD.ticket_id, NEW.ticket_id)")}; END""",
            f"""CREATE TRIGGER {table}_outcome_delete AFTER DELETE ON {table}
                BEGIN {recount("ticket_id = OLD.ticket_id")}; END""",
        )
    ),
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS support_ticket_outcome_insert",
    "DROP TRIGGER IF EXISTS support_ticket_outcome_update",
    *(
        f"DROP TRIGGER IF EXISTS {table}_outcome_{kind}"
        for table in CHILDREN
        for kind in ("insert", "update", "delete")
    ),
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
    """Every ticket's outcome, counted once; the triggers keep them from here on."""
    schema_editor.execute(
        f"""INSERT INTO {OUTCOME}
        (ticket_id, business_id, created_at, resolves, reopens, escalations, replies)
        SELECT id, business_id, created_at, 0, 0, 0, 0 FROM support_ticket"""
    )
    schema_editor.execute(recount("1 = 1"))


class Migration(migrations.Migration):

    dependencies = [
        ('programs', '0005_agent_support_level'),
        ('support', '0012_routing_standing'),
        ('routing', '0004_decisions_kept_on_reroute'),
    ]

    operations = [
        migrations.CreateModel(
            name='TicketOutcome',
            fields=[
                ('ticket', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='outcome', serialize=False, to='support.ticket')),
                ('created_at', models.DateTimeField()),
                ('resolves', models.PositiveIntegerField(default=0)),
                ('reopens', models.PositiveIntegerField(default=0)),
                ('escalations', models.PositiveIntegerField(default=0)),
                ('events_from', models.DateTimeField(blank=True, null=True)),
                ('events_to', models.DateTimeField(blank=True, null=True)),
                ('replies', models.PositiveIntegerField(default=0)),
                ('replies_from', models.DateTimeField(blank=True, null=True)),
                ('replies_to', models.DateTimeField(blank=True, null=True)),
                ('rule_name', models.CharField(blank=True, max_length=100, null=True)),
                ('by_certification', models.BooleanField(blank=True, null=True)),
                ('decided_at', models.DateTimeField(blank=True, null=True)),
                ('rating_overall', models.PositiveSmallIntegerField(blank=True, null=True)),
                ('rated_at', models.DateTimeField(blank=True, null=True)),
                ('business', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='programs.business')),
            ],
            options={
                'indexes': [models.Index(fields=['business', 'created_at'], name='ticketoutcome_window')],
            },
        ),
        migrations.RunPython(create_triggers, drop_triggers),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
