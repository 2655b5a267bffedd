"""Issue 17: each attempt question carries its attempt's business, indexed with the question, so
one business's item statistics stop reading every business's draws.

The column is added empty, filled from the attempts in batches of primary keys (one short
UPDATE each, committed on its own on PostgreSQL: the migration is not atomic, so a table of
millions of rows is never locked in one long transaction), then made required and indexed.
The UPDATE's correlated subquery is plain SQL both engines run.
"""

import django.db.models.deletion
from django.db import migrations, models, transaction

BATCH = 50_000


def fill_business(apps, schema_editor):
    AttemptQuestion = apps.get_model("assessments", "AttemptQuestion")
    connection = schema_editor.connection
    table = connection.ops.quote_name(AttemptQuestion._meta.db_table)
    attempts = connection.ops.quote_name(apps.get_model("assessments", "Attempt")._meta.db_table)
    bounds = AttemptQuestion.objects.using(connection.alias).aggregate(
        low=models.Min("id"), high=models.Max("id")
    )
    if bounds["low"] is None:
        return
    sql = (
        f"UPDATE {table} SET business_id = "  # noqa: S608 - table names quoted, values as params
        f"(SELECT a.business_id FROM {attempts} a WHERE a.id = {table}.attempt_id) "
        f"WHERE id >= %s AND id < %s AND business_id IS NULL"
    )
    for low in range(bounds["low"], bounds["high"] + 1, BATCH):
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute(sql, [low, low + BATCH])


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("assessments", "0007_question_versions"),
        ("programs", "0005_agent_support_level"),
    ]

    operations = [
        migrations.AddField(
            model_name="attemptquestion",
            name="business",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="programs.business",
            ),
        ),
        migrations.RunPython(fill_business, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(
            model_name="attemptquestion",
            name="business",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="programs.business",
            ),
        ),
        migrations.AddIndex(
            model_name="attemptquestion",
            index=models.Index(
                fields=["business", "question", "attempt"], name="attemptq_business_question"
            ),
        ),
    ]
