"""Link activity competencies to assessments.Competency (merged from the competency engine).

Codes are only unique within a framework, so the code column becomes a foreign key; an old code
that names exactly one competency is carried over, anything else is dropped (there was no
production data before this migration).
"""

import django.db.models.deletion
from django.db import migrations, models


def codes_to_competencies(apps, schema_editor):
    Link = apps.get_model("h5p", "H5PActivityCompetency")
    Competency = apps.get_model("assessments", "Competency")
    for link in Link.objects.all():
        matches = list(Competency.objects.filter(code=link.competency_code).values_list("pk", flat=True)[:2])
        if len(matches) == 1:
            link.competency_id = matches[0]
            link.save(update_fields=["competency"])
        else:
            link.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0002_ship_frameworks"),
        ("h5p", "0001_initial"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="h5pactivitycompetency", name="h5p_activity_competency_unique"),
        migrations.AddField(
            model_name="h5pactivitycompetency",
            name="competency",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="assessments.competency",
                verbose_name="competency",
            ),
        ),
        migrations.RunPython(codes_to_competencies, migrations.RunPython.noop),
        migrations.RemoveField(model_name="h5pactivitycompetency", name="competency_code"),
        migrations.AlterField(
            model_name="h5pactivitycompetency",
            name="competency",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="assessments.competency",
                verbose_name="competency",
            ),
        ),
        migrations.AddConstraint(
            model_name="h5pactivitycompetency",
            constraint=models.UniqueConstraint(fields=("activity", "competency"), name="h5p_activity_competency_one"),
        ),
    ]
