# Replaces the placeholder text field with a link to the competency engine's competencies.

import modelcluster.fields
from django.db import migrations


def codes_to_competencies(apps, schema_editor):
    """Carry over the placeholder codes ("1.1", "NT2", or "VN-DCF 1.1") to competencies of current frameworks."""
    CoursePage = apps.get_model("courses", "CoursePage")
    Competency = apps.get_model("assessments", "Competency")
    current = Competency.objects.filter(framework__is_current=True)
    for course in CoursePage.objects.exclude(target_competency_codes=""):
        wanted = []
        for token in course.target_competency_codes.split(","):
            parts = token.split()
            if not parts:
                continue
            qs = current.filter(code=parts[-1])
            if len(parts) > 1:
                qs = qs.filter(framework__code=parts[0])
            wanted.extend(qs.values_list("pk", flat=True))
        course.target_competencies.set(wanted)


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0003_evidence_append_only_guard'),
        ('courses', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='coursepage',
            name='target_competencies',
            field=modelcluster.fields.ParentalManyToManyField(blank=True, help_text='Competencies this course develops; learners with a gap in them see it recommended.', related_name='courses', to='assessments.competency', verbose_name='target competencies'),
        ),
        migrations.RunPython(codes_to_competencies, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='coursepage',
            name='target_competency_codes',
        ),
    ]
