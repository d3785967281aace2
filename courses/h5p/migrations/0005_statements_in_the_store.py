"""H5P statements move into the statement store (``xapi.Statement``): one store for every statement.

The JSON and the id go to the store; ``H5PStatement`` keeps what H5P needs (whose, which activity
and attempt) and points at its statement.
"""

import django.db.models.deletion
from django.db import migrations, models

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
    dependencies = [
        ("h5p", "0004_times_as_received"),
        ("xapi", "0001_initial"),
    ]

    operations = [
        migrations.RenameField(model_name="h5pstatement", old_name="statement_id", new_name="statement_uuid"),
        migrations.AddField(
            model_name="h5pstatement",
            name="statement",
            field=models.OneToOneField(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="h5p",
                to="xapi.statement",
            ),
        ),
        migrations.RunPython(move_into_store, back_from_store),
        migrations.RemoveField(model_name="h5pstatement", name="statement_uuid"),
        migrations.RemoveField(model_name="h5pstatement", name="raw"),
        migrations.AlterField(
            model_name="h5pstatement",
            name="statement",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.CASCADE, related_name="h5p", to="xapi.statement"
            ),
        ),
        migrations.AlterModelOptions(
            name="h5pstatement",
            options={"verbose_name": "H5P statement", "verbose_name_plural": "H5P statements"},
        ),
    ]
