"""Copy each H5P statement into the statement store and link it (a migration of its own: PostgreSQL
cannot alter a table with pending trigger events in the transaction that wrote its rows)."""

from django.db import migrations

CHUNK = 2000


def move_into_store(apps, schema_editor):
    from assessments.xapi.keys import index_of

    H5PStatement = apps.get_model("h5p", "H5PStatement")
    Statement = apps.get_model("xapi", "Statement")
    StatementRelation = apps.get_model("xapi", "StatementRelation")
    last = 0
    while True:
        chunk = list(H5PStatement.objects.filter(pk__gt=last).order_by("pk")[:CHUNK])
        if not chunk:
            return
        last = chunk[-1].pk
        rows = []
        for link in chunk:
            index = index_of(link.raw)
            rows.append(
                Statement(
                    statement_id=link.statement_uuid,
                    raw=link.raw,
                    stored=link.stored_at,
                    verb_key=index.verb_key,
                    activity_key=index.activity_key,
                    object_ref=index.object_ref,
                    registration=index.registration,
                    person_id=link.person_id,
                )
            )
        created = Statement.objects.bulk_create(rows)
        relations = []
        for link, row in zip(chunk, created, strict=True):
            index = index_of(link.raw)
            direct = index.agents | ({index.activity_key} if index.activity_key else set())
            relations += [StatementRelation(statement_id=row.pk, key=key, direct=True) for key in direct]
            relations += [
                StatementRelation(statement_id=row.pk, key=key, direct=False)
                for key in (index.related_agents | index.related_activities) - direct
            ]
            link.statement_id = row.pk
        StatementRelation.objects.bulk_create(relations)
        H5PStatement.objects.bulk_update(chunk, ["statement"])


def back_from_store(apps, schema_editor):
    H5PStatement = apps.get_model("h5p", "H5PStatement")
    for link in H5PStatement.objects.select_related("statement").iterator():
        link.statement_uuid = link.statement.statement_id
        link.raw = link.statement.raw
        link.save(update_fields=["statement_uuid", "raw"])


class Migration(migrations.Migration):
    dependencies = [("h5p", "0005_statements_in_the_store")]

    operations = [migrations.RunPython(move_into_store, back_from_store)]
