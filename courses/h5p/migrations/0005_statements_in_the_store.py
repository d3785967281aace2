"""H5P statements move into the statement store (``xapi.Statement``): one store for every statement.

The JSON and the id go to the store; ``H5PStatement`` keeps what H5P needs (whose, which activity
and attempt) and points at its statement.
"""

import django.db.models.deletion
from django.db import migrations, models


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
    ]
