"""PRODUCT.md §10: ledger entries are append-only. The models refuse updates and deletes in code;
these triggers make the database refuse them too, whatever client sends the SQL.

PostgreSQL: a row trigger raising on UPDATE and DELETE. TRUNCATE (table owner only) stays
possible: it is an administrative reset, and the test runner's flush uses it.
SQLite: BEFORE UPDATE / BEFORE DELETE triggers that abort the statement.
"""

from django.db import migrations

TABLES = ("commissions_referralentry", "commissions_supportentry")
MESSAGE = "commission ledgers are append-only: post a reversing entry instead"


def _postgresql(table: str) -> tuple[list[str], list[str]]:
    trigger = f"{table}_append_only"
    forward = [
        f"""CREATE TRIGGER {trigger} BEFORE UPDATE OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION commissions_refuse_change()"""
    ]
    backward = [f"DROP TRIGGER IF EXISTS {trigger} ON {table}"]
    return forward, backward


def _sqlite(table: str) -> tuple[list[str], list[str]]:
    forward, backward = [], []
    for operation in ("UPDATE", "DELETE"):
        trigger = f"{table}_no_{operation.lower()}"
        forward.append(
            f"""CREATE TRIGGER {trigger} BEFORE {operation} ON {table}
                BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"""
        )
        backward.append(f"DROP TRIGGER IF EXISTS {trigger}")
    return forward, backward


# The message is concatenated rather than built with RAISE's percent placeholders: the
# database driver would read a percent sign in the statement as a query parameter.
POSTGRESQL_FUNCTION = f"""
CREATE OR REPLACE FUNCTION commissions_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING MESSAGE = '{MESSAGE} (' || TG_OP || ' on ' || TG_TABLE_NAME || ')';
END
$$ LANGUAGE plpgsql
"""


def _statements(vendor: str, *, forward: bool) -> list[str]:
    if vendor == "postgresql":
        statements = [POSTGRESQL_FUNCTION] if forward else []
        for table in TABLES:
            statements += _postgresql(table)[0 if forward else 1]
        if not forward:
            statements.append("DROP FUNCTION IF EXISTS commissions_refuse_change()")
        return statements
    if vendor == "sqlite":
        statements = []
        for table in TABLES:
            statements += _sqlite(table)[0 if forward else 1]
        return statements
    return []  # other engines: the models' own refusals are the only guard


def create_triggers(apps, schema_editor):
    for statement in _statements(schema_editor.connection.vendor, forward=True):
        schema_editor.execute(statement)


def drop_triggers(apps, schema_editor):
    for statement in _statements(schema_editor.connection.vendor, forward=False):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("commissions", "0001_initial")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
