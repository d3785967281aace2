"""Saving many rows' fields in one UPDATE joined to a VALUES list.

Django's ``bulk_update`` writes ``SET f = CASE WHEN id = 1 THEN .. WHEN id = 2 THEN .. END`` for every
field: building those expressions costs Python time per row and field, and the database compares every
row with every WHEN (quadratic in the batch). ``rows_update`` sends ``UPDATE t SET f = v.f FROM (VALUES
(id, f, ..), ..) v WHERE t.id = v.id`` instead: one pass, parameters prepared by each field as Django
would (PostgreSQL and SQLite >= 3.33 both understand ``UPDATE .. FROM``). Other databases fall back to
``bulk_update``. No signals, no ``save()``: like ``bulk_update``.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connections, router
from django.db.models import Model

# Parameters per statement: SQLite's limit is 32,766 (since 3.32), PostgreSQL's 65,535.
_MAX_PARAMS = 30_000


def rows_update(model: type[Model], objs: Sequence[Model], fields: Sequence[str]) -> int:
    """Write ``fields`` of every object in ``objs`` (all saved already) in as few statements as the
    parameter limit allows (one for any batch the H5P writer makes); returns the rows matched."""
    if not objs:
        return 0
    using = router.db_for_write(model)
    connection = connections[using]
    if connection.vendor not in ("postgresql", "sqlite"):
        return model._default_manager.db_manager(using).bulk_update(objs, list(fields))
    opts = model._meta
    pk = opts.pk
    concrete = [opts.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    table = quote(opts.db_table)
    columns = [pk, *concrete]
    per_row = len(columns)
    if connection.vendor == "postgresql":
        cell = [f"%s::{field.cast_db_type(connection)}" for field in columns]
        alias = f"v({', '.join(quote(field.column) for field in columns)})"
        names = [quote(field.column) for field in columns]
    else:  # SQLite names a VALUES list's columns column1, column2, ...
        cell = ["%s"] * per_row
        alias = "v"
        names = [f"column{i}" for i in range(1, per_row + 1)]
    row_sql = "(" + ", ".join(cell) + ")"
    assignments = ", ".join(
        f"{quote(field.column)} = v.{name}" for field, name in zip(concrete, names[1:], strict=True)
    )
    chunk = max(1, _MAX_PARAMS // per_row)
    matched = 0
    with connection.cursor() as cursor:
        for start in range(0, len(objs), chunk):
            part = objs[start : start + chunk]
            params: list = []
            for obj in part:
                params.append(pk.get_db_prep_save(obj.pk, connection))
                for field in concrete:
                    params.append(field.get_db_prep_save(getattr(obj, field.attname), connection))
            values = ", ".join([row_sql] * len(part))
            cursor.execute(
                f"UPDATE {table} SET {assignments} FROM (VALUES {values}) AS {alias} "  # noqa: S608
                f"WHERE {table}.{quote(pk.column)} = v.{names[0]}",
                params,
            )
            matched += cursor.rowcount
    return matched
