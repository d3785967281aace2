"""Small SQL helpers shared by set-based services."""

from __future__ import annotations

import json
from datetime import datetime

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.db.models.expressions import RawSQL


def values_of(values: list[str]) -> RawSQL:
    """A subquery yielding ``values``, passed as one JSON parameter: 100,000 employee numbers are one bound
    value, not 100,000 (SQLite allows 32,766 parameters per statement). Use as ``field__in=values_of(...)``."""
    if connection.vendor == "postgresql":
        return RawSQL("SELECT jsonb_array_elements_text(%s::jsonb)", [json.dumps(values)])
    return RawSQL("SELECT value FROM json_each(%s)", [json.dumps(values)])


def _adapt(value):
    # Raw statements skip the fields' own preparation: datetimes go through the backend's adapter (SQLite
    # stores them as naive UTC text); everything else passes as is.
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    return value


def _rows_source(model, columns: list[str], rows: list[tuple]) -> tuple[str, list]:
    """``rows`` as a table expression named ``v`` with the given column names, and its parameters.

    PostgreSQL gets every row in one JSON parameter (``jsonb_to_recordset``): psycopg's client-side binding
    scans the statement once per placeholder, so 10,000 placeholders cost more than the insert itself.
    SQLite binds natively, so a VALUES list is cheapest there."""
    qn = connection.ops.quote_name
    if connection.vendor == "postgresql":
        by_column = {f.column: f for f in model._meta.concrete_fields}
        types = ", ".join(
            f"{qn(c)} {by_column[c].rel_db_type(connection) if by_column[c].remote_field else by_column[c].db_type(connection)}"
            for c in columns
        )
        data = json.dumps([dict(zip(columns, r, strict=True)) for r in rows], cls=DjangoJSONEncoder)
        return f"jsonb_to_recordset(%s::jsonb) AS v({types})", [data]
    row = "(" + ", ".join(["%s"] * len(columns)) + ")"
    names = ", ".join(f"column{n} AS {qn(c)}" for n, c in enumerate(columns, start=1))
    # identifiers come from the model and are quoted; every value is a bound parameter
    values = ", ".join([row] * len(rows))
    sql = f"(SELECT {names} FROM (VALUES {values})) AS v"  # noqa: S608
    return sql, [_adapt(v) for r in rows for v in r]


def insert_rows(model, columns: list[str], rows: list[tuple], *, returning: tuple[str, ...] = ()) -> list[tuple]:
    """One INSERT of ``rows`` (plain values in the order of ``columns``, the table's column names) into
    ``model``'s table, without the ORM's per-value work, which is most of the time of a bulk_create of 100,000
    rows. Returns the ``returning`` columns of the new rows, in no promised order: return a key with the id."""
    if not rows:
        return []
    qn = connection.ops.quote_name
    source, params = _rows_source(model, columns, rows)
    names = ", ".join(qn(c) for c in columns)
    sql = f"INSERT INTO {qn(model._meta.db_table)} ({names}) SELECT {names} FROM {source}"  # noqa: S608
    if returning:
        sql += " RETURNING " + ", ".join(qn(c) for c in returning)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [tuple(r) for r in cursor.fetchall()] if returning else []


def update_rows(model, columns: list[str], rows: list[tuple]) -> None:
    """One UPDATE … FROM setting ``columns`` of each row of ``model``'s table; every tuple in ``rows`` is
    ``(pk, *values)``. The ORM's bulk_update builds a CASE per column and row, slower to compile than to run."""
    if not rows:
        return
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    pk = model._meta.pk.column
    source, params = _rows_source(model, [pk, *columns], rows)
    assignments = ", ".join(f"{qn(c)} = v.{qn(c)}" for c in columns)
    sql = f"UPDATE {table} SET {assignments} FROM {source} WHERE {table}.{qn(pk)} = v.{qn(pk)}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
