"""The statement's id and JSON now live in the store only."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("h5p", "0006_statements_copied_into_the_store")]

    operations = [
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
