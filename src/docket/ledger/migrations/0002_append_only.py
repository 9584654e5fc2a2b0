"""The database itself refuses UPDATE and DELETE on the append-only ledger tables."""

from __future__ import annotations

from typing import Any

from django.db import migrations

from docket.ledger.triggers import FIRST_TABLES, create_sql, drop_sql


def forwards(apps: Any, schema_editor: Any) -> None:
    for sql in create_sql(schema_editor.connection.vendor, FIRST_TABLES):
        schema_editor.execute(sql)


def backwards(apps: Any, schema_editor: Any) -> None:
    for sql in drop_sql(schema_editor.connection.vendor, FIRST_TABLES):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
