"""Current levels by the level rule (demonstrated at a band, with mastery and confidence) and recency.

A change of rule, not of schema: this runs the same recompute ``manage.py recompute_competencies`` runs, with
today's code, so that right after the migration the stored scores agree with a full recompute (no drift).
"""

from django.db import migrations


def forwards(apps, schema_editor):
    from assessments.services.scores import scores_recompute

    scores_recompute()


class Migration(migrations.Migration):
    dependencies = [("assessments", "0010_recency")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
