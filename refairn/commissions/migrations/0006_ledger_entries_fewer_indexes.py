"""Issue 17: every row a run writes goes into every index of its ledger table, so the ledgers
keep only the indexes a query uses. The single-column indexes on ``business_id`` and
``agent_id`` duplicate the leading column of (business, period) and (agent, period); on
PostgreSQL the ``varchar_pattern_ops`` index Django adds beside the unique ``key`` serves
prefix searches (LIKE), which no query makes of keys.

The state change (``db_index=False``) is paired with a plain DROP INDEX rather than Django's
AlterField, which on SQLite rebuilds the table and would lose migration 0002's append-only
triggers with it.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MODELS = ("referralentry", "supportentry")
COLUMNS = ("business_id", "agent_id")


def _indexes(schema_editor, model):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        return connection.introspection.get_constraints(cursor, model._meta.db_table)


def drop(apps, schema_editor):
    for name in MODELS:
        model = apps.get_model("commissions", name)
        for index, info in _indexes(schema_editor, model).items():
            single = info["index"] and not info["unique"] and not info["primary_key"]
            if single and info["columns"] in [[column] for column in COLUMNS]:
                schema_editor.execute(schema_editor._delete_index_sql(model, index))
            elif info["columns"] == ["key"] and index.endswith("_like"):
                schema_editor.execute(schema_editor._delete_index_sql(model, index))


def restore(apps, schema_editor):
    for name in MODELS:
        model = apps.get_model("commissions", name)
        for field_name in ("business", "agent"):
            field = model._meta.get_field(field_name)
            schema_editor.execute(schema_editor._create_index_sql(model, fields=[field]))
        if schema_editor.connection.vendor == "postgresql":
            key = model._meta.get_field("key")
            schema_editor.execute(schema_editor._create_like_index_sql(model, key))


def _alter(model_name, field_name, to):
    return migrations.AlterField(
        model_name=model_name,
        name=field_name,
        field=models.ForeignKey(
            db_index=False,
            on_delete=django.db.models.deletion.PROTECT,
            related_name="+",
            to=to,
        ),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("commissions", "0005_run_marker"),
        ("programs", "0005_agent_support_level"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                _alter(model_name, field_name, to)
                for model_name in MODELS
                for field_name, to in (
                    ("agent", settings.AUTH_USER_MODEL),
                    ("business", "programs.business"),
                )
            ],
            database_operations=[migrations.RunPython(drop, restore)],
        ),
    ]
