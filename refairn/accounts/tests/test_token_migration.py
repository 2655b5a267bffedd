"""Issue 18: the migration that adds names and expiry leaves existing tokens working: each
gets a public id and a name, and no expiry."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from refairn.accounts.services import hash_token, user_for_token

BEFORE = [("accounts", "0001_initial")]


def migrate(targets: list[tuple[str, str]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor


@pytest.mark.django_db(transaction=True)
def test_existing_tokens_get_a_name_an_id_and_no_expiry() -> None:
    try:
        old = migrate(BEFORE).loader.project_state(BEFORE).apps
        user = old.get_model("accounts", "User").objects.create(email="old@x.test", name="Old")
        token = old.get_model("accounts", "ApiToken")
        token.objects.create(user=user, key_hash=hash_token("first"))
        token.objects.create(user=user, key_hash=hash_token("second"))
    finally:
        latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
        new = migrate(latest).loader.project_state(latest).apps.get_model("accounts", "ApiToken")
    rows = list(new.objects.values("public_id", "name", "expires_at", "revoked_at"))
    assert len({row["public_id"] for row in rows}) == 2
    assert all(row["public_id"] is not None for row in rows)
    assert {row["name"] for row in rows} == {"API token"}
    assert all(row["expires_at"] is None and row["revoked_at"] is None for row in rows)
    found = user_for_token("first")
    assert found is not None and found.email == "old@x.test"
