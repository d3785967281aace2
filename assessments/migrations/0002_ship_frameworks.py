from django.db import migrations


def forwards(apps, schema_editor):
    from assessments.migrations._framework_data import install

    install(apps)


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
